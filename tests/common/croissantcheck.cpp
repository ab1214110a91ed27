#include "croissantcheck.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

namespace assay::test {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

bool isType(const QJsonObject &node, const char *type)
{
    return node[key("@type")].toString() == QString::fromLatin1(type);
}

void collectIds(const QJsonValue &value, QStringList &ids)
{
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectIds(item, ids);
        return;
    }
    if (!value.isObject())
        return;
    const QJsonObject node = value.toObject();
    // Nodes that declare themselves: a @type beside the @id ({"@id": x} alone is a reference).
    if (node.contains(key("@id")) && node.contains(key("@type")))
        ids.append(node[key("@id")].toString());
    for (auto it = node.begin(); it != node.end(); ++it)
        if (it.key() != u"@context" && it.key() != u"data")
            collectIds(it.value(), ids);
}

// The ids a node refers to: {"@id": x} values under source, references, key.
void collectReferences(const QJsonValue &value, QStringList &refs)
{
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectReferences(item, refs);
        return;
    }
    if (!value.isObject())
        return;
    const QJsonObject node = value.toObject();
    if (node.size() == 1 && node.contains(key("@id")))
        refs.append(node[key("@id")].toString());
    for (auto it = node.begin(); it != node.end(); ++it)
        if (it.key() != u"@context" && it.key() != u"data")
            collectReferences(it.value(), refs);
}

QJsonArray asArray(const QJsonValue &value)
{
    return value.isArray() ? value.toArray() : QJsonArray{value};
}

bool nonEmpty(const QJsonValue &value)
{
    if (value.isString())
        return !value.toString().trimmed().isEmpty() &&
               !value.toString().contains(QStringLiteral("[DRAFT"));
    if (value.isObject())
        return !value.toObject().isEmpty();
    if (value.isArray())
        return !value.toArray().isEmpty();
    return false;
}

// fnmatch.translate: '*' matches anything, '/' included; '?' one character.
QRegularExpression globRegex(const QString &glob)
{
    QString pattern;
    for (const QChar c : glob) {
        if (c == u'*')
            pattern += QStringLiteral(".*");
        else if (c == u'?')
            pattern += u'.';
        else
            pattern += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
}

} // namespace

