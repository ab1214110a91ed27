#include "datasheetrender.h"

#include "datasheetdraft.h"

#include <QJsonArray>

namespace assay::report {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

struct Table
{
    QStringList header;
    std::vector<QStringList> rows;
};

// Classes (rows) by splits (columns) with totals.
Table countTable(const QJsonObject &facts)
{
    Table table;
    const QJsonObject splits = facts[key("splits")].toObject();
    const QJsonObject totals = facts[key("balance")].toObject()[key("class_totals")].toObject();
    QStringList splitNames = splits.keys();
    table.header << QStringLiteral("class") << splitNames << QStringLiteral("total");
    for (const QJsonValue &value : facts[key("classes")].toArray()) {
        const QString name = value.toString();
        QStringList row{name};
        for (const QString &split : splitNames)
            row << formatNumber(splits[split].toObject()[name].toInteger());
        row << formatNumber(totals[name].toInteger());
        table.rows.push_back(row);
    }
    QStringList total{QStringLiteral("total")};
    const QJsonObject sizes = facts[key("split_sizes")].toObject();
    for (const QString &split : splitNames)
        total << formatNumber(sizes[split].toInteger());
    total << formatNumber(facts[key("samples")].toInteger());
    table.rows.push_back(total);
    return table;
}

QString markdownCell(QString text)
{
    return text.replace(u'|', QStringLiteral("\\|")).replace(u'\n', u' ');
}

QString markdownTable(const Table &table)
{
    QString out = u'|' + table.header.join(u'|') + QStringLiteral("|\n|");
    for (qsizetype i = 0; i < table.header.size(); ++i)
        out += i == 0 ? QStringLiteral("---|") : QStringLiteral("---:|");
    out += u'\n';
    for (const QStringList &row : table.rows) {
        QStringList cells;
        for (const QString &cell : row)
            cells << markdownCell(cell);
        out += u'|' + cells.join(u'|') + QStringLiteral("|\n");
    }
    return out;
}

QString html(const QString &text)
{
    return text.toHtmlEscaped();
}

// Paragraphs and "- " bullet lines as HTML.
QString htmlText(const QString &text)
{
    QString out;
    bool inList = false;
    for (const QString &line : text.split(u'\n')) {
        if (line.startsWith(QStringLiteral("- "))) {
            if (!inList)
                out += QStringLiteral("<ul>");
            inList = true;
            out += QStringLiteral("<li>%1</li>").arg(html(line.mid(2)));
            continue;
        }
        if (inList)
            out += QStringLiteral("</ul>");
        inList = false;
        if (!line.trimmed().isEmpty())
            out += QStringLiteral("<p>%1</p>").arg(html(line));
    }
    if (inList)
        out += QStringLiteral("</ul>");
    return out;
}

QString htmlTable(const Table &table)
{
    QString out = QStringLiteral("<table class=\"counts\" cellspacing=\"0\" cellpadding=\"3\" "
                                 "border=\"1\"><tr>");
    for (const QString &cell : table.header)
        out += QStringLiteral("<th>%1</th>").arg(html(cell));
    out += QStringLiteral("</tr>");
    for (const QStringList &row : table.rows) {
        out += QStringLiteral("<tr>");
        for (qsizetype i = 0; i < row.size(); ++i)
            out += i == 0 ? QStringLiteral("<td>%1</td>").arg(html(row[i]))
                          : QStringLiteral("<td align=\"right\">%1</td>").arg(html(row[i]));
        out += QStringLiteral("</tr>");
    }
    return out + QStringLiteral("</table>");
}

// "AUTO", "AUTO · pinned", "SEMI · needs review", "HUMAN · unanswered" ...
QString stateLabel(const DatasheetAnswer &answer)
{
    if (answer.state() == AnswerState::Auto)
        return fillName(answer.question.fill);
    return QStringLiteral("%1 · %2").arg(fillName(answer.question.fill), stateName(answer.state()));
}

bool isQuestion(const DatasheetAnswer &answer)
{
    return !answer.question.id.contains(u'.');
}

} // namespace

QString datasheetTitle(const Datasheet &sheet)
{
    QString name = sheet.text(QStringLiteral("meta.name"));
    if (name.isEmpty())
        name = sheet.facts[key("root")].toString().section(u'/', -1, -1, QString::SectionSkipEmpty);
    return QStringLiteral("Datasheet for %1").arg(name);
}

QString datasheetStatusLine(const Datasheet &sheet)
{
    int review = 0;
    for (const DatasheetAnswer &answer : sheet.answers)
        if (isQuestion(answer) && answer.state() == AnswerState::NeedsReview)
            ++review;
    QString line = QStringLiteral("%1 of %2 questions answered")
                       .arg(sheet.answeredQuestions())
                       .arg(sheet.questionCount());
    if (review > 0)
        line += QStringLiteral("; %1 drafts need review").arg(review);
    if (sheet.answeredQuestions() < sheet.questionCount() || review > 0)
        line +=
            QStringLiteral(". This datasheet is not complete: unanswered questions are marked.");
    else
        line += u'.';
    return line;
}

