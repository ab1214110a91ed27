#include "annotationdatasets.h"

#include <QDir>
#include <QFile>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace assay::bench {

namespace {

// xorshift64*: the same sequence on every platform (std distributions are not specified).
class Random
{
public:
    explicit Random(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 2685821657736338717ull;
    }
    int below(int n) { return int((next() >> 33) % std::uint64_t(n)); }
    int between(int low, int high) { return low + below(high - low + 1); }

private:
    std::uint64_t m_state;
};

// Appends to a buffer and writes it out in large chunks.
class Writer
{
public:
    explicit Writer(const QString &path, size_t expected = chunk)
        : m_file(std::fopen(QFile::encodeName(path).constData(), "wb"))
    {
        if (!m_file)
            qFatal("cannot write %s", qPrintable(path));
        m_buffer.reserve(std::min(expected, chunk) + 4096);
    }
    ~Writer() { close(); }
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    Writer &operator<<(std::string_view text)
    {
        m_buffer.append(text);
        flushIfFull();
        return *this;
    }
    Writer &operator<<(char c)
    {
        m_buffer.push_back(c);
        return *this;
    }
    Writer &operator<<(std::int64_t value)
    {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        m_buffer.append(digits, size_t(end - digits));
        return *this;
    }
    Writer &operator<<(int value) { return *this << std::int64_t(value); }
    // A fixed-point number given in hundredths, written as Python writes 239.97 or 222.4.
    Writer &hundredths(std::int64_t value)
    {
        *this << value / 100;
        const int cents = int(value % 100);
        if (cents != 0) {
            m_buffer.push_back('.');
            m_buffer.push_back(char('0' + cents / 10));
            if (cents % 10)
                m_buffer.push_back(char('0' + cents % 10));
        } else {
            m_buffer.append(".0");
        }
        return *this;
    }
    std::int64_t close()
    {
        if (m_file) {
            write();
            std::fclose(m_file);
            m_file = nullptr;
        }
        return m_written;
    }

private:
    static constexpr size_t chunk = 8 << 20;
    void flushIfFull()
    {
        if (m_buffer.size() >= chunk)
            write();
    }
    void write()
    {
        if (std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size())
            qFatal("write failed");
        m_written += std::int64_t(m_buffer.size());
        m_buffer.clear();
    }

    std::FILE *m_file;
    std::string m_buffer;
    std::int64_t m_written = 0;
};

void makePath(const QString &path)
{
    if (!QDir().mkpath(path))
        qFatal("cannot create %s", qPrintable(path));
}

std::string nativePath(const QString &path)
{
    return QFile::encodeName(path).toStdString();
}

void touch(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        qFatal("cannot create %s", path.c_str());
    ::close(fd);
}

// One small JPEG, written once; every image of a tree is a hard link to it.
std::string writeSampleJpeg(const QString &dir)
{
    cv::Mat image(48, 64, CV_8UC3);
    for (int y = 0; y < image.rows; ++y)
        for (int x = 0; x < image.cols; ++x)
            image.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 4), uchar(y * 5), uchar(x + y));
    std::vector<uchar> bytes;
    cv::imencode(".jpg", image, bytes);
    const std::string path = nativePath(dir + QStringLiteral("/sample.jpg"));
    std::FILE *file = std::fopen(path.c_str(), "wb");
    if (!file || std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size())
        qFatal("cannot write %s", path.c_str());
    std::fclose(file);
    return path;
}

void link(const std::string &target, const std::string &path)
{
    if (::link(target.c_str(), path.c_str()) != 0)
        qFatal("cannot link %s", path.c_str());
}

std::string numbered(int value, int width)
{
    std::string digits = std::to_string(value);
    return std::string(size_t(std::max(0, width - int(digits.size()))), '0') + digits;
}

// COCO's 80 category ids: 1..90 with ten gaps.
std::vector<int> cocoCategoryIds()
{
    std::vector<int> ids;
    for (int id = 1; id <= 90; ++id) {
        if (id != 12 && id != 26 && id != 29 && id != 30 && id != 45 && id != 66 && id != 68 &&
            id != 69 && id != 71 && id != 83)
            ids.push_back(id);
    }
    return ids;
}

