// assay-cli relabel, tag, exclude, undo and redo: scripted corrections through the same edit
// commands, session and journal as the window.

#include "clicommon.h"

#include "analysis/editrefresh.h"
#include "edit/commands.h"
#include "edit/editsession.h"
#include "store/project.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

#include <algorithm>
#include <functional>
#include <unordered_set>

namespace assay::cli {

namespace {

// The options every sample-editing command takes.
struct SampleOptions
{
    QCommandLineOption sample{QStringLiteral("sample"),
                              QStringLiteral("A sample to edit: its path as 'info' and 'report' "
                                             "print it (relative to the dataset root, "
                                             "'file#member' for a member of a container), or "
                                             "an absolute path inside the root. Repeatable."),
                              QStringLiteral("PATH")};
    QCommandLineOption samplesFrom{QStringLiteral("samples-from"),
                                   QStringLiteral("Read the samples to edit from LIST, one path "
                                                  "a line ('-' reads standard input)."),
                                   QStringLiteral("LIST")};
    QCommandLineOption reason{QStringLiteral("reason"),
                              QStringLiteral("Why: kept in the edit journal."),
                              QStringLiteral("TEXT")};
    QCommandLineOption user{QStringLiteral("user"),
                            QStringLiteral("The name the journal records (default: $ASSAY_USER, "
                                           "$USER or $USERNAME)."),
                            QStringLiteral("NAME")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addPositionalArgument(QStringLiteral("FILE"),
                                     QStringLiteral("Project file (.assay)."));
        parser.addOptions({sample, samplesFrom, reason, user});
    }
};

QStringList readList(const QString &name)
{
    QFile file;
    if (name == u"-") {
        if (!file.open(stdin, QIODevice::ReadOnly))
            throw Error(QStringLiteral("cannot read the list of samples from standard input"));
    } else {
        file.setFileName(name);
        if (!file.open(QIODevice::ReadOnly))
            throw Error(QStringLiteral("cannot read the list of samples %1: %2")
                            .arg(name, file.errorString()));
    }
    QStringList paths;
    QTextStream in(&file);
    QString line;
    while (in.readLineInto(&line)) {
        const QString path = line.trimmed();
        if (!path.isEmpty())
            paths << path;
    }
    return paths;
}

// The ids of the samples named, in the order named (without repeats). Names every path that
// is not a sample of the project.
std::vector<std::int64_t> resolveSamples(store::Project &project, const QStringList &paths)
{
    const QString root = project.datasetRoot();
    store::Statement find(project.db(), "SELECT id FROM samples WHERE path = ? AND member = ?");
    auto lookup = [&](const QString &path, std::int64_t member) -> std::int64_t {
        find.bind(1, path);
        find.bind(2, member);
        const std::int64_t id = find.step() ? find.int64(0) : 0;
        find.reset();
        return id;
    };
    std::vector<std::int64_t> ids;
    QStringList unknown;
    for (const QString &given : paths) {
        QString path = QDir::fromNativeSeparators(given);
        if (QFileInfo(path).isAbsolute() && !root.isEmpty()) {
            if (const std::optional<QString> inside = datasetpath::relativeInsideRoot(root, path))
                path = *inside;
        }
        std::int64_t id = lookup(path, -1);
        const qsizetype hash = path.lastIndexOf(u'#');
        if (id == 0 && hash > 0) {
            bool ok = false;
            const std::int64_t member = path.mid(hash + 1).toLongLong(&ok);
            if (ok)
                id = lookup(path.left(hash), member);
        }
        if (id == 0)
            unknown << given;
        else
            ids.push_back(id);
    }
    if (!unknown.isEmpty()) {
        const qsizetype shown = std::min<qsizetype>(unknown.size(), 10);
        QString list = unknown.mid(0, shown).join(QStringLiteral("\n  "));
        if (unknown.size() > shown)
            list += QStringLiteral("\n  … and %1 more").arg(unknown.size() - shown);
        throw Error(QStringLiteral("%1: %2 of the samples named %3 not in the project "
                                   "(paths are relative to the dataset root %4):\n  %5")
                        .arg(project.path())
                        .arg(unknown.size())
                        .arg(unknown.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"),
                             root, list));
    }
    std::vector<std::int64_t> unique;
    unique.reserve(ids.size());
    std::unordered_set<std::int64_t> seen;
    for (const std::int64_t id : ids) {
        if (seen.insert(id).second)
            unique.push_back(id);
    }
    return unique;
}

QString knownClasses(store::Database &db)
{
    QStringList names;
    store::Statement rows(db, "SELECT name FROM categories ORDER BY position, id");
    while (rows.step())
        names << rows.text(0);
    return names.isEmpty() ? QStringLiteral("(the project has none)")
                           : names.join(QStringLiteral(", "));
}

// Parses, opens the project, resolves the samples, builds the batch with `build`, applies it
// and refreshes what the edit made stale.
int runSampleEdit(const QStringList &arguments, const QString &description,
                  const QList<QCommandLineOption> &extra,
                  const std::function<edit::EditBatch(QCommandLineParser &, store::Project &,
                                                      const std::vector<std::int64_t> &)> &build)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    const SampleOptions options;
    options.addTo(parser);
    parser.addOptions(extra);
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    const QString command = arguments.value(0).section(u' ', 1);
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral("error: %1 needs one project FILE\n\n%2")
                     .arg(command, helpText(parser)));
        return Usage;
    }
    if (!parser.isSet(options.sample) && !parser.isSet(options.samplesFrom)) {
        printErr(QStringLiteral("error: name the samples to edit with --sample PATH or "
                                "--samples-from LIST\n"));
        return Usage;
    }
    try {
        auto project = store::Project::open(parser.positionalArguments().front());
        QStringList paths = parser.values(options.sample);
        if (parser.isSet(options.samplesFrom))
            paths += readList(parser.value(options.samplesFrom));
        const std::vector<std::int64_t> samples = resolveSamples(*project, paths);
        edit::EditBatch batch = build(parser, *project, samples);
        batch.reason = parser.value(options.reason);
        edit::EditSession session(*project);
        if (parser.isSet(options.user))
            session.setUserName(parser.value(options.user));
        const edit::ApplyResult result = session.apply(std::move(batch));
        if (result.batch == 0) {
            printOut(QStringLiteral("Nothing changed: the %1 samples named already are so\n")
                         .arg(samples.size()));
            return Ok;
        }
        analysis::refreshAfterEdit(*project);
        printOut(QStringLiteral("%1: %2 changed (batch %3; 'assay-cli undo %4' takes it back)\n")
                     .arg(session.undoText())
                     .arg(result.changes)
                     .arg(result.batch)
                     .arg(project->path()));
        return Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

int runReplay(const QStringList &arguments, bool undoing)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        undoing ? QStringLiteral("Take back the project's latest edit (the window's Ctrl+Z).")
                : QStringLiteral("Make the latest undone edit again (the window's Ctrl+Shift+Z)."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Project file (.assay)."));
    const QCommandLineOption user(QStringLiteral("user"),
                                  QStringLiteral("The name the journal records."),
                                  QStringLiteral("NAME"));
    parser.addOption(user);
    int exitCode = Ok;
    if (!parseCommand(parser, arguments, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        printErr(QStringLiteral("error: %1 needs one project FILE\n\n%2")
                     .arg(undoing ? QStringLiteral("undo") : QStringLiteral("redo"),
                          helpText(parser)));
        return Usage;
    }
    try {
        auto project = store::Project::open(parser.positionalArguments().front());
        edit::EditSession session(*project);
        if (parser.isSet(user))
            session.setUserName(parser.value(user));
        const edit::ChangeEvent event = undoing ? session.undo() : session.redo();
        analysis::refreshAfterEdit(*project);
        printOut(QStringLiteral("%1 \u201c%2\u201d (%3 samples, %4 objects; batch %5)\n")
                     .arg(undoing ? QStringLiteral("Undid") : QStringLiteral("Redid"), event.text)
                     .arg(event.sampleIds.size())
                     .arg(event.annotationIds.size())
                     .arg(event.batch));
        return Ok;
    } catch (const Error &error) {
        printErr(QStringLiteral("error: %1\n").arg(error.message()));
        return Failed;
    }
}

} // namespace

int runRelabel(const QStringList &arguments)
{
    const QCommandLineOption classOption(QStringLiteral("class"),
                                         QStringLiteral("The class to give the samples."),
                                         QStringLiteral("NAME"));
    return runSampleEdit(
        arguments,
        QStringLiteral("Set the image-level class of samples; one edit, undoable, in the "
                       "journal."),
        {classOption},
        [&](QCommandLineParser &parser, store::Project &project,
            const std::vector<std::int64_t> &samples) {
            if (!parser.isSet(classOption))
                throw Error(QStringLiteral("name the class with --class NAME; the project's "
                                           "classes: %1")
                                .arg(knownClasses(project.db())));
            const QString name = parser.value(classOption);
            const std::int64_t category = edit::findCategory(project.db(), name);
            if (category == 0)
                throw Error(QStringLiteral("%1 has no class '%2'; its classes: %3")
                                .arg(project.path(), name, knownClasses(project.db())));
            return edit::setSampleClass(project.db(), samples, category);
        });
}

int runTag(const QStringList &arguments)
{
    const QCommandLineOption tagOption(QStringLiteral("tag"), QStringLiteral("The tag."),
                                       QStringLiteral("NAME"));
    const QCommandLineOption removeOption(QStringLiteral("remove"),
                                          QStringLiteral("Remove the tag instead of adding it."));
    return runSampleEdit(arguments,
                         QStringLiteral("Add a tag to samples (or remove it); one edit, "
                                        "undoable, in the journal."),
                         {tagOption, removeOption},
                         [&](QCommandLineParser &parser, store::Project &project,
                             const std::vector<std::int64_t> &samples) {
                             if (parser.value(tagOption).trimmed().isEmpty())
                                 throw Error(QStringLiteral("name the tag with --tag NAME"));
                             return edit::setTag(project.db(), samples, parser.value(tagOption),
                                                 !parser.isSet(removeOption));
                         });
}

int runExclude(const QStringList &arguments)
{
    const QCommandLineOption includeOption(
        QStringLiteral("include"), QStringLiteral("Include the samples again instead."));
    return runSampleEdit(arguments,
                         QStringLiteral("Exclude samples: they stay in the project but exports "
                                        "to another format leave them out. One edit, undoable, "
                                        "in the journal."),
                         {includeOption},
                         [&](QCommandLineParser &parser, store::Project &project,
                             const std::vector<std::int64_t> &samples) {
                             return edit::setExcluded(project.db(), samples,
                                                      !parser.isSet(includeOption));
                         });
}

int runUndo(const QStringList &arguments)
{
    return runReplay(arguments, true);
}

int runRedo(const QStringList &arguments)
{
    return runReplay(arguments, false);
}

} // namespace assay::cli
