// SPDX-License-Identifier: Apache-2.0
#include "cli/progress_display.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "cli/streams.h"

namespace covmerge::cli {

ProgressDisplay::ProgressDisplay(const MergeProgress* progress, int fd, bool enabled)
    : progress_(progress), fd_(fd) {
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
  if (drawn_) (void)WriteAll(fd_, "\r\033[K");
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
    char line[160];
    const int n = std::snprintf(line, sizeof line, "\r\033[Kcovmerge: %llu/%llu inputs, %.0f of %.0f MB, %.0f MB/s",
                                static_cast<unsigned long long>(progress_->inputs_done.load()),
                                static_cast<unsigned long long>(progress_->inputs_total.load()), mb,
                                static_cast<double>(progress_->bytes_total.load()) / 1e6, mb / seconds);
    (void)WriteAll(fd_, std::string_view(line, n > 0 ? std::min<size_t>(static_cast<size_t>(n), sizeof line - 1) : 0));
    drawn_ = true;
  } while (!stop_signal_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; }));
}

}  // namespace covmerge::cli
