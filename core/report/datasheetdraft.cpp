#include "datasheetdraft.h"

#include <QJsonArray>
#include <QLocale>

namespace assay::report {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

QJsonObject obj(const QJsonObject &facts, const char *name)
{
    return facts[key(name)].toObject();
}

qint64 num(const QJsonObject &facts, const char *name)
{
    return facts[key(name)].toInteger();
}

// "a 5, b 3" from {a: 5, b: 3}, largest first.
QString countList(const QJsonObject &counts, const QStringList &order = {})
{
    QStringList names = order.isEmpty() ? counts.keys() : order;
    if (order.isEmpty())
        std::stable_sort(names.begin(), names.end(), [&](const QString &a, const QString &b) {
            return counts[a].toInteger() > counts[b].toInteger();
        });
    QStringList parts;
    for (const QString &name : names)
        if (counts.contains(name))
            parts.append(QStringLiteral("%1 %2").arg(name, formatNumber(counts[name].toInteger())));
    return parts.join(QStringLiteral(", "));
}

QString formatsText(const QJsonObject &facts)
{
    return countList(obj(facts, "formats"))
        .toUpper()
        .replace(QStringLiteral("(UNKNOWN)"), QStringLiteral("(unknown)"));
}

QString sizesText(const QJsonObject &facts)
{
    const QJsonObject sizes = obj(facts, "image_sizes");
    const qint64 measured = sizes[key("measured")].toInteger();
    if (measured == 0)
        return QStringLiteral("Image sizes are not measured yet (the project was not scanned).");
    const QJsonObject w = sizes[key("width")].toObject(), h = sizes[key("height")].toObject();
    if (sizes[key("distinct")].toInteger() == 1)
        return QStringLiteral("All %1 measured images are %2 pixels.")
            .arg(formatNumber(measured), sizes[key("common")].toString());
    return QStringLiteral("Widths %1-%2 px (median %3), heights %4-%5 px (median %6); the most "
                          "common size is %7 (%8 of %9 images); %10 distinct sizes.")
        .arg(w[key("min")].toInteger())
        .arg(w[key("max")].toInteger())
        .arg(w[key("median")].toInteger())
        .arg(h[key("min")].toInteger())
        .arg(h[key("max")].toInteger())
        .arg(h[key("median")].toInteger())
        .arg(sizes[key("common")].toString(), formatNumber(sizes[key("common_count")].toInteger()),
             formatNumber(measured))
        .arg(sizes[key("distinct")].toInteger());
}

QString channelsText(const QJsonObject &facts)
{
    const QJsonObject channels = obj(facts, "channels");
    QStringList parts;
    for (auto it = channels.begin(); it != channels.end(); ++it) {
        const int n = it.key().toInt();
        const QString what = n == 1   ? QStringLiteral("grayscale")
                             : n == 3 ? QStringLiteral("colour (3 channels)")
                             : n == 4 ? QStringLiteral("colour with alpha (4 channels)")
                                      : QStringLiteral("%1 channels").arg(n);
        parts.append(QStringLiteral("%1 %2").arg(formatNumber(it.value().toInteger()), what));
    }
    return parts.join(QStringLiteral(", "));
}

QString splitsText(const QJsonObject &facts)
{
    return countList(obj(facts, "split_sizes"));
}

QString classListText(const QJsonObject &facts)
{
    QStringList classes;
    for (const QJsonValue &value : facts[key("classes")].toArray())
        classes.append(value.toString());
    return classes.join(QStringLiteral(", "));
}

QString duplicatesText(const QJsonObject &facts)
{
    if (!facts.contains(key("duplicate_summary")))
        return QStringLiteral("Duplicates were not searched yet (scan the project).");
    const QJsonObject d = obj(facts, "duplicate_summary");
    return QStringLiteral("%1 duplicate clusters holding %2 images (%3 of identical pixels, %4 "
                          "near duplicates within %5 pHash bits); %6 clusters span more than one "
                          "split (leakage between splits); %7 clusters disagree on the label.")
        .arg(formatNumber(d[key("clusters")].toInteger()),
             formatNumber(d[key("samples_in_clusters")].toInteger()),
             formatNumber(d[key("exact_clusters")].toInteger()),
             formatNumber(d[key("near_clusters")].toInteger()))
        .arg(d[key("threshold")].toInteger())
        .arg(formatNumber(d[key("leaking_clusters")].toInteger()),
             formatNumber(d[key("conflicting_clusters")].toInteger()));
}

QString issuesText(const QJsonObject &facts)
{
    QJsonObject counts = obj(facts, "issue_counts");
    for (const char *duplicate : {"duplicate", "leakage", "label_conflict"})
        counts.remove(key(duplicate));
    const QJsonObject scan = obj(facts, "scan");
    QString text = counts.isEmpty() ? QStringLiteral("No quality or annotation issues were flagged")
                                    : QStringLiteral("Quality and annotation issues flagged: %1")
                                          .arg(countList(counts).replace(u'_', u' '));
    text +=
        QStringLiteral(" (%1 images scanned").arg(formatNumber(scan[key("scanned")].toInteger()));
    if (scan[key("not_scanned")].toInteger() > 0)
        text += QStringLiteral(", %1 not scanned yet")
                    .arg(formatNumber(scan[key("not_scanned")].toInteger()));
    return text + QStringLiteral(").");
}

qint64 issueCount(const QJsonObject &facts, const char *kind)
{
    return obj(facts, "issue_counts")[key(kind)].toInteger();
}

QString editsText(const QJsonObject &facts)
{
    const QJsonObject edits = obj(facts, "edits");
    const QString version = facts[key("assay_version")].toString();
    if (edits[key("changes")].toInteger() == 0)
        return QStringLiteral("No edits were made in Assay %1.").arg(version);
    QJsonObject fields = edits[key("fields")].toObject();
    return QStringLiteral("%1 changes to %2 samples were made in Assay %3 between %4 and %5 (%6), "
                          "recorded in the project's edit journal (assay-cli history).")
        .arg(formatNumber(edits[key("changes")].toInteger()),
             formatNumber(edits[key("samples")].toInteger()), version,
             edits[key("first")].toString(), edits[key("last")].toString(), countList(fields));
}

QString missingText(const QJsonObject &facts)
{
    QStringList parts;
    parts.append(
        QStringLiteral("%1 images have no label").arg(formatNumber(num(facts, "unlabeled"))));
    const qint64 unreadable = issueCount(facts, "corrupt") + issueCount(facts, "unreadable") +
                              issueCount(facts, "zero_byte") + issueCount(facts, "too_large") +
                              issueCount(facts, "unsupported_type");
    parts.append(QStringLiteral("%1 files could not be decoded").arg(formatNumber(unreadable)));
    parts.append(QStringLiteral("%1 files listed by the annotations are missing")
                     .arg(formatNumber(num(facts, "missing"))));
    if (facts.contains(key("excluded")) && num(facts, "excluded") > 0)
        parts.append(QStringLiteral("%1 images were excluded in Assay")
                         .arg(formatNumber(num(facts, "excluded"))));
    return parts.join(QStringLiteral("; ")) + u'.';
}

} // namespace

