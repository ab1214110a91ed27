#pragma once

#include <QSet>
#include <QString>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace assay::exporting {

enum class ImageCopy { Copy, Link, None };

// Sequential output for one file: buffered, written to a temporary name and renamed into place
// when complete, so a failed export never leaves a half-written file under its real name.
class Sink
{
public:
    virtual ~Sink() = default;
    virtual void write(std::string_view bytes) = 0;
};

// Where an export writes. Every path given is relative to the output folder and is checked to
// stay inside it. In place, the output folder is the dataset itself: every file about to be
// replaced is first copied to the backup folder.
class OutputTree
{
public:
    OutputTree(QString root, QString datasetRoot, ImageCopy images, bool inPlace);

    const QString &root() const { return m_root; }
    const QString &backupDir() const { return m_backupDir; }
    bool inPlace() const { return m_inPlace; }
    bool writesImages() const { return m_images != ImageCopy::None; }

    // Writes a whole file through `fill`.
    void write(const std::string &relative, const std::function<void(Sink &)> &fill);
    void write(const std::string &relative, std::string_view content);
    // Copies (or hard-links) a dataset file to `relative`; with ImageCopy::None, does nothing.
    // Regular files only; returns false when the source is missing.
    bool copyImage(const std::string &datasetRelative, const std::string &relative);
    // Copies a dataset file that is not an image (always copied, never linked).
    void copyFile(const std::string &datasetRelative, const std::string &relative);
    // In place: moves a dataset file (after recording it in the backup's move list).
    void move(const std::string &from, const std::string &to);

    std::int64_t filesWritten() const { return m_written; }
    std::int64_t filesCopied() const { return m_copied; }

private:
    QString target(const std::string &relative); // creates its folder
    void backUp(const std::string &relative);
    void copy(const QString &from, const QString &to, bool link);

    QString m_root;
    QString m_datasetRoot;
    QString m_backupDir;
    QSet<QString> m_folders; // created already
    ImageCopy m_images;
    bool m_inPlace;
    std::int64_t m_written = 0;
    std::int64_t m_copied = 0;
};

// Refuses an output folder inside the dataset (or the dataset itself) and one that holds files.
void checkOutputFolder(const QString &outDir, const QString &datasetRoot);

} // namespace assay::exporting
