#include "synthslicegen.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>

#include <algorithm>
#include <cmath>

namespace assay::test {

using analysis::bias::RawAttribute;
using analysis::bias::SliceData;

std::uint64_t SplitMix64::next()
{
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double SplitMix64::uniform()
{
    return double(next() >> 11) * 0x1.0p-53;
}

std::uint64_t SplitMix64::below(std::uint64_t n)
{
    // Reject the top partial range of 2^64 so every residue is equally likely.
    const std::uint64_t limit = ~std::uint64_t(0) - (~std::uint64_t(0) % n + 1) % n;
    for (;;) {
        const std::uint64_t x = next();
        if (x <= limit)
            return x % n;
    }
}

int SplitMix64::categorical(const std::vector<double> &cumulative)
{
    const double u = uniform();
    const auto found = std::upper_bound(cumulative.begin(), cumulative.end(), u);
    return int(std::min<std::ptrdiff_t>(found - cumulative.begin(),
                                        std::ptrdiff_t(cumulative.size()) - 1));
}

namespace {

std::vector<double> cumulativeOf(const std::vector<double> &probabilities)
{
    std::vector<double> cumulative(probabilities.size());
    double sum = 0;
    for (size_t i = 0; i < probabilities.size(); ++i)
        cumulative[i] = sum += probabilities[i];
    for (double &c : cumulative)
        c /= sum;
    return cumulative;
}

// Exact mode: round(n · π_k) labels per class (the rounding remainder to the largest class),
// shuffled by a seeded Fisher-Yates and dealt to `rows` in order.
void dealExact(const std::vector<size_t> &rows, const std::vector<double> &prior,
               SplitMix64 &random, std::vector<std::int32_t> &labels)
{
    std::vector<std::int32_t> deck;
    for (size_t k = 0; k < prior.size(); ++k)
        deck.insert(deck.end(), size_t(std::llround(double(rows.size()) * prior[k])),
                    std::int32_t(k));
    const auto largest = std::int32_t(std::max_element(prior.begin(), prior.end()) - prior.begin());
    while (deck.size() < rows.size())
        deck.push_back(largest);
    while (deck.size() > rows.size())
        deck.erase(std::find(deck.begin(), deck.end(), largest));
    for (size_t i = deck.size(); i > 1; --i)
        std::swap(deck[i - 1], deck[size_t(random.below(i))]);
    for (size_t i = 0; i < rows.size(); ++i)
        labels[rows[i]] = deck[i];
}

} // namespace

bool inPlanted(const SliceData &data, const std::vector<SynthCondition> &where, size_t row)
{
    if (where.empty())
        return false;
    for (const SynthCondition &condition : where) {
        const auto attribute = std::find_if(
            data.attributes.begin(), data.attributes.end(),
            [&](const RawAttribute &a) { return a.name == condition.attribute; });
        if (attribute == data.attributes.end())
            return false;
        if (attribute->kind == RawAttribute::Kind::Categorical) {
            const std::int32_t code = attribute->codes[row];
            if (code < 0 || attribute->values[code] != condition.level)
                return false;
        } else {
            const double x = attribute->numbers[row];
            if (!(x >= condition.lo && x < condition.hi))
                return false;
        }
    }
    return true;
}

SliceData generateSlices(const SynthSpec &spec)
{
    SplitMix64 random(spec.seed);
    SliceData data;
    const size_t n = size_t(spec.n);
    for (int k = 0; k < spec.classes; ++k)
        data.classes << QStringLiteral("c%1").arg(k);
    data.sampleIds.resize(n);
    for (size_t row = 0; row < n; ++row)
        data.sampleIds[row] = std::int64_t(row) + 1;

    // 1. Every attribute of every row, independently.
    for (const SynthAttribute &spec_ : spec.attributes) {
        RawAttribute raw;
        raw.name = spec_.name;
        raw.origin = QStringLiteral("synthetic");
        switch (spec_.kind) {
        case SynthAttribute::Kind::Categorical: {
            raw.kind = RawAttribute::Kind::Categorical;
            raw.values = spec_.levels;
            std::vector<double> probabilities = spec_.probabilities;
            if (probabilities.empty())
                probabilities.assign(size_t(spec_.levels.size()), 1.0);
            const std::vector<double> cumulative = cumulativeOf(probabilities);
            raw.codes.resize(n);
            for (size_t row = 0; row < n; ++row)
                raw.codes[row] = random.categorical(cumulative);
            break;
        }
        case SynthAttribute::Kind::Uniform:
            raw.kind = RawAttribute::Kind::Numeric;
            raw.numbers.resize(n);
            for (size_t row = 0; row < n; ++row)
                raw.numbers[row] = spec_.lo + (spec_.hi - spec_.lo) * random.uniform();
            break;
        case SynthAttribute::Kind::Choice:
            raw.kind = RawAttribute::Kind::Numeric;
            raw.numbers.resize(n);
            for (size_t row = 0; row < n; ++row)
                raw.numbers[row] = spec_.choices[size_t(random.below(spec_.choices.size()))];
            break;
        }
        data.attributes.push_back(std::move(raw));
    }

    // 2. Labels: π everywhere, π' inside the planted slice.
    std::vector<double> prior(size_t(spec.classes));
    for (int k = 0; k < spec.classes; ++k)
        prior[size_t(k)] = spec.zipf > 0 ? 1.0 / std::pow(double(k + 1), spec.zipf) : 1.0;
    double sum = 0;
    for (double p : prior)
        sum += p;
    for (double &p : prior)
        p /= sum;
    std::vector<double> shifted = prior;
    const size_t target = size_t(spec.targetClass);
    shifted[target] = std::min(0.95, spec.lift * prior[target]);
    for (size_t k = 0; k < shifted.size(); ++k) {
        if (k != target)
            shifted[k] = prior[k] * (1.0 - shifted[target]) / (1.0 - prior[target]);
    }
    std::vector<bool> planted(n, false);
    for (size_t row = 0; row < n; ++row)
        planted[row] = spec.lift != 1.0 && inPlanted(data, spec.planted, row);
    data.labels.assign(n, -1);
    if (spec.exact) {
        std::vector<size_t> inside, outside;
        for (size_t row = 0; row < n; ++row)
            (planted[row] ? inside : outside).push_back(row);
        dealExact(inside, shifted, random, data.labels);
        dealExact(outside, prior, random, data.labels);
    } else {
        const std::vector<double> base = cumulativeOf(prior), lifted = cumulativeOf(shifted);
        for (size_t row = 0; row < n; ++row)
            data.labels[row] = random.categorical(planted[row] ? lifted : base);
    }

    // 3. Predictions.
    if (spec.errorOut >= 0) {
        data.predictions.resize(n);
        for (size_t row = 0; row < n; ++row) {
            const double epsilon =
                inPlanted(data, spec.errorSlice, row) ? spec.errorIn : spec.errorOut;
            std::int32_t predicted = data.labels[row];
            if (random.uniform() < epsilon) {
                predicted = std::int32_t(random.below(std::uint64_t(spec.classes - 1)));
                if (predicted >= data.labels[row])
                    ++predicted;
            }
            data.predictions[row] = predicted;
        }
    }
    return data;
}

std::vector<SynthAttribute> nullAttributes(int categorical, int numeric)
{
    std::vector<SynthAttribute> attributes;
    for (int i = 0; i < categorical; ++i) {
        SynthAttribute attribute;
        attribute.name = QStringLiteral("cat%1").arg(i);
        for (int level = 0; level < 3 + i; ++level)
            attribute.levels << QStringLiteral("v%1").arg(level);
        attributes.push_back(attribute);
    }
    for (int i = 0; i < numeric; ++i) {
        SynthAttribute attribute;
        attribute.name = QStringLiteral("num%1").arg(i);
        attribute.kind = SynthAttribute::Kind::Uniform;
        attributes.push_back(attribute);
    }
    return attributes;
}

QByteArray greyNoisePng(double level, SplitMix64 &random)
{
    cv::Mat image(32, 32, CV_8UC1);
    for (int y = 0; y < 32; ++y) {
        for (int x = 0; x < 32; ++x) {
            const int noise = int(random.below(7)) - 3;
            image.at<uchar>(y, x) = uchar(std::clamp(int(level) + noise, 0, 255));
        }
    }
    std::vector<uchar> bytes;
    cv::imencode(".png", image, bytes);
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

} // namespace assay::test