QString formatNumber(qint64 value)
{
    QLocale locale(QLocale::English);
    return locale.toString(value);
}

QString countsText(const QJsonObject &facts)
{
    QString text = QStringLiteral("%1 images").arg(formatNumber(num(facts, "samples")));
    const QString splits = splitsText(facts);
    if (!splits.isEmpty())
        text += QStringLiteral(": %1").arg(splits);
    return text;
}

QString limitationsText(const QJsonObject &facts)
{
    QStringList parts;
    const QJsonObject balance = obj(facts, "balance");
    const double ratio = balance[key("imbalance_ratio")].toDouble(1);
    parts.append(ratio > 1.5
                     ? QStringLiteral("The classes are imbalanced: the largest class has %1 times "
                                      "the images of the smallest.")
                           .arg(ratio, 0, 'f', 1)
                     : QStringLiteral("The classes are balanced (largest/smallest %1).")
                           .arg(ratio, 0, 'f', 2));
    const QJsonArray empty = balance[key("empty_classes")].toArray();
    if (!empty.isEmpty())
        parts.append(QStringLiteral("%1 classes have no images.").arg(empty.size()));
    parts.append(duplicatesText(facts));
    parts.append(issuesText(facts));
    return parts.join(u' ');
}

QString biasText(const QJsonObject &facts, int maxSlices)
{
    if (!facts.contains(key("slice_summary")))
        return QStringLiteral("Bias slices were not searched yet (assay-cli slices).");
    const QJsonObject summary = obj(facts, "slice_summary");
    QString text = QStringLiteral("Assay tested %1 slices (attribute values and their pairs) for a "
                                  "shift in the class mix; %2 were reported.")
                       .arg(formatNumber(summary[key("tested")].toInteger()),
                            formatNumber(summary[key("reported")].toInteger()));
    int shown = 0;
    for (const QJsonValue &value : facts[key("slices")].toArray()) {
        const QJsonObject slice = value.toObject();
        if (slice[key("status")].toString() != u"reported")
            continue;
        if (shown++ == 0)
            text += QStringLiteral(" The strongest:");
        text += QStringLiteral("\n- %1 (%2 images): class %3 is %4x as frequent as overall")
                    .arg(slice[key("text")].toString(), formatNumber(slice[key("n")].toInteger()),
                         slice[key("class")].toString())
                    .arg(slice[key("ratio")].toDouble(), 0, 'f', 2);
        if (shown >= maxSlices)
            break;
    }
    return text;
}