struct CocoImage
{
    std::int64_t id = 0;
    int width = 0, height = 0;
};

void writeCocoImages(Writer &out, const std::vector<CocoImage> &images, Random &random)
{
    out << "\"images\": [";
    for (size_t i = 0; i < images.size(); ++i) {
        const CocoImage &image = images[i];
        const std::string name = numbered(int(image.id), 12) + ".jpg";
        out << (i ? ",{" : "{") << "\"license\": " << random.between(1, 8) << ",\"file_name\": \""
            << name << "\",\"coco_url\": \"http://images.cocodataset.org/train2017/" << name
            << "\",\"height\": " << image.height << ",\"width\": " << image.width
            << ",\"date_captured\": \"2013-11-" << numbered(random.between(10, 28), 2) << " "
            << numbered(random.below(24), 2) << ":" << numbered(random.below(60), 2) << ":"
            << numbered(random.below(60), 2) << "\",\"flickr_url\": \"http://farm"
            << random.between(1, 9) << ".staticflickr.com/" << random.between(1000, 8999) << "/"
            << std::int64_t(random.next() % 9000000000ull + 1000000000) << "_"
            << numbered(random.below(1 << 20), 10) << "_z.jpg\",\"id\": " << image.id << "}";
    }
    out << "]";
}

// A ring of `points` vertices around (cx, cy), in hundredths of a pixel.
void writeRing(Writer &out, int points, int cx, int cy, int radius, Random &random)
{
    out << '[';
    for (int p = 0; p < points; ++p) {
        const int r = radius / 2 + random.below(radius / 2 + 1);
        const double angle = 6.283185307 * p / points;
        const auto x = std::int64_t(cx + r * std::cos(angle));
        const auto y = std::int64_t(cy + r * std::sin(angle));
        out << (p ? "," : "");
        out.hundredths(std::max<std::int64_t>(0, x)) << ',';
        out.hundredths(std::max<std::int64_t>(0, y));
    }
    out << ']';
}

// An object inside its image, as in train2017; one in a thousand reaches past the right edge
// (a planted problem, so the checks report a realistic few).
void writeCocoAnnotation(Writer &out, std::int64_t id, const CocoImage &image, int categoryId,
                         Random &random)
{
    const int kind = random.below(300); // 0..2 crowd, else polygon for a third
    const bool crowd = kind < 3;
    const bool polygon = !crowd && kind % 3 == 0;
    const int width = image.width * 100, height = image.height * 100; // hundredths
    const int radius = 500 + random.below(std::min(12000, std::min(width, height) / 2 - 600));
    int cx = radius + random.below(width - 2 * radius);
    const int cy = radius + random.below(height - 2 * radius);
    if (random.below(1000) == 0)
        cx = width - radius / 2;
    if (polygon) {
        // One ring, or two side by side, each inside its half of the box.
        out << "{\"segmentation\": [";
        const int rings = random.below(10) == 0 ? 2 : 1;
        const int ringRadius = radius / rings;
        for (int r = 0; r < rings; ++r) {
            out << (r ? "," : "");
            writeRing(out, random.between(8, 136) / rings,
                      cx - radius + ringRadius * (2 * r + 1), cy, ringRadius, random);
        }
        out << "],";
    } else if (crowd) {
        out << "{\"segmentation\": {\"counts\": [";
        std::int64_t left = std::int64_t(image.height) * image.width;
        const int runs = random.between(40, 80);
        for (int r = 0; r < runs && left > 0; ++r) {
            const std::int64_t run = std::min<std::int64_t>(left, random.between(1, 9000));
            out << (r ? "," : "") << run;
            left -= run;
        }
        if (left > 0)
            out << ',' << left;
        out << "],\"size\": [" << image.height << ',' << image.width << "]},";
    } else if (random.below(4) != 0) {
        out << "{\"segmentation\": [],";
    } else {
        out << "{";
    }
    out << "\"area\": ";
    out.hundredths(std::int64_t(radius) * radius / 100) << "0500000000005";
    out << ",\"iscrowd\": " << (crowd ? 1 : 0) << ",\"image_id\": " << image.id << ",\"bbox\": [";
    out.hundredths(cx - radius) << ',';
    out.hundredths(cy - radius) << ',';
    out.hundredths(2 * radius) << ',';
    out.hundredths(2 * radius) << "],\"category_id\": " << categoryId << ",\"id\": " << id << "}";
}

} // namespace

