// SPDX-License-Identifier: Apache-2.0
// A lock for critical sections of tens of nanoseconds: a worker holds a
// file's blocks for a run of lines, often one line long when every line
// names another file. A contended std::mutex sleeps in the kernel (a futex
// call of microseconds); spinning a few hundred cycles first costs less,
// and after that the thread yields, so a preempted holder is waited for
// without burning the core.
//
// PERF: bench e2e distinct at -j2 (a new file on every line): see
// bench/RESULTS.md.
#ifndef COVMERGE_BASE_SPIN_LOCK_H_
#define COVMERGE_BASE_SPIN_LOCK_H_

#include <atomic>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace covmerge::internal {

// Meets BasicLockable and Lockable, for std::unique_lock and lock_guard.
class SpinLock {
 public:
  void lock() noexcept {
    for (int spins = 0; !try_lock(); ++spins) {
      while (locked_.load(std::memory_order_relaxed)) {
        if (spins++ < kSpinsBeforeYield) {
          Pause();
        } else {
          std::this_thread::yield();
        }
      }
    }
  }
  bool try_lock() noexcept { return !locked_.exchange(true, std::memory_order_acquire); }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  static constexpr int kSpinsBeforeYield = 1000;
  static void Pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
  }
  std::atomic<bool> locked_{false};
};

}  // namespace covmerge::internal

#endif  // COVMERGE_BASE_SPIN_LOCK_H_
