// SPDX-License-Identifier: Apache-2.0
// Where merged output goes. A named file is written to a temporary file in
// the same directory and renamed into place by Commit(), so a failed or
// killed merge never leaves a partial output and never touches the
// previous one. Standard output is written directly.
//
// A signal that ends the process (SIGINT, SIGTERM, SIGHUP) would leave the
// temporary file behind, so every temporary file that exists is listed in a
// small fixed registry that an async-signal-safe handler can walk:
// TemporaryOutputCleanup installs that handler (the command does; the
// library never installs handlers on its own).
#ifndef COVMERGE_IO_OUTPUT_FILE_H_
#define COVMERGE_IO_OUTPUT_FILE_H_

#include <signal.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace covmerge::internal {

class OutputFile {
 public:
  // Creates the temporary file beside `path`; errors name `path`. When
  // `path` is an existing device or pipe, it is opened and written directly.
  static absl::StatusOr<OutputFile> CreateAtomic(const std::string& path);
  // Writes to an open descriptor (e.g. 1); `name` is used in messages.
  static OutputFile FromDescriptor(int fd, std::string name);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&&) = delete;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  // Removes the temporary file if Commit() did not succeed.
  ~OutputFile();

  // Writes all of `bytes`. A closed pipe gives an Aborted status, so the
  // caller can end quietly, as `covmerge ... | head` expects.
  absl::Status Write(std::string_view bytes);
  // Flushes and closes; for an atomic file, renames it over the target.
  absl::Status Commit();

 private:
  OutputFile(int fd, std::string name, std::string temp_path, bool owns_fd, int slot);

  int fd_ = -1;
  std::string name_;       // the path the user asked for, or "<stdout>"
  std::string temp_path_;  // empty when writing to a descriptor
  bool owns_fd_ = false;
  bool committed_ = false;
  int slot_ = -1;  // the temporary file's entry in the signal registry, or -1
};

// Removes every temporary output file that exists now (see above).
// Async-signal-safe: it only reads the registry and calls unlink. Files it
// removes stay claimed, so it is meant for a process about to end.
void RemoveTemporaryOutputs() noexcept;

// While alive, SIGINT, SIGTERM and SIGHUP remove the temporary output files
// (RemoveTemporaryOutputs) and then end the process with the same signal, by
// its default action, so the exit status is 128+signal as a shell shows it.
// A signal that is ignored when it is constructed (nohup) stays ignored. The
// destructor restores the handlers found, so a host process (the Python
// module runs the command) gets its own back. Construct one at a time, on
// the main thread.
class TemporaryOutputCleanup {
 public:
  TemporaryOutputCleanup();
  ~TemporaryOutputCleanup();
  TemporaryOutputCleanup(const TemporaryOutputCleanup&) = delete;
  TemporaryOutputCleanup& operator=(const TemporaryOutputCleanup&) = delete;

 private:
  static constexpr int kSignals = 3;
  struct sigaction saved_[kSignals];  // the handlers found
  bool installed_[kSignals] = {};
};

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_OUTPUT_FILE_H_
