#include "editprompts.h"

#include "common/classcolors.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>

namespace assay::ui {

namespace {
QStringList &presetAnswers()
{
    static QStringList answers;
    return answers;
}

bool takePreset(QString &answer)
{
    if (presetAnswers().isEmpty())
        return false;
    answer = presetAnswers().takeFirst();
    return true;
}
} // namespace

ClassPicker::ClassPicker(const QStringList &classes, const QString &title, QWidget *parent)
    : QDialog(parent), m_search(new QLineEdit), m_list(new QListWidget)
{
    setWindowTitle(title);
    setObjectName(QStringLiteral("classPicker"));
    m_search->setPlaceholderText(tr("Type to search %n classes", nullptr, int(classes.size())));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    for (qsizetype i = 0; i < classes.size(); ++i) {
        // The review mode's keys 1–9 first, then the class in its colour.
        auto *item =
            new QListWidgetItem(i < 9 ? QStringLiteral("%1   %2").arg(i + 1).arg(classes[i])
                                      : QStringLiteral("     %1").arg(classes[i]),
                                m_list);
        QPixmap dot(12, 12);
        dot.fill(Qt::transparent);
        QPainter painter(&dot);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(classColor(classes[i]));
        painter.drawEllipse(1, 1, 10, 10);
        painter.end();
        item->setIcon(QIcon(dot));
        item->setData(Qt::UserRole, classes[i]);
    }
    m_list->setCurrentRow(0);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    resize(320, 360);
    connect(m_search, &QLineEdit::textChanged, this, &ClassPicker::filter);
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (!chosenClass().isEmpty())
            accept();
    });
    connect(m_list, &QListWidget::itemActivated, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!chosenClass().isEmpty())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

// Up, Down, Page Up and Page Down in the search box move through the list.
bool ClassPicker::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        switch (static_cast<QKeyEvent *>(event)->key()) {
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_PageUp:
        case Qt::Key_PageDown:
            QCoreApplication::sendEvent(m_list, event);
            return true;
        default:
            break;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void ClassPicker::filter(const QString &text)
{
    int first = -1;
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        const bool shown = item->data(Qt::UserRole).toString().contains(text, Qt::CaseInsensitive);
        item->setHidden(!shown);
        if (shown && first < 0)
            first = row;
    }
    m_list->setCurrentRow(first);
}

QString ClassPicker::chosenClass() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item && !item->isHidden() ? item->data(Qt::UserRole).toString() : QString();
}

void presetEditAnswers(const QStringList &answers)
{
    presetAnswers() = answers;
}

QString askClass(QWidget *parent, const QStringList &classes, const QString &title)
{
    QString answer;
    if (takePreset(answer))
        return answer;
    ClassPicker picker(classes, title, parent);
    return picker.exec() == QDialog::Accepted ? picker.chosenClass() : QString();
}

QString askName(QWidget *parent, const QString &title, const QString &label,
                const QStringList &suggestions)
{
    QString answer;
    if (takePreset(answer))
        return answer;
    bool ok = false;
    answer = QInputDialog::getItem(parent, title, label, suggestions, 0, true, &ok);
    return ok ? answer.trimmed() : QString();
}

} // namespace assay::ui
