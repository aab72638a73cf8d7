// SPDX-License-Identifier: Apache-2.0
// Draws "inputs done of total, MB/s" on stderr while a merge runs, when
// stderr is a terminal and the merge has taken more than a second.
#ifndef COVMERGE_CLI_PROGRESS_DISPLAY_H_
#define COVMERGE_CLI_PROGRESS_DISPLAY_H_

#include <condition_variable>
#include <mutex>
#include <thread>

#include "covmerge/merger.h"

namespace covmerge::cli {

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