QStringList croissantProblems(const QJsonObject &doc, bool requireComplete)
{
    QStringList problems;
    if (!doc[key("@context")].isObject())
        problems << QStringLiteral("@context is missing");
    if (doc[key("@type")].toString() != u"sc:Dataset")
        problems << QStringLiteral("@type is not sc:Dataset");
    const QJsonArray conforms = asArray(doc[key("conformsTo")]);
    if (!conforms.contains(QJsonValue(key("http://mlcommons.org/croissant/1.0"))))
        problems << QStringLiteral("conformsTo lacks http://mlcommons.org/croissant/1.0");
    if (!doc[key("name")].isString() || doc[key("name")].toString().isEmpty())
        problems << QStringLiteral("name must be a non-empty string");
    if (requireComplete) {
        for (const char *required : {"description", "license", "url", "creator", "datePublished"})
            if (!nonEmpty(doc[key(required)]))
                problems << QStringLiteral("Required property %1 is empty").arg(key(required));
        if (!conforms.contains(QJsonValue(key("http://mlcommons.org/croissant/RAI/1.0"))))
            problems << QStringLiteral("conformsTo lacks the RAI 1.0 URL");
    }
    for (const char *date : {"datePublished", "dateCreated", "dateModified"}) {
        const QString text = doc[key(date)].toString();
        if (!text.isEmpty() && !QDateTime::fromString(text, Qt::ISODate).isValid() &&
            !QDate::fromString(text, Qt::ISODate).isValid())
            problems << QStringLiteral("%1 is not ISO 8601: %2").arg(key(date), text);
    }

    QStringList ids;
    collectIds(doc, ids);
    QSet<QString> seen;
    for (const QString &id : ids) {
        if (seen.contains(id))
            problems << QStringLiteral("duplicate @id %1").arg(id);
        seen.insert(id);
        if (id.isEmpty() || id.contains(QRegularExpression(QStringLiteral("\\s"))))
            problems << QStringLiteral("@id '%1' is empty or has whitespace").arg(id);
    }
    QStringList refs;
    for (const char *part : {"recordSet", "distribution"})
        collectReferences(doc[key(part)], refs);
    for (const QString &ref : refs)
        if (!seen.contains(ref))
            problems << QStringLiteral("reference to %1 does not resolve").arg(ref);

    const QJsonArray distribution = doc[key("distribution")].toArray();
    if (distribution.isEmpty())
        problems << QStringLiteral("distribution is empty");
    for (const QJsonValue &value : distribution) {
        const QJsonObject node = value.toObject();
        const QString id = node[key("@id")].toString();
        if (isType(node, "cr:FileObject")) {
            if (!nonEmpty(node[key("encodingFormat")]))
                problems << QStringLiteral("FileObject %1 has no encodingFormat").arg(id);
            if (!node.contains(key("containedIn")) && !nonEmpty(node[key("contentUrl")]))
                problems << QStringLiteral("FileObject %1 has no contentUrl").arg(id);
            if (node.contains(key("md5")) == node.contains(key("sha256")))
                problems << QStringLiteral("FileObject %1 needs exactly one of md5/sha256").arg(id);
        } else if (isType(node, "cr:FileSet")) {
            if (!nonEmpty(node[key("includes")]))
                problems << QStringLiteral("FileSet %1 has no includes").arg(id);
            if (!nonEmpty(node[key("encodingFormat")]))
                problems << QStringLiteral("FileSet %1 has no encodingFormat").arg(id);
        } else {
            problems << QStringLiteral("distribution entry %1 is neither FileObject nor FileSet")
                            .arg(id);
        }
        if (id.isEmpty())
            problems << QStringLiteral("a distribution entry has no @id");
    }
    for (const QJsonValue &value : doc[key("recordSet")].toArray()) {
        const QJsonObject set = value.toObject();
        if (!isType(set, "cr:RecordSet") || set[key("@id")].toString().isEmpty())
            problems << QStringLiteral("a RecordSet lacks @type or @id");
        for (const QJsonValue &fieldValue : set[key("field")].toArray()) {
            const QJsonObject field = fieldValue.toObject();
            const QString id = field[key("@id")].toString();
            if (id.isEmpty())
                problems
                    << QStringLiteral("a field of %1 has no @id").arg(set[key("@id")].toString());
            const bool inline_ = set.contains(key("data"));
            const bool source = field.contains(key("source")), val = field.contains(key("value"));
            if (source && val)
                problems << QStringLiteral("field %1 has both source and value").arg(id);
            if (!source && !val && !inline_)
                problems << QStringLiteral("field %1 has neither source nor value").arg(id);
            if (!field.contains(key("dataType")))
                problems << QStringLiteral("field %1 has no dataType").arg(id);
        }
    }
    return problems;
}

std::map<QString, std::pair<QString, QString>> applyImageRecords(const QJsonObject &doc,
                                                                 const QString &root)
{
    std::map<QString, QJsonObject> fileSets;
    for (const QJsonValue &value : doc[key("distribution")].toArray())
        if (isType(value.toObject(), "cr:FileSet"))
            fileSets[value.toObject()[key("@id")].toString()] = value.toObject();
    std::map<QString, std::pair<QString, QString>> records;
    for (const QJsonValue &value : doc[key("recordSet")].toArray()) {
        const QJsonObject set = value.toObject();
        QString setId, labelRegex, splitRegex;
        for (const QJsonValue &fieldValue : set[key("field")].toArray()) {
            const QJsonObject field = fieldValue.toObject();
            const QJsonObject source = field[key("source")].toObject();
            const QString name = field[key("@id")].toString().section(u'/', -1);
            if (name == u"path")
                setId = source[key("fileSet")].toObject()[key("@id")].toString();
            const QString regex = source[key("transform")].toObject()[key("regex")].toString();
            if (name == u"label")
                labelRegex = regex;
            if (name == u"split")
                splitRegex = regex;
        }
        if (!fileSets.count(setId))
            continue;
        QList<QRegularExpression> includes;
        for (const QJsonValue &glob : asArray(fileSets[setId][key("includes")]))
            includes.append(globRegex(glob.toString()));
        const QDir base(root);
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = base.relativeFilePath(it.next());
            const bool included =
                std::any_of(includes.begin(), includes.end(), [&](const QRegularExpression &re) {
                    return re.match(path).hasMatch();
                });
            if (!included)
                continue;
            auto capture = [&](const QString &regex) {
                if (regex.isEmpty())
                    return QString();
                return QRegularExpression(regex).match(path).captured(1);
            };
            records[path] = {capture(labelRegex), capture(splitRegex)};
        }
    }
    return records;
}

} // namespace assay::test
