// The browser's in-memory index: loading, filters that combine, facet counts, sorting.

#include "formats/importer.h"
#include "jobs/progress.h"
#include "scan/scanner.h"
#include "store/indexquery.h"
#include "store/project.h"
#include "store/sampleindex.h"
#include "testdata.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace assay;
using namespace assay::store;

class TestSampleIndex : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void loadsColumns();
    void filtersCombine();
    void facetCountsIgnoreTheirOwnFacet();
    void rangesValuesAndPathSearch();
    void sorts();
    void sampleSet();
    void detectionClassesComeFromObjects();

private:
    int column(const QString &key) const { return m_index->numericColumn(key); }
    QTemporaryDir m_dir;
    std::unique_ptr<Project> m_project;
    std::shared_ptr<const SampleIndex> m_index;
};

void TestSampleIndex::initTestCase()
{
    const QString data = m_dir.filePath(QStringLiteral("data"));
    QByteArray csv = "path,label,split,score,source\n";
    for (int i = 0; i < 40; ++i) {
        const QString name = QStringLiteral("img/%1_%2.png")
                                 .arg(i % 4 == 0 ? QStringLiteral("Night") : QStringLiteral("day"))
                                 .arg(i);
        test::writeFile(data + u'/' + name, test::texturedPng(16 + i, 16, std::uint32_t(i)));
        csv += name.toUtf8() + ',' + (i % 3 == 0 ? "cat" : i % 3 == 1 ? "dog" : "") + ','
               + (i < 30 ? "train" : "test") + ',' + QByteArray::number(i) + ','
               + (i % 2 ? "web" : "camera") + '\n';
    }
    test::writeFile(data + QStringLiteral("/m.csv"), csv);
    const QString projectPath = m_dir.filePath(QStringLiteral("p.assay"));
    jobs::Progress progress;
    formats::importDataset(data + QStringLiteral("/m.csv"), projectPath, {}, progress);
    jobs::Progress scanProgress;
    scan::scanProject(projectPath, {}, scanProgress);
    m_project = Project::open(projectPath);
    m_project->db().exec("INSERT INTO issues(sample_id, kind, severity, detail) "
                         "SELECT id, 'dark', 1, '' FROM samples WHERE id % 5 = 0");
    m_project->db().exec("INSERT INTO tags(name) VALUES('reviewed')");
    m_project->db().exec("INSERT INTO sample_tags SELECT id, 1 FROM samples WHERE id <= 3");
    m_index = SampleIndex::load(m_project->db());
}

void TestSampleIndex::loadsColumns()
{
    QCOMPARE(m_index->size(), size_t(40));
    QCOMPARE(m_index->classes, test::strings({"cat", "dog"}));
    QCOMPARE(m_index->splits, test::strings({"train", "test"}));
    QCOMPARE(m_index->issueKinds, test::strings({"dark"}));
    QCOMPARE(m_index->tags, test::strings({"reviewed"}));
    QVERIFY(column(QStringLiteral("brightness")) >= 0);
    QVERIFY(column(QStringLiteral("attr:score")) >= 0);
    QVERIFY(m_index->textColumn(QStringLiteral("attr:source")) >= 0);
    const auto &width = m_index->numeric[size_t(column(QStringLiteral("width")))].values;
    QCOMPARE(width[5], 21.0f);
    QVERIFY(!std::isnan(m_index->numeric[size_t(column(QStringLiteral("sharpness")))].values[0]));
}

void TestSampleIndex::filtersCombine()
{
    IndexQuery query;
    query.classes = {0}; // cat
    QCOMPARE(runQuery(*m_index, query).rows.size(),
             size_t(m_project->db().queryInt("SELECT count(*) FROM samples WHERE category_id = "
                                             "(SELECT id FROM categories WHERE name = 'cat')")));
    query.splits = {1}; // and test
    QCOMPARE(runQuery(*m_index, query).rows.size(), size_t(4)); // i = 30, 33, 36, 39
    query.classes = {0, -1}; // cat or unlabeled
    const QueryResult both = runQuery(*m_index, query);
    for (std::uint32_t row : both.rows) {
        QVERIFY(m_index->classIndex[row] != 1);
        QCOMPARE(m_index->splitIndex[row], std::int16_t(1));
    }
    IndexQuery issues;
    issues.issueKinds = {0};
    QCOMPARE(runQuery(*m_index, issues).rows.size(), size_t(8));
    IndexQuery tags;
    tags.tags = {0};
    QCOMPARE(runQuery(*m_index, tags).rows.size(), size_t(3));
}

void TestSampleIndex::facetCountsIgnoreTheirOwnFacet()
{
    IndexQuery query;
    query.classes = {0};
    const QueryResult result = runQuery(*m_index, query);
    // Class counts ignore the class facet: every class keeps its count.
    QCOMPARE(result.counts.classes[0], 14);
    QCOMPARE(result.counts.classes[1], 13);
    QCOMPARE(result.counts.classes[2], 13); // unlabeled
    // Split counts apply the class facet: cats per split.
    QCOMPARE(result.counts.splits[0] + result.counts.splits[1], 14);
}

void TestSampleIndex::rangesValuesAndPathSearch()
{
    IndexQuery query;
    query.ranges = {{QStringLiteral("attr:score"), 10, 19}};
    QCOMPARE(runQuery(*m_index, query).rows.size(), size_t(10));
    query.values = {{QStringLiteral("attr:source"), {}}};
    const int source = m_index->textColumn(QStringLiteral("attr:source"));
    const int web = int(m_index->text[size_t(source)].dictionary.indexOf(QStringLiteral("web")));
    query.values.front().codes = {web};
    QCOMPARE(runQuery(*m_index, query).rows.size(), size_t(5));
    IndexQuery search;
    search.pathContains = QStringLiteral("NIGHT");
    QCOMPARE(runQuery(*m_index, search).rows.size(), size_t(10));
}

