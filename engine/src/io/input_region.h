// SPDX-License-Identifier: Apache-2.0
// Bytes of one input, mapped or read. Large regular files are memory-mapped
// from the start of the wanted chunk to the end of the file (only the pages
// that are touched cost memory, and they are released with the region);
// small files, pipes and stdin are read into a caller-owned buffer that is
// reused from input to input, so the hot path allocates nothing.
//
// A mapped file that another process truncates while we read it raises
// SIGBUS, as with any mmap reader (ripgrep documents the same risk); CI
// inputs are finished files, and the speed of mapping is worth it.
#ifndef COVMERGE_IO_INPUT_REGION_H_
#define COVMERGE_IO_INPUT_REGION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace covmerge::internal {

// Files at least this large are mapped; smaller ones are read, which costs
// less than mmap, page faults and munmap for a few kilobytes.
inline constexpr uint64_t kMapThreshold = 1ull << 20;

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

  // Opens `path` and provides its bytes from `offset` on. Regular files of
  // kMapThreshold bytes or more are mapped; anything else is read whole into
  // `*buffer`, which must outlive the region. `hint_bytes` is how much of the
  // region will be read soon (the rest is read only to finish a last line).
  static absl::StatusOr<InputRegion> Open(const std::string& path, uint64_t offset,
                                          uint64_t hint_bytes, std::string* buffer);
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
