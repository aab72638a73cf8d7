// SPDX-License-Identifier: Apache-2.0
#include "cli/progress_display.h"

#include <sys/ioctl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>

#include "base/str_cat.h"
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

namespace {

// The terminal's width in columns; 80 when it does not say.
size_t TerminalWidth(int fd) {
  struct winsize size;
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::string Bytes(double bytes) {
  char text[32];
  if (bytes >= 1e9) {
    std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
  } else {
    std::snprintf(text, sizeof text, "%.0f MB", bytes / 1e6);
  }
  return text;
}

std::string Duration(double seconds) {
  const auto s = static_cast<uint64_t>(seconds + 0.5);
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%llu:%02llu:%02llu", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60));
  } else {
    std::snprintf(text, sizeof text, "%llu:%02llu", static_cast<unsigned long long>(s / 60),
                  static_cast<unsigned long long>(s % 60));
  }
  return text;
}

}  // namespace

std::string ProgressLine(uint64_t bytes_done, uint64_t bytes_total, uint64_t inputs_done, uint64_t inputs_total,
                         double rate, size_t width) {
  const double fraction = bytes_total == 0 ? 0 : static_cast<double>(bytes_done) / static_cast<double>(bytes_total);
  std::string line = ::covmerge::internal::Cat("covmerge: ", static_cast<int>(fraction * 100), "% ");
  ::covmerge::internal::Append(&line, Bytes(static_cast<double>(bytes_done)), " of ",
                               Bytes(static_cast<double>(bytes_total)));
  if (rate > 0) {
    ::covmerge::internal::Append(&line, ", ", Bytes(rate), "/s, ",
                                 Duration(static_cast<double>(bytes_total - std::min(bytes_done, bytes_total)) / rate),
                                 " left");
  }
  ::covmerge::internal::Append(&line, ", ", inputs_done, "/", inputs_total, " inputs");
  if (width > 1 && line.size() > width - 1) line.resize(width - 1);
  return line;
}

void ProgressDisplay::Run() {
  using Clock = std::chrono::steady_clock;
  std::unique_lock<std::mutex> lock(mutex_);
  // Quiet for the first second: most merges end before anyone would look.
  if (stop_signal_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
  // The rate over a window of the last samples: a change of speed (the page
  // cache runs out, a slow disk) shows within two seconds.
  struct Sample {
    Clock::time_point when;
    uint64_t bytes;
  };
  std::deque<Sample> window;
  do {
    const Clock::time_point now = Clock::now();
    const uint64_t done = progress_->bytes_done.load();
    window.push_back({now, done});
    while (window.size() > 2 && now - window.front().when > std::chrono::seconds(2)) window.pop_front();
    const double seconds = std::chrono::duration<double>(now - window.front().when).count();
    const double rate = seconds > 0.1 ? static_cast<double>(done - window.front().bytes) / seconds : 0;
    const std::string line = ProgressLine(done, progress_->bytes_total.load(), progress_->inputs_done.load(),
                                          progress_->inputs_total.load(), rate, TerminalWidth(fd_));
    (void)WriteAll(fd_, ::covmerge::internal::Cat("\r\033[K", line));
    drawn_ = true;
  } while (!stop_signal_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; }));
}

}  // namespace covmerge::cli