GeneratedSize generateCoco(const QString &root, const CocoShape &shape)
{
    Random random(20170101);
    const QString imagesDir = root + QStringLiteral("/images/train2017");
    makePath(imagesDir);
    makePath(root + QStringLiteral("/annotations"));

    std::vector<CocoImage> images(size_t(shape.images));
    std::int64_t id = 0;
    for (CocoImage &image : images) {
        image.id = id += random.between(1, 9);
        image.width = 640 - 20 * random.below(8);
        image.height = 480 - 20 * random.below(6);
    }
    const std::string imagesPrefix = nativePath(imagesDir) + '/';
    for (const CocoImage &image : images)
        touch(imagesPrefix + numbered(int(image.id), 12) + ".jpg");

    Writer out(root + QStringLiteral("/annotations/instances_train2017.json"));
    out << "{\"info\": {\"description\": \"COCO-shaped benchmark\",\"url\": "
           "\"http://cocodataset.org\",\"version\": \"1.0\",\"year\": 2017,\"contributor\": "
           "\"Assay\",\"date_created\": \"2017/09/01\"},\"licenses\": [";
    for (int l = 1; l <= 8; ++l)
        out << (l > 1 ? "," : "") << "{\"url\": \"http://creativecommons.org/licenses/by/2.0/\","
            << "\"id\": " << l << ",\"name\": \"Attribution License\"}";
    out << "],";
    writeCocoImages(out, images, random);
    out << ",\"annotations\": [";
    const std::vector<int> categories = cocoCategoryIds();
    std::int64_t annotationId = 0;
    for (int a = 0; a < shape.annotations; ++a) {
        out << (a ? "," : "");
        annotationId += random.between(1, 3);
        writeCocoAnnotation(out, annotationId, images[size_t(random.below(shape.images))],
                            categories[size_t(random.below(int(categories.size())))], random);
    }
    out << "],\"categories\": [";
    for (size_t c = 0; c < categories.size(); ++c)
        out << (c ? "," : "") << "{\"supercategory\": \"group_" << categories[c] / 10
            << "\",\"id\": " << categories[c] << ",\"name\": \"class_" << categories[c] << "\"}";
    out << "]}";
    return {shape.images, shape.annotations, out.close()};
}

GeneratedSize generateYolo(const QString &root, int images)
{
    Random random(118287);
    GeneratedSize size;
    const std::string jpeg = writeSampleJpeg(root);
    {
        Writer yaml(root + QStringLiteral("/data.yaml"));
        yaml << "path: .\ntrain: images/train\nval: images/val\nnames:\n";
        for (int c = 0; c < 80; ++c)
            yaml << "  " << c << ": class_" << c << "\n";
    }
    const int validation = std::max(1, images / 24);
    for (const char *split : {"train", "val"}) {
        makePath(root + QStringLiteral("/images/") + QLatin1StringView(split));
        makePath(root + QStringLiteral("/labels/") + QLatin1StringView(split));
    }
    const std::string base = nativePath(root) + '/';
    std::string lines;
    for (int i = 0; i < images; ++i) {
        const std::string split = i < images - validation ? "train" : "val";
        const std::string stem = numbered(i + 1, 12);
        link(jpeg, base + "images/" + split + "/" + stem + ".jpg");
        const int state = random.below(100);
        if (state == 0)
            continue; // no label file
        const int objects = state == 1 ? 0 : random.between(1, 12);
        lines.clear();
        for (int o = 0; o < objects; ++o) {
            char line[96];
            const double w = 0.02 + random.below(600) / 1000.0;
            const double h = 0.02 + random.below(600) / 1000.0;
            const int n = std::snprintf(line, sizeof line, "%d %.6f %.6f %.6f %.6f\n",
                                        random.below(80), w / 2 + random.below(350) / 1000.0,
                                        h / 2 + random.below(350) / 1000.0, w, h);
            lines.append(line, size_t(n));
        }
        Writer label(QString::fromStdString(base + "labels/" + split + "/" + stem + ".txt"),
                     lines.size());
        label << lines;
        size.bytes += label.close();
        size.objects += objects;
    }
    ::unlink(jpeg.c_str());
    size.images = images;
    return size;
}

