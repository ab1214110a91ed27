#include "projectfixture.h"

#include "store/project.h"
#include "store/transaction.h"

namespace assay::test {

std::vector<std::int64_t> createLabelledProject(const QString &path, int samples, int classes)
{
    store::OpenOptions options;
    options.create = true;
    auto project = store::Project::open(path, options);
    store::Database &db = project->db();
    store::Transaction transaction(db);
    db.exec("INSERT INTO splits(name) VALUES('train'), ('val')");
    store::Statement category(db, "INSERT INTO categories(name, position) VALUES(?, ?)");
    for (int c = 0; c < classes; ++c) {
        category.bind(1, QStringLiteral("class%1").arg(c));
        category.bind(2, c);
        category.run();
    }
    store::Statement sample(db, "INSERT INTO samples(path, split_id, category_id, size, mtime) "
                                "VALUES(?, ?, ?, 100, 0)");
    std::vector<std::int64_t> labels;
    labels.reserve(size_t(samples));
    for (int i = 0; i < samples; ++i) {
        const std::int64_t label = 1 + i % classes;
        sample.bind(1, QStringLiteral("img/%1.png").arg(i, 7, 10, QChar(u'0')));
        sample.bind(2, i % 5 == 4 ? 2 : 1);
        sample.bind(3, label);
        sample.run();
        labels.push_back(label);
    }
    project->setMeta(QStringLiteral("dataset_root"), QStringLiteral("/nonexistent"));
    project->setMeta(QStringLiteral("dataset_format"), QStringLiteral("imagefolder"));
    transaction.commit();
    return labels;
}

std::vector<std::int64_t> sampleClasses(const QString &path)
{
    store::OpenOptions options;
    options.readOnly = true;
    auto project = store::Project::open(path, options);
    store::Statement rows(project->db(), "SELECT ifnull(category_id, 0) FROM samples ORDER BY id");
    std::vector<std::int64_t> labels;
    while (rows.step())
        labels.push_back(rows.int64(0));
    return labels;
}

} // namespace assay::test
