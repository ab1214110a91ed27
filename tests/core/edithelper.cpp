// edithelper: edits a project until it is killed (tst_editreliability kills it with SIGKILL).
//   edithelper PROJECT once   relabels sample 1 as class #2, says "committed BATCH", then waits
//   edithelper PROJECT loop   relabels 1000 samples per edit, saying "committed BATCH" after each

#include "edit/commands.h"
#include "edit/editsession.h"
#include "store/project.h"
#include "util/error.h"

#include <QCoreApplication>

#include <cstdio>
#include <unistd.h>

using namespace assay;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3)
        return 2;
    try {
        auto project = store::Project::open(QString::fromLocal8Bit(argv[1]));
        store::Database &db = project->db();
        edit::EditSession session(*project);
        session.setUserName(QStringLiteral("helper"));
        const std::int64_t samples = db.queryInt("SELECT count(*) FROM samples");
        const std::int64_t classes = db.queryInt("SELECT count(*) FROM categories");
        const bool loop = std::string_view(argv[2]) == "loop";
        for (std::int64_t i = 0;; ++i) {
            std::vector<std::int64_t> ids;
            if (loop) {
                for (std::int64_t k = 0; k < 1000; ++k)
                    ids.push_back(1 + (i * 1000 + k) % samples);
            } else {
                ids.push_back(1);
            }
            const std::int64_t category = loop ? 1 + (i + 1) % classes : 2;
            const edit::ApplyResult result =
                session.apply(edit::setSampleClass(db, ids, category));
            std::printf("committed %lld\n", static_cast<long long>(result.batch));
            std::fflush(stdout);
            if (!loop)
                break;
        }
        for (;;)
            pause();
    } catch (const Error &error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
}