GeneratedSize generateVoc(const QString &root, int images)
{
    static const char *const names[] = {
        "aeroplane", "bicycle",     "bird",  "boat",        "bottle", "bus",      "car",
        "cat",       "chair",       "cow",   "diningtable", "dog",    "horse",    "motorbike",
        "person",    "pottedplant", "sheep", "sofa",        "train",  "tvmonitor"};
    static const char *const poses[] = {"Unspecified", "Left", "Right", "Frontal", "Rear"};
    Random random(2012);
    GeneratedSize size;
    for (const char *dir : {"Annotations", "JPEGImages", "ImageSets/Main"})
        makePath(root + u'/' + QLatin1StringView(dir));
    const std::string jpeg = writeSampleJpeg(root);
    const std::string base = nativePath(root) + '/';
    Writer train(root + QStringLiteral("/ImageSets/Main/train.txt"));
    Writer val(root + QStringLiteral("/ImageSets/Main/val.txt"));
    for (int i = 0; i < images; ++i) {
        const std::string stem = "2012_" + numbered(i + 1, 6);
        link(jpeg, base + "JPEGImages/" + stem + ".jpg");
        (i % 2 ? val : train) << stem << '\n';
        const int width = 500 - random.below(200), height = 375 - random.below(100);
        Writer xml(QString::fromStdString(base + "Annotations/" + stem + ".xml"), 2048);
        xml << "<annotation>\n\t<folder>VOC2012</folder>\n\t<filename>" << stem
            << ".jpg</filename>\n\t<source>\n\t\t<database>The VOC2012 Database</database>\n"
               "\t\t<annotation>PASCAL VOC2012</annotation>\n\t\t<image>flickr</image>\n"
               "\t</source>\n\t<size>\n\t\t<width>"
            << width << "</width>\n\t\t<height>" << height
            << "</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<segmented>0</segmented>\n";
        const int objects = random.between(1, 5);
        for (int o = 0; o < objects; ++o) {
            const int x = random.between(1, width / 2), y = random.between(1, height / 2);
            xml << "\t<object>\n\t\t<name>" << std::string_view(names[random.below(20)])
                << "</name>\n\t\t<pose>" << std::string_view(poses[random.below(5)])
                << "</pose>\n\t\t<truncated>" << random.below(2) << "</truncated>\n"
                << "\t\t<occluded>" << random.below(2) << "</occluded>\n\t\t<bndbox>\n"
                << "\t\t\t<xmin>" << x << "</xmin>\n\t\t\t<ymin>" << y << "</ymin>\n"
                << "\t\t\t<xmax>" << x + random.between(5, width / 2 - 1) << "</xmax>\n"
                << "\t\t\t<ymax>" << y + random.between(5, height / 2 - 1) << "</ymax>\n"
                << "\t\t</bndbox>\n\t\t<difficult>" << (random.below(10) == 0 ? 1 : 0)
                << "</difficult>\n\t</object>\n";
        }
        xml << "</annotation>\n";
        size.bytes += xml.close();
        size.objects += objects;
    }
    ::unlink(jpeg.c_str());
    size.images = images;
    return size;
}

} // namespace assay::bench
