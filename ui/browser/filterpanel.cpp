#include "filterpanel.h"

#include "facetlist.h"

#include "panels/qualitypanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPalette>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <numeric>

namespace assay::ui {

struct FilterPanel::RangeRow
{
    QWidget *widget = nullptr;
    QString key;
    QDoubleSpinBox *low = nullptr;
    QDoubleSpinBox *high = nullptr;
};

namespace {
std::vector<int> sequence(qsizetype count, bool withMissing)
{
    std::vector<int> ids(static_cast<size_t>(count));
    std::iota(ids.begin(), ids.end(), 0);
    if (withMissing)
        ids.push_back(-1);
    return ids;
}
} // namespace

FilterPanel::FilterPanel(QWidget *parent)
    : QWidget(parent), m_search(new QLineEdit(this)), m_searchDelay(new QTimer(this)),
      m_clear(new QPushButton(tr("Clear filters"), this)), m_matched(new QLabel(this)),
      m_classes(new FacetList(tr("Classes"), this)), m_splits(new FacetList(tr("Splits"), this)),
      m_issues(new FacetList(tr("Issues"), this)), m_tags(new FacetList(tr("Tags"), this)),
      m_textFacets(new QVBoxLayout), m_addRange(new QComboBox(this)), m_ranges(new QVBoxLayout),
      m_setRow(new QWidget(this)), m_setLabel(new QLabel(m_setRow))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_search->setPlaceholderText(tr("Search paths…"));
    m_search->setClearButtonEnabled(true);
    m_search->setObjectName(QStringLiteral("pathSearch"));
    layout->addWidget(m_search);
    auto *row = new QHBoxLayout;
    row->addWidget(m_matched, 1);
    row->addWidget(m_clear);
    layout->addLayout(row);
    m_clear->setToolTip(tr("Show every sample (Ctrl+Shift+A)"));

    // A set of samples chosen elsewhere (a duplicate cluster): shown as one removable filter.
    m_setRow->setObjectName(QStringLiteral("sampleSetRow"));
    m_setRow->setAutoFillBackground(true);
    QPalette highlight = m_setRow->palette();
    highlight.setColor(QPalette::Window, highlight.color(QPalette::AlternateBase));
    m_setRow->setPalette(highlight);
    auto *setLayout = new QHBoxLayout(m_setRow);
    setLayout->setContentsMargins(6, 3, 3, 3);
    m_setLabel->setWordWrap(true);
    setLayout->addWidget(m_setLabel, 1);
    auto *dropSet = new QToolButton(m_setRow);
    dropSet->setText(QStringLiteral("✕"));
    dropSet->setAutoRaise(true);
    dropSet->setToolTip(tr("Show every sample again, not only these"));
    setLayout->addWidget(dropSet);
    connect(dropSet, &QToolButton::clicked, this, [this] {
        m_setIds.clear();
        m_setName.clear();
        m_setRow->hide();
        emit filtersEdited();
    });
    m_setRow->hide();
    layout->addWidget(m_setRow);
    m_edited = new QComboBox(this);
    m_edited->setObjectName(QStringLiteral("editedSince"));
    m_edited->addItem(tr("Edited since…"));
    m_edited->addItem(tr("Edited in this session"), QStringLiteral("session"));
    m_edited->addItem(tr("Edited in the last hour"), QStringLiteral("hour"));
    m_edited->addItem(tr("Edited today"), QStringLiteral("today"));
    m_edited->addItem(tr("Ever edited"), QStringLiteral("ever"));
    m_edited->setToolTip(tr("Only the samples whose class, tags, split or flags a person "
                            "changed (the edit journal)"));
    layout->addWidget(m_edited);
    connect(m_edited, &QComboBox::activated, this, [this](int chosen) {
        const QString since = m_edited->itemData(chosen).toString();
        m_edited->setCurrentIndex(0); // a one-off choice: the set shows in the row above
        if (!since.isEmpty())
            emit editedSinceChosen(since);
    });
    for (FacetList *facet : {m_classes, m_splits, m_issues, m_tags}) {
        layout->addWidget(facet);
        connect(facet, &FacetList::changed, this, [this] {
            if (!m_updating)
                emit filtersEdited();
        });
    }
    layout->addLayout(m_textFacets);
    auto *rangeTitle = new QLabel(tr("Ranges"), this);
    QFont bold = rangeTitle->font();
    bold.setBold(true);
    rangeTitle->setFont(bold);
    layout->addWidget(rangeTitle);
    layout->addLayout(m_ranges);
    m_addRange->setToolTip(tr("Filter by a measured value or a numeric attribute"));
    layout->addWidget(m_addRange);
    layout->addStretch(1);

    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &FilterPanel::filtersEdited);
    connect(m_clear, &QPushButton::clicked, this, [this] {
        setQuery({});
        emit filtersEdited();
    });
    connect(m_addRange, &QComboBox::activated, this, [this](int item) {
        if (item <= 0 || !m_index)
            return;
        const QString key = m_addRange->itemData(item).toString();
        m_addRange->setCurrentIndex(0);
        const int column = m_index->numericColumn(key);
        float low = INFINITY, high = -INFINITY;
        for (float v : m_index->numeric[size_t(column)].values) {
            if (!std::isnan(v)) {
                low = std::min(low, v);
                high = std::max(high, v);
            }
        }
        if (low > high)
            low = high = 0;
        addRange(key, low, high);
        emit filtersEdited();
    });
}

