#pragma once

// What each fuzz target does with one input, shared by the libFuzzer executables (clang,
// ASSAY_FUZZ=ON) and by tst_fuzzregressions, which replays the seeds and every input that once
// crashed in the normal build. A reader may refuse an input only with assay::Error; anything
// else (another exception, a crash, a sanitizer report, a hang) is a bug.

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace assay::fuzz {

using Target = std::function<void(const std::uint8_t *data, std::size_t size)>;

// "coco", "voc", "yolo_labels", "yolo_yaml", "csv", "idx", "image".
const std::map<QString, Target> &targets();

// Small valid inputs (and a few broken ones) per target, made by the test helpers: the seed
// corpora of the fuzzers and the first inputs tst_fuzzregressions replays.
std::map<QString, std::vector<QByteArray>> seedInputs();

} // namespace assay::fuzz
