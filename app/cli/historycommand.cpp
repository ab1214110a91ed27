// assay-cli history: the edit journal.

#include "clicommon.h"

#include "edit/journalquery.h"
#include "store/project.h"
#include "util/error.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace assay::cli {

namespace {

QString orNone(const QString &value)
{
    return value.isNull() ? QStringLiteral("(none)") : value;
}

} // namespace

int runHistory(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Print the edit journal: every value an edit, undo or redo changed, with its time, "
        "user, sample, field, old and new value and batch."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Print JSON instead of a table."));
    const QCommandLineOption sampleOption(QStringLiteral("sample"),
                                          QStringLiteral("Only the changes of this sample."),
                                          QStringLiteral("PATH"));
    const QCommandLineOption userOption(QStringLiteral("user"),
                                        QStringLiteral("Only the changes this user made."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption sinceOption(
        QStringLiteral("since"), QStringLiteral("Only changes at or after TIME (UTC, ISO 8601)."),
        QStringLiteral("TIME"));
    const QCommandLineOption limitOption(QStringLiteral("limit"),
                                         QStringLiteral("Only the latest N changes."),
                                         QStringLiteral("N"));
    parser.addOptions({jsonOption, sampleOption, userOption, sinceOption, limitOption});
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral("error: history needs one project FILE\n\n%1").arg(helpText(parser)));
        return Usage;
    }
    edit::JournalFilter filter;
    filter.user = parser.value(userOption);
    filter.since = parser.value(sinceOption);
    if (parser.isSet(limitOption)) {
        bool ok = false;
        filter.limit = parser.value(limitOption).toLongLong(&ok);
        if (!ok || filter.limit <= 0) {
            printErr(QStringLiteral("error: --limit takes a positive number, not '%1'\n")
                         .arg(parser.value(limitOption)));
            return Usage;
        }
    }
    try {
        store::OpenOptions options;
        options.readOnly = true;
        auto project = store::Project::open(parser.positionalArguments().front(), options);
        store::Database &db = project->db();
        if (parser.isSet(sampleOption)) {
            const QString path = parser.value(sampleOption);
            store::Statement find(db, "SELECT id FROM samples WHERE path = ? OR path || '#' || "
                                      "member = ? ORDER BY member LIMIT 1");
            find.bind(1, path);
            find.bind(2, path);
            if (!find.step())
                throw Error(QStringLiteral("%1 has no sample %2").arg(project->path(), path));
            filter.sampleId = find.int64(0);
        }
        const std::vector<edit::JournalEntry> entries = edit::loadJournal(db, filter);
        if (parser.isSet(jsonOption)) {
            printOut(QString::fromUtf8(
                QJsonDocument(QJsonObject{{QStringLiteral("project"), project->path()},
                                          {QStringLiteral("changes"), edit::journalJson(entries)}})
                    .toJson()));
            return Ok;
        }
        if (entries.empty()) {
            printOut(QStringLiteral("No edits.\n"));
            return Ok;
        }
        for (const edit::JournalEntry &e : entries) {
            const QString object = !e.sample.isEmpty()  ? e.sample
                                   : e.categoryId != 0 ? QStringLiteral("class #%1").arg(e.categoryId)
                                                       : QStringLiteral("-");
            QString line = QStringLiteral("%1  %2  %3 %4  %5  %6%7: %8 -> %9")
                               .arg(e.time, e.user, e.action.leftJustified(4))
                               .arg(e.batch)
                               .arg(object,
                                    e.annotationId ? QStringLiteral("object %1 ").arg(e.annotationId)
                                                   : QString(),
                                    e.field, orNone(e.oldValue), orNone(e.newValue));
            if (!e.reason.isEmpty())
                line += QStringLiteral("  (%1)").arg(e.reason);
            printOut(line + u'\n');
        }
        return Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

} // namespace assay::cli
