#include "quality.h"

#include "scan/imageheader.h"
#include "store/project.h"

#include <algorithm>
#include <cmath>

namespace assay::analysis {

namespace {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    const size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(middle), values.end());
    return values[middle];
}

Issue make(const store::FeatureRow &row, const QString &kind, Severity severity, QString detail,
           double value = 0)
{
    return Issue{row.sampleId, kind, severity, std::move(detail), value};
}

QString format(double value)
{
    return QString::number(value, 'g', 4);
}

} // namespace

QStringList qualityIssueKinds()
{
    using namespace issuekind;
    return {corrupt,        zeroByte,          unsupportedType, tooLarge, missingFile,
            unreadable,     extensionMismatch, blurry,          dark,     bright,
            lowInformation, oddAspectRatio,    oddSize,         grayscale};
}

std::vector<Issue> computeQualityIssues(const std::vector<store::FeatureRow> &rows,
                                        const QualityThresholds &t)
{
    using namespace issuekind;
    // Dataset-relative references: the median size, the spread of log sharpness, colour share.
    std::vector<double> sides, logSharpness;
    std::int64_t measured = 0, colour = 0;
    for (const store::FeatureRow &row : rows) {
        const SampleFeatures &f = row.features;
        if (f.status != ScanStatus::Ok)
            continue;
        ++measured;
        colour += f.grayscale ? 0 : 1;
        sides.push_back(std::sqrt(double(f.width) * double(f.height)));
        logSharpness.push_back(std::log(f.sharpness + 1e-6));
    }
    const double medianSide = median(sides);
    const double medianLogSharpness = median(logSharpness);
    for (double &value : logSharpness)
        value = std::abs(value - medianLogSharpness);
    const double sharpnessSpread = 1.4826 * median(logSharpness);
    const bool relative = measured >= t.minimumForRelativeChecks;
    const bool colourDataset = relative && double(colour) >= t.colourDatasetShare * measured;

    std::vector<Issue> issues;
    for (const store::FeatureRow &row : rows) {
        const SampleFeatures &f = row.features;
        switch (f.status) {
        case ScanStatus::Ok:
            break;
        case ScanStatus::Corrupt:
            issues.push_back(make(row, corrupt, Severity::Error, f.detail));
            continue;
        case ScanStatus::ZeroBytes:
            issues.push_back(make(row, zeroByte, Severity::Error, f.detail));
            continue;
        case ScanStatus::Unsupported:
            issues.push_back(make(row, unsupportedType, Severity::Error, f.detail));
            continue;
        case ScanStatus::TooLarge:
            issues.push_back(make(row, tooLarge, Severity::Error, f.detail));
            continue;
        case ScanStatus::Missing:
            issues.push_back(make(row, missingFile, Severity::Error, f.detail));
            continue;
        case ScanStatus::Unreadable:
            issues.push_back(make(row, unreadable, Severity::Error, f.detail));
            continue;
        }
        if (row.member < 0) {
            const QByteArray path = row.path.toUtf8();
            const scan::ImageType promised =
                scan::typeFromExtension(std::string_view(path.constData(), size_t(path.size())));
            const QString promisedName = scan::imageTypeName(promised);
            if (promised != scan::ImageType::Unknown && promisedName != f.realType)
                issues.push_back(make(row, extensionMismatch, Severity::Warning,
                                      QStringLiteral("named .%1 but the content is %2")
                                          .arg(row.path.section(u'.', -1), f.realType)));
        }
        if (f.lumaP99 < t.darkLumaP99)
            issues.push_back(make(row, dark, Severity::Warning,
                                  QStringLiteral("99th-percentile luma %1 < %2")
                                      .arg(format(f.lumaP99), format(t.darkLumaP99)),
                                  f.lumaP99));
        if (f.lumaP5 > t.brightLumaP5)
            issues.push_back(make(row, bright, Severity::Warning,
                                  QStringLiteral("5th-percentile luma %1 > %2")
                                      .arg(format(f.lumaP5), format(t.brightLumaP5)),
                                  f.lumaP5));
        if (f.entropy < t.lowInformationBits)
            issues.push_back(make(row, lowInformation, Severity::Warning,
                                  QStringLiteral("entropy %1 bits < %2")
                                      .arg(format(f.entropy), format(t.lowInformationBits)),
                                  f.entropy));
        if (f.width > 0 && f.height > 0) {
            const double aspect =
                double(std::max(f.width, f.height)) / double(std::min(f.width, f.height));
            if (aspect > t.oddAspect)
                issues.push_back(make(row, oddAspectRatio, Severity::Info,
                                      QStringLiteral("%1×%2 (%3:1) > %4:1")
                                          .arg(f.width)
                                          .arg(f.height)
                                          .arg(format(aspect), format(t.oddAspect)),
                                      aspect));
            const double side = std::sqrt(double(f.width) * double(f.height));
            if (medianSide > 0 &&
                (side > medianSide * t.oddSizeFactor || side * t.oddSizeFactor < medianSide))
                issues.push_back(make(row, oddSize, Severity::Info,
                                      QStringLiteral("%1×%2, far from the dataset's typical "
                                                     "%3 px side")
                                          .arg(f.width)
                                          .arg(f.height)
                                          .arg(format(medianSide)),
                                      side / medianSide));
        }
        if (relative && sharpnessSpread > 0) {
            const double z = (std::log(f.sharpness + 1e-6) - medianLogSharpness) / sharpnessSpread;
            // Low-information images (flat) have no edges to be sharp; they are flagged as such.
            if (z < t.blurryRobustZ && f.entropy >= t.lowInformationBits)
                issues.push_back(make(
                    row, blurry, Severity::Warning,
                    QStringLiteral("sharpness %1, %2 robust SDs below the "
                                   "dataset's median %3")
                        .arg(format(f.sharpness), format(-z), format(std::exp(medianLogSharpness))),
                    f.sharpness));
        }
        if (colourDataset && f.grayscale)
            issues.push_back(make(row, grayscale, Severity::Info,
                                  QStringLiteral("grayscale in a dataset that is %1% colour")
                                      .arg(qRound(100.0 * double(colour) / double(measured))),
                                  0));
    }
    return issues;
}

void refreshQualityIssues(store::Project &project, const QualityThresholds &thresholds)
{
    const std::vector<store::FeatureRow> rows = store::loadFeatureRows(project.db());
    store::replaceIssues(project.db(), qualityIssueKinds(), computeQualityIssues(rows, thresholds));
}

} // namespace assay::analysis