void FilterPanel::setIndex(const store::SampleIndex *index)
{
    const store::IndexQuery kept = filters();
    m_index = index;
    m_updating = true;
    QStringList classLabels = index ? index->classes : QStringList();
    // Detection datasets: a sample is in a class when it has an object of that class; "(no
    // class)" holds images without objects and objects of no known category.
    classLabels << (index && index->hasObjects() ? tr("(no class)") : tr("(unlabeled)"));
    m_classes->setValues(index ? classLabels : QStringList(),
                         sequence(index ? index->classes.size() : 0, true));
    QStringList splitLabels = index ? index->splits : QStringList();
    splitLabels << tr("(no split)");
    m_splits->setValues(index && !index->splits.isEmpty() ? splitLabels : QStringList(),
                        sequence(index ? index->splits.size() : 0, true));
    QStringList issueLabels;
    if (index)
        for (const QString &kind : index->issueKinds)
            issueLabels << issueKindTitle(kind);
    m_issues->setValues(issueLabels, sequence(issueLabels.size(), false));
    m_tags->setValues(index ? index->tags : QStringList(),
                      sequence(index ? index->tags.size() : 0, false));
    rebuildTextFacets();
    m_addRange->clear();
    m_addRange->addItem(tr("Add a range filter…"));
    if (index)
        for (const auto &column : index->numeric)
            m_addRange->addItem(column.title, column.key);
    m_updating = false;
    setQuery(kept);
}

void FilterPanel::rebuildTextFacets()
{
    for (auto &[key, list] : m_textLists)
        delete list;
    m_textLists.clear();
    if (!m_index)
        return;
    for (const auto &column : m_index->text) {
        // Attributes with very many distinct values (ids, file names) make poor facets.
        if (column.dictionary.size() > 200)
            continue;
        auto *list = new FacetList(column.title, this);
        QStringList labels = column.dictionary;
        labels << tr("(missing)");
        list->setValues(labels, sequence(column.dictionary.size(), true));
        connect(list, &FacetList::changed, this, [this] {
            if (!m_updating)
                emit filtersEdited();
        });
        m_textFacets->addWidget(list);
        m_textLists.emplace_back(column.key, list);
    }
}

void FilterPanel::addRange(const QString &key, double low, double high)
{
    auto *rowWidget = new QWidget(this);
    auto *layout = new QHBoxLayout(rowWidget);
    layout->setContentsMargins(0, 0, 0, 0);
    const int column = m_index ? m_index->numericColumn(key) : -1;
    auto *title = new QLabel(column >= 0 ? m_index->numeric[size_t(column)].title : key, rowWidget);
    auto *lowBox = new QDoubleSpinBox(rowWidget);
    auto *highBox = new QDoubleSpinBox(rowWidget);
    for (QDoubleSpinBox *box : {lowBox, highBox}) {
        box->setRange(-1e12, 1e12);
        box->setDecimals(2);
        box->setKeyboardTracking(false);
        box->setMinimumWidth(70);
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] {
            if (!m_updating)
                emit filtersEdited();
        });
    }
    lowBox->setValue(low);
    highBox->setValue(high);
    auto *remove = new QToolButton(rowWidget);
    remove->setText(QStringLiteral("×"));
    remove->setToolTip(tr("Remove this range filter"));
    layout->addWidget(title, 1);
    layout->addWidget(lowBox);
    layout->addWidget(new QLabel(QStringLiteral("–"), rowWidget));
    layout->addWidget(highBox);
    layout->addWidget(remove);
    m_ranges->addWidget(rowWidget);
    m_rangeRows.push_back(new RangeRow{rowWidget, key, lowBox, highBox});
    connect(remove, &QToolButton::clicked, this, [this, rowWidget] {
        removeRange(rowWidget);
        emit filtersEdited();
    });
}

