// SPDX-License-Identifier: Apache-2.0
// Unit tests for base/worker_pool: every item runs once, in increasing
// order per worker, and a task that throws becomes a status, not
// std::terminate. A gang runs every worker at once, in steps: a failure
// or a cancel stops all of them at the next barrier.
#include "base/worker_pool.h"

#include <atomic>
#include <new>
#include <stdexcept>
#include <thread>
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

TEST(GangTest, EveryWorkerRunsOnItsOwnThreadAndStepsStayApart) {
  for (int threads : {1, 2, 5}) {
    constexpr int kSteps = 200;
    std::vector<std::thread::id> ids(static_cast<size_t>(threads));
    std::vector<std::atomic<int>> step_of(static_cast<size_t>(threads));
    std::atomic<int> out_of_step{0};
    absl::Status status = RunGang(threads, [&](int worker, GangBarrier& barrier) {
      ids[static_cast<size_t>(worker)] = std::this_thread::get_id();
      for (int step = 0; step < kSteps; ++step) {
        step_of[static_cast<size_t>(worker)].store(step);
        // After a wait, every worker has written this step...
        if (!barrier.Wait()) return;
        for (const std::atomic<int>& other : step_of) {
          if (other.load() != step) out_of_step.fetch_add(1);
        }
        // ...and none writes the next one before all have read it.
        if (!barrier.Wait()) return;
      }
    });
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_EQ(out_of_step.load(), 0);
    std::vector<std::thread::id> distinct(ids);
    std::sort(distinct.begin(), distinct.end());
    EXPECT_EQ(std::unique(distinct.begin(), distinct.end()) - distinct.begin(), threads);
  }
}

TEST(GangTest, AWorkerThatThrowsStopsTheOthersAtTheirNextWait) {
  for (int threads : {2, 4}) {
    std::atomic<int> steps_after{0};
    absl::Status status = RunGang(threads, [&](int worker, GangBarrier& barrier) {
      for (int step = 0; step < 1000; ++step) {
        if (worker == 1 && step == 10) throw std::bad_alloc();
        if (!barrier.Wait()) return;
        if (step > 10) steps_after.fetch_add(1);
      }
    });
    EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
    EXPECT_EQ(steps_after.load(), 0);  // no worker waited forever or went on
  }
}

TEST(GangTest, CancellingStopsTheGangAtAWait) {
  std::atomic<int> steps{0};
  absl::Status status = RunGang(3, [&](int, GangBarrier& barrier) {
    for (int step = 0; step < 100000; ++step) {
      steps.fetch_add(1);
      if (!barrier.Wait()) return;
    }
  }, [&] { return steps.load() >= 30; });
  EXPECT_EQ(ErrorOrDescribe(status).kind, ErrorKind::kCancelled) << status;
  EXPECT_LT(steps.load(), 100);
}

}  // namespace
}  // namespace covmerge::internal
