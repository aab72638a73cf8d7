// SPDX-License-Identifier: Apache-2.0
// Sorts a vector on the worker threads: each sorts a contiguous part, then
// neighbouring parts are merged, pairs of them at once, until one is left.
// The result is the one std::sort gives whenever `less` is a strict order
// with no ties (a set of distinct paths), whatever the thread count.
#ifndef COVMERGE_BASE_PARALLEL_SORT_H_
#define COVMERGE_BASE_PARALLEL_SORT_H_

#include <algorithm>
#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "base/worker_pool.h"

namespace covmerge::internal {

// PERF: below this many items a part is not worth a thread.
inline constexpr size_t kParallelSortMinPart = 4096;

template <typename T, typename Less>
[[nodiscard]] absl::Status ParallelSort(std::vector<T>* items, Less less, int threads) {
  const size_t n = items->size();
  const size_t parts = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(threads, 1)),
                                                            n / kParallelSortMinPart));
  auto bound = [&](size_t part) { return items->begin() + static_cast<std::ptrdiff_t>(n * part / parts); };
  absl::Status status = ForEachOnWorkers(parts, threads, [&](size_t part, int) {
    std::sort(bound(part), bound(part + 1), less);
  });
  for (size_t width = 1; status.ok() && width < parts; width *= 2) {
    const size_t pairs = (parts + 2 * width - 1) / (2 * width);
    status = ForEachOnWorkers(pairs, threads, [&](size_t pair, int) {
      const size_t first = pair * 2 * width;
      const size_t middle = std::min(first + width, parts);
      const size_t last = std::min(first + 2 * width, parts);
      std::inplace_merge(bound(first), bound(middle), bound(last), less);
    });
  }
  return status;
}

}  // namespace covmerge::internal

#endif  // COVMERGE_BASE_PARALLEL_SORT_H_
