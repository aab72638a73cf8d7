// SPDX-License-Identifier: Apache-2.0
#include "cli/progress_display.h"

#include <chrono>
#include <cstdio>

namespace covmerge::cli {

ProgressDisplay::ProgressDisplay(const MergeProgress* progress, bool enabled) : progress_(progress) {
  if (enabled) thread_ = std::thread([this] { Run(); });
}

ProgressDisplay::~ProgressDisplay() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  stop_signal_.notify_all();
  thread_.join();
  if (drawn_) std::fputs("\r\033[K", stderr);
}

void ProgressDisplay::Run() {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  // Quiet for the first second: most merges end before anyone would look.
  if (stop_signal_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
  do {
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double mb = static_cast<double>(progress_->bytes_done.load()) / 1e6;
    std::fprintf(stderr, "\r\033[Kcovmerge: %llu/%llu inputs, %.0f of %.0f MB, %.0f MB/s",
                 static_cast<unsigned long long>(progress_->inputs_done.load()),
                 static_cast<unsigned long long>(progress_->inputs_total.load()), mb,
                 static_cast<double>(progress_->bytes_total.load()) / 1e6, mb / seconds);
    std::fflush(stderr);
    drawn_ = true;
  } while (!stop_signal_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; }));
}

}  // namespace covmerge::cli
