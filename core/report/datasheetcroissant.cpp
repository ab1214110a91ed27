#include "datasheetcroissant.h"

#include "datasheetfacts.h"
#include "formats/idxfile.h"
#include "util/error.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>

namespace assay::report {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

QJsonObject context()
{
    QJsonObject c;
    c[key("@language")] = key("en");
    c[key("@vocab")] = key("https://schema.org/");
    c[key("cr")] = key("http://mlcommons.org/croissant/");
    c[key("rai")] = key("http://mlcommons.org/croissant/RAI/");
    c[key("dct")] = key("http://purl.org/dc/terms/");
    c[key("sc")] = key("https://schema.org/");
    c[key("data")] = QJsonObject{{key("@id"), key("cr:data")}, {key("@type"), key("@json")}};
    c[key("dataType")] =
        QJsonObject{{key("@id"), key("cr:dataType")}, {key("@type"), key("@vocab")}};
    c[key("examples")] =
        QJsonObject{{key("@id"), key("cr:examples")}, {key("@type"), key("@json")}};
    for (const char *term :
         {"extract",   "field",         "fileProperty", "fileObject", "fileSet",  "format",
          "includes",  "isLiveDataset", "jsonPath",     "key",        "md5",      "parentField",
          "path",      "recordSet",     "references",   "regex",      "repeated", "replace",
          "separator", "source",        "subField",     "transform",  "citeAs",   "column"})
        c[key(term)] = QStringLiteral("cr:") + key(term);
    c[key("conformsTo")] = key("dct:conformsTo");
    return c;
}

QJsonObject ref(const QString &id)
{
    return QJsonObject{{key("@id"), id}};
}

QJsonObject field(const QString &id, const QJsonValue &dataType, const QJsonObject &source)
{
    return QJsonObject{{key("@type"), key("cr:Field")},
                       {key("@id"), id},
                       {key("name"), id},
                       {key("dataType"), dataType},
                       {key("source"), source}};
}

// A field of a RecordSet whose records are inline (`data`).
QJsonObject inlineField(const QString &id, const QString &dataType)
{
    return QJsonObject{{key("@type"), key("cr:Field")},
                       {key("@id"), id},
                       {key("name"), id},
                       {key("dataType"), dataType}};
}

// A small record set (splits, classes, IDX files) with its records inline, keyed by its first
// field; typed unless `dataType` is empty.
QJsonObject enumerationSet(const QString &id, const QString &dataType, const QJsonArray &fields,
                           const QJsonArray &data)
{
    QJsonObject set{{key("@type"), key("cr:RecordSet")},
                    {key("@id"), id},
                    {key("name"), id},
                    {key("key"), ref(fields.first().toObject()[key("@id")].toString())},
                    {key("field"), fields},
                    {key("data"), data}};
    if (!dataType.isEmpty())
        set[key("dataType")] = dataType;
    return set;
}

QString sha256Of(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(
            QStringLiteral("cannot read %1 for its checksum: %2").arg(path, file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return QString::fromLatin1(hash.result().toHex());
}

// A name fit for an @id: no whitespace.
QString idPart(QString text)
{
    static const QRegularExpression bad(QStringLiteral("[^A-Za-z0-9._-]+"));
    return text.replace(bad, QStringLiteral("-"));
}

QString splitUrl(const QString &split)
{
    const QString lower = split.toLower();
    if (lower.startsWith(QStringLiteral("train")))
        return key("cr:TrainingSplit");
    if (lower.startsWith(QStringLiteral("val")) || lower == u"dev")
        return key("cr:ValidationSplit");
    if (lower.startsWith(QStringLiteral("test")) || lower.startsWith(QStringLiteral("t10k")))
        return key("cr:TestSplit");
    return QStringLiteral("cr:%1").arg(idPart(split));
}

// A regex capturing path component `level` of a root-relative path.
QString componentRegex(int level)
{
    return QStringLiteral("^%1([^/]+)/.*$")
        .arg(level == 0 ? QString() : QStringLiteral("(?:[^/]+/){%1}").arg(level));
}

QJsonArray textList(const QString &text)
{
    QJsonArray list;
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts))
        list.append(line.startsWith(QStringLiteral("- ")) ? line.mid(2) : line);
    return list;
}

// A file of the dataset as a FileObject with its size, type and checksum.
QJsonObject fileObject(const QDir &root, const QString &idPrefix, const QString &path, qint64 size,
                       const QString &description = {})
{
    const QString id = idPrefix + idPart(path);
    QJsonObject file{{key("@type"), key("cr:FileObject")},
                     {key("@id"), id},
                     {key("name"), id},
                     {key("contentUrl"), path},
                     {key("contentSize"), QStringLiteral("%1 B").arg(size)},
                     {key("encodingFormat"), mimeTypeFor(path.section(u'.', -1))},
                     {key("sha256"), sha256Of(root.filePath(path))}};
    if (!description.isEmpty())
        file[key("description")] = description;
    return file;
}

QString gzipNote(const QString &path)
{
    return path.endsWith(QStringLiteral(".gz"), Qt::CaseInsensitive)
               ? QStringLiteral(", gzip-compressed: offsets count in the decompressed bytes")
               : QString();
}

QString idxImagesDescription(const QString &path, qint64 count, const QString &split)
{
    return QStringLiteral("IDX images (idx3-ubyte%1): %2 images%3, 8-bit grayscale. After the "
                          "magic number 0x00000803 come the image count, rows and columns as "
                          "big-endian 32-bit integers; image i is the rows x columns bytes "
                          "(row-major) from offset 16 + i * rows * columns.")
        .arg(gzipNote(path))
        .arg(count)
        .arg(split.isEmpty() ? QString() : QStringLiteral(" of the %1 split").arg(split));
}

QString idxLabelsDescription(const QString &path, const QString &images)
{
    return QStringLiteral("IDX labels (idx1-ubyte%1) of %2: after the magic number 0x00000801 "
                          "and the count (big-endian 32-bit), one unsigned byte per image; byte "
                          "8 + i is the label of image i, the value of classes/index.")
        .arg(gzipNote(path), images);
}

QString idxRecordsDescription()
{
    return QStringLiteral(
        "The IDX files: one record per images file, with its labels file, image count and split. "
        "Croissant 1.0 cannot describe the images inside an IDX file as records of their own: "
        "its extract reads whole files, text lines, CSV columns or JSON paths, and its "
        "transforms (regex, delimiter, jsonQuery) cannot decode a binary array. So there is no "
        "per-image RecordSet here; decode the files as their FileObject descriptions say: image "
        "i of an images file has the label in byte 8 + i of its labels file, the classes record "
        "whose classes/index equals it, and belongs to the file's split.");
}

QString idxLimitation(const QJsonObject &facts)
{
    QString text = QStringLiteral(
        "The images are packed in IDX files, which Croissant 1.0 cannot split into per-image "
        "records: this file lists the IDX files with their checksums, splits and labels files "
        "(record set idx-files) and says how to decode them, but a Croissant loader will not "
        "yield one record per image.");
    const qint64 changes = facts[key("edits")].toObject()[key("changes")].toInteger();
    if (changes > 0)
        text += QStringLiteral(" The %1 changes made in Assay live in the project only: the IDX "
                               "files on disk, and so the labels and splits they give, do not "
                               "carry them.")
                    .arg(changes);
    return text;
}

} // namespace

