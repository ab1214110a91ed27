#include "planbuilder.h"

#include <QStringList>

#include <algorithm>
#include <numeric>

namespace assay::formats {

namespace {

int intern(std::unordered_map<std::string, int> &table, std::string_view name)
{
    auto [it, inserted] = table.try_emplace(std::string(name), int(table.size()));
    return it->second;
}

int splitRank(const QString &name)
{
    const QString key = name.toLower();
    if (key == u"train" || key == u"training")
        return 0;
    if (key == u"val" || key == u"valid" || key == u"validation" || key == u"dev")
        return 1;
    if (key == u"test" || key == u"testing" || key == u"eval")
        return 2;
    return 3;
}

// Orders the interned names, returns them and the old-index -> new-index map.
template<typename Less>
QStringList ordered(const std::unordered_map<std::string, int> &table, std::vector<int> &remap,
                    Less less)
{
    std::vector<QString> names(table.size());
    for (const auto &[name, index] : table)
        names[size_t(index)] = QString::fromStdString(name);
    std::vector<int> order(names.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int a, int b) { return less(names[size_t(a)], names[size_t(b)]); });
    remap.assign(names.size(), -1);
    QStringList result;
    for (size_t i = 0; i < order.size(); ++i) {
        remap[size_t(order[i])] = int(i);
        result << names[size_t(order[i])];
    }
    return result;
}

} // namespace

bool splitNameLess(const QString &a, const QString &b)
{
    const int ra = splitRank(a);
    const int rb = splitRank(b);
    return ra != rb ? ra < rb : a < b;
}

bool classNameLess(const QString &a, const QString &b)
{
    bool aIsNumber = false;
    bool bIsNumber = false;
    const double x = a.toDouble(&aIsNumber);
    const double y = b.toDouble(&bIsNumber);
    if (aIsNumber != bIsNumber)
        return aIsNumber;
    if (aIsNumber && x != y)
        return x < y;
    const int byCase = a.compare(b, Qt::CaseInsensitive);
    return byCase != 0 ? byCase < 0 : a < b;
}

int PlanBuilder::splitIndex(std::string_view name)
{
    return intern(m_splits, name);
}

int PlanBuilder::categoryIndex(std::string_view name)
{
    return intern(m_categories, name);
}

void PlanBuilder::finish(ImportPlan &plan)
{
    std::vector<int> splitMap;
    std::vector<int> categoryMap;
    plan.splits = ordered(m_splits, splitMap, splitNameLess);
    plan.categories = ordered(m_categories, categoryMap, classNameLess);
    for (ImportItem &item : plan.items) {
        if (item.split >= 0)
            item.split = splitMap[size_t(item.split)];
        if (item.label >= 0)
            item.label = categoryMap[size_t(item.label)];
    }
}

} // namespace assay::formats
