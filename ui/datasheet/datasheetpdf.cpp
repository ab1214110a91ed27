#include "datasheetpdf.h"

#include "util/error.h"

#include <QAbstractTextDocumentLayout>
#include <QFile>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextObjectInterface>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace assay::ui {

namespace {

// A chart drawn as vectors: its scene is painted straight onto the PDF's painter, so its bars
// stay sharp and its labels stay text. Sized like the <img> it replaces (width in CSS pixels, the
// height in the chart's proportions).
class ChartObject : public QObject, public QTextObjectInterface
{
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)

public:
    static constexpr int type = QTextFormat::UserObject + 1;
    static constexpr int indexProperty = QTextFormat::UserProperty + 1;
    static constexpr int widthProperty = QTextFormat::UserProperty + 2;

    explicit ChartObject(const std::vector<ChartScene> &charts) : m_charts(charts) {}

    QSizeF intrinsicSize(QTextDocument *document, int, const QTextFormat &format) override
    {
        const QRectF natural = scene(format).sceneRect();
        const QPaintDevice *device = document->documentLayout()->paintDevice();
        const double scale = device ? device->logicalDpiX() / 96.0 : 1.0;
        const double width = format.doubleProperty(widthProperty) * scale;
        return QSizeF(width, width * natural.height() / natural.width());
    }

    void drawObject(QPainter *painter, const QRectF &rect, QTextDocument *, int,
                    const QTextFormat &format) override
    {
        QGraphicsScene &chart = scene(format);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        chart.render(painter, rect, chart.sceneRect());
        painter->restore();
    }

private:
    QGraphicsScene &scene(const QTextFormat &format) const
    {
        return *m_charts.at(size_t(format.intProperty(indexProperty))).scene;
    }

    const std::vector<ChartScene> &m_charts;
};

// Replaces each chart:ID.png image of the HTML with the chart's object.
void useChartObjects(QTextDocument &document, const std::vector<ChartScene> &charts)
{
    std::vector<std::pair<int, QTextCharFormat>> objects; // position, replacement
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextImageFormat image = it.fragment().charFormat().toImageFormat();
            if (!image.isValid())
                continue;
            for (size_t i = 0; i < charts.size(); ++i) {
                if (image.name() != QStringLiteral("chart:%1.png").arg(charts[i].id))
                    continue;
                QTextCharFormat object;
                object.setObjectType(ChartObject::type);
                object.setProperty(ChartObject::indexProperty, int(i));
                object.setProperty(ChartObject::widthProperty, image.width());
                objects.emplace_back(it.fragment().position(), object);
            }
        }
    }
    QTextCursor cursor(&document);
    for (const auto &[position, object] : objects) {
        cursor.setPosition(position);
        cursor.setPosition(position + 1, QTextCursor::KeepAnchor);
        cursor.insertText(QString(QChar::ObjectReplacementCharacter), object);
    }
}

} // namespace

int writeDatasheetPdf(const report::Datasheet &sheet, const std::vector<ChartScene> &charts,
                      const QString &path)
{
    QFile probe(path);
    if (!probe.open(QIODevice::WriteOnly))
        throw Error(QStringLiteral("cannot write %1: %2").arg(path, probe.errorString()));
    probe.close();

    QPdfWriter writer(path);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                     QMarginsF(18, 16, 18, 16), QPageLayout::Millimeter));
    writer.setResolution(144);
    writer.setTitle(report::datasheetTitle(sheet));
    writer.setCreator(QStringLiteral("Assay"));

    const QRect page = writer.pageLayout().paintRectPixels(writer.resolution());
    const int footer = writer.resolution() / 3; // a third of an inch for the page number
    const QSizeF body(page.width(), page.height() - footer);

    QTextDocument document;
    // Lay out with the PDF's metrics, so page breaks fall between lines where they are drawn.
    document.documentLayout()->setPaintDevice(&writer);
    document.setDocumentMargin(0);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(9);
    document.setDefaultFont(font);
    report::HtmlOptions options;
    options.embedImages = false;
    options.imagePrefix = QStringLiteral("chart:");
    options.print = true;
    // Charts span the text width; HTML pixels are 1/96 inch on the PDF's device.
    options.imageWidth = int(body.width() * 96.0 / writer.resolution());
    std::vector<report::DatasheetChart> captions; // the HTML's <img> placeholders
    for (const ChartScene &chart : charts)
        captions.push_back({chart.id, chart.title, {}, {}});
    ChartObject chartObjects(charts);
    document.documentLayout()->registerHandler(ChartObject::type, &chartObjects);
    document.setHtml(report::datasheetHtml(sheet, captions, options));
    useChartObjects(document, charts);
    document.setPageSize(body);
    const int pages = document.pageCount();

    QPainter painter;
    if (!painter.begin(&writer))
        throw Error(QStringLiteral("cannot write the PDF %1").arg(path));
    QFont footerFont = font;
    footerFont.setPointSizeF(7.5);
    const QString title = report::datasheetTitle(sheet);
    for (int i = 0; i < pages; ++i) {
        if (i > 0)
            writer.newPage();
        painter.save();
        const QRectF clip(0, i * body.height(), body.width(), body.height());
        painter.setClipRect(QRectF(0, 0, body.width(), body.height()));
        painter.translate(0, -clip.top());
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = clip;
        context.palette.setColor(QPalette::Text, Qt::black);
        document.documentLayout()->draw(&painter, context);
        painter.restore();
        painter.setFont(footerFont);
        painter.setPen(QColor(0x66, 0x66, 0x66));
        const QRectF foot(0, body.height(), body.width(), footer);
        painter.drawLine(QPointF(0, foot.top() + 4), QPointF(body.width(), foot.top() + 4));
        painter.drawText(foot, Qt::AlignLeft | Qt::AlignBottom, title);
        painter.drawText(foot, Qt::AlignRight | Qt::AlignBottom,
                         QStringLiteral("Page %1 of %2").arg(i + 1).arg(pages));
    }
    painter.end();
    return pages;
}

} // namespace assay::ui

#include "datasheetpdf.moc"
