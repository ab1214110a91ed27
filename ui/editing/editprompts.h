#pragma once

#include <QDialog>
#include <QStringList>

class QLineEdit;
class QListWidget;

namespace assay::ui {

// A searchable list of classes: typing filters it (any part of the name, any case), Up/Down
// move, Enter takes the highlighted class, a double click takes the clicked one.
class ClassPicker : public QDialog
{
    Q_OBJECT
public:
    ClassPicker(const QStringList &classes, const QString &title, QWidget *parent = nullptr);

    QString chosenClass() const; // empty when none is highlighted
    QLineEdit *searchBox() const { return m_search; }
    QListWidget *list() const { return m_list; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void filter(const QString &text);

    QLineEdit *m_search;
    QListWidget *m_list;
};

// The questions edits ask (which class, which tag, which split). Tests answer them in advance:
// presetEditAnswers() queues answers that the next questions take instead of showing a dialog
// (an empty answer is "canceled").
void presetEditAnswers(const QStringList &answers);
// Empty when canceled.
QString askClass(QWidget *parent, const QStringList &classes, const QString &title);
// A name, typed or chosen from `suggestions` (an editable list); empty when canceled.
QString askName(QWidget *parent, const QString &title, const QString &label,
                const QStringList &suggestions);

} // namespace assay::ui
