#pragma once

#include "database.h"

#include "model/annotation.h"
#include "model/issue.h"
#include "model/sample.h"
#include "model/samplefeatures.h"

#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace assay::store {

// Everything the inspector shows about one sample.
struct SampleDetails
{
    SampleRecord record;
    bool scanned = false;
    SampleFeatures features;
    std::vector<Issue> issues;
    std::vector<Annotation> annotations;
    std::vector<std::pair<QString, QString>> attributes; // name, value as text
};

std::optional<SampleDetails> loadSampleDetails(Database &db, std::int64_t sampleId);

} // namespace assay::store
