#pragma once

// Generators of large annotation datasets on disk for bench_annotations: deterministic (fixed
// seed), shaped like the public datasets they stand for.

#include <QString>

#include <cstdint>

namespace assay::bench {

struct CocoShape
{
    int images = 120000;
    int annotations = 900000;
};

struct GeneratedSize
{
    std::int64_t images = 0;
    std::int64_t objects = 0;
    std::int64_t bytes = 0; // of the annotation file(s)
};

// ROOT/annotations/instances_train2017.json shaped like COCO train2017's (info, licenses,
// images with every COCO key, annotations with id, area, iscrowd, bbox and a polygon for about a
// third of them, boxes only or a small uncompressed RLE for the rest; categories last), and an
// empty file per image in ROOT/images/train2017/.
GeneratedSize generateCoco(const QString &root, const CocoShape &shape);

// An Ultralytics tree: data.yaml (80 names), images/{train,val}/*.jpg (hard links to one small
// JPEG), labels/{train,val}/*.txt with a few boxes each (some label files empty or missing).
GeneratedSize generateYolo(const QString &root, int images);

// A Pascal VOC tree: Annotations/*.xml (one to five objects each, with <size>), JPEGImages/*.jpg
// (hard links to one small JPEG), ImageSets/Main/{train,val}.txt.
GeneratedSize generateVoc(const QString &root, int images);

} // namespace assay::bench
