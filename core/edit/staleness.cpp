#include "staleness.h"

namespace assay::edit {

QStringList analysesStaleAfter(FieldSet fields)
{
    QStringList names;
    if (!fields.touchesLabels())
        return names;
    names << store::analysisname::duplicates << store::analysisname::slices;
    if (fields.touchesAnnotations() || fields.touchesCategories())
        names << store::analysisname::annotationChecks;
    return names;
}

} // namespace assay::edit
