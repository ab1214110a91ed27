#pragma once

#include "datasheet.h"

#include <QString>

namespace assay::report {

// A Hugging Face dataset card (README.md): YAML front matter (pretty_name, license,
// task_categories, task_ids, size_categories, configs, dataset_info with the features, class
// names and splits) and the sections of huggingface_hub's datasetcard_template.md, filled from
// the datasheet; what nobody answered reads "[More Information Needed]".
QString datasheetCard(const Datasheet &sheet);

// "10K<n<100K" for 70,000.
QString sizeCategory(qint64 samples);

} // namespace assay::report
