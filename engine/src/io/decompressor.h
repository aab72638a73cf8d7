// SPDX-License-Identifier: Apache-2.0
// Reading zstd and gzip compressed profiles as a stream, without a
// temporary file. CI systems keep profiles as compressed artifacts; the
// format is told by the magic bytes at the start, never by the file name.
#ifndef COVMERGE_IO_DECOMPRESSOR_H_
#define COVMERGE_IO_DECOMPRESSOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace covmerge::internal {

enum class Compression : uint8_t { kNone, kZstd, kGzip };

// The compression whose magic number `head` starts with (zstd: 28 B5 2F FD,
// gzip: 1F 8B), or kNone. Profiles are text, so neither can be a profile.
Compression DetectCompression(std::string_view head);

// Decompresses one input, a piece at a time, into a caller's buffer.
class Decompressor {
 public:
  virtual ~Decompressor() = default;

  // Opens the compressed file `path`, or compressed bytes already in memory
  // (`bytes` non-empty; they must outlive the reader). `name` is used in
  // messages.
  static absl::StatusOr<std::unique_ptr<Decompressor>> Open(Compression compression,
                                                            const std::string& path,
                                                            std::string_view bytes);

  // Writes up to `capacity` decompressed bytes to `out` and returns how many;
  // 0 means the end of the data. Damaged or truncated data is an
  // InvalidArgument error naming the input.
  virtual absl::StatusOr<size_t> Read(char* out, size_t capacity) = 0;
};

// Decompresses a whole input into `*out` (the error path's re-reads).
absl::Status DecompressAll(Compression compression, const std::string& path, std::string_view bytes,
                           std::string* out);

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_DECOMPRESSOR_H_
