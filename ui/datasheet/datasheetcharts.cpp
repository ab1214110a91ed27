#include "datasheetcharts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QBuffer>
#include <QChart>
#include <QFontInfo>
#include <QGraphicsScene>
#include <QGuiApplication>
#include <QHorizontalBarSeries>
#include <QImage>
#include <QJsonArray>
#include <QPainter>
#include <QRegularExpression>
#include <QScreen>
#include <QSvgGenerator>
#include <QValueAxis>

#include <memory>

namespace assay::ui {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

const QColor palette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                          QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                          QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b)};

QByteArray toPng(QGraphicsScene &scene, QSize size)
{
    QImage image(size * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        scene.render(&painter, QRectF(QPointF(0, 0), size), QRectF(QPointF(0, 0), size));
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

// QSvgGenerator's output made fit to publish: the size in pixels (its millimetres round to one
// pixel more in some renderers), without the empty groups it writes for every state change (three
// quarters of the bytes), and each font named as the family it resolved to, then the generic
// sans-serif (a browser does not know Qt's "Sans Serif" alias).
QByteArray tidySvg(const QByteArray &bytes, QSize size)
{
    QString svg = QString::fromUtf8(bytes);
    static const QRegularExpression rootSize(
        QStringLiteral("<svg width=\"[^\"]*\" height=\"[^\"]*\""));
    svg.replace(
        rootSize,
        QStringLiteral("<svg width=\"%1\" height=\"%2\"").arg(size.width()).arg(size.height()));
    static const QRegularExpression emptyGroup(QStringLiteral("<g\\b[^>]*>\\s*</g>\\s*"));
    svg.remove(emptyGroup);
    static const QRegularExpression family(QStringLiteral("font-family=\"([^\",]*)\""));
    QString out;
    qsizetype last = 0;
    for (const QRegularExpressionMatch &match : family.globalMatch(svg)) {
        out += QStringView(svg).mid(last, match.capturedStart() - last);
        out += QStringLiteral("font-family=\"%1, sans-serif\"")
                   .arg(QFontInfo(QFont(match.captured(1))).family().toHtmlEscaped());
        last = match.capturedEnd();
    }
    out += QStringView(svg).mid(last);
    return out.toUtf8();
}

// The same drawing as SVG: paths for the bars and axes, <text> for the labels. The generator's
// resolution is the one the scene laid its text out with, so the text keeps its measured size.
QByteArray toSvg(QGraphicsScene &scene, QSize size, const QString &title)
{
    QByteArray svg;
    QBuffer buffer(&svg);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    const QScreen *screen = QGuiApplication::primaryScreen();
    generator.setResolution(screen ? qRound(screen->logicalDotsPerInchX()) : 96);
    generator.setTitle(title);
    generator.setDescription(QStringLiteral("Drawn by Assay with Qt Charts"));
    QPainter painter(&generator);
    painter.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    scene.render(&painter, QRectF(QPointF(0, 0), size), QRectF(QPointF(0, 0), size));
    painter.end();
    return tidySvg(svg, size);
}

// A chart placed in a scene of its own, laid out at `size`.
ChartScene placed(const char *id, const QString &title, QChart *chart, QSize size)
{
    ChartScene out{QString::fromLatin1(id), title, std::make_unique<QGraphicsScene>()};
    out.scene->addItem(chart);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setGeometry(QRectF(QPointF(0, 0), size));
    chart->setBackgroundRoundness(0);
    out.scene->setSceneRect(QRectF(QPointF(0, 0), size));
    return out;
}

QChart *newChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    QFont font = chart->titleFont();
    font.setPointSizeF(11);
    font.setBold(true);
    chart->setTitleFont(font);
    chart->setMargins(QMargins(8, 4, 8, 4));
    return chart;
}

// Vertical bars: one set per series name, over `categories`.
QChart *barChart(const QString &title, const QStringList &categories,
                 const std::vector<std::pair<QString, std::vector<double>>> &sets, bool horizontal,
                 const QString &valueTitle)
{
    QChart *chart = newChart(title);
    QAbstractBarSeries *series =
        horizontal ? static_cast<QAbstractBarSeries *>(new QHorizontalBarSeries) : new QBarSeries;
    int colour = 0;
    double top = 0;
    for (const auto &[name, values] : sets) {
        auto *set = new QBarSet(name);
        set->setColor(palette[colour++ % std::size(palette)]);
        set->setBorderColor(Qt::transparent);
        set->setLabelColor(QColor(0x40, 0x40, 0x44)); // outside the bar: the theme's white is unseen
        for (double value : values) {
            *set << value;
            top = std::max(top, value);
        }
        series->append(set);
    }
    series->setLabelsVisible(sets.size() == 1);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart->addSeries(series);
    auto *categoryAxis = new QBarCategoryAxis;
    categoryAxis->append(categories);
    auto *valueAxis = new QValueAxis;
    valueAxis->setRange(0, top > 0 ? top * 1.15 : 1);
    valueAxis->setLabelFormat(QStringLiteral("%.0f"));
    valueAxis->applyNiceNumbers();
    valueAxis->setTitleText(valueTitle);
    chart->addAxis(categoryAxis, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    chart->addAxis(valueAxis, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    series->attachAxis(categoryAxis);
    series->attachAxis(valueAxis);
    chart->legend()->setVisible(sets.size() > 1);
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

} // namespace

std::vector<ChartScene> datasheetChartScenes(const QJsonObject &facts, QSize size)
{
    std::vector<ChartScene> charts;
    const QJsonObject splits = facts[key("splits")].toObject();
    QStringList classes;
    for (const QJsonValue &value : facts[key("classes")].toArray())
        classes.append(value.toString());
    if (!classes.isEmpty() && !splits.isEmpty()) {
        std::vector<std::pair<QString, std::vector<double>>> sets;
        for (auto it = splits.begin(); it != splits.end(); ++it) {
            std::vector<double> values;
            for (const QString &name : classes)
                values.push_back(double(it.value().toObject()[name].toInteger()));
            sets.emplace_back(it.key(), values);
        }
        charts.push_back(placed("class-balance", QStringLiteral("Images per class and split"),
                                barChart(QStringLiteral("Class balance per split"), classes, sets,
                                         false, QStringLiteral("images")),
                                size));
    }
    QJsonObject issues = facts[key("issue_counts")].toObject();
    for (const char *duplicate : {"duplicate", "leakage", "label_conflict"})
        issues.remove(key(duplicate));
    if (!issues.isEmpty()) {
        QStringList kinds;
        std::vector<double> counts;
        for (auto it = issues.begin(); it != issues.end(); ++it) {
            kinds.append(QString(it.key()).replace(u'_', u' '));
            counts.push_back(double(it.value().toInteger()));
        }
        charts.push_back(placed(
            "quality-issues", QStringLiteral("Images flagged per quality or annotation issue"),
            barChart(QStringLiteral("Quality issues"), kinds, {{QStringLiteral("images"), counts}},
                     true, QStringLiteral("images")),
            size));
    }
    if (facts.contains(key("duplicate_summary"))) {
        const QJsonObject d = facts[key("duplicate_summary")].toObject();
        const QStringList names = {
            QStringLiteral("exact clusters"), QStringLiteral("near clusters"),
            QStringLiteral("span splits (leakage)"), QStringLiteral("disagree on label"),
            QStringLiteral("images in clusters")};
        const std::vector<double> values = {double(d[key("exact_clusters")].toInteger()),
                                            double(d[key("near_clusters")].toInteger()),
                                            double(d[key("leaking_clusters")].toInteger()),
                                            double(d[key("conflicting_clusters")].toInteger()),
                                            double(d[key("samples_in_clusters")].toInteger())};
        charts.push_back(
            placed("duplicates", QStringLiteral("Duplicate clusters and leakage between splits"),
                   barChart(QStringLiteral("Duplicates and leakage"), names,
                            {{QStringLiteral("count"), values}}, true, QStringLiteral("count")),
                   size));
    }
    QStringList sliceNames;
    std::vector<double> ratios;
    for (const QJsonValue &value : facts[key("slices")].toArray()) {
        const QJsonObject slice = value.toObject();
        if (slice[key("status")].toString() != u"reported")
            continue;
        QString label = QStringLiteral("%1 → %2").arg(slice[key("text")].toString(),
                                                      slice[key("class")].toString());
        if (label.size() > 48)
            label = label.left(46) + QStringLiteral("…");
        sliceNames.prepend(label); // horizontal bars draw bottom-up: strongest on top
        ratios.insert(ratios.begin(), slice[key("ratio")].toDouble());
        if (sliceNames.size() == 8)
            break;
    }
    if (!sliceNames.isEmpty()) {
        QChart *chart = barChart(QStringLiteral("Top bias slices (class share in slice / overall)"),
                                 sliceNames, {{QStringLiteral("ratio"), ratios}}, true,
                                 QStringLiteral("representation ratio"));
        for (QAbstractAxis *axis : chart->axes(Qt::Horizontal))
            if (auto *values = qobject_cast<QValueAxis *>(axis))
                values->setLabelFormat(QStringLiteral("%.1f"));
        for (QAbstractSeries *series : chart->series())
            static_cast<QAbstractBarSeries *>(series)->setLabelsPrecision(3);
        charts.push_back(placed("bias-slices",
                                QStringLiteral("Slices where a class is over- or "
                                               "under-represented"),
                                chart, size));
    }
    return charts;
}

std::vector<report::DatasheetChart> renderDatasheetCharts(const QJsonObject &facts, QSize size,
                                                          ChartImages images)
{
    std::vector<report::DatasheetChart> charts;
    for (const ChartScene &chart : datasheetChartScenes(facts, size)) {
        report::DatasheetChart out{chart.id, chart.title, {}, {}};
        if (int(images) & int(ChartImages::Png))
            out.png = toPng(*chart.scene, size);
        if (int(images) & int(ChartImages::Svg))
            out.svg = toSvg(*chart.scene, size, chart.title);
        charts.push_back(std::move(out));
    }
    return charts;
}

} // namespace assay::ui
