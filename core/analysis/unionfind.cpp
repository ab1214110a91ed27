#include "unionfind.h"

#include <numeric>

namespace assay::analysis {

UnionFind::UnionFind(std::size_t count) : m_parent(count), m_size(count, 1)
{
    std::iota(m_parent.begin(), m_parent.end(), std::uint32_t(0));
}

} // namespace assay::analysis
