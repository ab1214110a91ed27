#pragma once

#include <QByteArray>
#include <QTest>

#include <cmath>

// Comparing computed statistics with reference values to a relative tolerance.
namespace assay::test {

// |actual - expected| <= tolerance · |expected|; an expected 0 must be matched within 1e-15.
inline bool closeTo(double actual, double expected, double tolerance = 1e-9)
{
    if (expected == 0.0)
        return std::abs(actual) <= 1e-15;
    return std::abs(actual - expected) <= tolerance * std::abs(expected);
}

inline QByteArray mismatch(double actual, double expected)
{
    QByteArray text = QByteArray("actual ") + QByteArray::number(actual, 'g', 17) + " expected "
                      + QByteArray::number(expected, 'g', 17);
    if (expected != 0.0)
        text += " relative error "
                + QByteArray::number(std::abs(actual - expected) / std::abs(expected), 'g', 3);
    return text;
}

} // namespace assay::test

#define VERIFY_CLOSE(actual, expected)                                                             \
    do {                                                                                           \
        const double got_ = (actual);                                                              \
        const double want_ = (expected);                                                           \
        QVERIFY2(assay::test::closeTo(got_, want_), assay::test::mismatch(got_, want_).constData()); \
    } while (false)
