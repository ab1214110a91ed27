// Built only by the core_has_no_widgets test, which expects this file to FAIL to compile with
// assay_core's include paths and flags: core/ must not be able to include widgets.
#include "store/project.h"

#include <QWidget>

int widgetProbe()
{
    return sizeof(QWidget);
}
