#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <span>
#include <vector>

namespace retort::core {

// A list of revision indices that holds up to three without allocating. Nearly every
// revision has one parent and one child, so the graph's edge lists (seven per revision)
// would otherwise be tens of thousands of tiny heap blocks on a large project.
class SmallInts
{
public:
    SmallInts() = default;
    SmallInts(std::initializer_list<int> values) { assign(values.begin(), values.size()); }
    SmallInts(const SmallInts &o) { assign(o.data(), o.m_size); }
    SmallInts(SmallInts &&o) noexcept { take(o); }
    SmallInts &operator=(const SmallInts &o)
    {
        if (this != &o) {
            m_size = 0;
            assign(o.data(), o.m_size);
        }
        return *this;
    }
    SmallInts &operator=(SmallInts &&o) noexcept
    {
        if (this != &o) {
            release();
            take(o);
        }
        return *this;
    }
    ~SmallInts() { release(); }

    const int *data() const { return m_capacity > Inline ? m_heap : m_inline; }
    int *data() { return m_capacity > Inline ? m_heap : m_inline; }
    const int *begin() const { return data(); }
    const int *end() const { return data() + m_size; }
    int *begin() { return data(); }
    int *end() { return data() + m_size; }
    std::reverse_iterator<const int *> rbegin() const { return std::reverse_iterator<const int *>(end()); }
    std::reverse_iterator<const int *> rend() const { return std::reverse_iterator<const int *>(begin()); }
    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    int front() const { return data()[0]; }
    int back() const { return data()[m_size - 1]; }
    int operator[](size_t i) const { return data()[i]; }
    int &operator[](size_t i) { return data()[i]; }

    void push_back(int v)
    {
        if (m_size == m_capacity)
            grow(m_capacity * 2);
        data()[m_size++] = v;
    }
    void clear() { m_size = 0; }
    // Drops the elements from `first` on (the tail of a std::remove).
    void erase(int *first, int *last)
    {
        const size_t tail = size_t(end() - last);
        std::memmove(first, last, tail * sizeof(int));
        m_size = unsigned(size_t(first - begin()) + tail);
    }

    operator std::span<const int>() const { return {data(), m_size}; }
    std::vector<int> toVector() const { return {begin(), end()}; }

    friend bool operator==(const SmallInts &a, const SmallInts &b)
    {
        return a.m_size == b.m_size && std::equal(a.begin(), a.end(), b.begin());
    }

private:
    static constexpr unsigned Inline = 3;

    void assign(const int *values, size_t n)
    {
        if (n > m_capacity)
            grow(n);
        std::copy(values, values + n, data());
        m_size = unsigned(n);
    }
    void grow(size_t capacity)
    {
        int *heap = new int[capacity];
        std::copy(begin(), end(), heap);
        release();
        m_heap = heap;
        m_capacity = unsigned(capacity);
    }
    void release()
    {
        if (m_capacity > Inline)
            delete[] m_heap;
        m_capacity = Inline;
    }
    void take(SmallInts &o)
    {
        m_size = o.m_size;
        m_capacity = o.m_capacity;
        if (o.m_capacity > Inline)
            m_heap = o.m_heap;
        else
            std::copy(o.m_inline, o.m_inline + o.m_size, m_inline);
        o.m_size = 0;
        o.m_capacity = Inline;
    }

    unsigned m_size = 0;
    unsigned m_capacity = Inline;
    union {
        int m_inline[Inline];
        int *m_heap;
    };
};

} // namespace retort::core