QString datasheetMarkdown(const Datasheet &sheet, const std::vector<DatasheetChart> &charts,
                          const QString &imageDir)
{
    QString out = QStringLiteral("# %1\n\n").arg(datasheetTitle(sheet));
    out += QStringLiteral("_%1 Generated by Assay %2 from the project's stored results._\n\n")
               .arg(datasheetStatusLine(sheet), sheet.facts[key("assay_version")].toString());
    out += QStringLiteral("## Summary\n\n%1\n\n").arg(countsText(sheet.facts) + u'.');
    out += markdownTable(countTable(sheet.facts)) + u'\n';
    for (const DatasheetChart &chart : charts)
        out += QStringLiteral("![%1](%2/%3.%4)\n\n")
                   .arg(chart.title, imageDir, chart.id,
                        chart.png.isEmpty() && !chart.svg.isEmpty() ? QStringLiteral("svg")
                                                                    : QStringLiteral("png"));
    QString section;
    for (const DatasheetAnswer &answer : sheet.answers) {
        if (answer.question.section != section) {
            section = answer.question.section;
            out += QStringLiteral("## %1\n\n").arg(section);
        }
        out += QStringLiteral("**%1. %2** _(%3)_\n\n")
                   .arg(answer.question.id, answer.question.text, stateLabel(answer));
        const QString text = answer.text().trimmed();
        if (text.isEmpty())
            out += QStringLiteral("> _Unanswered._\n\n");
        else
            out += QStringLiteral("> %1\n\n")
                       .arg(QString(text).replace(u'\n', QStringLiteral("\n> ")));
    }
    return out;
}

QString datasheetHtml(const Datasheet &sheet, const std::vector<DatasheetChart> &charts,
                      const HtmlOptions &options)
{
    const QString css =
        options.print
            ? QStringLiteral("body{font-family:'DejaVu Sans';font-size:9pt;}"
                             "h1{font-size:18pt;} h2{font-size:13pt;color:#1f3a5f;margin-top:14px;}"
                             "p.q{font-weight:bold;margin-bottom:2px;} p.state{color:#666;}"
                             "table.counts th{background:#e8edf3;}"
                             "p.unanswered{color:#a33;font-style:italic;}"
                             "p.review{color:#8a5a00;}")
            : QStringLiteral("body{font-family:sans-serif;max-width:56em;margin:2em auto;"
                             "line-height:1.45;color:#222;padding:0 1em;}"
                             "h2{border-bottom:1px solid #ccc;color:#1f3a5f;}"
                             ".q{font-weight:bold;margin-bottom:.2em;}"
                             ".answer{margin:0 0 1.2em 1em;}"
                             ".tag{font-size:.75em;padding:1px 6px;border-radius:8px;"
                             "background:#eee;color:#444;font-weight:normal;}"
                             ".unanswered{color:#a33;font-style:italic;}"
                             ".review{border-left:3px solid #e0a000;padding-left:.6em;}"
                             "table{border-collapse:collapse;} td,th{border:1px solid #ccc;"
                             "padding:2px 8px;} th{background:#e8edf3;}"
                             "figure{margin:1em 0;} figcaption{color:#555;font-size:.9em;}");
    QString out = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                 "<title>%1</title><style>%2</style></head><body>\n")
                      .arg(html(datasheetTitle(sheet)), css);
    out += QStringLiteral("<h1>%1</h1>\n<p class=\"state\">%2 Generated by Assay %3 from the "
                          "project's stored results.</p>\n")
               .arg(html(datasheetTitle(sheet)), html(datasheetStatusLine(sheet)),
                    html(sheet.facts[key("assay_version")].toString()));
    out += QStringLiteral("<h2>Summary</h2>\n<p>%1.</p>\n").arg(html(countsText(sheet.facts)));
    out += htmlTable(countTable(sheet.facts)) + u'\n';
    for (const DatasheetChart &chart : charts) {
        const bool svg = !chart.svg.isEmpty();
        const QString source = !options.embedImages
                                   ? options.imagePrefix + chart.id + QStringLiteral(".png")
                               : svg ? QStringLiteral("data:image/svg+xml;base64,") +
                                           QString::fromLatin1(chart.svg.toBase64())
                                     : QStringLiteral("data:image/png;base64,") +
                                           QString::fromLatin1(chart.png.toBase64());
        if (options.print)
            out += QStringLiteral("<p><img src=\"%1\" width=\"%2\"><br><i>%3</i></p>\n")
                       .arg(source)
                       .arg(options.imageWidth)
                       .arg(html(chart.title));
        else
            out += QStringLiteral("<figure><img src=\"%1\" width=\"%2\" alt=\"%3\">"
                                  "<figcaption>%3</figcaption></figure>\n")
                       .arg(source)
                       .arg(options.imageWidth)
                       .arg(html(chart.title));
    }
    QString section;
    for (const DatasheetAnswer &answer : sheet.answers) {
        if (answer.question.section != section) {
            section = answer.question.section;
            out += QStringLiteral("<h2>%1</h2>\n").arg(html(section));
        }
        out += QStringLiteral("<p class=\"q\">%1. %2 <span class=\"tag\" style=\"color:#777;"
                              "font-weight:normal\">[%3]</span></p>\n")
                   .arg(html(answer.question.id), html(answer.question.text),
                        html(stateLabel(answer)));
        const QString text = answer.text().trimmed();
        const QString cls = answer.state() == AnswerState::NeedsReview
                                ? QStringLiteral("answer review")
                                : QStringLiteral("answer");
        if (text.isEmpty())
            out += QStringLiteral("<div class=\"answer\"><p class=\"unanswered\">Unanswered."
                                  "</p></div>\n");
        else if (options.print && answer.state() == AnswerState::NeedsReview)
            out +=
                QStringLiteral("<div class=\"%1\"><p class=\"review\">Needs review:</p>%2</div>\n")
                    .arg(cls, htmlText(text));
        else
            out += QStringLiteral("<div class=\"%1\">%2</div>\n").arg(cls, htmlText(text));
    }
    return out + QStringLiteral("</body></html>\n");
}

} // namespace assay::report