DatasheetDrafts draftDatasheet(const QJsonObject &facts)
{
    DatasheetDrafts d;
    const qint64 samples = num(facts, "samples");
    const QJsonObject kinds = obj(facts, "annotation_kinds");
    QStringList annotationTypes;
    if (kinds[key("label")].toInteger() > 0)
        annotationTypes.append(QStringLiteral("class labels"));
    if (kinds[key("box")].toInteger() > 0)
        annotationTypes.append(QStringLiteral("bounding boxes"));
    if (kinds[key("polygon")].toInteger() > 0)
        annotationTypes.append(QStringLiteral("polygons"));
    if (kinds[key("mask")].toInteger() > 0)
        annotationTypes.append(QStringLiteral("masks"));
    const QString format = facts[key("format")].toString();

    d.answers[key("C1")] =
        QStringLiteral("%1 images (%2), with %3. What the images show: [to be described].")
            .arg(formatNumber(samples), formatsText(facts),
                 annotationTypes.isEmpty() ? QStringLiteral("no annotations")
                                           : annotationTypes.join(QStringLiteral(", ")));

    QString c2 = countsText(facts) + u'.';
    c2 += QStringLiteral(" Per class: %1.")
              .arg(countList(obj(obj(facts, "balance"), "class_totals")));
    const QJsonObject objects = obj(facts, "annotations");
    if (!objects.isEmpty()) {
        qint64 total = 0;
        for (const QJsonValue &split : objects)
            for (const QJsonValue &n : split.toObject())
                total += n.toInteger();
        c2 += QStringLiteral(" %1 annotated objects.").arg(formatNumber(total));
    }
    d.answers[key("C2")] = c2;

    QString c4 =
        QStringLiteral("Raw image files: %1. %2").arg(formatsText(facts), sizesText(facts));
    const QString channels = channelsText(facts);
    if (!channels.isEmpty())
        c4 += QStringLiteral(" Channels: %1.").arg(channels);
    const QJsonArray attributes = facts[key("attributes")].toArray();
    if (!attributes.isEmpty() && attributes.first().isString()) {
        QStringList names;
        for (const QJsonValue &a : attributes)
            names.append(a.toString());
        c4 += QStringLiteral(" Metadata columns: %1.").arg(names.join(QStringLiteral(", ")));
    }
    d.answers[key("C4")] = c4;

    const QString labelSource = facts[key("label_source")].toString();
    d.answers[key("C5")] =
        QStringLiteral("Yes: %1 of %2 images carry a class label (source: %3; %4 dataset). "
                       "%5 classes: %6. %7 images are unlabeled.")
            .arg(formatNumber(samples - num(facts, "unlabeled")), formatNumber(samples),
                 labelSource.isEmpty() ? QStringLiteral("the import") : labelSource, format)
            .arg(facts[key("classes")].toArray().size())
            .arg(classListText(facts), formatNumber(num(facts, "unlabeled")));
    d.answers[key("C6")] = missingText(facts) + QStringLiteral(" Why: [to be explained].");
    d.answers[key("C7")] = QStringLiteral("No explicit relationships are recorded. Assay found: %1")
                               .arg(duplicatesText(facts));
    d.answers[key("C8")] =
        QStringLiteral("Splits: %1. %2 Rationale: [to be explained].")
            .arg(
                splitsText(facts).isEmpty() ? QStringLiteral("none") : splitsText(facts),
                facts.contains(key("duplicate_summary"))
                    ? QStringLiteral("%1 duplicate clusters span more than one split (leakage).")
                          .arg(formatNumber(
                              obj(facts, "duplicate_summary")[key("leaking_clusters")].toInteger()))
                    : QString());
    d.answers[key("C9")] =
        duplicatesText(facts) + u' ' + issuesText(facts) +
        (num(facts, "predictions") > 0 ? QStringLiteral(" Predictions are imported for %1 images.")
                                             .arg(formatNumber(num(facts, "predictions")))
                                       : QString());
    const QJsonArray urls = facts[key("url_attributes")].toArray();
    d.answers[key("C10")] =
        urls.isEmpty()
            ? QStringLiteral("Self-contained: the images are files under the dataset folder and "
                             "no metadata column names a URL.")
            : QStringLiteral("Metadata columns that may link to external resources: %1.")
                  .arg(QJsonValue(urls).toVariant().toStringList().join(QStringLiteral(", ")));
    d.answers[key("C14")] =
        attributes.isEmpty()
            ? QStringLiteral("No metadata column identifies subpopulations.")
            : QStringLiteral("Metadata attributes were tested for association with the label. %1")
                  .arg(biasText(facts, 3));
    d.answers[key("P2")] = QStringLiteral("Files imported by Assay as a %1 dataset. No camera "
                                          "metadata (EXIF) is stored in the project. Collection "
                                          "mechanism: [to be described].")
                               .arg(format);
    d.answers[key("P5")] = QStringLiteral("Not recorded in the files (no EXIF capture dates); the "
                                          "project was created %1. File modification times are "
                                          "not a reliable collection date.")
                               .arg(facts[key("created_at")].toString());
    QString r1;
    const QJsonObject imageSizes = obj(facts, "image_sizes");
    if (imageSizes[key("distinct")].toInteger() == 1)
        r1 += QStringLiteral("All images share one size (%1), which suggests they were resized. ")
                  .arg(imageSizes[key("common")].toString());
    r1 += editsText(facts);
    d.answers[key("R1")] = r1;
    d.answers[key("U4")] = limitationsText(facts) + u'\n' + biasText(facts);
    d.answers[key("D4")] =
        facts.contains(key("license_file"))
            ? QStringLiteral("The dataset folder holds a licence file, %1%2.")
                  .arg(facts[key("license_file")].toString(),
                       facts.contains(key("license_spdx"))
                           ? QStringLiteral(" (%1)").arg(facts[key("license_spdx")].toString())
                           : QString())
            : QStringLiteral("No licence file was found in the dataset folder.");

    const QString root = facts[key("root")].toString();
    d.answers[key("meta.name")] = root.section(u'/', -1, -1, QString::SectionSkipEmpty);
    if (facts.contains(key("license_spdx")))
        d.answers[key("meta.license")] = QStringLiteral("https://spdx.org/licenses/%1.html")
                                             .arg(facts[key("license_spdx")].toString());
    d.answers[key("meta.version")] = QStringLiteral("1.0.0");
    d.answers[key("rai.dataCollectionMissingData")] = missingText(facts);
    d.answers[key("rai.dataManipulationProtocol")] = editsText(facts);
    d.answers[key("rai.dataAnnotationAnalysis")] =
        (num(facts, "predictions") > 0 ? QStringLiteral("Predictions imported for %1 images. ")
                                             .arg(formatNumber(num(facts, "predictions")))
                                       : QString()) +
        QStringLiteral("%1 duplicate clusters disagree on the label.")
            .arg(formatNumber(
                obj(facts, "duplicate_summary")[key("conflicting_clusters")].toInteger()));
    d.answers[key("rai.dataBiases")] = biasText(facts);
    d.answers[key("rai.dataLimitations")] = limitationsText(facts);
    d.answers[key("rai.annotationsPerItem")] =
        kinds[key("box")].toInteger() + kinds[key("polygon")].toInteger() +
                    kinds[key("mask")].toInteger() >
                0
            ? QStringLiteral("Objects per image vary (boxes, polygons or masks)")
            : QStringLiteral("1 class label per image");

    d.hints[key("C3")] = biasText(facts, 3);
    d.hints[key("R3")] = QStringLiteral("Assay %1 (edits: %2)")
                             .arg(facts[key("assay_version")].toString(),
                                  formatNumber(obj(facts, "edits")[key("changes")].toInteger()));
    if (num(facts, "predictions") > 0)
        d.hints[key("U1")] = QStringLiteral("Predictions of a model are imported for %1 images.")
                                 .arg(formatNumber(num(facts, "predictions")));
    return d;
}

} // namespace assay::report
