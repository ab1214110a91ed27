#pragma once

#include <QJsonObject>

namespace assay::store {
class Project;
}

namespace assay::report {

// What a datasheet says about a project, gathered once from the stored results: the keys of
// `report --json` (projectReportJson, without the per-sample "issues" list) plus
//   "formats": {type: n} (scanned type, else the file extension), "mime_types": {mime: n},
//   "image_sizes": {"width": {"min", "median", "max"}, "height": {...}, "common": "WxH",
//                   "common_count", "distinct", "measured"}, "channels": {"1": n, "3": n},
//   "bytes": total, "split_bytes": {split: bytes}, "label_source", "dataset_format",
//   "created_at", "imports": n, "edits": {"changes", "batches", "samples", "first", "last",
//   "fields": {field: n}}, "excluded", "reviewed", "assay_version", "license_file",
//   "license_spdx", "source_files": [{"path", "size"}], "containers": [{"path", "size",
//   "members"}], "path_layout": {"split_level", "class_level", "depth"} (the path component that
//   names the split / class on every sample, -1 when none), "predictions": n,
//   "url_attributes": [names].
// Nothing is recomputed: an unscanned project simply has fewer facts.
QJsonObject datasheetFacts(store::Project &project);

// The MIME type of an image type or extension ("png" -> "image/png").
QString mimeTypeFor(const QString &typeOrExtension);

} // namespace assay::report