QStringList croissantMissing(const Datasheet &sheet)
{
    QStringList missing;
    for (const QString &id : sheet.missingRequired())
        missing.append(QStringLiteral("%1 (%2)").arg(id, id.section(u'.', 1)));
    return missing;
}

QJsonObject croissantJson(const Datasheet &sheet, const QString &datasetRoot,
                          const CroissantOptions &options)
{
    const QStringList missing = croissantMissing(sheet);
    if (!missing.isEmpty() && !options.draft)
        throw Error(QStringLiteral("the Croissant export needs these Required fields answered "
                                   "first: %1 (set them in the Datasheet panel or with "
                                   "--answer ID=TEXT, or write a draft with --draft)")
                        .arg(missing.join(QStringLiteral(", "))));
    const QJsonObject &facts = sheet.facts;
    const bool draft = !missing.isEmpty();

    QJsonObject doc;
    doc[key("@context")] = context();
    doc[key("@type")] = key("sc:Dataset");
    // A draft does not claim conformance it lacks.
    doc[key("conformsTo")] =
        draft ? QJsonValue(key("http://mlcommons.org/croissant/1.0"))
              : QJsonValue(QJsonArray{key("http://mlcommons.org/croissant/1.0"),
                                      key("http://mlcommons.org/croissant/RAI/1.0")});
    const auto textOr = [&](const char *id, const QString &placeholder) {
        const QString text = sheet.text(key(id)).trimmed();
        return text.isEmpty() ? placeholder : text;
    };
    const QString todo = QStringLiteral("[DRAFT: to be answered]");
    doc[key("name")] = textOr("meta.name", todo);
    QString description = textOr("meta.description", todo);
    if (draft)
        description = QStringLiteral("DRAFT (not a conforming Croissant file; missing: %1). %2")
                          .arg(missing.join(QStringLiteral(", ")), description);
    doc[key("description")] = description;
    doc[key("license")] = textOr("meta.license", todo);
    doc[key("url")] = textOr("meta.url", todo);
    QJsonArray creators;
    for (const QString &name : textOr("meta.creator", todo).split(u'\n', Qt::SkipEmptyParts))
        creators.append(
            QJsonObject{{key("@type"), key("sc:Person")}, {key("name"), name.trimmed()}});
    doc[key("creator")] =
        creators.size() == 1 ? QJsonValue(creators.first()) : QJsonValue(creators);
    const QString published = sheet.text(key("meta.datePublished")).trimmed();
    if (!published.isEmpty())
        doc[key("datePublished")] = published;
    doc[key("version")] = draft ? textOr("meta.version", key("1.0.0")) + QStringLiteral("-draft")
                                : textOr("meta.version", key("1.0.0"));
    const QString created = facts[key("created_at")].toString();
    if (!created.isEmpty())
        doc[key("dateCreated")] = created;
    if (!sheet.text(key("meta.keywords")).trimmed().isEmpty()) {
        QJsonArray keywords;
        for (const QString &word : sheet.text(key("meta.keywords")).split(u',', Qt::SkipEmptyParts))
            keywords.append(word.trimmed());
        doc[key("keywords")] = keywords;
    }
    if (!sheet.text(key("meta.citeAs")).trimmed().isEmpty())
        doc[key("citeAs")] = sheet.text(key("meta.citeAs")).trimmed();
    doc[key("isLiveDataset")] = false;

    // RAI: drafted fields and those a person answered through the questions.
    const std::pair<const char *, const char *> rai[] = {
        {"rai:dataCollectionMissingData", "rai.dataCollectionMissingData"},
        {"rai:dataManipulationProtocol", "rai.dataManipulationProtocol"},
        {"rai:dataAnnotationAnalysis", "rai.dataAnnotationAnalysis"},
        {"rai:dataBiases", "rai.dataBiases"},
        {"rai:dataLimitations", "rai.dataLimitations"},
        {"rai:annotationsPerItem", "rai.annotationsPerItem"},
        {"rai:dataCollection", "P1"},
        {"rai:dataCollectionRawData", "R2"},
        {"rai:dataPreprocessingProtocol", "R1"},
        {"rai:dataUseCases", "U3"},
        {"rai:dataSocialImpact", "U4"},
        {"rai:personalSensitiveInformation", "C16"},
        {"rai:dataReleaseMaintenancePlan", "T4"},
    };
    static const QStringList many = {key("rai:dataBiases"),
                                     key("rai:dataLimitations"),
                                     key("rai:dataAnnotationAnalysis"),
                                     key("rai:dataPreprocessingProtocol"),
                                     key("rai:dataUseCases"),
                                     key("rai:personalSensitiveInformation"),
                                     key("rai:dataReleaseMaintenancePlan")};
    for (const auto &[property, id] : rai) {
        const QString text = sheet.text(key(id)).trimmed();
        if (text.isEmpty())
            continue;
        const QString name = key(property);
        doc[name] = many.contains(name) ? QJsonValue(textList(text)) : QJsonValue(text);
    }

    // Distribution: images (FileSets per MIME type, or container FileObjects), annotation files.
    QJsonArray distribution;
    const QDir root(datasetRoot);
    QStringList imageSetIds;
    const QJsonArray containers = facts[key("containers")].toArray();
    QJsonArray idxData; // the "idx-files" records: which file holds which split, with its labels
    bool idxSplits = true;
    for (const QJsonValue &value : containers) {
        const QJsonObject container = value.toObject();
        const QString path = container[key("path")].toString();
        const QString split = container[key("split")].toString();
        const QString labels = container[key("labels")].toString();
        const qint64 members = container[key("members")].toInteger();
        const bool idx = formats::isIdxFileName(path.section(u'/', -1));
        distribution.append(
            fileObject(root, QStringLiteral("file-"), path, container[key("size")].toInteger(),
                       idx ? idxImagesDescription(path, members, split)
                           : QStringLiteral("Container of %1 images").arg(members)));
        if (!idx)
            continue;
        if (!labels.isEmpty())
            distribution.append(fileObject(root, QStringLiteral("file-"), labels,
                                           container[key("labels_size")].toInteger(),
                                           idxLabelsDescription(labels, path)));
        QJsonObject record{{key("idx-files/images"), path}, {key("idx-files/count"), members}};
        if (!labels.isEmpty()) // an unlabelled IDX file has none
            record[key("idx-files/labels")] = labels;
        if (!split.isEmpty())
            record[key("idx-files/split")] = split;
        idxSplits = idxSplits && !split.isEmpty();
        idxData.append(record);
    }
    if (!idxData.isEmpty()) {
        QJsonArray limitations = doc[key("rai:dataLimitations")].toArray();
        limitations.append(idxLimitation(facts));
        doc[key("rai:dataLimitations")] = limitations;
    }
    const QJsonObject formats = facts[key("formats")].toObject();
    if (containers.isEmpty()) {
        QMap<QString, QStringList> extensionsByMime;
        for (auto it = formats.begin(); it != formats.end(); ++it)
            extensionsByMime[mimeTypeFor(it.key())].append(it.key());
        for (auto it = extensionsByMime.cbegin(); it != extensionsByMime.cend(); ++it) {
            const QString id = QStringLiteral("images-") + idPart(it.key().section(u'/', -1));
            QJsonArray includes;
            for (const QString &ext : it.value()) {
                includes.append(QStringLiteral("*.%1").arg(ext));
                if (ext != ext.toUpper())
                    includes.append(QStringLiteral("*.%1").arg(ext.toUpper()));
            }
            distribution.append(QJsonObject{
                {key("@type"), key("cr:FileSet")},
                {key("@id"), id},
                {key("name"), id},
                {key("encodingFormat"), it.key()},
                {key("includes"), includes.size() == 1 ? includes.first() : QJsonValue(includes)}});
            imageSetIds.append(id);
        }
    }
    for (const QJsonValue &value : facts[key("source_files")].toArray()) {
        const QJsonObject file = value.toObject();
        distribution.append(fileObject(root, QStringLiteral("annotations-"),
                                       file[key("path")].toString(),
                                       file[key("size")].toInteger()));
    }
    doc[key("distribution")] = distribution;

    // Record sets.
    QJsonArray recordSets;
    QJsonArray splitData;
    const QJsonObject splitSizes = facts[key("split_sizes")].toObject();
    for (auto it = splitSizes.begin(); it != splitSizes.end(); ++it)
        splitData.append(
            QJsonObject{{key("splits/name"), it.key()}, {key("splits/url"), splitUrl(it.key())}});
    if (!splitData.isEmpty())
        recordSets.append(enumerationSet(key("splits"), key("cr:Split"),
                                         {inlineField(key("splits/name"), key("sc:Text")),
                                          inlineField(key("splits/url"), key("cr:Split"))},
                                         splitData));
    // IDX labels are class indices: the classes then carry theirs.
    QJsonArray classData;
    for (const QJsonValue &value : facts[key("classes")].toArray()) {
        QJsonObject record{{key("classes/name"), value.toString()}};
        if (!idxData.isEmpty())
            record[key("classes/index")] = classData.size();
        classData.append(record);
    }
    QJsonArray classFields{inlineField(key("classes/name"), key("sc:Text"))};
    if (!idxData.isEmpty())
        classFields.append(inlineField(key("classes/index"), key("sc:Integer")));
    if (!classData.isEmpty())
        recordSets.append(
            enumerationSet(key("classes"), key("sc:Enumeration"), classFields, classData));
    if (!idxData.isEmpty()) {
        QJsonArray fields{inlineField(key("idx-files/images"), key("sc:Text")),
                          inlineField(key("idx-files/labels"), key("sc:Text")),
                          inlineField(key("idx-files/count"), key("sc:Integer"))};
        if (idxSplits && !splitData.isEmpty()) {
            QJsonObject split = inlineField(key("idx-files/split"), key("sc:Text"));
            split[key("references")] = QJsonObject{{key("field"), ref(key("splits/name"))}};
            fields.append(split);
        }
        QJsonObject set = enumerationSet(key("idx-files"), {}, fields, idxData);
        set[key("description")] = idxRecordsDescription();
        recordSets.append(set);
    }

    // Images: one record per file of the image FileSets, labels and splits read from the path
    // when the folder layout names them. Images packed in IDX files have no such record set:
    // Croissant 1.0 cannot extract them (see idxRecordsDescription).
    const QJsonObject layout = facts[key("path_layout")].toObject();
    for (const QString &setId : imageSetIds) {
        const QString prefix = imageSetIds.size() == 1 ? key("images") : setId;
        const QJsonObject fromSet{{key("fileSet"), ref(setId)}};
        QJsonObject pathSource = fromSet, contentSource = fromSet;
        pathSource[key("extract")] = QJsonObject{{key("fileProperty"), key("fullpath")}};
        contentSource[key("extract")] = QJsonObject{{key("fileProperty"), key("content")}};
        QJsonArray fields{
            field(prefix + QStringLiteral("/path"), key("sc:Text"), pathSource),
            field(prefix + QStringLiteral("/image"), key("sc:ImageObject"), contentSource)};
        const int classLevel = layout[key("class_level")].toInt(-1);
        if (classLevel >= 0 && !classData.isEmpty()) {
            QJsonObject source = pathSource;
            source[key("transform")] = QJsonObject{{key("regex"), componentRegex(classLevel)}};
            QJsonObject label = field(prefix + QStringLiteral("/label"),
                                      QJsonArray{key("sc:Text"), key("cr:Label")}, source);
            label[key("references")] = QJsonObject{{key("field"), ref(key("classes/name"))}};
            fields.append(label);
        }
        const int splitLevel = layout[key("split_level")].toInt(-1);
        if (splitLevel >= 0 && !splitData.isEmpty()) {
            QJsonObject source = pathSource;
            source[key("transform")] = QJsonObject{{key("regex"), componentRegex(splitLevel)}};
            QJsonObject split = field(prefix + QStringLiteral("/split"), key("sc:Text"), source);
            split[key("references")] = QJsonObject{{key("field"), ref(key("splits/name"))}};
            fields.append(split);
        }
        recordSets.append(QJsonObject{{key("@type"), key("cr:RecordSet")},
                                      {key("@id"), prefix},
                                      {key("name"), prefix},
                                      {key("key"), ref(prefix + QStringLiteral("/path"))},
                                      {key("field"), fields}});
    }
    doc[key("recordSet")] = recordSets;
    return doc;
}

} // namespace assay::report
