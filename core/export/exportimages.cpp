#include "exportimages.h"

#include "formats/text.h"
#include "scan/imageheader.h"
#include "scan/imageloader.h"

#include <QFile>

#include <opencv2/imgcodecs.hpp>

namespace assay::exporting {

std::string stemOf(std::string_view path)
{
    const size_t slash = path.rfind('/');
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const size_t dot = name.rfind('.');
    return std::string(dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot));
}

std::string uniqueName(std::set<std::string> &taken, const StateSample &sample)
{
    std::string name;
    if (sample.member >= 0) {
        name = stemOf(sample.path) + '_' + std::to_string(sample.member) + ".png";
    } else {
        const size_t slash = sample.path.rfind('/');
        name = slash == std::string::npos ? sample.path : sample.path.substr(slash + 1);
    }
    if (taken.insert(name).second)
        return name;
    std::string flat = sample.path;
    std::replace(flat.begin(), flat.end(), '/', '_');
    if (sample.member >= 0)
        flat += '_' + std::to_string(sample.member) + ".png";
    for (int n = 2; !taken.insert(flat).second; ++n)
        flat = std::to_string(n) + '_' + flat;
    return flat;
}

bool placeImage(OutputTree &out, const ProjectState &state, const StateSample &sample,
                const std::string &relative, ExportReport &report)
{
    if (sample.member < 0) {
        if (out.copyImage(sample.path, relative)) {
            ++report.samples;
            return true;
        }
        report.lose(QStringLiteral("images missing from the dataset (not copied)"));
        return false;
    }
    if (!out.writesImages()) {
        ++report.samples;
        return true;
    }
    const scan::LoadedImage image = scan::loadSampleImage(state.root,
                                                          formats::fromUtf8(sample.path),
                                                          sample.member);
    std::vector<uchar> png;
    if (image.pixels.empty() || !cv::imencode(".png", image.pixels, png)) {
        report.lose(QStringLiteral("images that could not be read (not written)"));
        return false;
    }
    out.write(relative, std::string_view(reinterpret_cast<const char *>(png.data()), png.size()));
    ++report.samples;
    return true;
}

Size imageSize(const ProjectState &state, const StateSample &sample)
{
    if (sample.width > 0 && sample.height > 0)
        return {sample.width, sample.height};
    if (sample.member >= 0) {
        const scan::LoadedImage image = scan::loadSampleImage(
            state.root, formats::fromUtf8(sample.path), sample.member);
        return {image.pixels.cols, image.pixels.rows};
    }
    QFile file(state.root + u'/' + formats::fromUtf8(sample.path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    for (const qint64 limit : {qint64(65536), qint64(1) << 20}) {
        file.seek(0);
        const QByteArray head = file.read(limit);
        const scan::ImageHeader header =
            scan::readImageHeader(std::string_view(head.constData(), size_t(head.size())));
        if (header.width > 0 && header.height > 0)
            return {int(header.width), int(header.height)};
        if (head.size() < limit)
            break;
    }
    return {};
}

} // namespace assay::exporting
