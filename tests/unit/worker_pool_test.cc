// SPDX-License-Identifier: Apache-2.0
// Unit tests for base/worker_pool: every item runs once, in increasing
// order per worker, and a task that throws becomes a status, not
// std::terminate.
#include "base/worker_pool.h"

#include <atomic>
#include <new>
#include <stdexcept>
#include <vector>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

TEST(WorkerPoolTest, RunsEveryItemOnceInIncreasingOrderPerWorker) {
  for (int threads : {1, 2, 8}) {
    std::vector<std::atomic<int>> runs(1000);
    std::vector<std::vector<size_t>> seen(static_cast<size_t>(threads));
    absl::Status status = ForEachOnWorkers(runs.size(), threads, [&](size_t item, int worker) {
      runs[item].fetch_add(1);
      seen[static_cast<size_t>(worker)].push_back(item);
    });
    ASSERT_TRUE(status.ok()) << status;
    for (const std::atomic<int>& r : runs) EXPECT_EQ(r.load(), 1);
    for (const std::vector<size_t>& items : seen) EXPECT_TRUE(std::is_sorted(items.begin(), items.end()));
  }
}

TEST(WorkerPoolTest, OutOfMemoryInATaskIsAResourceError) {
  for (int threads : {1, 4}) {
    absl::Status status = ForEachOnWorkers(100, threads, [](size_t item, int) {
      if (item == 37) throw std::bad_alloc();
    });
    EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
    EXPECT_NE(std::string(status.message()).find("raise the memory limit"), std::string::npos);
  }
}

TEST(WorkerPoolTest, AnyOtherExceptionIsAnInternalError) {
  absl::Status status = ForEachOnWorkers(10, 2, [](size_t item, int) {
    if (item == 3) throw std::runtime_error("boom");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_NE(std::string(status.message()).find("boom"), std::string::npos);
}

TEST(WorkerPoolTest, AFailureStopsTheOthersFromTakingItems) {
  std::atomic<int> ran{0};
  absl::Status status = ForEachOnWorkers(100000, 1, [&](size_t item, int) {
    ran.fetch_add(1);
    if (item == 10) throw std::bad_alloc();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(ran.load(), 11);
}

}  // namespace
}  // namespace covmerge::internal
