#pragma once

#include "jsonmembers.h"

#include "model/importplan.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace assay::jobs {
class Progress;
}

namespace assay::formats::coco {

struct Image
{
    std::int64_t id = -1;
    std::string fileName;
    std::int64_t width = 0, height = 0;
};

// COCO category id -> (name, supercategory).
using Categories = std::map<std::int64_t, std::pair<QString, QString>>;

// An annotation as the file spells it: image and category ids, everything else already in
// `annotation` (whose item and category the reader fills in).
struct RawAnnotation
{
    std::int64_t imageId = 0;
    std::int64_t categoryId = -1;
    // The category_id as the file spelled it, and where among the kept keys it stood: an id
    // missing from "categories" is kept in extra, in place, so the annotation still has it.
    std::string categoryToken;
    size_t categoryAt = std::string::npos;
    ImportAnnotation annotation;
};

// Puts `"category_id": <token>` back into an annotation's kept keys where the source had it
// (`at`: the length the kept keys had then, the closing brace not counted).
void keepCategoryId(std::string &extra, const std::string &token, size_t at);

// Reads the members of one COCO file with simdjson On-Demand, window by window (JsonMembers).
class Parser
{
public:
    Parser(JsonMembers &json, jobs::Progress &progress) : m_json(json), m_progress(progress) {}

    void readImages(std::vector<Image> &images);
    void readCategories(Categories &categories);
    // Hands each annotation of the current value to `take`, in order; `position` numbers them
    // (their index in the file) and goes on counting.
    void readAnnotations(const std::string &sourceFile, std::int64_t &position,
                         const std::function<void(RawAnnotation &)> &take);
    // Parses the current value without using it: malformed JSON still fails.
    void validate();

private:
    template<typename Each> void forEachElement(Each each);
    void readAnnotation(simdjson::ondemand::object object, RawAnnotation &raw);
    void readSegmentation(simdjson::ondemand::value value, ImportAnnotation &a);

    JsonMembers &m_json;
    jobs::Progress &m_progress;
    simdjson::ondemand::parser m_parser;
    std::vector<float> m_points; // scratch for one polygon ring
    size_t m_rings = 0;          // rings of the current annotation so far
};

} // namespace assay::formats::coco
