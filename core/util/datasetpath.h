#pragma once

#include <QString>

#include <optional>

namespace assay {

// Paths of samples are stored relative to the dataset root, '/'-separated. These helpers are the
// one place that decides whether an entry stays inside the root.
namespace datasetpath {

// Returns the root-relative form of `entry` (relative to `root`, or absolute), or nothing when
// the entry escapes the root (`../x`, an absolute path elsewhere), is empty, or holds a NUL.
std::optional<QString> relativeInsideRoot(const QString &root, const QString &entry);

// Why relativeInsideRoot refused `entry`, for messages: "is an empty path", "holds a NUL byte"
// or "escapes the dataset root".
QString refusalReason(const QString &entry);

// Joins a stored relative path to the root.
QString absolute(const QString &root, const QString &relativePath);

// Display form of a sample address: `path` or `path#member` for a member of a container file.
QString display(const QString &relativePath, qint64 member);

} // namespace datasetpath
} // namespace assay
