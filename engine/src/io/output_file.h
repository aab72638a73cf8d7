// SPDX-License-Identifier: Apache-2.0
// Where merged output goes. A named file is written to a temporary file in
// the same directory and renamed into place by Commit(), so a failed or
// killed merge never leaves a partial output and never touches the
// previous one. Standard output is written directly.
#ifndef COVMERGE_IO_OUTPUT_FILE_H_
#define COVMERGE_IO_OUTPUT_FILE_H_

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
  OutputFile(int fd, std::string name, std::string temp_path, bool owns_fd);

  int fd_ = -1;
  std::string name_;       // the path the user asked for, or "<stdout>"
  std::string temp_path_;  // empty when writing to a descriptor
  bool owns_fd_ = false;
  bool committed_ = false;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_OUTPUT_FILE_H_