void TestSampleIndex::sampleSet()
{
    // A duplicate cluster or a bias slice: exactly these samples, combined with the other facets.
    IndexQuery query;
    query.sampleIds = {m_index->ids[2], m_index->ids[5], m_index->ids[7]};
    std::sort(query.sampleIds.begin(), query.sampleIds.end());
    QVERIFY(query.hasFilters());
    QueryResult result = runQuery(*m_index, query);
    QCOMPARE(result.rows, (std::vector<std::uint32_t>{2, 5, 7}));
    // The class facet counts only the set's samples.
    qint64 counted = 0;
    for (qint64 n : result.counts.classes)
        counted += n;
    QCOMPARE(counted, 3);
    query.splits = {m_index->splitIndex[5]};
    result = runQuery(*m_index, query);
    QVERIFY(std::find(result.rows.begin(), result.rows.end(), 5u) != result.rows.end());
    for (std::uint32_t row : result.rows)
        QCOMPARE(m_index->splitIndex[row], m_index->splitIndex[5]);
}

void TestSampleIndex::sorts()
{
    IndexQuery query;
    query.sort = IndexQuery::SortKind::Numeric;
    query.sortKey = QStringLiteral("width");
    const QueryResult ascending = runQuery(*m_index, query);
    const auto &width = m_index->numeric[size_t(column(QStringLiteral("width")))].values;
    for (size_t i = 1; i < ascending.rows.size(); ++i)
        QVERIFY(width[ascending.rows[i - 1]] <= width[ascending.rows[i]]);
    query.descending = true;
    const QueryResult descending = runQuery(*m_index, query);
    QCOMPARE(width[descending.rows.front()], 55.0f);
    query = {};
    query.sort = IndexQuery::SortKind::Path;
    const QueryResult byPath = runQuery(*m_index, query);
    for (size_t i = 1; i < byPath.rows.size(); ++i)
        QVERIFY(m_index->path(byPath.rows[i - 1]) <= m_index->path(byPath.rows[i]));
    query.sort = IndexQuery::SortKind::Class;
    const QueryResult byClass = runQuery(*m_index, query);
    QCOMPARE(m_index->classIndex[byClass.rows.front()], 0);
    QCOMPARE(m_index->classIndex[byClass.rows.back()], -1); // unlabeled last
}


void TestSampleIndex::detectionClassesComeFromObjects()
{
    // a.png: a cat and two dogs; b.png: a dog; c.png: nothing; d.png: an object of a category
    // the file does not list.
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("coco"));
    for (const char *name : {"a.png", "b.png", "c.png", "d.png"})
        test::writeFile(root + QStringLiteral("/images/") + QString::fromLatin1(name), test::tinyPng());
    test::writeFile(root + QStringLiteral("/annotations/instances_train.json"), R"({
        "images": [{"id": 1, "file_name": "a.png"}, {"id": 2, "file_name": "b.png"},
                   {"id": 3, "file_name": "c.png"}, {"id": 4, "file_name": "d.png"}],
        "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]},
            {"id": 2, "image_id": 1, "category_id": 2, "bbox": [0, 0, 1, 1]},
            {"id": 3, "image_id": 1, "category_id": 2, "bbox": [0, 0, 1, 1]},
            {"id": 4, "image_id": 2, "category_id": 2, "bbox": [0, 0, 1, 1]},
            {"id": 5, "image_id": 4, "category_id": 9, "bbox": [0, 0, 1, 1]}]})");
    jobs::Progress progress;
    const QString projectPath = dir.filePath(QStringLiteral("d.assay"));
    formats::importDataset(root, projectPath, {}, progress);
    auto project = Project::open(projectPath);
    const auto index = SampleIndex::load(project->db());
    QVERIFY(index->hasObjects());
    QCOMPARE(index->size(), size_t(4));
    QCOMPARE(runQuery(*index, IndexQuery()).rows.size(), size_t(4)); // no filter: everything
    const int cat = int(index->classes.indexOf(QStringLiteral("cat")));
    const int dog = int(index->classes.indexOf(QStringLiteral("dog")));
    QCOMPARE(index->primaryClass(2), -1);

    IndexQuery dogs;
    dogs.classes = {dog};
    const QueryResult withDogs = runQuery(*index, dogs);
    QCOMPARE(withDogs.rows.size(), size_t(2));
    // Facet counts: samples with an object of the class; "(no objects)" last.
    QCOMPARE(withDogs.counts.classes[size_t(cat)], 1);
    QCOMPARE(withDogs.counts.classes[size_t(dog)], 2);
    QCOMPARE(withDogs.counts.classes.back(), 2); // c.png, and d.png's object of no known class
    IndexQuery none;
    none.classes = {-1};
    const QueryResult empty = runQuery(*index, none);
    QCOMPARE(empty.rows.size(), size_t(2));
    QCOMPARE(index->path(empty.rows[0]), std::string_view("images/c.png"));

    ProjectSummary summary;
    summarizeIndex(*index, summary);
    QCOMPARE(summary.objectsPerSplitClass[QStringLiteral("train")][QStringLiteral("dog")], 3);
    QCOMPARE(summary.objectsPerSplitClass[QStringLiteral("train")][QStringLiteral("cat")], 1);
    // A preview (partial index) carries no objects and still answers.
    QVERIFY(!SampleIndex::load(project->db(), 2)->hasObjects());
}

QTEST_GUILESS_MAIN(TestSampleIndex)
#include "tst_sampleindex.moc"
