#include "sampledetails.h"

#include "featurestore.h"
#include "project.h"

namespace assay::store {

std::optional<SampleDetails> loadSampleDetails(Database &db, std::int64_t sampleId)
{
    SampleDetails details;
    {
        Statement query(db, std::string("SELECT ") + sampleRecordColumns + " FROM "
                                + sampleRecordTables + " WHERE s.id = ?");
        query.bind(1, sampleId);
        if (!query.step())
            return std::nullopt;
        details.record = readSampleRecord(query);
    }
    {
        Statement query(db, std::string("SELECT ") + featureColumns
                                + " FROM features f WHERE f.sample_id = ?");
        query.bind(1, sampleId);
        if (query.step()) {
            details.scanned = true;
            details.features.sampleId = sampleId;
            readFeatures(query, 0, details.features);
            SampleFeatures &f = details.features;
            // A container member's own bytes, not its container's.
            if (details.record.member >= 0)
                f.fileSize = details.record.size;
        }
    }
    {
        Statement query(db, "SELECT kind, severity, detail, value FROM issues WHERE sample_id = ? "
                            "ORDER BY severity DESC, kind");
        query.bind(1, sampleId);
        while (query.step())
            details.issues.push_back({sampleId, query.text(0),
                                      static_cast<Severity>(query.int64(1)), query.text(2),
                                      query.real(3)});
    }
    {
        Statement query(db, R"sql(
            SELECT a.id, a.category_id, c.name, a.kind, a.x, a.y, a.w, a.h, a.geometry,
                   a.iscrowd
            FROM annotations a LEFT JOIN categories c ON c.id = a.category_id
            WHERE a.sample_id = ? ORDER BY a.id)sql");
        query.bind(1, sampleId);
        while (query.step()) {
            Annotation a;
            a.id = query.int64(0);
            a.sampleId = sampleId;
            a.categoryId = query.int64(1);
            a.category = query.text(2);
            a.kind = static_cast<AnnotationKind>(query.int64(3));
            a.x = query.real(4);
            a.y = query.real(5);
            a.w = query.real(6);
            a.h = query.real(7);
            if (a.kind == AnnotationKind::Polygon)
                a.polygons = decodePolygons(query.blob(8));
            else if (a.kind == AnnotationKind::Mask)
                a.mask = decodeMask(query.blob(8));
            a.crowd = query.int64(9) != 0;
            details.annotations.push_back(std::move(a));
        }
    }
    {
        std::vector<std::pair<QString, std::string>> columns;
        Statement attributes(db, "SELECT name, column_name FROM attributes ORDER BY id");
        while (attributes.step())
            columns.emplace_back(attributes.text(0), std::string(attributes.utf8(1)));
        for (const auto &[name, column] : columns) {
            Statement value(db, "SELECT " + column + " FROM sample_attributes WHERE sample_id = ?");
            value.bind(1, sampleId);
            if (value.step() && !value.isNull(0))
                details.attributes.emplace_back(name, value.text(0));
        }
    }
    return details;
}

} // namespace assay::store
