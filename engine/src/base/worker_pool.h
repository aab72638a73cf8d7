// SPDX-License-Identifier: Apache-2.0
// Runs fn(item, worker) for item in [0, count) on `threads` threads that
// take items in increasing order from a shared counter. Each worker sees its
// items in increasing order, which the merge relies on: the first input
// that gives a block to a worker's table is that worker's lowest one.
//
// Nothing escapes to std::terminate: a task that throws (out of memory in
// a decoder, a bug) stops the others from taking new items, and so does a
// thread that cannot start (the memory limit leaves no room for its stack);
// every started thread is joined and the first failure comes back as a
// status.
#ifndef COVMERGE_BASE_WORKER_POOL_H_
#define COVMERGE_BASE_WORKER_POOL_H_

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstddef>
#include <cerrno>
#include <exception>
#include <functional>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "base/str_cat.h"
#include "covmerge/error.h"

namespace covmerge::internal {

// The out-of-memory failure, wherever it happens.
inline absl::Status OutOfMemoryError() {
  return ErrorStatus({.kind = ErrorKind::kOutOfMemory,
                      .os_error = ENOMEM,
                      .detail = "out of memory while merging; raise the memory limit (ulimit -v) or merge the "
                                "inputs in smaller batches"});
}

// Threads that could not start (std::thread says so with a system_error).
inline absl::Status ThreadsError(const std::system_error& e) {
  return ErrorStatus({.kind = ErrorKind::kOutOfMemory,
                      .os_error = e.code().value(),
                      .detail = Cat("cannot start the worker threads (", e.what(),
                                    "); raise the memory limit or use fewer threads (-j)")});
}

// What a merge stopped by its caller (MergeOptions::cancelled) returns.
inline absl::Status CancelledError() {
  return ErrorStatus({.kind = ErrorKind::kCancelled, .detail = "the merge was cancelled"});
}

// A caller's request to stop: polled between items; empty means never.
using CancelCheck = std::function<bool()>;

// The number of workers for a requested count: 0 (or less) is one per core.
inline int WorkerCount(int requested) {
  if (requested > 0) return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

// Runs body(), turning what it throws into fail(status): out of memory, a
// thread that could not start (when body starts threads), or any other
// exception (a bug). Shared by ForEachOnWorkers and RunGang, so both
// report a failure alike.
template <typename Body, typename Fail>
void RunReportingFailure(Body body, Fail fail, const absl::Status& out_of_memory,
                         bool starts_threads = false) noexcept {
  try {
    body();
  } catch (const std::bad_alloc&) {
    fail(out_of_memory);
  } catch (const std::system_error& e) {
    try {
      fail(starts_threads ? ThreadsError(e)
                          : ErrorStatus({.kind = ErrorKind::kInternal,
                                         .detail = Cat("a worker failed: ", e.what(), "; please report this bug")}));
    } catch (...) {
      fail(out_of_memory);
    }
  } catch (const std::exception& e) {
    try {
      fail(ErrorStatus({.kind = ErrorKind::kInternal,
                        .detail = Cat("a worker failed: ", e.what(), "; please report this bug")}));
    } catch (...) {
      fail(out_of_memory);
    }
  }
}

// Runs fn(item, worker) for every item in [0, count) on `threads` threads
// (the caller's among them), handing out items in increasing order.
// Returns OK, or ResourceExhausted (out of memory, a thread that could not
// start) or Internal (any other exception) after every thread has stopped.
// `cancelled`, when set, is called before each item (from every worker);
// once it returns true no item starts and the result is CancelledError().
template <typename Fn>
[[nodiscard]] absl::Status ForEachOnWorkers(size_t count, int threads, Fn fn, const CancelCheck& cancelled = nullptr) {
  std::atomic<size_t> next{0};
  std::mutex failure_mutex;
  absl::Status failure;
  // Made before any work: copying a status allocates nothing, so a worker
  // that ran out of memory can still report it.
  const absl::Status out_of_memory = OutOfMemoryError();
  const absl::Status cancel = cancelled ? CancelledError() : absl::OkStatus();
  auto fail = [&](const absl::Status& status) noexcept {
    std::lock_guard<std::mutex> lock(failure_mutex);
    if (failure.ok()) failure = status;
    next.store(count, std::memory_order_relaxed);  // no one takes another item
  };
  auto work = [&](int worker) noexcept {
    RunReportingFailure([&] {
      for (size_t item = next.fetch_add(1, std::memory_order_relaxed); item < count;
           item = next.fetch_add(1, std::memory_order_relaxed)) {
        if (cancelled && cancelled()) {
          fail(cancel);
          break;
        }
        fn(item, worker);
      }
    }, fail, out_of_memory);
  };
  const int extra = std::max(0, std::min<int>(threads, static_cast<int>(std::min<size_t>(count, 1 << 20))) - 1);
  std::vector<std::thread> pool;
  RunReportingFailure([&] {
    pool.reserve(static_cast<size_t>(extra));
    for (int w = 1; w <= extra; ++w) pool.emplace_back(work, w);
  }, fail, out_of_memory, /*starts_threads=*/true);
  work(0);
  for (std::thread& t : pool) t.join();
  std::lock_guard<std::mutex> lock(failure_mutex);
  return failure;
}

class GangBarrier;
template <typename Fn>
[[nodiscard]] absl::Status RunGang(int threads, Fn fn, const CancelCheck& cancelled = nullptr);

// The barrier of a gang (RunGang): every worker waits at it between the
// steps of a shared plan.
class GangBarrier {
 public:
  // Waits until every worker of the gang has arrived. Returns false when
  // the gang is to stop (a worker failed, a thread did not start, the
  // caller cancelled): then return without waiting again.
  [[nodiscard]] bool Wait() {
    barrier_.arrive_and_wait();
    return !stop_.load(std::memory_order_relaxed);
  }

 private:
  template <typename Fn>
  friend absl::Status RunGang(int threads, Fn fn, const CancelCheck& cancelled);
  struct Completion {
    GangBarrier* gang;
    void operator()() noexcept {
      if (gang->cancelled_ == nullptr || !*gang->cancelled_) return;
      try {
        if ((*gang->cancelled_)()) gang->stop_.store(true, std::memory_order_relaxed);
      } catch (...) {
        gang->stop_.store(true, std::memory_order_relaxed);
      }
    }
  };
  GangBarrier(int threads, const CancelCheck* cancelled)
      : barrier_(threads, Completion{this}), cancelled_(cancelled) {}

  std::barrier<Completion> barrier_;
  std::atomic<bool> stop_{false};
  const CancelCheck* cancelled_;
};

// Runs fn(worker, gang) on `threads` threads at once (the caller's among
// them), worker = 0 .. threads-1, for work done in steps that each worker
// separates with gang.Wait(). Unlike ForEachOnWorkers, every worker number
// runs, and on its own thread for the whole plan, so what a worker owns
// stays in its core's cache and its malloc arena. No step starts unless
// every thread started. Returns as ForEachOnWorkers does; `cancelled` is
// asked once per step.
template <typename Fn>
absl::Status RunGang(int threads, Fn fn, const CancelCheck& cancelled) {
  threads = std::max(threads, 1);
  GangBarrier gang(threads, &cancelled);
  std::mutex failure_mutex;
  absl::Status failure;
  const absl::Status out_of_memory = OutOfMemoryError();
  auto fail = [&](const absl::Status& status) noexcept {
    std::lock_guard<std::mutex> lock(failure_mutex);
    if (failure.ok()) failure = status;
    gang.stop_.store(true, std::memory_order_relaxed);
  };
  auto work = [&](int worker) noexcept {
    // The first wait: no step before every thread is known to have started.
    RunReportingFailure([&] { if (gang.Wait()) fn(worker, gang); }, fail, out_of_memory);
    // Done, or stopping: the others' waits no longer count on this worker.
    gang.barrier_.arrive_and_drop();
  };
  std::vector<std::thread> pool;
  int started = 0;
  RunReportingFailure([&] {
    pool.reserve(static_cast<size_t>(threads - 1));
    for (int w = 1; w < threads; ++w, ++started) pool.emplace_back(work, w);
  }, fail, out_of_memory, /*starts_threads=*/true);
  // Workers that never started leave at once, so that the first wait ends.
  for (int w = started + 1; w < threads; ++w) gang.barrier_.arrive_and_drop();
  work(0);
  for (std::thread& t : pool) t.join();
  std::lock_guard<std::mutex> lock(failure_mutex);
  if (failure.ok() && gang.stop_.load(std::memory_order_relaxed)) return CancelledError();
  return failure;
}

}  // namespace covmerge::internal

#endif  // COVMERGE_BASE_WORKER_POOL_H_
