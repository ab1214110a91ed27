#include "startpage.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace assay::ui {

StartPage::StartPage(QWidget *parent)
    : QWidget(parent), m_recent(new QListWidget(this)), m_demo(new QPushButton(this))
{
    auto *outer = new QHBoxLayout(this);
    outer->addStretch(1);
    auto *column = new QVBoxLayout;
    outer->addLayout(column, 2);
    outer->addStretch(1);

    column->addStretch(2);
    auto *title = new QLabel(tr("<h1>Assay</h1><p>Inspect machine-learning image datasets: "
                                "browse them, find what is wrong, fix labels, document.</p>"));
    title->setAlignment(Qt::AlignCenter);
    column->addWidget(title);

    auto *buttons = new QHBoxLayout;
    auto *importButton = new QPushButton(tr("Import dataset…"));
    auto *openButton = new QPushButton(tr("Open project…"));
    m_demo->setText(tr("Open the Fashion-MNIST demo"));
    for (QPushButton *button : {importButton, openButton, m_demo}) {
        button->setMinimumHeight(40);
        buttons->addWidget(button);
    }
    column->addLayout(buttons);
    auto *hint = new QLabel(tr("Or drop a dataset folder, a CSV manifest or a .assay project "
                               "onto this window."));
    hint->setAlignment(Qt::AlignCenter);
    hint->setEnabled(false);
    column->addWidget(hint);
    column->addSpacing(24);

    auto *recentTitle = new QLabel(tr("<b>Recent projects</b>"));
    column->addWidget(recentTitle);
    m_recent->setObjectName(QStringLiteral("recentProjects"));
    m_recent->setMinimumHeight(160);
    column->addWidget(m_recent);
    column->addStretch(3);

    connect(importButton, &QPushButton::clicked, this, &StartPage::importRequested);
    connect(openButton, &QPushButton::clicked, this, &StartPage::openRequested);
    connect(m_demo, &QPushButton::clicked, this, &StartPage::demoRequested);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit recentChosen(item->data(Qt::UserRole).toString());
    });
}

void StartPage::setRecentProjects(const QStringList &paths)
{
    m_recent->clear();
    for (const QString &path : paths) {
        const QFileInfo info(path);
        auto *item = new QListWidgetItem(tr("%1\n%2").arg(info.fileName(), info.absolutePath()),
                                         m_recent);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
        if (!info.exists()) {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setText(tr("%1 (missing)\n%2").arg(info.fileName(), info.absolutePath()));
        }
    }
    if (paths.isEmpty()) {
        auto *item = new QListWidgetItem(tr("No recent projects yet."), m_recent);
        item->setFlags(Qt::NoItemFlags);
    }
}

void StartPage::setDemoAvailable(bool available)
{
    m_demo->setVisible(available);
}

} // namespace assay::ui
