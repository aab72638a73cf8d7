// SPDX-License-Identifier: Apache-2.0
// Compresses output on its way to a file: `-o merged.out.zst` writes zstd,
// `-o merged.out.gz` gzip, as the name asks.
#ifndef COVMERGE_IO_COMPRESSOR_H_
#define COVMERGE_IO_COMPRESSOR_H_

#include <functional>
#include <memory>
#include <string_view>

#include "absl/status/status.h"
#include "io/decompressor.h"

namespace covmerge::internal {

// The compression an output file name asks for: ".zst" or ".gz" at the end.
Compression CompressionForName(std::string_view path);

class Compressor {
 public:
  using Sink = std::function<absl::Status(std::string_view)>;
  virtual ~Compressor() = default;

  // Compresses into `sink` (which receives compressed pieces). `level` is
  // the codec's own (zstd 1-19, gzip 1-9); 0 is the default for files.
  static std::unique_ptr<Compressor> Create(Compression compression, Sink sink, int level = 0);

  virtual absl::Status Write(std::string_view bytes) = 0;
  // Ends the stream; required before the output is complete.
  virtual absl::Status Finish() = 0;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_COMPRESSOR_H_
