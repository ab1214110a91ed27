#include "hammingpairs.h"

#include "hammingblocks.h"
#include "hammingkernels.h"
#include "hammingsort.h"
#include "jobs/progress.h"
#include "jobs/workerpool.h"
#include "util/error.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

namespace assay::analysis {

namespace {

using hamming::BlockKey;
using hamming::CompareRows;
using hamming::Layout;
using hamming::PairRule;
using hamming::PairSink;

// Parts at most this large are compared pair by pair instead of being split by another block:
// 4,560 comparisons for 96, a fraction of a microsecond with AVX-512. Measured at 1M hashes,
// T = 4 and 8: 64 to 192 are equally fast, 32 and 384 slower.
constexpr std::size_t defaultLeafSize = 96;
// Rows per task of the brute force (a multiple of the kernels' row block).
constexpr std::size_t bruteForceRows = 1024;

// Runs work(worker) on `workers` threads, the calling thread being worker 0; rethrows the first
// exception after all have finished.
template<class F>
void runWorkers(int workers, bool lowerPriority, std::atomic<bool> &stop, F &&work)
{
    std::exception_ptr failure;
    std::mutex mutex;
    auto guarded = [&](int worker) {
        try {
            work(worker);
        } catch (...) {
            stop.store(true);
            const std::lock_guard lock(mutex);
            if (!failure)
                failure = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    for (int w = 1; w < workers; ++w)
        threads.emplace_back([&, w] {
            if (lowerPriority)
                jobs::lowerCurrentThreadPriority();
            guarded(w);
        });
    guarded(0);
    for (std::thread &thread : threads)
        thread.join();
    if (failure)
        std::rethrow_exception(failure);
}

// What one search shares between its workers.
struct SearchContext
{
    const std::vector<std::uint64_t> &values;
    int maxDistance = 0;
    CompareRows compare = nullptr;
    int workers = 1;
    bool lowerPriority = false;
    std::size_t leafSize = defaultLeafSize;
    jobs::Progress *progress = nullptr;
    PairSink::Shared shared;
    std::vector<std::unique_ptr<PairSink>> sinks;

    SearchContext(const std::vector<std::uint64_t> &v, int distance, const NearPairOptions &options,
                  jobs::Progress *p)
        : values(v), maxDistance(distance), progress(p)
    {
        using hamming::InstructionSet;
        InstructionSet set = hamming::bestInstructionSet();
        switch (options.instructions) {
        case HashInstructions::Auto:
            break;
        case HashInstructions::Portable:
            set = InstructionSet::Portable;
            break;
        case HashInstructions::Popcnt:
            set = InstructionSet::Popcnt;
            break;
        case HashInstructions::Avx2:
            set = InstructionSet::Avx2;
            break;
        case HashInstructions::Avx512:
            set = InstructionSet::Avx512;
            break;
        }
        compare = hamming::compareRowsFor(set);
        const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
        workers = values.size() < 4096 ? 1 : (options.threads > 0 ? options.threads : cores);
        lowerPriority = options.lowerPriority;
        if (options.leafSize > 0)
            leafSize = std::max<std::size_t>(options.leafSize, 2);
        shared.limit = options.maxPairs;
        for (int w = 0; w < workers; ++w)
            sinks.push_back(std::make_unique<PairSink>(shared));
    }
    // Stops the workers when the job is canceled; true when it is.
    bool canceled()
    {
        if (progress && progress->isCanceled()) {
            shared.stop.store(true);
            return true;
        }
        return false;
    }
};

// The tree of block combinations. A node holds the entries that agree on its blocks; it is either
// a leaf (compared pair by pair under the rule "these are the first blocks the pair agrees on")
// or split by each possible next block in turn.
class IndexSearch
{
public:
    IndexSearch(SearchContext &context, const Layout &layout) : m_context(context), m_layout(layout)
    {}

    void run();

private:
    struct Node
    {
        const std::uint64_t *values = nullptr;
        const std::uint32_t *ids = nullptr;
        std::size_t size = 0;
        int depth = 0;
        int last = -1;               // the node's last block
        std::uint64_t equal = 0;     // the bits of the node's blocks
        std::uint64_t differing = 0; // tops of the blocks before `last` that are not the node's
    };
    struct Level
    {
        std::vector<std::uint64_t> values;
        std::vector<std::uint32_t> ids;
        std::vector<std::uint32_t> ends;
    };
    struct Worker
    {
        std::vector<Level> levels; // one per depth
    };

    int lastChild(int depth) const { return m_layout.blocks - m_layout.depth + depth; }
    void visit(const Node &node, Worker &worker, PairSink &sink);
    void leaf(const Node &node, PairSink &sink) const
    {
        const PairRule rule{m_context.maxDistance, node.equal, m_layout.low, node.differing};
        m_context.compare(node.values, node.ids, node.size, 0, node.size, rule, sink);
    }
    void splitRoot(int block, std::uint64_t differing, std::vector<Worker> &workers);

    SearchContext &m_context;
    const Layout &m_layout;
    std::vector<std::uint64_t> m_rootValues;
    std::vector<std::uint32_t> m_rootIds;
};

void IndexSearch::visit(const Node &node, Worker &worker, PairSink &sink)
{
    // A block that must differ but is the same throughout: nothing here (data with constant bits
    // would otherwise compare whole parts for nothing, once per such block).
    if (node.differing != 0 &&
        hamming::someBlockConstant(node.values, node.size, m_layout, node.differing))
        return;
    if (node.depth == m_layout.depth || node.size <= m_context.leafSize) {
        leaf(node, sink);
        return;
    }
    Level &level = worker.levels[size_t(node.depth + 1)];
    if (level.values.size() < node.size) {
        level.values.resize(node.size);
        level.ids.resize(node.size);
    }
    std::uint64_t differing = node.differing;
    for (int b = node.last + 1; b <= lastChild(node.depth); ++b) {
        if (sink.stopped())
            return;
        const BlockKey key(m_layout, b, node.size);
        hamming::partition(node.values, node.ids, node.size, key, level.values.data(),
                           level.ids.data(), level.ends);
        Node child{nullptr,  nullptr, 0, node.depth + 1, b, node.equal | m_layout.mask[size_t(b)],
                   differing};
        std::uint32_t begin = 0;
        for (std::size_t p = 0; p < key.parts(); ++p) {
            const std::uint32_t end = level.ends[p];
            if (end - begin >= 2) {
                child.values = level.values.data() + begin;
                child.ids = level.ids.data() + begin;
                child.size = end - begin;
                visit(child, worker, sink);
            }
            begin = end;
        }
        differing |= m_layout.top[size_t(b)]; // b lies before the next blocks: it must differ
    }
}

// Partitions all values by one block (in parallel), then hands the parts to the workers, the
// largest first.
void IndexSearch::splitRoot(int block, std::uint64_t differing, std::vector<Worker> &workers)
{
    const std::vector<std::uint64_t> &values = m_context.values;
    const std::size_t n = values.size();
    const int count = m_context.workers;
    const BlockKey key(m_layout, block, n);
    const std::size_t parts = key.parts();
    auto slice = [&](int w) {
        return std::pair(n * size_t(w) / size_t(count), n * size_t(w + 1) / size_t(count));
    };

    std::vector<std::vector<std::uint32_t>> cursors(static_cast<std::size_t>(count));
    runWorkers(count, m_context.lowerPriority, m_context.shared.stop, [&](int w) {
        std::vector<std::uint32_t> &histogram = cursors[size_t(w)];
        histogram.assign(parts, 0);
        const auto [from, to] = slice(w);
        for (std::size_t i = from; i < to; ++i)
            ++histogram[key(values[i])];
    });
    std::vector<std::uint32_t> starts(parts + 1, 0);
    for (std::size_t p = 0; p < parts; ++p) {
        std::uint32_t at = starts[p];
        for (std::vector<std::uint32_t> &cursor : cursors) {
            const std::uint32_t here = cursor[p];
            cursor[p] = at;
            at += here;
        }
        starts[p + 1] = at;
    }
    runWorkers(count, m_context.lowerPriority, m_context.shared.stop, [&](int w) {
        std::vector<std::uint32_t> &cursor = cursors[size_t(w)];
        const auto [from, to] = slice(w);
        for (std::size_t i = from; i < to; ++i) {
            const std::uint32_t at = cursor[key(values[i])]++;
            m_rootValues[at] = values[i];
            m_rootIds[at] = std::uint32_t(i);
        }
    });

    std::vector<std::uint32_t> order;
    std::int64_t alone = 0;
    for (std::size_t p = 0; p < parts; ++p) {
        if (starts[p + 1] - starts[p] >= 2)
            order.push_back(std::uint32_t(p));
        else
            alone += starts[p + 1] - starts[p];
    }
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return starts[a + 1] - starts[a] > starts[b + 1] - starts[b];
    });
    if (m_context.progress)
        m_context.progress->advance(alone);

    std::atomic<std::size_t> next{0};
    runWorkers(count, m_context.lowerPriority, m_context.shared.stop, [&](int w) {
        PairSink &sink = *m_context.sinks[size_t(w)];
        for (std::size_t i = next++; i < order.size() && !sink.stopped(); i = next++) {
            if (m_context.canceled())
                return;
            const std::uint32_t p = order[i];
            const Node node{m_rootValues.data() + starts[p],
                            m_rootIds.data() + starts[p],
                            starts[p + 1] - starts[p],
                            1,
                            block,
                            m_layout.mask[size_t(block)],
                            differing};
            visit(node, workers[size_t(w)], sink);
            if (m_context.progress)
                m_context.progress->advance(std::int64_t(node.size));
        }
    });
}

void IndexSearch::run()
{
    const std::size_t n = m_context.values.size();
    if (n <= m_context.leafSize) {
        leaf(Node{m_context.values.data(), nullptr, n, 0, -1, 0, 0}, *m_context.sinks[0]);
        return;
    }
    if (m_context.progress)
        m_context.progress->setTotal(std::int64_t(n) * (lastChild(0) + 1));
    m_rootValues.resize(n);
    m_rootIds.resize(n);
    std::vector<Worker> workers(size_t(m_context.workers));
    for (Worker &worker : workers)
        worker.levels.resize(size_t(m_layout.depth + 1));
    std::uint64_t differing = 0;
    for (int b = 0; b <= lastChild(0); ++b) {
        if (m_context.shared.stop.load())
            return;
        splitRoot(b, differing, workers);
        differing |= m_layout.top[size_t(b)];
    }
}

void runBruteForce(SearchContext &context)
{
    const std::vector<std::uint64_t> &values = context.values;
    const std::size_t n = values.size();
    const PairRule rule{context.maxDistance, 0, 0, 0};
    if (context.progress)
        context.progress->setTotal(std::int64_t(n) * std::int64_t(n ? n - 1 : 0) / 2);
    std::atomic<std::size_t> next{0};
    runWorkers(context.workers, context.lowerPriority, context.shared.stop, [&](int w) {
        PairSink &sink = *context.sinks[size_t(w)];
        for (std::size_t r0 = next.fetch_add(bruteForceRows); r0 < n && !sink.stopped();
             r0 = next.fetch_add(bruteForceRows)) {
            if (context.canceled())
                return;
            const std::size_t r1 = std::min(n, r0 + bruteForceRows);
            context.compare(values.data(), nullptr, n, r0, r1, rule, sink);
            if (context.progress) // rows r0 .. r1 - 1 have n - 1 - i pairs each
                context.progress->advance(std::int64_t((r1 - r0) * (2 * n - r0 - r1 - 1) / 2));
        }
    });
}

NearPairs search(std::span<const std::uint64_t> hashes, int maxDistance,
                 const NearPairOptions &options, jobs::Progress *progress, bool bruteForce)
{
    if (maxDistance < 0 || maxDistance > 64)
        throw Error(
            QStringLiteral("Hamming distance %1 is out of range (0 to 64)").arg(maxDistance));
    if (options.method == NearPairMethod::Index && options.blocks != 0 &&
        (options.blocks <= maxDistance || options.blocks > 64))
        throw Error(QStringLiteral("%1 blocks cannot index distance %2 (%3 to 64 can)")
                        .arg(options.blocks)
                        .arg(maxDistance)
                        .arg(maxDistance + 1));
    if (progress)
        progress->setPhase(QStringLiteral("Grouping identical hashes"));
    NearPairs result;
    result.maxDistance = maxDistance;
    hamming::groupIdenticalHashes(hashes, result.values, result.valueOf);
    if (maxDistance == 0 || result.values.size() < 2)
        return result;

    if (progress) {
        progress->setPhase(QStringLiteral("Finding near pairs"));
        progress->setDone(0);
    }
    int blocks = 0;
    if (!bruteForce && options.method != NearPairMethod::BruteForce) {
        blocks = options.method == NearPairMethod::Index && options.blocks > 0
                     ? options.blocks
                     : plannedBlocks(result.values.size(), maxDistance);
        if (options.method == NearPairMethod::Index && blocks == 0)
            blocks = maxDistance + 1;
    }
    const Layout layout = hamming::makeLayout(std::max(blocks, 1), maxDistance);
    // The index searches the hashes with their bits moved so that each block carries about the
    // same information; ids still index `values`, and distances do not change.
    const std::vector<std::uint64_t> searched =
        blocks > 0
            ? hamming::permuteBits(result.values, hamming::balancedBitOrder(result.values, layout))
            : std::vector<std::uint64_t>{};
    SearchContext context(blocks > 0 ? searched : result.values, maxDistance, options, progress);
    if (blocks > 0)
        IndexSearch(context, layout).run();
    else
        runBruteForce(context);
    if (progress && progress->isCanceled())
        throw jobs::Canceled{};

    if (progress)
        progress->setPhase(QStringLiteral("Sorting pairs"));
    std::size_t found = 0;
    for (const auto &sink : context.sinks)
        found += sink->size();
    result.truncated = context.shared.stop.load() || found > options.maxPairs;
    std::vector<PairSink *> sinks;
    for (const auto &sink : context.sinks)
        sinks.push_back(sink.get());
    result.pairs = hamming::sortPairs(sinks, std::min(found, options.maxPairs), result.values);
    return result;
}

} // namespace

int plannedBlocks(std::size_t distinctValues, int maxDistance)
{
    if (maxDistance <= 0 || distinctValues <= defaultLeafSize)
        return 0;
    // Measured with bench_duplicates on 1,000,000 and 100,000 uniform and clustered hashes (CPU
    // seconds, 1 thread, AVX-512, 1M): T = 4 with 5 to 8 blocks all ~0.15 s (mostly grouping
    // the identical hashes); T = 8: 9 blocks 2.2 s, 10 blocks 0.6-1.5 s, 11 1.2-1.9 s, 12
    // 1.3-2.0 s; T = 12: 13 blocks 12.7 s, 14 7.7 s, 15 5.6 s, 16 10.7 s; T = 14: 15 blocks
    // 24 s, 16-17 blocks 16 s; T = 16: 17 blocks 45 s against ~20-30 s for the brute force.
    // At 100,000 hashes one block fewer wins from T = 12 on. More blocks make the parts smaller
    // but multiply the combinations (C(T + j, j) at depth j), so the best count grows with n.
    if (maxDistance <= 4)
        return maxDistance + 1;
    if (maxDistance <= 10)
        return maxDistance + 2;
    if (maxDistance <= 14)
        return maxDistance + (distinctValues >= 500000 ? 3 : 2);
    return 0;
}

NearPairs findNearPairs(std::span<const std::uint64_t> hashes, int maxDistance,
                        const NearPairOptions &options, jobs::Progress *progress)
{
    return search(hashes, maxDistance, options, progress, false);
}

NearPairs findNearPairsBruteForce(std::span<const std::uint64_t> hashes, int maxDistance,
                                  const NearPairOptions &options, jobs::Progress *progress)
{
    return search(hashes, maxDistance, options, progress, true);
}

} // namespace assay::analysis
