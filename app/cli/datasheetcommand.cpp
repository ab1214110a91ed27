#include "clicommon.h"

#include "datasheet/datasheetexport.h"
#include "report/datasheet.h"
#include "report/datasheetcroissant.h"
#include "store/project.h"
#include "util/error.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace assay::cli {

std::unique_ptr<QCoreApplication> makeDatasheetApplication(int &argc, char **argv)
{
    // Charts and the PDF draw with Qt Gui and Charts: a display-less platform is enough.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Without a session the platform warns about XDG_RUNTIME_DIR on every run; give it a private
    // one.
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QString dir =
            QDir::tempPath() +
            QStringLiteral("/assay-runtime-%1").arg(QString::fromLocal8Bit(qgetenv("USER")));
        if (QDir().mkpath(dir)) {
            QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            qputenv("XDG_RUNTIME_DIR", dir.toLocal8Bit());
        }
    }
    return std::make_unique<QApplication>(argc, argv);
}

namespace {

QJsonObject answersFromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        throw Error(QStringLiteral("%1 is not a JSON object of answers {\"ID\": \"text\"}: %2")
                        .arg(path, error.errorString()));
    return doc.object();
}

QString listText(const report::Datasheet &sheet)
{
    QString out = QStringLiteral("%1 of %2 questions answered\n")
                      .arg(sheet.answeredQuestions())
                      .arg(sheet.questionCount());
    for (const report::DatasheetAnswer &answer : sheet.answers) {
        QString text = answer.text().simplified();
        if (text.size() > 70)
            text = text.left(69) + QStringLiteral("…");
        out +=
            QStringLiteral("%1 %2 %3 %4\n")
                .arg(answer.question.id.leftJustified(30), report::fillName(answer.question.fill),
                     report::stateName(answer.state()).leftJustified(12), text);
    }
    return out;
}

} // namespace

