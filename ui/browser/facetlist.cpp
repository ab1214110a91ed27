#include "facetlist.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace assay::ui {

namespace {
constexpr int idRole = Qt::UserRole + 1;
constexpr int maxVisibleRows = 10;
} // namespace

FacetList::FacetList(const QString &title, QWidget *parent)
    : QWidget(parent), m_title(new QLabel(title, this)), m_tree(new QTreeWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->setSpacing(2);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);
    layout->addWidget(m_tree);
    m_tree->setColumnCount(2);
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->setSelectionMode(QAbstractItemView::NoSelection);
    m_tree->setFocusPolicy(Qt::TabFocus);
    connect(m_tree, &QTreeWidget::itemChanged, this, [this] {
        if (!m_updating)
            emit changed();
    });
    // A click anywhere on the row toggles it, not only on the box.
    connect(m_tree, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item, int column) {
        if (column != 0)
            item->setCheckState(0, item->checkState(0) == Qt::Checked ? Qt::Unchecked
                                                                      : Qt::Checked);
    });
}

void FacetList::setValues(const QStringList &labels, const std::vector<int> &ids)
{
    m_updating = true;
    m_tree->clear();
    for (qsizetype i = 0; i < labels.size(); ++i) {
        auto *item = new QTreeWidgetItem(m_tree, {labels[i], QString()});
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(0, Qt::Unchecked);
        item->setData(0, idRole, ids[size_t(i)]);
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(0, labels[i]);
    }
    m_updating = false;
    setVisible(!labels.isEmpty());
    fitHeight();
}

void FacetList::setCounts(const std::vector<std::int64_t> &countsById, int idOffset)
{
    const QLocale locale;
    m_updating = true;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tree->topLevelItem(i);
        const int slot = item->data(0, idRole).toInt() + idOffset;
        const std::int64_t n = slot >= 0 && size_t(slot) < countsById.size()
                                   ? countsById[size_t(slot)]
                                   : 0;
        item->setText(1, locale.toString(qlonglong(n)));
        item->setForeground(0, n == 0 && item->checkState(0) != Qt::Checked
                                   ? palette().brush(QPalette::Disabled, QPalette::Text)
                                   : palette().brush(QPalette::Text));
    }
    m_updating = false;
}

std::vector<int> FacetList::checked() const
{
    std::vector<int> ids;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_tree->topLevelItem(i);
        if (item->checkState(0) == Qt::Checked)
            ids.push_back(item->data(0, idRole).toInt());
    }
    return ids;
}

void FacetList::setChecked(const std::vector<int> &ids)
{
    m_updating = true;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tree->topLevelItem(i);
        const bool on = std::find(ids.begin(), ids.end(), item->data(0, idRole).toInt())
                        != ids.end();
        item->setCheckState(0, on ? Qt::Checked : Qt::Unchecked);
    }
    m_updating = false;
}

bool FacetList::isEmpty() const
{
    return m_tree->topLevelItemCount() == 0;
}

void FacetList::fitHeight()
{
    const int rows = std::min(m_tree->topLevelItemCount(), maxVisibleRows);
    const int rowHeight = std::max(18, m_tree->sizeHintForRow(0));
    m_tree->setFixedHeight(rows * rowHeight + 2 * m_tree->frameWidth() + 2);
}

} // namespace assay::ui
