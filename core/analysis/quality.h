#pragma once

#include "model/issue.h"
#include "store/featurestore.h"

#include <QStringList>

#include <vector>

namespace assay::store {
class Project;
}

namespace assay::analysis {

// Issue kinds the quality check writes (the strings are a contract: report --json, check).
namespace issuekind {
inline const QString corrupt = QStringLiteral("corrupt");
inline const QString zeroByte = QStringLiteral("zero_byte");
inline const QString unsupportedType = QStringLiteral("unsupported_type");
inline const QString tooLarge = QStringLiteral("too_large");
inline const QString missingFile = QStringLiteral("missing_file");
inline const QString unreadable = QStringLiteral("unreadable");
inline const QString extensionMismatch = QStringLiteral("extension_mismatch");
inline const QString blurry = QStringLiteral("blurry");
inline const QString dark = QStringLiteral("dark");
inline const QString bright = QStringLiteral("bright");
inline const QString lowInformation = QStringLiteral("low_information");
inline const QString oddAspectRatio = QStringLiteral("odd_aspect_ratio");
inline const QString oddSize = QStringLiteral("odd_size");
inline const QString grayscale = QStringLiteral("grayscale");
} // namespace issuekind

QStringList qualityIssueKinds();

// Defaults follow cleanvision's documented ones where the measure is the same, translated to
// Assay's 0-255 luma and bits (README "Quality checks" gives the reasoning).
struct QualityThresholds
{
    double darkLumaP99 = 0.32 * 255;  // dark: even the brightest 1% of pixels are below this
    double brightLumaP5 = 0.95 * 255; // bright: even the darkest 5% of pixels are above this
    double lowInformationBits = 1.5;  // low information: luma entropy below this
    double oddAspect = 1.0 / 0.35;    // odd aspect: long side / short side above this
    double oddSizeFactor = 10.0;      // odd size: sqrt(area) this far from the dataset median
    double blurryRobustZ = -3.0;      // blurry: log sharpness this many robust SDs below median
    double colourDatasetShare = 0.75; // grayscale is an issue when this share is colour
    // Checks relative to the dataset (blurry, odd size, grayscale) need this many measured
    // images: a median of a handful says nothing about what is typical.
    int minimumForRelativeChecks = 20;
};

// The issues of every scanned sample, from stored features only (no pixels are read).
std::vector<Issue> computeQualityIssues(const std::vector<store::FeatureRow> &rows,
                                        const QualityThresholds &thresholds = {});

// Recomputes the quality issues of a project and stores them (replacing the previous ones).
void refreshQualityIssues(store::Project &project, const QualityThresholds &thresholds = {});

} // namespace assay::analysis