void FilterPanel::removeRange(QWidget *row)
{
    for (auto it = m_rangeRows.begin(); it != m_rangeRows.end(); ++it) {
        if ((*it)->widget == row) {
            delete *it;
            m_rangeRows.erase(it);
            break;
        }
    }
    row->deleteLater();
}

void FilterPanel::setQuery(const store::IndexQuery &query)
{
    m_updating = true;
    m_search->blockSignals(true);
    m_search->setText(query.pathContains);
    m_search->blockSignals(false);
    m_classes->setChecked(query.classes);
    m_splits->setChecked(query.splits);
    m_issues->setChecked(query.issueKinds);
    m_tags->setChecked(query.tags);
    for (auto &[key, list] : m_textLists) {
        std::vector<int> codes;
        for (const auto &values : query.values)
            if (values.key == key)
                codes = values.codes;
        list->setChecked(codes);
    }
    while (!m_rangeRows.empty())
        removeRange(m_rangeRows.back()->widget);
    for (const auto &range : query.ranges)
        addRange(range.key, range.low, range.high);
    m_setIds = query.sampleIds;
    m_setName = query.sampleSet;
    m_setLabel->setText(tr("Only %1 (%n sample(s))", nullptr, int(m_setIds.size()))
                            .arg(m_setName.isEmpty() ? tr("a chosen set") : m_setName));
    m_setRow->setVisible(!m_setIds.empty());
    m_updating = false;
}

void FilterPanel::setCounts(const store::FacetCounts &counts, qint64 matched, qint64 total)
{
    // The counts keep "unlabeled", "no split" and "(missing)" (id -1) last; the lists index
    // counts by id + 1, so that slot moves to the front.
    auto shiftMissing = [](std::vector<std::int64_t> values) {
        if (!values.empty())
            std::rotate(values.rbegin(), values.rbegin() + 1, values.rend());
        return values;
    };
    m_classes->setCounts(shiftMissing(counts.classes), 1);
    m_splits->setCounts(shiftMissing(counts.splits), 1);
    m_issues->setCounts(counts.issueKinds, 0);
    m_tags->setCounts(counts.tags, 0);
    if (m_index) {
        for (auto &[key, list] : m_textLists) {
            const int column = m_index->textColumn(key);
            if (column >= 0 && size_t(column) < counts.values.size())
                list->setCounts(shiftMissing(counts.values[size_t(column)]), 1);
        }
    }
    const QLocale locale;
    m_matched->setText(matched == total ? tr("All %1 samples").arg(locale.toString(total))
                                        : tr("%1 of %2 samples")
                                              .arg(locale.toString(matched),
                                                   locale.toString(total)));
    m_clear->setEnabled(matched != total || filters().hasFilters());
}

store::IndexQuery FilterPanel::filters() const
{
    store::IndexQuery query;
    query.pathContains = m_search->text().trimmed();
    query.classes = m_classes->checked();
    query.splits = m_splits->checked();
    query.issueKinds = m_issues->checked();
    query.tags = m_tags->checked();
    for (const auto &[key, list] : m_textLists) {
        std::vector<int> codes = list->checked();
        if (!codes.empty())
            query.values.push_back({key, codes});
    }
    for (const RangeRow *row : m_rangeRows)
        query.ranges.push_back({row->key, row->low->value(), row->high->value()});
    query.sampleIds = m_setIds;
    query.sampleSet = m_setName;
    return query;
}

} // namespace assay::ui
