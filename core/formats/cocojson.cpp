#include "cocojson.h"

#include "jobs/progress.h"
#include "util/error.h"

namespace assay::formats::coco {

namespace {

std::string_view trimmedToken(std::string_view token)
{
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n'
                              || token.back() == '\r'))
        token.remove_suffix(1);
    return token;
}

namespace od = simdjson::ondemand;

// COCO's compressed RLE string (LEB128-like, 5 bits a char, deltas from the run two back).
void decodeRleString(std::string_view s, std::vector<std::uint32_t> &counts)
{
    size_t p = 0;
    while (p < s.size()) {
        long long x = 0;
        int k = 0;
        bool more = true;
        while (more && p < s.size()) {
            const long long c = static_cast<long long>(s[p]) - 48;
            x |= (c & 0x1f) << (5 * k);
            more = (c & 0x20) != 0;
            ++p;
            ++k;
            if (!more && (c & 0x10))
                x |= -1LL << (5 * k);
        }
        if (counts.size() > 2)
            x += counts[counts.size() - 2];
        counts.push_back(std::uint32_t(std::max<long long>(0, x)));
    }
}

// Empties an annotation (possibly one a sink handed back) but keeps its allocations.
void clearKeepingCapacity(ImportAnnotation &a)
{
    a.item = 0;
    a.category = -1;
    a.kind = AnnotationKind::Box;
    a.x = a.y = a.w = a.h = 0;
    a.mask.width = a.mask.height = 0;
    a.mask.counts.clear();
    a.crowd = false;
    a.sourceIndex = -1;
    a.extra.clear();
    // a.polygons: refilled ring by ring (readSegmentation), the rest dropped after the object.
}

// The value's JSON text as the file spells it.
std::string_view rawJson(od::value value)
{
    switch (value.type()) {
    case od::json_type::object:
        return value.get_object().value().raw_json().value();
    case od::json_type::array:
        return value.get_array().value().raw_json().value();
    default:
        return value.raw_json_token();
    }
}

} // namespace

// Calls `each` with every element of the current value, one window after the other. A value
// that is not an array fails as simdjson reports it (INCORRECT_TYPE), with its line and column.
template<typename Each> void Parser::forEachElement(Each each)
{
    simdjson::padded_string_view window;
    while (m_json.nextWindow(window)) {
        od::document doc;
        bool started = false;
        try {
            doc = m_parser.iterate(window);
            started = true;
            for (auto element : doc.get_array())
                each(element);
        } catch (const simdjson::simdjson_error &error) {
            const char *at = nullptr;
            if (!started || doc.current_location().get(at) != simdjson::SUCCESS)
                at = nullptr;
            m_json.fail(error.error(), at);
        }
    }
}

void Parser::validate()
{
    simdjson::padded_string_view window;
    while (m_json.nextWindow(window)) {
        od::document doc;
        const simdjson::error_code error = m_parser.iterate(window).get(doc);
        if (error != simdjson::SUCCESS)
            m_json.fail(error);
    }
}

void Parser::readImages(std::vector<Image> &images)
{
    forEachElement([&](simdjson::simdjson_result<od::value> element) {
        od::object object = element.get_object();
        Image image;
        for (auto field : object) {
            const std::string_view key = field.unescaped_key();
            if (key == "id")
                image.id = field.value().get_int64();
            else if (key == "file_name")
                image.fileName = std::string(field.value().get_string().value());
            else if (key == "width")
                image.width = field.value().get_int64();
            else if (key == "height")
                image.height = field.value().get_int64();
        }
        if (image.id < 0 || image.fileName.empty())
            throw Error(
                QStringLiteral("%1: an image without an id or a file_name").arg(m_json.name()));
        images.push_back(std::move(image));
    });
}

void Parser::readCategories(Categories &categories)
{
    forEachElement([&](simdjson::simdjson_result<od::value> element) {
        std::int64_t id = -1;
        QString name, super;
        for (auto field : element.get_object()) {
            const std::string_view key = field.unescaped_key();
            auto text = [&field] {
                const std::string_view value = field.value().get_string().value();
                return QString::fromUtf8(value.data(), qsizetype(value.size()));
            };
            if (key == "id")
                id = field.value().get_int64();
            else if (key == "name")
                name = text();
            else if (key == "supercategory")
                super = text();
        }
        if (id < 0 || name.isEmpty())
            throw Error(
                QStringLiteral("%1: a category without an id or a name").arg(m_json.name()));
        categories[id] = {name, super};
    });
}

