#pragma once

#include "model/importplan.h"

#include <string>
#include <string_view>
#include <unordered_map>

namespace assay::formats {

// Interns split and class names while a reader walks its source, then puts them in a stable,
// natural order (classes: numbers numerically, then text; splits: train, val, test, others).
class PlanBuilder
{
public:
    int splitIndex(std::string_view name);
    int categoryIndex(std::string_view name);
    // Fixes the order of names in `plan` and remaps every item's indices to it.
    void finish(ImportPlan &plan);

private:
    std::unordered_map<std::string, int> m_splits;
    std::unordered_map<std::string, int> m_categories;
};

// Conventional order for split names: train, val, test, then others by name.
bool splitNameLess(const QString &a, const QString &b);

// Natural order for class names: "2" < "10" < "cat".
bool classNameLess(const QString &a, const QString &b);

} // namespace assay::formats
