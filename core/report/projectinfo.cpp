#include "projectinfo.h"

#include <QJsonArray>
#include <QMap>

#include <algorithm>

namespace assay::report {

QJsonObject summaryJson(const store::ProjectSummary &summary)
{
    QJsonObject splits;
    for (const QString &split : summary.splits) {
        QJsonObject perClass;
        const auto counts = summary.perSplitClass.value(split);
        for (const QString &name : summary.classes) {
            if (counts.contains(name))
                perClass.insert(name, qint64(counts.value(name)));
        }
        splits.insert(split, perClass);
    }
    QJsonObject splitTotals;
    for (const QString &split : summary.splits)
        splitTotals.insert(split, qint64(summary.perSplit.value(split)));
    QJsonObject objects;
    for (auto split = summary.objectsPerSplitClass.cbegin();
         split != summary.objectsPerSplitClass.cend(); ++split) {
        QJsonObject perClass;
        for (auto cls = split.value().cbegin(); cls != split.value().cend(); ++cls)
            perClass.insert(cls.key(), qint64(cls.value()));
        objects.insert(split.key(), perClass);
    }
    QJsonObject kinds;
    for (const char *kind : {"box", "polygon", "mask", "label"})
        kinds.insert(QString::fromLatin1(kind),
                     qint64(summary.annotationKinds.value(QString::fromLatin1(kind))));
    return QJsonObject{
        {QStringLiteral("annotations"), objects},
        {QStringLiteral("annotation_kinds"), kinds},
        {QStringLiteral("samples"), qint64(summary.samples)},
        {QStringLiteral("classes"), QJsonArray::fromStringList(summary.classes)},
        {QStringLiteral("splits"), splits},
        {QStringLiteral("split_sizes"), splitTotals},
        {QStringLiteral("unlabeled"), qint64(summary.unlabeled)},
        {QStringLiteral("missing"), qint64(summary.missing)},
        {QStringLiteral("attributes"), QJsonArray::fromStringList(summary.attributes)},
        {QStringLiteral("format"), summary.format},
        {QStringLiteral("root"), summary.root},
    };
}

namespace {

using Counts = QMap<QString, QMap<QString, std::int64_t>>;

// A table of counts per class (rows) and split (columns), with a total column when there are
// several splits; `extraRow` (e.g. unlabeled samples) goes before the total row when non-empty.
QString countTable(const QString &corner, const QStringList &classes, const QStringList &splits,
                   const Counts &perSplitClass, const QMap<QString, std::int64_t> &perSplit,
                   const QString &extraRow)
{
    const QString totalName = QStringLiteral("total");
    int nameWidth = int(std::max(totalName.size(), corner.size()));
    for (const QString &name : classes)
        nameWidth = std::max(nameWidth, int(name.size()));
    nameWidth = std::max(nameWidth, int(extraRow.size()));
    nameWidth = std::min(nameWidth, 40);

    const bool showTotal = splits.size() > 1 || splits.isEmpty();
    std::int64_t all = 0;
    std::vector<int> widths;
    for (const QString &split : splits) {
        all += perSplit.value(split);
        widths.push_back(std::max(int(split.size()),
                                  int(QString::number(perSplit.value(split)).size())));
    }
    const int totalWidth = std::max(5, int(QString::number(all).size()));

    QString out;
    auto cell = [](const QString &text, int width) { return text.rightJustified(width + 2); };
    out += corner.leftJustified(nameWidth);
    for (size_t i = 0; i < widths.size(); ++i)
        out += cell(splits[qsizetype(i)], widths[i]);
    if (showTotal)
        out += cell(totalName, totalWidth);
    out += u'\n';
    auto row = [&](const QString &name, auto countFor) {
        out += name.left(nameWidth).leftJustified(nameWidth);
        std::int64_t total = 0;
        for (size_t i = 0; i < widths.size(); ++i) {
            const std::int64_t n = countFor(splits[qsizetype(i)]);
            total += n;
            out += cell(QString::number(n), widths[i]);
        }
        if (showTotal)
            out += cell(QString::number(total), totalWidth);
        out += u'\n';
    };
    for (const QString &name : classes)
        row(name, [&](const QString &split) { return perSplitClass.value(split).value(name); });
    if (!extraRow.isEmpty())
        row(extraRow, [&](const QString &split) {
            std::int64_t counted = 0;
            for (std::int64_t n : perSplitClass.value(split))
                counted += n;
            return perSplit.value(split) - counted;
        });
    row(totalName, [&](const QString &split) { return perSplit.value(split); });
    return out;
}

} // namespace

QString summaryTable(const store::ProjectSummary &summary)
{
    // Samples per class; for a detection dataset (objects, no image-level labels) objects per
    // class instead, since every sample would be "unlabeled".
    const bool objectsOnly = !summary.objectsPerSplitClass.isEmpty()
                             && summary.unlabeled == summary.samples;
    if (!objectsOnly)
        return countTable(QStringLiteral("class"), summary.classes, summary.splits,
                          summary.perSplitClass, summary.perSplit,
                          summary.unlabeled > 0 ? QStringLiteral("(unlabeled)") : QString());
    QMap<QString, std::int64_t> objectsPerSplit;
    QStringList classes = summary.classes;
    for (auto split = summary.objectsPerSplitClass.cbegin();
         split != summary.objectsPerSplitClass.cend(); ++split) {
        for (auto c = split.value().cbegin(); c != split.value().cend(); ++c) {
            objectsPerSplit[split.key()] += c.value();
            if (!classes.contains(c.key()))
                classes << c.key(); // "(unknown)"
        }
    }
    return countTable(QStringLiteral("objects"), classes, summary.splits,
                      summary.objectsPerSplitClass, objectsPerSplit, QString());
}

namespace {

QString listEntries(const QString &title, const std::vector<SkippedEntry> &entries, int limit)
{
    if (entries.empty())
        return {};
    QMap<QString, int> byReason;
    for (const SkippedEntry &entry : entries) {
        QString reason = entry.reason;
        // "line 12: escapes the dataset root" counts under "escapes the dataset root".
        const qsizetype colon = reason.indexOf(QStringLiteral(": "));
        if (reason.startsWith(u"line ") && colon > 0)
            reason = reason.mid(colon + 2);
        ++byReason[reason];
    }
    QStringList reasons;
    for (auto it = byReason.cbegin(); it != byReason.cend(); ++it)
        reasons << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
    QString out = QStringLiteral("%1 %2 (%3):\n")
                      .arg(title)
                      .arg(entries.size())
                      .arg(reasons.join(QStringLiteral(", ")));
    const int shown = std::min<int>(limit, int(entries.size()));
    for (int i = 0; i < shown; ++i)
        out += QStringLiteral("  %1: %2\n").arg(entries[size_t(i)].path, entries[size_t(i)].reason);
    if (shown < int(entries.size()))
        out += QStringLiteral("  ... and %1 more\n").arg(int(entries.size()) - shown);
    return out;
}

} // namespace

QString importSummaryText(const ImportPlan &plan, const ImportResult &result,
                          const store::ProjectSummary &summary, int listLimit)
{
    QString out = QStringLiteral("Imported %1 (%2): %3 samples in %4 classes\n")
                      .arg(plan.source, plan.format)
                      .arg(summary.samples)
                      .arg(summary.classes.size());
    out += QStringLiteral("  %1 new, %2 updated, %3 unchanged, %4 marked missing\n")
               .arg(result.added)
               .arg(result.updated)
               .arg(result.unchanged)
               .arg(result.markedMissing);
    const auto annotations = std::int64_t(plan.annotations.size()) + plan.annotationsStreamed;
    if (annotations > 0)
        out += QStringLiteral("  %1 annotations: %2 new, %3 updated, %4 removed\n")
                   .arg(annotations)
                   .arg(result.annotationsAdded)
                   .arg(result.annotationsUpdated)
                   .arg(result.annotationsRemoved);
    if (!plan.labelSource.isEmpty())
        out += QStringLiteral("  labels from %1\n").arg(plan.labelSource);
    out += u'\n' + summaryTable(summary);
    const QString skipped = listEntries(QStringLiteral("Skipped files:"), plan.skipped, listLimit);
    const QString refused = listEntries(QStringLiteral("Refused entries:"), plan.refused,
                                        listLimit);
    if (!skipped.isEmpty() || !refused.isEmpty())
        out += u'\n' + skipped + refused;
    if (summary.missing > 0)
        out += QStringLiteral("\n%1 samples are listed but their files are missing\n")
                   .arg(summary.missing);
    return out;
}

} // namespace assay::report
