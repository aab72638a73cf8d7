// SPDX-License-Identifier: Apache-2.0
// One input, opened once and read at offsets. A regular file is read in
// place; a stream (a pipe, a FIFO, a terminal, /dev/stdin, standard input)
// is copied once into an unlinked temporary file, so that the merge can cut
// it into chunks and read it again to name a line, in bounded memory, and
// a failed first pass can be run again without the stream.
//
// Nothing is mapped: a mapped file that another process truncates raises
// SIGBUS, and reading measured faster (bench/RESULTS.md).
#ifndef COVMERGE_IO_INPUT_FILE_H_
#define COVMERGE_IO_INPUT_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "io/scratch_buffer.h"

namespace covmerge::internal {

// What tells one version of a file from another: a file replaced (`mv new
// old`) or rewritten while a merge reads it has another inode, size or
// modification time.
struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// Thread-safe: ReadAt may be called from several threads at once.
class InputFile {
 public:
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Opens `path`, which stat(2) says is a regular file. Errors name it.
  static absl::StatusOr<std::shared_ptr<InputFile>> Open(const std::string& path);

  // Copies the stream `fd` (left open) to its end into a temporary file in
  // $TMPDIR (or /tmp), named `name` in messages. The copy stops early, with
  // what it has, once it holds a line of more than `max_line_bytes`: the
  // scan then reports that line, and /dev/zero cannot fill the disk. A
  // compressed stream (told by its first bytes) is copied whole.
  static absl::StatusOr<std::shared_ptr<InputFile>> Spool(int fd, std::string_view name,
                                                          size_t max_line_bytes);

  const FileIdentity& identity() const { return identity_; }
  uint64_t size() const { return identity_.size; }

  // Reads up to `capacity` bytes at `offset` into `out`; 0 at the end of
  // the file. Errors name the input.
  absl::StatusOr<size_t> ReadAt(uint64_t offset, char* out, size_t capacity) const;

 private:
  InputFile(int fd, std::string name, FileIdentity identity)
      : fd_(fd), name_(std::move(name)), identity_(identity) {}

  int fd_;
  std::string name_;
  FileIdentity identity_;
};

// The identity of the file at `path` (stat(2), following links), and
// whether it is a regular file. Errors name the path.
struct PathStat {
  FileIdentity identity;
  bool regular = false;
  bool directory = false;
};
absl::StatusOr<PathStat> StatPath(const std::string& path);

// Opens a stream input by path (a FIFO, /dev/stdin, /dev/fd/N) for Spool.
// The returned descriptor is the caller's to close.
absl::StatusOr<int> OpenStream(const std::string& path);
void CloseStream(int fd);

// Reads the whole file at `path` (a regular file or a stream) into
// `*buffer`, for the small files read whole: meta and counter files,
// baselines. Errors name the path ("cannot read d: Is a directory").
absl::StatusOr<std::string_view> ReadWholeFile(const std::string& path, ScratchBuffer* buffer);

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_INPUT_FILE_H_
