#include "fuzztargets.h"

#include "testdata.h"

#include <QFile>
#include <QTemporaryDir>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <vector>

namespace assay::fuzz {

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray jpeg(int width, int height)
{
    cv::Mat image(height, width, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    std::vector<uchar> out;
    cv::imencode(".jpg", image, out, {cv::IMWRITE_JPEG_QUALITY, 80});
    return QByteArray(reinterpret_cast<const char *>(out.data()), qsizetype(out.size()));
}

} // namespace

std::map<QString, std::vector<QByteArray>> seedInputs()
{
    QTemporaryDir dir;
    const QString idx = dir.filePath(QStringLiteral("train-images-idx3-ubyte"));
    test::writeIdxImages(idx, 3, 4, 4);
    return {
        {QStringLiteral("coco"),
         {R"({"images": [{"id": 1, "file_name": "a.png", "width": 8, "height": 6},
                        {"id": 2, "file_name": "b.png", "width": 8, "height": 6}],
             "annotations": [{"id": 10, "image_id": 1, "category_id": 3, "bbox": [1, 1, 4, 3],
                              "area": 12, "iscrowd": 0, "segmentation": [[1, 1, 5, 1, 5, 4]]},
                             {"id": 11, "image_id": 2, "category_id": 4, "bbox": [0, 0, 8, 6],
                              "iscrowd": 1, "segmentation": {"counts": [0, 48], "size": [6, 8]}}],
             "categories": [{"id": 3, "name": "cat", "supercategory": "animal"},
                            {"id": 4, "name": "dog"}]})",
          R"({"images": [], "annotations": [], "categories": []})",
          R"({"images": [{"id": 1, "file_name": "../../etc/passwd"}]})"}},
        {QStringLiteral("voc"),
         {R"(<annotation><filename>a.png</filename><size><width>8</width><height>6</height>
<depth>3</depth></size><object><name>cat</name><pose>Left</pose><truncated>0</truncated>
<difficult>0</difficult><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>4</ymax>
</bndbox></object></annotation>)",
          "<annotation><object><name>dog</name></object>"}},
        {QStringLiteral("yolo_labels"),
         {"0 0.5 0.5 0.25 0.25\n1 0.1 0.2 0.3 0.4\n", "1 0.1 0.1 0.5 0.1 0.5 0.5 0.1 0.5\n",
          "7 2 0.5\n"}},
        {QStringLiteral("yolo_yaml"),
         {"path: .\ntrain: images/train\nnames: [cat, dog]\n",
          "train: images/train\nval: images/val\nnc: 2\nnames:\n  0: cat\n  1: dog\n"}},
        {QStringLiteral("csv"),
         {"path,label,split,score\na.png,cat,train,0.5\nb.png,dog,test,1.5\n",
          "file;class\n\"a.png\";\"c,a\"\n", "path\n../escape.png\n"}},
        {QStringLiteral("idx"), {readAll(idx)}},
        {QStringLiteral("image"),
         {test::texturedPng(16, 12, 7), jpeg(32, 24), test::tinyPng()}},
    };
}

} // namespace assay::fuzz
