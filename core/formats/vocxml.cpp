// Pascal VOC annotation files: one <annotation> with <filename>, <size> and <object>s.

#include "vocxml.h"

#include "util/error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <cmath>

namespace assay::formats {

namespace {


class Parser
{
public:
    // Reuses `xml` (its stacks and buffers stay allocated from one file to the next).
    Parser(QXmlStreamReader &xml, std::string_view data, const QString &shown)
        : m_xml(xml), m_shown(shown)
    {
        m_xml.clear();
        m_xml.addData(QByteArray::fromRawData(data.data(), qsizetype(data.size())));
    }

    // Reads the whole document into `file` (objects, size) and returns <filename>.
    VocAnnotation parse()
    {
        VocAnnotation file;
        if (m_xml.readNextStartElement()) {
            if (m_xml.name() != u"annotation")
                fail(m_xml.lineNumber(), QStringLiteral("the root element is <%1>, not "
                                                        "<annotation>")
                                             .arg(m_xml.name()));
            while (m_xml.readNextStartElement()) {
                const QStringView name = m_xml.name();
                if (name == u"filename") {
                    file.filename = m_xml.readElementText(QXmlStreamReader::IncludeChildElements)
                                   .trimmed();
                } else if (name == u"size") {
                    readSize(file);
                } else if (name == u"object") {
                    file.objects.emplace_back();
                    readObject(file.objects.back());
                } else {
                    m_xml.skipCurrentElement();
                }
            }
        }
        while (!m_xml.atEnd()) // trailing garbage is an error too
            m_xml.readNext();
        if (m_xml.hasError())
            throw Error(QStringLiteral("%1:%2:%3: %4")
                            .arg(m_shown)
                            .arg(m_xml.lineNumber())
                            .arg(m_xml.columnNumber())
                            .arg(m_xml.errorString()));
        return file;
    }

private:
    // A problem with the content; a syntax error met on the way is reported instead (by parse).
    void fail(qint64 line, const QString &what)
    {
        if (m_xml.hasError())
            return;
        throw Error(QStringLiteral("%1:%2: %3").arg(m_shown).arg(line).arg(what));
    }

    QString text() { return m_xml.readElementText(QXmlStreamReader::IncludeChildElements); }

    void readSize(VocAnnotation &file)
    {
        while (m_xml.readNextStartElement()) {
            const bool isWidth = m_xml.name() == u"width";
            if (!isWidth && m_xml.name() != u"height") {
                m_xml.skipCurrentElement();
                continue;
            }
            bool ok = false;
            const double value = text().trimmed().toDouble(&ok);
            if (ok && std::isfinite(value) && value >= 1 && value < 1e9)
                (isWidth ? file.width : file.height) = std::llround(value);
        }
    }

    void readBox(VocObject &object)
    {
        const qint64 line = m_xml.lineNumber();
        static constexpr const char16_t *names[4] = {u"xmin", u"ymin", u"xmax", u"ymax"};
        double value[4] = {};
        bool seen[4] = {};
        while (m_xml.readNextStartElement()) {
            int which = 0;
            while (which < 4 && m_xml.name() != QStringView(names[which]))
                ++which;
            if (which == 4) {
                m_xml.skipCurrentElement();
                continue;
            }
            const qint64 at = m_xml.lineNumber();
            const QString raw = text().trimmed();
            bool ok = false;
            value[which] = raw.toDouble(&ok);
            if (!ok || !std::isfinite(value[which]))
                fail(at, QStringLiteral("<%1> is not a number: '%2'")
                             .arg(QStringView(names[which]), raw));
            seen[which] = true;
        }
        for (int i = 0; i < 4; ++i) {
            if (!seen[i])
                fail(line, QStringLiteral("<bndbox> has no <%1>").arg(QStringView(names[i])));
        }
        // VOC coordinates are 1-based and inclusive: the box covers pixel columns xmin..xmax
        // and rows ymin..ymax. Stored 0-based with a width and height:
        // x = xmin - 1, y = ymin - 1, w = xmax - xmin + 1, h = ymax - ymin + 1.
        object.x = value[0] - 1;
        object.y = value[1] - 1;
        object.w = value[2] - value[0] + 1;
        object.h = value[3] - value[1] + 1;
    }

    // The text of the element the reader stands on, or its XML (re-serialised, whitespace between
    // tags dropped) when it has child elements. Leaves the reader on its end element.
    QString captureElement()
    {
        QString xmlText;
        QString plain;
        bool nested = false;
        QXmlStreamWriter writer(&xmlText);
        writer.writeCurrentToken(m_xml);
        for (int depth = 1; depth > 0 && !m_xml.atEnd();) {
            const auto token = m_xml.readNext();
            if (token == QXmlStreamReader::Invalid)
                break;
            if (token == QXmlStreamReader::StartElement) {
                ++depth;
                nested = true;
            } else if (token == QXmlStreamReader::EndElement) {
                --depth;
            } else if (token == QXmlStreamReader::Characters) {
                if (m_xml.isWhitespace())
                    continue;
                if (depth == 1)
                    plain += m_xml.text();
            }
            writer.writeCurrentToken(m_xml);
        }
        return nested ? xmlText : plain.trimmed();
    }

    static void addExtra(QJsonObject &extra, const QString &key, const QJsonValue &value)
    {
        const auto found = extra.find(key);
        if (found == extra.end()) {
            extra.insert(key, value);
            return;
        }
        // A repeated child (<part> of the person layout): the values become an array.
        const QJsonValue previous = *found;
        QJsonArray values = previous.isArray() ? previous.toArray() : QJsonArray{previous};
        values.append(value);
        *found = values;
    }

    void readObject(VocObject &object)
    {
        const qint64 line = m_xml.lineNumber();
        QJsonObject extra;
        bool hasBox = false;
        while (m_xml.readNextStartElement()) {
            const QStringView name = m_xml.name();
            if (name == u"name") {
                object.name = text().trimmed().toStdString();
            } else if (name == u"bndbox" && !hasBox) {
                readBox(object);
                hasBox = true;
            } else if (name == u"difficult" || name == u"truncated" || name == u"occluded"
                       || name == u"pose") {
                const QString key = name.toString();
                const QString value = text().trimmed();
                bool isInteger = false;
                const qint64 number = value.toLongLong(&isInteger);
                addExtra(extra, key, isInteger ? QJsonValue(number) : QJsonValue(value));
            } else {
                const QString key = name.toString();
                addExtra(extra, key, captureElement());
            }
        }
        if (!hasBox)
            fail(line, QStringLiteral("<object> has no <bndbox>"));
        if (!extra.isEmpty())
            object.extra = QJsonDocument(extra).toJson(QJsonDocument::Compact).toStdString();
    }

    QXmlStreamReader &m_xml;
    QString m_shown;
};

} // namespace

VocAnnotation parseVocAnnotationXml(QXmlStreamReader &xml, std::string_view data,
                                    const QString &shown)
{
    return Parser(xml, data, shown).parse();
}

VocAnnotation parseVocAnnotation(QXmlStreamReader &xml, std::string_view data,
                                 const QString &shown)
{
    if (std::optional<VocAnnotation> simple = parseSimpleVocAnnotation(data))
        return std::move(*simple);
    return parseVocAnnotationXml(xml, data, shown);
}

} // namespace assay::formats
