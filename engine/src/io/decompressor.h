// SPDX-License-Identifier: Apache-2.0
// Reading zstd and gzip compressed profiles as a stream, without a
// temporary file. CI systems keep profiles as compressed artifacts; the
// format is told by the magic bytes at the start, never by the file name.
#ifndef COVMERGE_IO_DECOMPRESSOR_H_
#define COVMERGE_IO_DECOMPRESSOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace covmerge::internal {

enum class Compression : uint8_t { kNone, kZstd, kGzip };

// The compression whose magic number `head` starts with (zstd: 28 B5 2F FD,
// gzip: 1F 8B), or kNone. Profiles are text, so neither can be a profile.
Compression DetectCompression(std::string_view head);

// Reads up to `capacity` bytes into `out`; 0 at the end.
using ByteReader = std::function<absl::StatusOr<size_t>(char* out, size_t capacity)>;

// Decompresses one input, a piece at a time, into a caller's buffer.
class Decompressor {
 public:
  virtual ~Decompressor() = default;

  // Decompresses the bytes that `read` gives, or, when `read` is empty,
  // compressed bytes already in memory (they must outlive the reader).
  // `name` is used in messages.
  static absl::StatusOr<std::unique_ptr<Decompressor>> Open(Compression compression,
                                                            const std::string& name,
                                                            ByteReader read,
                                                            std::string_view bytes = {});

  // Writes up to `capacity` decompressed bytes to `out` and returns how many;
  // 0 means the end of the data. Damaged or truncated data is an
  // InvalidArgument error naming the input.
  virtual absl::StatusOr<size_t> Read(char* out, size_t capacity) = 0;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_DECOMPRESSOR_H_
