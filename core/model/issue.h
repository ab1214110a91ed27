#pragma once

#include <QString>

#include <cstdint>

namespace assay {

enum class Severity : int { Info = 0, Warning = 1, Error = 2 };

// One problem found in one sample: the core reports problems as records; the UI lists them and
// jumps to the sample, the CLI prints them.
struct Issue
{
    std::int64_t sampleId = 0;
    QString kind;   // "corrupt", "blurry", ... (see analysis/quality.h)
    Severity severity = Severity::Warning;
    QString detail; // for a person: the decoder's reason, the measured value and threshold
    double value = 0;
};

} // namespace assay
