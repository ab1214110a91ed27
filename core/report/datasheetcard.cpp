#include "datasheetcard.h"

#include "datasheetdraft.h"
#include "datasheetrender.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace assay::report {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

const QString needed = QStringLiteral("[More Information Needed]");

// A YAML double-quoted scalar.
QString yaml(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    escaped.replace(u'\n', QStringLiteral("\\n"));
    return u'"' + escaped + u'"';
}

// "cc-by-4.0" from "https://spdx.org/licenses/CC-BY-4.0.html" or "CC-BY-4.0".
QString licenseId(const QString &license)
{
    static const QRegularExpression spdx(
        QStringLiteral("spdx\\.org/licenses/([A-Za-z0-9.+-]+?)(?:\\.html)?$"));
    const QRegularExpressionMatch match = spdx.match(license.trimmed());
    if (match.hasMatch())
        return match.captured(1).toLower();
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9.+-]+$"));
    return plain.match(license.trimmed()).hasMatch() ? license.trimmed().toLower() : QString();
}

QString or_(const Datasheet &sheet, const char *id)
{
    const QString text = sheet.text(key(id)).trimmed();
    return text.isEmpty() ? needed : text;
}

} // namespace

QString sizeCategory(qint64 n)
{
    static const std::pair<qint64, const char *> steps[] = {
        {1000, "n<1K"},           {10000, "1K<n<10K"},    {100000, "10K<n<100K"},
        {1000000, "100K<n<1M"},   {10000000, "1M<n<10M"}, {100000000, "10M<n<100M"},
        {1000000000, "100M<n<1B"}};
    for (const auto &[limit, name] : steps)
        if (n < limit)
            return key(name);
    return key("1B<n<10B");
}