int runDatasheet(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write the project's datasheet (Datasheets for Datasets, 59 questions) as Markdown, "
        "HTML, PDF, Croissant 1.0 JSON-LD with RAI, or a Hugging Face dataset card. Assay "
        "answers what it measured (AUTO), drafts what a person should review (SEMI) and leaves "
        "the rest unanswered (HUMAN)."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          QStringLiteral("md, html, pdf, croissant or hf-card."),
                                          QStringLiteral("FORMAT"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("File to write."),
                                       QStringLiteral("PATH"));
    const QCommandLineOption draftOption(
        QStringLiteral("draft"), QStringLiteral("Croissant: write even with Required fields "
                                                "unanswered; the file then says it is a draft."));
    const QCommandLineOption answerOption(
        QStringLiteral("answer"),
        QStringLiteral("Set an answer (pins it) before writing, e.g. --answer "
                       "meta.url=https://example.org; repeatable. An empty TEXT clears a HUMAN "
                       "answer."),
        QStringLiteral("ID=TEXT"));
    const QCommandLineOption answersOption(QStringLiteral("answers"),
                                           QStringLiteral("Set answers from a JSON object {\"ID\": "
                                                          "\"text\"}."),
                                           QStringLiteral("FILE.json"));
    const QCommandLineOption refreshOption(
        QStringLiteral("refresh"), QStringLiteral("Unpin an answer: show Assay's draft again."),
        QStringLiteral("ID"));
    const QCommandLineOption listOption(
        QStringLiteral("list"), QStringLiteral("Print every question with its fill and state."));
    const QCommandLineOption chartsOption(
        QStringLiteral("charts"),
        QStringLiteral("md and html: the chart images. md writes NAME_files/ID.png and .svg "
                       "beside the document (default both; it links the PNG unless svg alone); "
                       "html embeds svg (default) or png."),
        QStringLiteral("png|svg|both"));
    parser.addOptions({formatOption, outOption, draftOption, answerOption, answersOption,
                       refreshOption, listOption, chartsOption});
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printErr(
            QStringLiteral("error: datasheet needs one project FILE\n\n%1").arg(helpText(parser)));
        return Usage;
    }
    const bool writing = parser.isSet(formatOption) || parser.isSet(outOption);
    std::optional<ui::DatasheetFormat> format;
    if (writing) {
        format = ui::datasheetFormatFromName(parser.value(formatOption));
        if (!format) {
            printErr(QStringLiteral("error: --format must be one of %1 (got '%2')\n")
                         .arg(ui::datasheetFormatNames().join(QStringLiteral(", ")),
                              parser.value(formatOption)));
            return Usage;
        }
        if (parser.value(outOption).isEmpty()) {
            printErr(QStringLiteral("error: --out PATH is needed with --format\n"));
            return Usage;
        }
    } else if (!parser.isSet(listOption) && !parser.isSet(answerOption) &&
               !parser.isSet(answersOption) && !parser.isSet(refreshOption)) {
        printErr(QStringLiteral("error: say what to do: --format and --out, --answer, --answers, "
                                "--refresh or --list\n\n%1")
                     .arg(helpText(parser)));
        return Usage;
    }
    std::optional<ui::ChartImages> charts;
    if (parser.isSet(chartsOption)) {
        charts = ui::chartImagesFromName(parser.value(chartsOption));
        if (!charts) {
            printErr(QStringLiteral("error: --charts must be one of %1 (got '%2')\n")
                         .arg(ui::chartImagesNames().join(QStringLiteral(", ")),
                              parser.value(chartsOption)));
            return Usage;
        }
        const bool html = format == ui::DatasheetFormat::Html;
        if (format != ui::DatasheetFormat::Markdown && !(html && charts != ui::ChartImages::Both)) {
            printErr(html ? QStringLiteral("error: --charts both applies to md; html embeds one "
                                           "image per chart (png or svg)\n")
                          : QStringLiteral("error: --charts applies to --format md or html\n"));
            return Usage;
        }
    }
    try {
        // A project file that cannot be written still exports (its drafts are not stored).
        const QString file = parser.positionalArguments().front();
        store::OpenOptions options;
        options.readOnly = QFileInfo::exists(file) && !QFileInfo(file).isWritable() &&
                           !parser.isSet(answerOption) && !parser.isSet(answersOption) &&
                           !parser.isSet(refreshOption);
        auto project = store::Project::open(file, options);
        for (const QString &id : parser.values(refreshOption))
            report::refreshDatasheetAnswer(*project, id);
        if (parser.isSet(answersOption))
            report::setDatasheetAnswers(*project, answersFromFile(parser.value(answersOption)));
        QJsonObject answers;
        for (const QString &pair : parser.values(answerOption)) {
            const qsizetype equals = pair.indexOf(u'=');
            if (equals <= 0) {
                printErr(QStringLiteral("error: --answer wants ID=TEXT (got '%1')\n").arg(pair));
                return Usage;
            }
            answers[pair.left(equals)] = pair.mid(equals + 1);
        }
        if (!answers.isEmpty())
            report::setDatasheetAnswers(*project, answers);
        const report::Datasheet sheet = report::loadDatasheet(*project);
        if (parser.isSet(listOption))
            printOut(listText(sheet));
        if (!format)
            return Ok;
        const ui::DatasheetExportResult result =
            ui::exportDatasheet(sheet, project->datasetRoot(), *format, parser.value(outOption),
                                parser.isSet(draftOption), charts);
        QString line = QStringLiteral("Wrote %1 (%2 of %3 questions answered")
                           .arg(result.files.front())
                           .arg(sheet.answeredQuestions())
                           .arg(sheet.questionCount());
        if (result.pages > 0)
            line += QStringLiteral(", %1 pages").arg(result.pages);
        if (result.files.size() > 1)
            line += QStringLiteral(", %1 chart files beside it").arg(result.files.size() - 1);
        line += u')';
        if (result.draft)
            line += QStringLiteral("; a DRAFT: missing %1")
                        .arg(report::croissantMissing(sheet).join(QStringLiteral(", ")));
        printErr(line + u'\n');
        return Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

} // namespace assay::cli
