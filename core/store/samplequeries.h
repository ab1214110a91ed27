#pragma once

#include "database.h"

#include <QMap>
#include <QString>

namespace assay::store {

// Number of issues of each kind.
QMap<QString, qint64> issueCounts(Database &db);

} // namespace assay::store
