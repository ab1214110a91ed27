#include "datasheetexport.h"

#include "datasheetcharts.h"
#include "datasheetpdf.h"
#include "report/datasheetcard.h"
#include "report/datasheetcroissant.h"
#include "report/datasheetrender.h"
#include "util/error.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace assay::ui {

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw Error(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
}

} // namespace

QStringList datasheetFormatNames()
{
    return {QStringLiteral("md"), QStringLiteral("html"), QStringLiteral("pdf"),
            QStringLiteral("croissant"), QStringLiteral("hf-card")};
}

std::optional<DatasheetFormat> datasheetFormatFromName(const QString &name)
{
    const int index = int(datasheetFormatNames().indexOf(name.toLower()));
    if (index < 0)
        return std::nullopt;
    return DatasheetFormat(index);
}

QString datasheetFormatName(DatasheetFormat format)
{
    return datasheetFormatNames().at(int(format));
}

QString datasheetFormatSuffix(DatasheetFormat format)
{
    switch (format) {
    case DatasheetFormat::Markdown:
        return QStringLiteral(".md");
    case DatasheetFormat::Html:
        return QStringLiteral(".html");
    case DatasheetFormat::Pdf:
        return QStringLiteral(".pdf");
    case DatasheetFormat::Croissant:
        return QStringLiteral(".json");
    case DatasheetFormat::HfCard:
        break;
    }
    return QStringLiteral(".md");
}

QStringList chartImagesNames()
{
    return {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("both")};
}

std::optional<ChartImages> chartImagesFromName(const QString &name)
{
    const int index = int(chartImagesNames().indexOf(name.toLower()));
    if (index < 0)
        return std::nullopt;
    return ChartImages(index + 1);
}

ChartImages defaultChartImages(DatasheetFormat format)
{
    switch (format) {
    case DatasheetFormat::Markdown:
        return ChartImages::Both;
    case DatasheetFormat::Html:
        return ChartImages::Svg;
    default:
        return ChartImages::Png;
    }
}

DatasheetExportResult exportDatasheet(const report::Datasheet &sheet, const QString &datasetRoot,
                                      DatasheetFormat format, const QString &path, bool draft,
                                      std::optional<ChartImages> charts)
{
    DatasheetExportResult result;
    result.files.append(path);
    const ChartImages images = charts.value_or(defaultChartImages(format));
    switch (format) {
    case DatasheetFormat::Markdown: {
        // Charts beside the document: NAME_files/ID.png and ID.svg.
        const QFileInfo info(path);
        const QString dirName = info.completeBaseName() + QStringLiteral("_files");
        const auto drawn = renderDatasheetCharts(sheet.facts, {960, 380}, images);
        const QDir dir(info.absolutePath());
        if (!drawn.empty() && !dir.mkpath(dirName))
            throw Error(QStringLiteral("cannot create the folder %1").arg(dir.filePath(dirName)));
        for (const report::DatasheetChart &chart : drawn) {
            const QString stem = dir.filePath(dirName + u'/' + chart.id);
            const std::pair<const QByteArray *, const char *> files[] = {{&chart.png, ".png"},
                                                                         {&chart.svg, ".svg"}};
            for (const auto &[bytes, suffix] : files) {
                if (bytes->isEmpty())
                    continue;
                writeFile(stem + QLatin1String(suffix), *bytes);
                result.files.append(stem + QLatin1String(suffix));
            }
        }
        writeFile(path, report::datasheetMarkdown(sheet, drawn, dirName).toUtf8());
        break;
    }
    case DatasheetFormat::Html: {
        // One self-contained file: each chart embedded once, as SVG unless only PNG is asked for.
        const ChartImages embedded = images == ChartImages::Png ? images : ChartImages::Svg;
        writeFile(path, report::datasheetHtml(
                            sheet, renderDatasheetCharts(sheet.facts, {960, 380}, embedded))
                            .toUtf8());
        break;
    }
    case DatasheetFormat::Pdf:
        result.pages = writeDatasheetPdf(sheet, datasheetChartScenes(sheet.facts), path);
        break;
    case DatasheetFormat::Croissant: {
        report::CroissantOptions options;
        options.draft = draft;
        const QJsonObject json = report::croissantJson(sheet, datasetRoot, options);
        result.draft = !report::croissantMissing(sheet).isEmpty();
        writeFile(path, QJsonDocument(json).toJson(QJsonDocument::Indented));
        break;
    }
    case DatasheetFormat::HfCard:
        writeFile(path, report::datasheetCard(sheet).toUtf8());
        break;
    }
    return result;
}

} // namespace assay::ui
