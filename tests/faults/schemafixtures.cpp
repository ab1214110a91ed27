// schemafixtures DIR: writes DIR/v<N>.assay for every schema version up to this build's (the next
// version upgrades them all), as a program that knew only the steps up to N wrote it (steps are
// only ever appended to core/store/schema.cpp, so the first N steps are what main at version N
// created), with a small labelled dataset in the version-1 tables that every later version keeps.
// tst_schemaupgrades opens each committed fixture with the current program.

#include "store/project.h"
#include "store/schema.h"
#include "util/error.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cstdio>

using namespace assay;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: schemafixtures DIR\n");
        return 2;
    }
    const QString dir = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(dir);
    const auto &all = store::builtinMigrations();
    try {
        for (size_t n = 1; n <= all.size(); ++n) {
            const QString file = dir + QStringLiteral("/v%1.assay").arg(n);
            QFile::remove(file);
            store::OpenOptions options;
            options.create = true;
            options.migrations.assign(all.begin(), all.begin() + std::ptrdiff_t(n));
            auto project = store::Project::open(file, options);
            store::Database &db = project->db();
            db.exec(R"sql(
INSERT INTO meta(key, value) VALUES('dataset_root', '/datasets/pets'), ('dataset_format', 'imagefolder')
    ON CONFLICT(key) DO UPDATE SET value = excluded.value;
INSERT INTO splits(id, name) VALUES(1, 'train'), (2, 'val');
INSERT INTO categories(id, name, position) VALUES(1, 'cat', 0), (2, 'dog', 1);
INSERT INTO samples(id, path, split_id, category_id, size, mtime) VALUES
    (1, 'train/cat/1.png', 1, 1, 100, 1700000000), (2, 'train/cat/2.png', 1, 1, 101, 1700000000),
    (3, 'train/dog/1.png', 1, 2, 102, 1700000000), (4, 'train/dog/2.png', 1, 2, 103, 1700000000),
    (5, 'val/cat/3.png', 2, 1, 104, 1700000000), (6, 'val/dog/3.png', 2, 2, 105, 1700000000);
INSERT INTO annotations(sample_id, category_id, kind, x, y, w, h) VALUES
    (1, 1, 1, 1, 2, 10, 12), (3, 2, 1, 3, 4, 5, 6);
INSERT INTO tags(id, name) VALUES(1, 'checked');
INSERT INTO sample_tags(sample_id, tag_id) VALUES(1, 1), (4, 1);
INSERT INTO imports(time, format, source, summary)
    VALUES('2026-01-01T00:00:00Z', 'imagefolder', '/datasets/pets', '6 samples');
)sql");
            project.reset();
            // Small files: 1 KiB pages, no free pages, no WAL beside them.
            store::OpenOptions shrink;
            shrink.migrations = options.migrations;
            auto again = store::Project::open(file, shrink);
            again->db().exec("PRAGMA journal_mode = DELETE");
            again->db().exec("PRAGMA page_size = 1024");
            again->db().exec("VACUUM");
            std::printf("%s: schema %d\n", qPrintable(file), again->schemaVersion());
        }
    } catch (const Error &error) {
        std::fprintf(stderr, "error: %s\n", qPrintable(error.message()));
        return 1;
    }
    return 0;
}
