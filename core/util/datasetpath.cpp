#include "datasetpath.h"

#include <QDir>

namespace assay::datasetpath {

std::optional<QString> relativeInsideRoot(const QString &root, const QString &entry)
{
    if (entry.isEmpty() || entry.contains(QChar(0)))
        return std::nullopt;
    QString normalised = entry;
    normalised.replace(QChar(u'\\'), QChar(u'/'));
    const QString cleanRoot = QDir::cleanPath(QDir(root).absolutePath());
    if (QDir::isAbsolutePath(normalised)) {
        const QString cleanEntry = QDir::cleanPath(normalised);
        const QString prefix = cleanRoot.endsWith(u'/') ? cleanRoot : cleanRoot + u'/';
        if (!cleanEntry.startsWith(prefix))
            return std::nullopt;
        return cleanEntry.mid(prefix.size());
    }
    const QString cleanEntry = QDir::cleanPath(normalised);
    if (cleanEntry == u".." || cleanEntry.startsWith(u"../") || cleanEntry == u"."
        || cleanEntry.isEmpty())
        return std::nullopt;
    return cleanEntry;
}

QString refusalReason(const QString &entry)
{
    if (entry.isEmpty())
        return QStringLiteral("is an empty path");
    if (entry.contains(QChar(0)))
        return QStringLiteral("holds a NUL byte");
    return QStringLiteral("escapes the dataset root");
}

QString absolute(const QString &root, const QString &relativePath)
{
    return root.endsWith(u'/') ? root + relativePath : root + u'/' + relativePath;
}

QString display(const QString &relativePath, qint64 member)
{
    if (member < 0)
        return relativePath;
    return relativePath + u'#' + QString::number(member);
}

} // namespace assay::datasetpath
