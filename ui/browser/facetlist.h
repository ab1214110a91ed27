#pragma once

#include <QWidget>

#include <cstdint>
#include <vector>

class QLabel;
class QTreeWidget;

namespace assay::ui {

// One facet of the filter dock: a title and checkable values with their counts. Nothing checked
// means "any value".
class FacetList : public QWidget
{
    Q_OBJECT
public:
    explicit FacetList(const QString &title, QWidget *parent = nullptr);

    // Values with their ids (ids are what checked() returns: class or split indices, codes...).
    void setValues(const QStringList &labels, const std::vector<int> &ids);
    void setCounts(const std::vector<std::int64_t> &countsById, int idOffset = 0);
    std::vector<int> checked() const;
    void setChecked(const std::vector<int> &ids);
    bool isEmpty() const;
    QTreeWidget *tree() const { return m_tree; }

signals:
    void changed();

private:
    void fitHeight();

    QLabel *m_title;
    QTreeWidget *m_tree;
    bool m_updating = false;
};

} // namespace assay::ui
