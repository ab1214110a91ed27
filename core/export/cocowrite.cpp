// writeCoco: a new COCO instances tree, one annotations/instances_<split>.json per split and the
// images under images/<split>/. Objects' extra fields (VOC's difficult, pose...) are kept as
// extra keys, which COCO readers ignore.

#include "exportimages.h"
#include "jsonspans.h"
#include "textout.h"
#include "writers.h"

#include "jobs/progress.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>

namespace assay::exporting {

namespace {

const std::set<std::string_view> writtenKeys = {"id", "image_id", "category_id", "bbox",
                                                "area", "segmentation", "iscrowd"};

std::string annotationJson(const StateAnnotation &a, std::int64_t id, std::int64_t imageId)
{
    std::string out = "{\"id\": " + std::to_string(id) + ", \"image_id\": " + std::to_string(imageId)
                      + ", \"category_id\": " + std::to_string(a.category + 1)
                      + ", \"bbox\": " + text::cocoBox(a.x, a.y, a.w, a.h) + ", \"area\": "
                      + text::number(text::area(a.kind, a.w, a.h, a.polygons, a.mask))
                      + ", \"segmentation\": ";
    if (a.kind == AnnotationKind::Polygon)
        out += text::cocoPolygons(a.polygons);
    else if (a.kind == AnnotationKind::Mask)
        out += text::cocoMask(a.mask, true);
    else
        out += "[]";
    out += std::string(", \"iscrowd\": ") + (a.crowd ? "1" : "0");
    {
        for (const json::Member &m : json::objectMembers(a.extra)) {
            if (!writtenKeys.contains(m.key))
                out += ", \"" + std::string(m.key) + "\": " + std::string(m.value.of(a.extra));
        }
    }
    return out + '}';
}

} // namespace

void writeCoco(WriteContext &c)
{
    struct SplitFile
    {
        std::string images;
        std::string annotations;
        std::set<std::string> taken;
    };
    std::map<std::string, SplitFile> files;
    std::int64_t imageId = 0, annotationId = 0;
    c.progress.setTotal(std::int64_t(c.state.samples.size()));
    for (const StateSample &sample : c.state.samples) {
        if (!sample.present)
            continue;
        const std::string split = sample.split >= 0 ? c.state.splits[sample.split].toStdString()
                                                    : "default";
        SplitFile &file = files[split];
        const std::string name = uniqueName(file.taken, sample);
        if (!placeImage(c.out, c.state, sample, "images/" + split + '/' + name, c.report))
            continue;
        const Size size = imageSize(c.state, sample);
        ++imageId;
        file.images += std::string(file.images.empty() ? "\n" : ",\n") + "{\"id\": "
                       + std::to_string(imageId) + ", \"file_name\": " + text::jsonString(name)
                       + ", \"width\": " + std::to_string(size.width) + ", \"height\": "
                       + std::to_string(size.height) + '}';
        if (sample.label >= 0)
            c.report.lose(QStringLiteral("image-level classes (COCO instances hold objects "
                                         "only)"));
        for (const StateAnnotation &a : sample.annotations) {
            if (a.category < 0) {
                c.report.lose(QStringLiteral("objects without a category (not written)"));
                continue;
            }
            file.annotations += std::string(file.annotations.empty() ? "\n" : ",\n")
                                + annotationJson(a, ++annotationId, imageId);
            ++c.report.objects;
        }
        c.tick();
    }
    std::string categories;
    for (qsizetype i = 0; i < c.state.categories.size(); ++i)
        categories += std::string(i ? ",\n" : "\n") + "{\"id\": " + std::to_string(i + 1)
                      + ", \"name\": " + text::jsonString(c.state.categories[i].toStdString())
                      + ", \"supercategory\": \"\"}";
    for (const auto &[split, entry] : files) {
        // A named reference: lambdas capture structured bindings only from clang 16 on.
        const auto &file = entry;
        c.out.write("annotations/instances_" + split + ".json", [&](Sink &sink) {
            sink.write("{\"info\": {\"description\": \"Exported by Assay\"},\n\"images\": [");
            sink.write(file.images);
            sink.write("],\n\"annotations\": [");
            sink.write(file.annotations);
            sink.write("],\n\"categories\": [");
            sink.write(categories);
            sink.write("]}\n");
        });
    }
}

} // namespace assay::exporting
