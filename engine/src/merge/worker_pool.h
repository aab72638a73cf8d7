// SPDX-License-Identifier: Apache-2.0
// Runs fn(item, worker) for item in [0, count) on `threads` threads that
// take items in increasing order from a shared counter. Each worker sees its
// items in increasing order, which the merge relies on: the first input
// that gives a block to a worker's table is that worker's lowest one.
#ifndef COVMERGE_MERGE_WORKER_POOL_H_
#define COVMERGE_MERGE_WORKER_POOL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace covmerge::internal {

template <typename Fn>
void ForEachOnWorkers(size_t count, int threads, Fn fn) {
  std::atomic<size_t> next{0};
  auto work = [&](int worker) {
    for (size_t item = next.fetch_add(1, std::memory_order_relaxed); item < count;
         item = next.fetch_add(1, std::memory_order_relaxed)) {
      fn(item, worker);
    }
  };
  const int extra = std::max(0, std::min<int>(threads, static_cast<int>(count)) - 1);
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(extra));
  for (int w = 1; w <= extra; ++w) pool.emplace_back(work, w);
  work(0);
  for (std::thread& t : pool) t.join();
}

}  // namespace covmerge::internal

#endif  // COVMERGE_MERGE_WORKER_POOL_H_