QString datasheetCard(const Datasheet &sheet)
{
    const QJsonObject &facts = sheet.facts;
    const QString name = datasheetTitle(sheet).mid(int(qstrlen("Datasheet for ")));
    const QJsonObject kinds = facts[key("annotation_kinds")].toObject();
    const bool singleLabel =
        kinds[key("label")].toInteger() > 0 && kinds[key("box")].toInteger() == 0 &&
        kinds[key("polygon")].toInteger() == 0 && kinds[key("mask")].toInteger() == 0;
    QString y = QStringLiteral("---\npretty_name: %1\n").arg(yaml(name));
    const QString license = licenseId(sheet.text(key("meta.license")));
    if (!license.isEmpty())
        y += QStringLiteral("license: %1\n").arg(license);
    else if (!sheet.text(key("meta.license")).trimmed().isEmpty())
        y += QStringLiteral("license: other\nlicense_link: %1\n")
                 .arg(yaml(sheet.text(key("meta.license")).trimmed()));
    else
        y += QStringLiteral("license: unknown\n");
    if (singleLabel)
        y += QStringLiteral("task_categories:\n- image-classification\ntask_ids:\n"
                            "- multi-class-image-classification\n");
    else if (kinds[key("box")].toInteger() > 0)
        y += QStringLiteral("task_categories:\n- object-detection\n");
    y += QStringLiteral("size_categories:\n- %1\n")
             .arg(sizeCategory(facts[key("samples")].toInteger()));
    const QString keywords = sheet.text(key("meta.keywords"));
    if (!keywords.trimmed().isEmpty()) {
        y += QStringLiteral("tags:\n");
        for (const QString &word : keywords.split(u',', Qt::SkipEmptyParts))
            y += QStringLiteral("- %1\n").arg(yaml(word.trimmed()));
    }
    const QJsonObject splitSizes = facts[key("split_sizes")].toObject();
    const QJsonObject splitBytes = facts[key("split_bytes")].toObject();
    const QJsonObject layout = facts[key("path_layout")].toObject();
    const int splitLevel = layout[key("split_level")].toInt(-1);
    if (splitLevel == 0 && !splitSizes.isEmpty()) {
        y += QStringLiteral("configs:\n- config_name: default\n  data_files:\n");
        for (auto it = splitSizes.begin(); it != splitSizes.end(); ++it)
            y += QStringLiteral("  - split: %1\n    path: %2\n")
                     .arg(yaml(it.key()), yaml(it.key() + QStringLiteral("/**")));
    }
    y += QStringLiteral("dataset_info:\n  features:\n  - name: image\n    dtype: image\n");
    const QJsonArray classes = facts[key("classes")].toArray();
    if (!classes.isEmpty()) {
        y += QStringLiteral("  - name: label\n    dtype:\n      class_label:\n        names:\n");
        for (qsizetype i = 0; i < classes.size(); ++i)
            y += QStringLiteral("          '%1': %2\n").arg(i).arg(yaml(classes[i].toString()));
    }
    if (!splitSizes.isEmpty()) {
        y += QStringLiteral("  splits:\n");
        for (auto it = splitSizes.begin(); it != splitSizes.end(); ++it)
            y += QStringLiteral("  - name: %1\n    num_bytes: %2\n    num_examples: %3\n")
                     .arg(yaml(it.key()))
                     .arg(splitBytes[it.key()].toInteger())
                     .arg(it.value().toInteger());
    }
    y += QStringLiteral("  dataset_size: %1\n---\n\n").arg(facts[key("bytes")].toInteger());

    QString md = y;
    md +=
        QStringLiteral("# Dataset Card for %1\n\n%2\n\n").arg(name, or_(sheet, "meta.description"));
    md += QStringLiteral("_%1 Card written by Assay %2 from the project's datasheet._\n\n")
              .arg(datasheetStatusLine(sheet), facts[key("assay_version")].toString());
    md += QStringLiteral("## Dataset Details\n\n### Dataset Description\n\n%1\n\n")
              .arg(or_(sheet, "M1"));
    md += QStringLiteral("- **Curated by:** %1\n- **Funded by:** %2\n- **License:** %3\n\n")
              .arg(or_(sheet, "M2"), or_(sheet, "M3"), or_(sheet, "meta.license"));
    md += QStringLiteral("### Dataset Sources\n\n- **Repository:** %1\n\n")
              .arg(or_(sheet, "meta.url"));
    md += QStringLiteral("## Uses\n\n### Direct Use\n\n%1\n\n### Out-of-Scope Use\n\n%2\n\n")
              .arg(or_(sheet, "U3"), or_(sheet, "U5"));
    md += QStringLiteral("## Dataset Structure\n\n%1. Each record is an image (`image`)")
              .arg(countsText(facts));
    md += classes.isEmpty() ? QStringLiteral(".\n\n")
                            : QStringLiteral(" with a class label (`label`).\n\n");
    md += QStringLiteral("| split | images | bytes |\n|---|---:|---:|\n");
    for (auto it = splitSizes.begin(); it != splitSizes.end(); ++it)
        md += QStringLiteral("| %1 | %2 | %3 |\n")
                  .arg(it.key(), formatNumber(it.value().toInteger()),
                       formatNumber(splitBytes[it.key()].toInteger()));
    if (!classes.isEmpty()) {
        const QJsonObject totals = facts[key("balance")].toObject()[key("class_totals")].toObject();
        md += QStringLiteral("\n| label | class | images |\n|---:|---|---:|\n");
        for (qsizetype i = 0; i < classes.size(); ++i)
            md += QStringLiteral("| %1 | %2 | %3 |\n")
                      .arg(i)
                      .arg(classes[i].toString(),
                           formatNumber(totals[classes[i].toString()].toInteger()));
    }
    md += QStringLiteral("\n## Dataset Creation\n\n### Curation Rationale\n\n%1\n\n")
              .arg(or_(sheet, "M1"));
    md += QStringLiteral(
              "### Source Data\n\n#### Data Collection and Processing\n\n%1\n\n%2\n\n%3\n\n")
              .arg(or_(sheet, "P2"), or_(sheet, "C4"), or_(sheet, "R1"));
    md += QStringLiteral("#### Who are the source data producers?\n\n%1\n\n").arg(or_(sheet, "P4"));
    md += QStringLiteral("### Annotations\n\n#### Annotation process\n\n%1\n\n")
              .arg(or_(sheet, "C5"));
    md += QStringLiteral("#### Who are the annotators?\n\n%1\n\n").arg(needed);
    md +=
        QStringLiteral("#### Personal and Sensitive Information\n\n%1\n\n").arg(or_(sheet, "C16"));
    md += QStringLiteral("## Bias, Risks, and Limitations\n\n%1\n\n").arg(or_(sheet, "U4"));
    md += QStringLiteral("### Recommendations\n\n%1\n\n").arg(or_(sheet, "U6"));
    const QString cite = sheet.text(key("meta.citeAs")).trimmed();
    md += QStringLiteral("## Citation\n\n%1\n\n")
              .arg(cite.isEmpty() ? needed : QStringLiteral("```\n%1\n```").arg(cite));
    md += QStringLiteral("## Dataset Card Contact\n\n%1\n").arg(or_(sheet, "T2"));
    return md;
}

} // namespace assay::report
