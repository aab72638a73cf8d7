// SPDX-License-Identifier: Apache-2.0
// Draws the progress of a merge on stderr while it runs, when stderr is a
// terminal and the merge has taken more than a second: the percent of the
// input bytes, the current rate (over the last two seconds, not the
// average since the start), the time left at that rate and the inputs
// done, redrawn in place and cut to the terminal's width, so that a narrow
// terminal never wraps it into stale lines.
#ifndef COVMERGE_CLI_PROGRESS_DISPLAY_H_
#define COVMERGE_CLI_PROGRESS_DISPLAY_H_

#include <condition_variable>
#include <cstdint>
#include <string>
#include <mutex>
#include <thread>

#include "covmerge/merger.h"

namespace covmerge::cli {

// One drawing of the progress: `rate` in bytes per second (0 while not
// known), cut to `width` columns (the line never fills the last column,
// where a terminal would wrap).
std::string ProgressLine(uint64_t bytes_done, uint64_t bytes_total, uint64_t inputs_done, uint64_t inputs_total,
                         double rate, size_t width);

class ProgressDisplay {
 public:
  // Starts drawing on `fd` from a background thread if `enabled`.
  ProgressDisplay(const MergeProgress* progress, int fd, bool enabled);
  // Stops and erases the line.
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

 private:
  void Run();

  const MergeProgress* progress_;
  int fd_;
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace covmerge::cli

#endif  // COVMERGE_CLI_PROGRESS_DISPLAY_H_
