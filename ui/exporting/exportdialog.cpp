#include "exportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace assay::ui {

namespace {

QString titleOf(exporting::Target target)
{
    switch (target) {
    case exporting::Target::Coco: return QObject::tr("COCO instances (JSON)");
    case exporting::Target::Voc: return QObject::tr("Pascal VOC (XML)");
    case exporting::Target::Yolo: return QObject::tr("YOLO (Ultralytics)");
    case exporting::Target::ImageFolder: return QObject::tr("ImageFolder (class folders)");
    case exporting::Target::Csv: return QObject::tr("CSV manifest");
    }
    return {};
}

bool isInside(const QString &path, const QString &folder)
{
    const QString a = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const QString b = QDir::cleanPath(folder);
    return a == b || a.startsWith(b + u'/');
}

} // namespace

ExportDialog::ExportDialog(const QString &ownFormat, const QString &datasetRoot, QWidget *parent)
    : QDialog(parent), m_ownFormat(ownFormat), m_datasetRoot(datasetRoot),
      m_format(new QComboBox(this)), m_folder(new QLineEdit(this)),
      m_browse(new QPushButton(tr("Browse…"), this)),
      m_inPlace(new QCheckBox(tr("Write back into the dataset itself (a backup is made first)"),
                              this)),
      m_images(new QComboBox(this)), m_explain(new QLabel(this)), m_export(nullptr),
      m_confirm([this](const QString &question) {
          return QMessageBox::question(this, tr("Write Back Into the Dataset"), question,
                                       QMessageBox::Yes | QMessageBox::Cancel,
                                       QMessageBox::Cancel)
                 == QMessageBox::Yes;
      })
{
    setWindowTitle(tr("Export Dataset"));
    for (int i = 0; i <= int(exporting::Target::Csv); ++i) {
        const auto target = exporting::Target(i);
        QString title = titleOf(target);
        if (exporting::targetName(target) == ownFormat)
            title += tr(" — its own format");
        m_format->addItem(title, exporting::targetName(target));
    }
    const int own = m_format->findData(ownFormat);
    m_format->setCurrentIndex(own >= 0 ? own : 0);
    m_folder->setPlaceholderText(tr("A new or empty folder outside the dataset"));
    m_images->addItem(tr("Copy them"), int(exporting::ImageCopy::Copy));
    m_images->addItem(tr("Hard-link them (same disk, no extra space)"),
                      int(exporting::ImageCopy::Link));
    m_images->addItem(tr("Leave them out (annotations only)"), int(exporting::ImageCopy::None));
    m_explain->setWordWrap(true);
    m_explain->setMinimumWidth(460);

    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    auto *into = new QLabel(tr("Export &into:"), this);
    into->setBuddy(m_folder); // a row holding a layout gets no buddy by itself
    form->addRow(into, folderRow);
    form->addRow(QString(), m_inPlace);
    form->addRow(tr("&Images:"), m_images);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_export = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_explain);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Export into"));
        if (!folder.isEmpty())
            m_folder->setText(folder);
    });
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::update);
    connect(m_folder, &QLineEdit::textChanged, this, &ExportDialog::update);
    connect(m_inPlace, &QCheckBox::toggled, this, &ExportDialog::update);
    update();
}

exporting::ExportOptions ExportDialog::options() const
{
    exporting::ExportOptions options;
    options.target = exporting::parseTarget(m_format->currentData().toString())
                         .value_or(exporting::Target::Coco);
    options.inPlace = m_inPlace->isEnabled() && m_inPlace->isChecked();
    options.outDir = options.inPlace ? QString() : m_folder->text().trimmed();
    options.images = exporting::ImageCopy(m_images->currentData().toInt());
    return options;
}

void ExportDialog::accept()
{
    if (options().inPlace
        && !m_confirm(tr("The dataset's files in %1 will be changed where you edited them (and, "
                         "for class folders, images moved). The files replaced are copied to "
                         "%1/.assay-backup/ first.\n\nWrite back into the dataset?")
                          .arg(m_datasetRoot)))
        return; // the dialog stays open
    QDialog::accept();
}

QString ExportDialog::problem() const
{
    const exporting::ExportOptions chosen = options();
    if (chosen.inPlace)
        return {};
    if (chosen.outDir.isEmpty())
        return tr("Choose a folder to export into.");
    if (isInside(chosen.outDir, m_datasetRoot) || isInside(m_datasetRoot, chosen.outDir))
        return tr("The folder must be outside the dataset (%1).").arg(m_datasetRoot);
    const QDir dir(chosen.outDir);
    if (dir.exists() && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return tr("The folder is not empty; choose a new or empty one.");
    return {};
}

void ExportDialog::update()
{
    const bool own = m_format->currentData().toString() == m_ownFormat;
    m_inPlace->setEnabled(own);
    const bool inPlace = own && m_inPlace->isChecked();
    m_folder->setEnabled(!inPlace);
    m_browse->setEnabled(!inPlace);
    m_images->setEnabled(!inPlace);
    QString text = own ? tr("The dataset's own files are written with only the records you "
                            "edited changed; everything else is copied byte for byte.")
                       : tr("A new dataset is written in this format. What it cannot hold "
                            "(polygons in VOC, objects in ImageFolder, …) is listed in the "
                            "report, never dropped silently.");
    if (inPlace)
        text += tr(" The files replaced are first copied to %1/.assay-backup/.").arg(m_datasetRoot);
    const QString why = problem();
    if (!why.isEmpty())
        text += QStringLiteral("<br><span style='color:#b00'>%1</span>").arg(why.toHtmlEscaped());
    m_explain->setText(text);
    m_export->setEnabled(why.isEmpty());
    m_export->setText(inPlace ? tr("&Write Back…") : tr("&Export"));
}

} // namespace assay::ui
