#include "biasinput.h"

#include "quality.h"

#include "store/database.h"
#include "store/sampleindex.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <map>

namespace assay::analysis::bias {

namespace {

std::int64_t rowOf(const std::vector<std::int64_t> &ids, std::int64_t id)
{
    const auto found = std::lower_bound(ids.begin(), ids.end(), id);
    return found != ids.end() && *found == id ? found - ids.begin() : -1;
}

// Builds a categorical attribute from text values per row (empty: missing).
class CategoricalBuilder
{
public:
    CategoricalBuilder(QString name, QString origin, size_t rows)
    {
        m_attribute.name = std::move(name);
        m_attribute.origin = std::move(origin);
        m_attribute.kind = RawAttribute::Kind::Categorical;
        m_attribute.codes.assign(rows, -1);
    }
    void set(size_t row, const QString &value)
    {
        if (value.isEmpty())
            return;
        auto [it, inserted] = m_codes.try_emplace(value, std::int32_t(m_attribute.values.size()));
        if (inserted)
            m_attribute.values << value;
        m_attribute.codes[row] = it->second;
    }
    bool empty() const { return m_attribute.values.isEmpty(); }
    RawAttribute take() { return std::move(m_attribute); }
    RawAttribute &attribute() { return m_attribute; }

private:
    RawAttribute m_attribute;
    std::map<QString, std::int32_t> m_codes;
};

bool allMissing(const std::vector<float> &values)
{
    return std::all_of(values.begin(), values.end(), [](float x) { return std::isnan(x); });
}

RawAttribute numeric(const QString &name, const QString &origin, const std::vector<float> &values,
                     RawAttribute::Kind kind = RawAttribute::Kind::Numeric)
{
    RawAttribute attribute;
    attribute.name = name;
    attribute.origin = origin;
    attribute.kind = kind;
    attribute.numbers.assign(values.begin(), values.end());
    return attribute;
}

// The label of each row: the image-level class, else the class most of its objects have.
std::vector<std::int32_t> labelsOf(const store::SampleIndex &index)
{
    std::vector<std::int32_t> labels(index.classIndex.begin(), index.classIndex.end());
    if (!index.hasObjects())
        return labels;
    for (size_t row = 0; row < index.size(); ++row) {
        if (labels[row] >= 0)
            continue;
        std::uint32_t best = 0;
        for (std::uint32_t i = index.objectOffsets[row]; i < index.objectOffsets[row + 1]; ++i) {
            const std::int32_t c = index.objectClasses[i];
            const std::uint32_t n = index.objectCounts[i];
            if (c >= 0 && (n > best || (n == best && c < labels[row]))) {
                best = n;
                labels[row] = c;
            }
        }
    }
    return labels;
}

void addFolder(const store::SampleIndex &index, const std::vector<std::int32_t> &labels,
               const SliceParameters &parameters, std::vector<RawAttribute> &attributes)
{
    CategoricalBuilder folder(QStringLiteral("folder"), QStringLiteral("path"), index.size());
    const int depth = std::max(parameters.folderDepth, 0);
    bool repeatsSplit = !index.splits.isEmpty();
    bool isLabel = true;
    std::int64_t labelledWithFolder = 0;
    for (size_t row = 0; row < index.size(); ++row) {
        const std::string_view path = index.path(row);
        size_t start = 0;
        QString component;
        for (int level = 0;; ++level) {
            const size_t slash = path.find('/', start);
            if (slash == std::string_view::npos)
                break; // the file name itself is never the folder
            if (level == depth) {
                component = QString::fromUtf8(path.data() + start, qsizetype(slash - start));
                break;
            }
            start = slash + 1;
        }
        folder.set(row, component);
        const QString split = index.splitIndex[row] >= 0 ? index.splits[index.splitIndex[row]]
                                                         : QString();
        repeatsSplit = repeatsSplit && component == split;
        if (!component.isEmpty() && labels[row] >= 0) {
            ++labelledWithFolder;
            isLabel = isLabel && component == index.classes[labels[row]];
        }
    }
    if (folder.empty() || repeatsSplit)
        return;
    folder.attribute().labelSource = isLabel && labelledWithFolder > 0;
    attributes.push_back(folder.take());
}

void addImported(const store::SampleIndex &index, store::Database &db,
                 std::vector<RawAttribute> &attributes)
{
    QHash<QString, QString> originOf;
    store::Statement list(db, "SELECT name, origin FROM attributes ORDER BY id");
    QStringList order;
    while (list.step()) {
        originOf.insert(list.text(0), list.text(1));
        order << list.text(0);
    }
    static const QSet<QString> builtIn = {
        QStringLiteral("split"),      QStringLiteral("folder"),     QStringLiteral("format"),
        QStringLiteral("colour"),     QStringLiteral("brightness"), QStringLiteral("contrast"),
        QStringLiteral("sharpness"),  QStringLiteral("width"),      QStringLiteral("height"),
        QStringLiteral("megapixels"), QStringLiteral("aspect"),     QStringLiteral("file_size"),
        QStringLiteral("duplicate")};
    for (const QString &name : order) {
        const QString key = QStringLiteral("attr:") + name;
        const QString origin = originOf.value(name);
        const QString shown = builtIn.contains(name) ? QStringLiteral("%1 (%2)").arg(name, origin)
                                                     : name;
        const int text = index.textColumn(key);
        if (text >= 0) {
            const store::SampleIndex::TextColumn &column = index.text[size_t(text)];
            RawAttribute attribute;
            attribute.name = shown;
            attribute.origin = origin;
            attribute.values = column.dictionary;
            attribute.codes = column.codes;
            if (std::any_of(attribute.codes.begin(), attribute.codes.end(),
                            [](std::int32_t c) { return c >= 0; }))
                attributes.push_back(std::move(attribute));
            continue;
        }
        const int number = index.numericColumn(key);
        if (number >= 0 && !allMissing(index.numeric[size_t(number)].values))
            attributes.push_back(numeric(shown, origin, index.numeric[size_t(number)].values));
    }
}

// File format and colour mode from the stored features (not in the index).
void addFormatAndColour(const store::SampleIndex &index, store::Database &db,
                        std::vector<RawAttribute> &attributes)
{
    CategoricalBuilder format(QStringLiteral("format"), QStringLiteral("scan"), index.size());
    CategoricalBuilder colour(QStringLiteral("colour"), QStringLiteral("scan"), index.size());
    store::Statement features(db, "SELECT sample_id, real_type, channels, grayscale FROM features "
                                  "WHERE status = 0 ORDER BY sample_id");
    while (features.step()) {
        const std::int64_t row = rowOf(index.ids, features.int64(0));
        if (row < 0)
            continue;
        format.set(size_t(row), features.text(1));
        const bool gray = !features.isNull(3) && features.int64(3) != 0;
        const std::int64_t channels = features.int64(2);
        colour.set(size_t(row), gray ? QStringLiteral("gray")
                                : channels == 4 ? QStringLiteral("RGBA")
                                                : QStringLiteral("RGB"));
    }
    if (!format.empty())
        attributes.push_back(format.take());
    if (!colour.empty())
        attributes.push_back(colour.take());
}

void addDuplicates(const store::SampleIndex &index, store::Database &db, SliceData &data)
{
    if (!db.queryInt("SELECT EXISTS(SELECT 1 FROM duplicate_members)"))
        return;
    CategoricalBuilder member(QStringLiteral("duplicate"), QStringLiteral("duplicates"),
                              index.size());
    for (size_t row = 0; row < index.size(); ++row) {
        if (index.scanState[row] == store::SampleIndex::Measured)
            member.set(row, QStringLiteral("no"));
    }
    data.duplicateCopy.assign(index.size(), 0);
    // Members in cluster order, lowest id first: the first of an exact cluster is kept.
    store::Statement members(db, "SELECT sample_id, cluster, kind FROM duplicate_members "
                                 "ORDER BY cluster, sample_id");
    std::int64_t cluster = -1;
    while (members.step()) {
        const std::int64_t row = rowOf(index.ids, members.int64(0));
        const bool first = members.int64(1) != cluster;
        cluster = members.int64(1);
        if (row < 0)
            continue;
        member.set(size_t(row), QStringLiteral("yes"));
        if (members.int64(2) == 0 && !first)
            data.duplicateCopy[size_t(row)] = 1;
    }
    data.attributes.push_back(member.take());
}

void addQualityFlags(const store::SampleIndex &index, std::vector<RawAttribute> &attributes)
{
    const std::pair<QString, QString> flags[] = {
        {issuekind::dark, QStringLiteral("dark")},
        {issuekind::bright, QStringLiteral("bright")},
        {issuekind::blurry, QStringLiteral("blurry")},
        {issuekind::oddAspectRatio, QStringLiteral("odd aspect")},
        {issuekind::grayscale, QStringLiteral("grayscale")},
        {issuekind::lowInformation, QStringLiteral("low information")},
    };
    for (const auto &[kind, name] : flags) {
        const qsizetype bit = index.issueKinds.indexOf(kind);
        if (bit < 0)
            continue;
        CategoricalBuilder flag(name, QStringLiteral("quality"), index.size());
        for (size_t row = 0; row < index.size(); ++row) {
            if (index.scanState[row] != store::SampleIndex::Measured)
                continue;
            flag.set(row, index.issueMask[row] & (1u << bit) ? QStringLiteral("yes")
                                                              : QStringLiteral("no"));
        }
        attributes.push_back(flag.take());
    }
}

void addPredictions(const store::SampleIndex &index, store::Database &db, SliceData &data)
{
    if (!db.queryInt("SELECT EXISTS(SELECT 1 FROM predictions)"))
        return;
    QHash<QString, std::int32_t> classOf;
    for (qsizetype c = 0; c < index.classes.size(); ++c)
        classOf.insert(index.classes[c], std::int32_t(c));
    data.predictions.assign(index.size(), noPrediction);
    store::Statement predictions(db, "SELECT sample_id, predicted FROM predictions");
    while (predictions.step()) {
        const std::int64_t row = rowOf(index.ids, predictions.int64(0));
        if (row >= 0)
            data.predictions[size_t(row)] = classOf.value(predictions.text(1), unknownPrediction);
    }
}

} // namespace

SliceData sliceDataFromIndex(const store::SampleIndex &index, store::Database &db,
                             const SliceParameters &parameters)
{
    SliceData data;
    data.sampleIds = index.ids;
    data.classes = index.classes;
    data.labels = labelsOf(index);
    const size_t rows = index.size();

    if (!index.splits.isEmpty()) {
        CategoricalBuilder split(QStringLiteral("split"), QStringLiteral("split"), rows);
        for (size_t row = 0; row < rows; ++row) {
            if (index.splitIndex[row] >= 0)
                split.set(row, index.splits[index.splitIndex[row]]);
        }
        data.attributes.push_back(split.take());
    }
    addFolder(index, data.labels, parameters, data.attributes);
    addImported(index, db, data.attributes);
    addFormatAndColour(index, db, data.attributes);

    const std::pair<const char *, const char *> features[] = {
        {"brightness", "brightness"}, {"contrast", "contrast"}, {"sharpness", "sharpness"},
        {"width", "width"},           {"height", "height"},     {"megapixels", "megapixels"},
        {"aspect", "aspect"},         {"file_size", "file_size"}};
    for (const auto &[key, name] : features) {
        const int column = index.numericColumn(QString::fromLatin1(key));
        if (column < 0 || allMissing(index.numeric[size_t(column)].values))
            continue;
        const bool aspect = qstrcmp(key, "aspect") == 0;
        data.attributes.push_back(numeric(QString::fromLatin1(name), QStringLiteral("scan"),
                                          index.numeric[size_t(column)].values,
                                          aspect ? RawAttribute::Kind::Aspect
                                                 : RawAttribute::Kind::Numeric));
    }
    addDuplicates(index, db, data);
    addQualityFlags(index, data.attributes);
    addPredictions(index, db, data);
    return data;
}

SliceData loadSliceData(store::Database &db, const SliceParameters &parameters)
{
    const auto index = store::SampleIndex::load(db);
    return sliceDataFromIndex(*index, db, parameters);
}

} // namespace assay::analysis::bias
