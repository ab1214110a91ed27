#include "biasstore.h"

#include "biasinput.h"
#include "biasjson.h"

#include "formats/csvparser.h"
#include "jobs/progress.h"
#include "store/project.h"
#include "store/sampleindex.h"
#include "store/stalemarks.h"
#include "store/transaction.h"
#include "util/datasetpath.h"
#include "util/error.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace assay::analysis::bias {

namespace {

constexpr int labelFamily = 0;
constexpr int errorFamily = 1;

QString metaValue(store::Database &db, const char *key)
{
    store::Statement query(db, "SELECT value FROM meta WHERE key = ?");
    query.bind(1, std::string_view(key));
    return query.step() ? query.text(0) : QString();
}

void setMetaValue(store::Database &db, const char *key, const QString &value)
{
    store::Statement update(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    update.bind(1, std::string_view(key));
    update.bind(2, value);
    update.run();
}

QString compact(const QJsonObject &json)
{
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

QJsonObject parse(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// `generation`: the labels generation the results were computed from (stalemarks.h).
void storeSlices(store::Database &db, const SliceResults &results, std::int64_t generation)
{
    store::Transaction transaction(db);
    db.exec("DELETE FROM slice_attributes");
    db.exec("DELETE FROM slices");
    {
        store::Statement insert(db, "INSERT INTO slice_attributes(position, rank, name, status, "
                                    "record) VALUES(?, ?, ?, ?, ?)");
        for (size_t rank = 0; rank < results.attributeSummary.size(); ++rank) {
            const AttributeSummary &summary = results.attributeSummary[rank];
            insert.bind(1, summary.attribute);
            insert.bind(2, std::int64_t(rank));
            insert.bind(3, results.attributes[size_t(summary.attribute)].name);
            insert.bind(4, summary.status);
            insert.bind(5, compact(attributeSummaryJson(summary, results)));
            insert.run();
        }
    }
    store::Statement insert(db, "INSERT INTO slices(family, id, status, text, record) "
                                "VALUES(?, ?, ?, ?, ?)");
    for (const SliceRecord &record : results.slices) {
        insert.bind(1, labelFamily);
        insert.bind(2, record.id);
        insert.bind(3, sliceStatusName(record.status));
        insert.bind(4, record.text);
        insert.bind(5, compact(sliceJson(record, results)));
        insert.run();
    }
    for (const ErrorSliceRecord &record : results.errorSlices) {
        insert.bind(1, errorFamily);
        insert.bind(2, record.id);
        insert.bind(3, sliceStatusName(record.status));
        insert.bind(4, record.text);
        insert.bind(5, compact(errorSliceJson(record, results)));
        insert.run();
    }
    setMetaValue(db, "slices", compact(runJson(results)));
    setMetaValue(db, "slices_computed_at",
                 QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    store::clearStaleSince(db, store::analysisname::slices, generation);
    transaction.commit();
}

// "dir/file.png#3" -> the sample's key as stored ("dir/file.png", 3).
QString sampleKey(const QString &path, qint64 member)
{
    return member >= 0 ? path + u'#' + QString::number(member) : path;
}

} // namespace

SliceParameters storedSliceParameters(store::Database &db)
{
    const QJsonObject run = parse(metaValue(db, "slices"));
    return parametersFromJson(run[QStringLiteral("parameters")].toObject());
}

SliceResults refreshSlices(store::Project &project, const SliceParameters &parameters,
                           jobs::Progress &progress, int threads)
{
    progress.setPhase(QStringLiteral("Finding bias slices"));
    const std::int64_t generation = store::labelsGeneration(project.db());
    const SliceData data = loadSliceData(project.db(), parameters);
    ComputeOptions options;
    options.threads = threads;
    SliceResults results = computeSlices(data, parameters, options);
    storeSlices(project.db(), results, generation);
    return results;
}

void refreshSlicesAfterScan(store::Project &project, jobs::Progress &progress)
{
    refreshSlices(project, storedSliceParameters(project.db()), progress);
}

bool hasStoredSlices(store::Database &db)
{
    return !metaValue(db, "slices").isEmpty();
}

bool loadStoredSlices(store::Database &db, SliceResults &results)
{
    const QString run = metaValue(db, "slices");
    if (run.isEmpty())
        return false;
    results = SliceResults();
    runFromJson(parse(run), results);
    {
        store::Statement attributes(db, "SELECT position, record FROM slice_attributes "
                                        "ORDER BY rank");
        while (attributes.step()) {
            const int position = int(attributes.int64(0));
            if (position >= 0 && size_t(position) < results.attributes.size())
                results.attributeSummary.push_back(
                    attributeSummaryFromJson(parse(attributes.text(1)), position));
        }
    }
    store::Statement slices(db, "SELECT family, record FROM slices ORDER BY family, id");
    while (slices.step()) {
        const QJsonObject record = parse(slices.text(1));
        if (slices.int64(0) == labelFamily)
            results.slices.push_back(sliceFromJson(record, results.attributes));
        else
            results.errorSlices.push_back(errorSliceFromJson(record, results.attributes));
    }
    return true;
}

std::int64_t storedReportedSlices(store::Database &db)
{
    return db.queryInt("SELECT count(*) FROM slices WHERE family = 0 AND status = 'reported'");
}

std::int64_t storedReportedErrorSlices(store::Database &db)
{
    return db.queryInt("SELECT count(*) FROM slices WHERE family = 1 AND status = 'reported'");
}

std::vector<NamedPredicate> namedPredicates(const SliceResults &results,
                                            const std::vector<Predicate> &predicates)
{
    std::vector<NamedPredicate> named;
    for (const Predicate &predicate : predicates) {
        const BinnedAttribute &attribute = results.attributes[size_t(predicate.attribute)];
        named.push_back({attribute.name, attribute.values[predicate.value]});
    }
    return named;
}

std::vector<std::uint32_t> sliceRowsInIndex(const store::SampleIndex &index, store::Database &db,
                                            const std::vector<NamedPredicate> &predicates)
{
    const SliceParameters parameters = storedSliceParameters(db);
    const SliceData data = sliceDataFromIndex(index, db, parameters);
    // Only the named attributes need their bins.
    std::vector<BinnedAttribute> binned;
    for (const RawAttribute &raw : data.attributes) {
        const bool named = std::any_of(predicates.begin(), predicates.end(),
                                       [&](const NamedPredicate &p) { return p.attribute == raw.name; });
        if (named)
            binned.push_back(binAttribute(raw, parameters.bins, parameters.topValues));
    }
    std::vector<Predicate> resolved;
    if (predicates.empty() || !resolvePredicates(binned, predicates, resolved))
        return {};
    return rowsMatching(binned, resolved, data.rows());
}

std::vector<std::int64_t> sliceSampleIds(store::Database &db,
                                         const std::vector<NamedPredicate> &predicates)
{
    const auto index = store::SampleIndex::load(db);
    std::vector<std::int64_t> ids;
    for (std::uint32_t row : sliceRowsInIndex(*index, db, predicates))
        ids.push_back(index->ids[row]);
    return ids;
}

PredictionImport importPredictions(store::Project &project, const QString &csvPath)
{
    QFile file(csvPath);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(csvPath, file.errorString()));
    const QByteArray bytes = file.readAll();
    const QString shownName = QFileInfo(csvPath).fileName();
    formats::CsvParser parser(std::string_view(bytes.constData(), size_t(bytes.size())),
                              shownName);

    store::Database &db = project.db();
    QHash<QString, std::int64_t> sampleOf;
    {
        store::Statement samples(db, "SELECT id, path, member FROM samples WHERE status = 0");
        while (samples.step())
            sampleOf.insert(sampleKey(samples.text(1), samples.int64(2)), samples.int64(0));
    }
    QStringList classes;
    {
        store::Statement names(db, "SELECT name FROM categories");
        while (names.step())
            classes << names.text(0);
    }
    const QString root = project.datasetRoot();

    std::vector<std::string_view> fields;
    int line = 0;
    int pathColumn = 0, classColumn = 1, scoreColumn = 2;
    bool first = true;
    PredictionImport result;
    struct Row
    {
        std::int64_t sample;
        QString predicted;
        double score;
    };
    std::vector<Row> rows;
    while (parser.next(fields, line)) {
        auto field = [&](int column) {
            return column >= 0 && size_t(column) < fields.size()
                       ? QString::fromUtf8(fields[size_t(column)].data(),
                                           qsizetype(fields[size_t(column)].size()))
                             .trimmed()
                       : QString();
        };
        if (first) {
            first = false;
            const QString head = field(0).toLower();
            if (head == u"path" || head == u"file" || head == u"filename" || head == u"image") {
                classColumn = scoreColumn = -1;
                for (int c = 1; c < int(fields.size()); ++c) {
                    const QString name = field(c).toLower();
                    if (classColumn < 0 && (name.startsWith(QStringLiteral("pred")) ||
                                            name == u"class" || name == u"label"))
                        classColumn = c;
                    else if (scoreColumn < 0 && (name == u"score" || name == u"confidence" ||
                                                 name == u"probability"))
                        scoreColumn = c;
                }
                if (classColumn < 0)
                    classColumn = 1;
                continue;
            }
        }
        ++result.rows;
        const QString entry = field(pathColumn);
        const QString predicted = field(classColumn);
        if (predicted.isEmpty())
            throw Error(QStringLiteral("%1, line %2: no predicted class").arg(shownName).arg(line));
        // "file#3" addresses a container member; the path part may be absolute.
        QString path = entry, member;
        const qsizetype hash = entry.lastIndexOf(u'#');
        if (hash > 0 && !sampleOf.contains(entry)) {
            bool numeric = false;
            entry.mid(hash + 1).toLongLong(&numeric);
            if (numeric) {
                path = entry.left(hash);
                member = entry.mid(hash);
            }
        }
        std::int64_t sample = sampleOf.value(entry, 0);
        if (sample == 0) {
            const auto relative = datasetpath::relativeInsideRoot(root, path);
            if (relative)
                sample = sampleOf.value(*relative + member, 0);
        }
        if (sample == 0) {
            ++result.unknownPaths;
            if (result.unknownExamples.size() < 5)
                result.unknownExamples << entry;
            continue;
        }
        if (!classes.contains(predicted) && !result.unknownClasses.contains(predicted))
            result.unknownClasses << predicted;
        bool scored = false;
        const double score = field(scoreColumn).toDouble(&scored);
        rows.push_back({sample, predicted, scored ? score : std::nan("")});
    }
    if (rows.empty())
        throw Error(QStringLiteral("%1: none of its %2 rows names a sample of the project%3")
                        .arg(shownName)
                        .arg(result.rows)
                        .arg(result.unknownExamples.isEmpty()
                                 ? QString()
                                 : QStringLiteral(" (e.g. %1)")
                                       .arg(result.unknownExamples.front())));
    store::Transaction transaction(db);
    db.exec("DELETE FROM predictions");
    store::Statement insert(db, "INSERT OR REPLACE INTO predictions(sample_id, predicted, score) "
                                "VALUES(?, ?, ?)");
    for (const Row &row : rows) {
        insert.bind(1, row.sample);
        insert.bind(2, row.predicted);
        if (std::isnan(row.score))
            insert.bindNull(3);
        else
            insert.bind(3, row.score);
        insert.run();
    }
    transaction.commit();
    result.stored = db.queryInt("SELECT count(*) FROM predictions");
    return result;
}

} // namespace assay::analysis::bias
