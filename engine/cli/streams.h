// SPDX-License-Identifier: Apache-2.0
// The command's two output streams, as file descriptors rather than
// stdout and stderr, so that `python3 -m covmerge` can hand it pipes when
// Python's sys.stdout or sys.stderr is redirected (contextlib.redirect_stdout).
#ifndef COVMERGE_CLI_STREAMS_H_
#define COVMERGE_CLI_STREAMS_H_

#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "absl/status/status.h"

namespace covmerge::cli {

struct Streams {
  int out = STDOUT_FILENO;
  int err = STDERR_FILENO;
};

// Writes all of `text` to `fd`; Aborted when the reader went away.
inline absl::Status WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::AbortedError("the output stream was closed");
    text.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace covmerge::cli

#endif  // COVMERGE_CLI_STREAMS_H_
