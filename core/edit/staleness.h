#pragma once

#include "change.h"

#include "store/stalemarks.h"

#include <QStringList>

namespace assay::edit {

// The stored analyses a change of these fields makes stale (store/stalemarks.h): class or split
// -> duplicates (their label_conflict and leakage flags) and slices; objects or classes -> also
// annotation checks. Tags, reviewed and excluded -> none. (Class balance is not stored: it is
// counted from the tables whenever it is shown, so a view redraws it on the change
// notification.)
QStringList analysesStaleAfter(FieldSet fields);

} // namespace assay::edit
