#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace assay::test {

// A project of `samples` labelled samples ("img/0000000.png" ...) without files on disk, with
// `classes` categories ("class0" ...) dealt round-robin and splits "train" (4 of 5) and "val",
// written directly in one transaction: for edit tests and benchmarks that need size, not
// pixels. Returns the samples' category ids in id order.
std::vector<std::int64_t> createLabelledProject(const QString &path, int samples, int classes);

// Every sample's category id (0 for none), in id order.
std::vector<std::int64_t> sampleClasses(const QString &path);

} // namespace assay::test
