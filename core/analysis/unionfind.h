#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace assay::analysis {

// Disjoint sets over 0 .. count - 1: union by size, and path halving on every find (each node on
// the path is pointed at its grandparent), which flattens the trees as well as full compression
// does, without a second pass or recursion.
class UnionFind
{
public:
    explicit UnionFind(std::size_t count = 0);

    std::size_t size() const { return m_parent.size(); }

    std::uint32_t find(std::uint32_t x)
    {
        while (m_parent[x] != x) {
            m_parent[x] = m_parent[m_parent[x]];
            x = m_parent[x];
        }
        return x;
    }

    // Joins the sets of a and b; false when they were one already.
    bool unite(std::uint32_t a, std::uint32_t b)
    {
        a = find(a);
        b = find(b);
        if (a == b)
            return false;
        if (m_size[a] < m_size[b])
            std::swap(a, b);
        m_parent[b] = a;
        m_size[a] += m_size[b];
        return true;
    }

    // The number of elements in x's set.
    std::uint32_t setSize(std::uint32_t x) { return m_size[find(x)]; }

private:
    std::vector<std::uint32_t> m_parent;
    std::vector<std::uint32_t> m_size;
};

} // namespace assay::analysis
