// SPDX-License-Identifier: Apache-2.0
// Bytes of one input, read or mapped. Reading goes into a caller-owned
// buffer that is reused from chunk to chunk, so the hot path allocates
// nothing and memory stays at one chunk per worker however large the input.
// Mapping (opt-in) maps from the chunk to the end of the file; only the
// pages touched cost memory, and they are released with the region.
//
// A mapped file that another process truncates while we read it raises
// SIGBUS, as with any mmap reader (ripgrep documents the same risk); CI
// inputs are finished files, and the speed of mapping is worth it.
#ifndef COVMERGE_IO_INPUT_REGION_H_
#define COVMERGE_IO_INPUT_REGION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "io/huge_page_allocator.h"

namespace covmerge::internal {

// How a file's bytes are brought in. Reading is the default: on the
// machines we measured, copying from the page cache with pread costs less
// than the page faults and unmapping of mmap (bench/RESULTS.md).
enum class InputAccess : uint8_t { kRead, kMap };

// A growable byte buffer that is reused from input to input without being
// zero-filled, unlike std::string::resize.
class ScratchBuffer {
 public:
  // Returns room for at least `size` bytes, keeping the first `keep` bytes.
  char* Reserve(size_t size, size_t keep = 0);
  char* data() { return data_.get(); }

 private:
  LargeBytes data_;
  size_t capacity_ = 0;
};

struct FileStat {
  uint64_t size = 0;
  bool regular = false;  // false for pipes, character devices, ...
  uint64_t device = 0;
  uint64_t inode = 0;
};

// stat(2) of an input; errors name the path.
absl::StatusOr<FileStat> StatFile(const std::string& path);

// The bytes [offset, end of file) of a file, or of a whole stream.
class InputRegion {
 public:
  InputRegion() = default;
  InputRegion(InputRegion&& other) noexcept;
  InputRegion& operator=(InputRegion&& other) noexcept;
  InputRegion(const InputRegion&) = delete;
  InputRegion& operator=(const InputRegion&) = delete;
  ~InputRegion();

  // Provides the bytes of `path` from `offset` on: at least `length` bytes
  // (fewer at the end of the file) and then up to the end of the line that
  // the last of them is in, so that a chunk's last line is complete. With
  // kRead, the bytes are read into `*buffer`, which must outlive the region;
  // with kMap, the file is mapped from `offset` to its end. Pipes and other
  // streams are read whole.
  static absl::StatusOr<InputRegion> Open(const std::string& path, uint64_t offset,
                                          uint64_t length, InputAccess access,
                                          ScratchBuffer* buffer);
  // Reads a whole stream (stdin, a pipe) into `*buffer`.
  static absl::StatusOr<InputRegion> ReadStream(int fd, std::string_view name,
                                                std::string* buffer);
  // Views bytes owned elsewhere.
  static InputRegion FromMemory(std::string_view bytes);

  std::string_view bytes() const { return bytes_; }
  bool mapped() const { return map_base_ != nullptr; }

 private:
  void Release();

  std::string_view bytes_;
  void* map_base_ = nullptr;
  size_t map_length_ = 0;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_INPUT_REGION_H_