void keepCategoryId(std::string &extra, const std::string &token, size_t at)
{
    const std::string field = "\"category_id\": " + token;
    if (extra.empty())
        extra = "{" + field + "}";
    else if (at == 0)
        extra.insert(1, field + ", ");
    else
        extra.insert(std::min(at, extra.size() - 1), ", " + field);
}

void Parser::readAnnotations(const std::string &sourceFile, std::int64_t &position,
                             const std::function<void(RawAnnotation &)> &take)
{
    RawAnnotation raw;
    forEachElement([&](simdjson::simdjson_result<od::value> element) {
        raw.imageId = 0;
        raw.categoryId = -1;
        raw.categoryAt = std::string::npos;
        clearKeepingCapacity(raw.annotation);
        raw.annotation.sourceFile = sourceFile;
        raw.annotation.extra.reserve(48); // "id" and "area" in one allocation
        raw.annotation.sourceIndex = position++;
        readAnnotation(element.get_object(), raw);
        take(raw);
        if ((position & 16383) == 0) {
            m_progress.setCurrent(QStringLiteral("%1 annotations").arg(position));
            jobs::throwIfCanceled(m_progress);
        }
    });
}

void Parser::readAnnotation(od::object object, RawAnnotation &raw)
{
    ImportAnnotation &a = raw.annotation;
    bool hasBox = false;
    m_rings = 0;
    for (auto field : object) {
        const std::string_view key = field.unescaped_key();
        od::value value = field.value();
        if (key == "image_id") {
            raw.imageId = value.get_int64();
        } else if (key == "category_id") {
            raw.categoryToken.assign(trimmedToken(value.raw_json_token()));
            raw.categoryAt = a.extra.size();
            raw.categoryId = value.get_int64();
        } else if (key == "bbox") {
            double box[4] = {0, 0, 0, 0};
            int i = 0;
            for (auto v : value.get_array()) {
                if (i < 4)
                    box[i] = v.get_double();
                ++i;
            }
            if (i != 4)
                throw Error(QStringLiteral("%1: annotation %2 has a bbox of %3 numbers")
                                .arg(m_json.name())
                                .arg(a.sourceIndex)
                                .arg(i));
            a.x = box[0];
            a.y = box[1];
            a.w = box[2];
            a.h = box[3];
            hasBox = true;
        } else if (key == "iscrowd") {
            a.crowd = value.get_int64() != 0;
        } else if (key == "segmentation") {
            readSegmentation(value, a);
        } else {
            // id, area and anything else: kept verbatim.
            a.extra.append(a.extra.empty() ? "{\"" : ", \"");
            a.extra.append(key);
            a.extra.append("\": ");
            a.extra.append(rawJson(value));
        }
    }
    if (!a.extra.empty())
        a.extra.push_back('}');
    a.polygons.resize(m_rings);
    if (!hasBox && a.kind == AnnotationKind::Box)
        throw Error(QStringLiteral("%1: annotation %2 has neither a bbox nor a segmentation")
                        .arg(m_json.name())
                        .arg(a.sourceIndex));
}

void Parser::readSegmentation(od::value value, ImportAnnotation &a)
{
    if (value.type() == od::json_type::array) {
        for (auto ring : value.get_array()) {
            m_points.clear();
            for (auto v : ring.get_array())
                m_points.push_back(float(double(v.get_double())));
            if (m_points.empty())
                continue;
            if (m_rings < a.polygons.size())
                a.polygons[m_rings].assign(m_points.begin(), m_points.end());
            else
                a.polygons.emplace_back(m_points.begin(), m_points.end());
            ++m_rings;
        }
        if (m_rings > 0)
            a.kind = AnnotationKind::Polygon;
        return;
    }
    od::object rle = value.get_object();
    for (auto field : rle) {
        const std::string_view key = field.unescaped_key();
        od::value v = field.value();
        if (key == "size") {
            int i = 0;
            for (auto n : v.get_array()) {
                const auto size = int(n.get_int64());
                (i++ == 0 ? a.mask.height : a.mask.width) = size;
            }
        } else if (key == "counts") {
            if (v.type() == od::json_type::string) {
                a.mask.counts.clear();
                decodeRleString(v.get_string().value(), a.mask.counts);
            } else {
                for (auto n : v.get_array())
                    a.mask.counts.push_back(std::uint32_t(n.get_int64()));
            }
        }
        // Other keys of an RLE object are skipped by moving on.
    }
    a.kind = AnnotationKind::Mask;
}

} // namespace assay::formats::coco
