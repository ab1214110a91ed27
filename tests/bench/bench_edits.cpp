// Edits benchmark: a bulk relabel (100,000 samples by default) committed in one batch, its undo
// and redo, in a project of 100,000 and of 1,000,000 samples; the latency of a single keystroke
// edit (one relabel, one box nudge merged into the previous); the refresh of what an edit made
// stale; rebuilding the undo history from a journal of 10,000 batches. Budget (issue #8): the
// bulk relabel commits in under 1 s.
//
// Usage: bench_edits [WORKDIR] [--selected N] [--sizes N,N,...]

#include "analysis/editrefresh.h"
#include "edit/commands.h"
#include "edit/editsession.h"
#include "projectfixture.h"
#include "store/project.h"
#include "store/transaction.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace assay;

namespace {

double seconds(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e9;
}

void benchSize(const QString &dir, int size, int selected)
{
    const QString file = QDir(dir).filePath(QStringLiteral("edits-%1.assay").arg(size));
    QElapsedTimer timer;
    timer.start();
    test::createLabelledProject(file, size, 10);
    std::printf("\n%d samples (project built in %.2f s)\n", size, seconds(timer));
    auto project = store::Project::open(file);
    store::Database &db = project->db();
    // Boxes to nudge: one per sample of the first thousand.
    {
        store::Transaction transaction(db);
        db.exec("INSERT INTO annotations(sample_id, category_id, kind, x, y, w, h) SELECT id, "
                "category_id, 1, 10, 10, 20, 20 FROM samples WHERE id <= 1000");
        transaction.commit();
    }
    edit::EditSession session(*project);
    // Every n-th sample up to `selected` of them: a filtered selection, not one range.
    std::vector<std::int64_t> ids;
    const int step = std::max(1, size / selected);
    for (int i = 0; i < size && int(ids.size()) < selected; i += step)
        ids.push_back(i + 1);

    timer.restart();
    const edit::EditBatch batch = edit::setSampleClass(db, ids, 3);
    const double build = seconds(timer);
    timer.restart();
    const edit::ApplyResult applied = session.apply(batch);
    const double apply = seconds(timer);
    std::printf("  relabel %zu selected samples: %.3f s to commit (%lld changed; building the "
                "batch %.3f s) [budget < 1 s]\n",
                ids.size(), apply, static_cast<long long>(applied.changes), build);
    timer.restart();
    analysis::refreshAfterEdit(*project);
    std::printf("  refresh after the edit (duplicates' labels): %.3f s\n", seconds(timer));
    timer.restart();
    session.undo();
    std::printf("  undo: %.3f s\n", seconds(timer));
    timer.restart();
    session.redo();
    std::printf("  redo: %.3f s\n", seconds(timer));

    // Keystrokes: one relabel, and nudges of one box (merged into one step).
    const int keys = 200;
    timer.restart();
    for (int i = 0; i < keys; ++i)
        session.apply(edit::setSampleClass(db, {std::int64_t(1 + i)}, 1 + (i + 1) % 10));
    std::printf("  one-sample relabel: %.2f ms each\n", seconds(timer) * 1000 / keys);
    timer.restart();
    for (int i = 0; i < keys; ++i)
        session.apply(edit::nudgeBox(db, 1, 1, 0));
    std::printf("  box nudge (merged): %.2f ms each; undo steps now %zu\n",
                seconds(timer) * 1000 / keys, session.undoSteps().size());
    timer.restart();
    session.undo();
    std::printf("  undo of %d merged nudges: %.2f ms\n", keys, seconds(timer) * 1000);
}

void benchHistory(const QString &dir)
{
    const QString file = QDir(dir).filePath(QStringLiteral("history.assay"));
    test::createLabelledProject(file, 1000, 10);
    const int batches = 10000;
    {
        auto project = store::Project::open(file);
        edit::EditSession session(*project);
        for (int i = 0; i < batches; ++i)
            session.apply(edit::setSampleClass(project->db(), {std::int64_t(1 + i % 1000)},
                                               1 + (i / 1000 + i + 1) % 10));
    }
    auto project = store::Project::open(file);
    QElapsedTimer timer;
    timer.start();
    edit::EditSession session(*project);
    std::printf("\nundo history of %d batches rebuilt from the journal on open: %.1f ms "
                "(%zu steps)\n",
                batches, seconds(timer) * 1000, session.undoSteps().size());
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments().mid(1);
    int selected = 100000;
    QList<int> sizes{100000, 1000000};
    for (qsizetype i = 0; i + 1 < arguments.size(); ++i) {
        if (arguments[i] == u"--selected") {
            selected = arguments[i + 1].toInt();
            arguments.remove(i, 2);
            --i;
        } else if (arguments[i] == u"--sizes") {
            sizes.clear();
            for (const QString &n : arguments[i + 1].split(u','))
                sizes << n.toInt();
            arguments.remove(i, 2);
            --i;
        }
    }
    QTemporaryDir temporary;
    const QString dir = arguments.isEmpty() ? temporary.path() : arguments.front();
    QDir().mkpath(dir);
    std::printf("bench_edits: bulk relabel of %d samples, one batch, one transaction\n", selected);
    for (const int size : sizes)
        benchSize(dir, size, std::min(selected, size));
    benchHistory(dir);
    return 0;
}
