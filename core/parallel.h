#pragma once
// Work split over the machine's cores, for the read paths that touch every revision.

#include <QtGlobal>
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace retort::core {

// Threads for reading a project: the cores, at most 8, or RETORT_THREADS.
inline unsigned threadsWanted()
{
    if (qEnvironmentVariableIsSet("RETORT_THREADS"))
        return unsigned(std::max(1, qEnvironmentVariableIntValue("RETORT_THREADS")));
    return std::min(std::max(1u, std::thread::hardware_concurrency()), 8u);
}

// Calls work(i) for every i below n, on up to threadsWanted() threads (this one among them),
// each taking the next `chunk` indices as it becomes free. Below `serialBelow` items starting
// a thread costs more than it saves: all run here. `work` must touch only what index i owns
// (and read what no one writes).
template<typename Work>
void parallelFor(size_t n, size_t serialBelow, size_t chunk, Work &&work)
{
    const unsigned threads = n < serialBelow ? 1u : std::min<unsigned>(threadsWanted(), unsigned((n + chunk - 1) / chunk));
    if (threads <= 1) {
        for (size_t i = 0; i < n; ++i)
            work(i);
        return;
    }
    std::atomic<size_t> next{0};
    auto run = [&]() {
        for (size_t from = next.fetch_add(chunk); from < n; from = next.fetch_add(chunk))
            for (size_t i = from, to = std::min(n, from + chunk); i < to; ++i)
                work(i);
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(run);
    run();
    for (std::thread &t : pool)
        t.join();
}

} // namespace retort::core
