#pragma once

#include "export/exporter.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace assay::ui {

// Chooses how to export a project's dataset: the format (its own, or another), a new output
// folder or write-back in place, and how images reach the output.
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    // `ownFormat` is the dataset's format ("coco", ...); `datasetRoot` where it lives.
    ExportDialog(const QString &ownFormat, const QString &datasetRoot, QWidget *parent = nullptr);

    exporting::ExportOptions options() const;

    // For tests and scripting.
    QComboBox *formatBox() const { return m_format; }
    QLineEdit *folderEdit() const { return m_folder; }
    QCheckBox *inPlaceBox() const { return m_inPlace; }
    QPushButton *exportButton() const { return m_export; }
    QString problem() const; // why Export is disabled, or empty

    // Writing back into the dataset asks first; `confirm` gets the question and answers it
    // (a message box by default; tests answer it themselves).
    using Confirm = std::function<bool(const QString &question)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

    void accept() override;

private:
    void update();

    QString m_ownFormat;
    QString m_datasetRoot;
    QComboBox *m_format;
    QLineEdit *m_folder;
    QPushButton *m_browse;
    QCheckBox *m_inPlace;
    QComboBox *m_images;
    QLabel *m_explain;
    QPushButton *m_export;
    Confirm m_confirm;
};

} // namespace assay::ui
