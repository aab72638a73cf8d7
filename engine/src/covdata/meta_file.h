// SPDX-License-Identifier: Apache-2.0
// DecodeMetaFile: a covmeta.<hash> file (covdata_format.h) decoded into
// flat arrays: packages hold a range of functions, functions a range of
// blocks and the index of their source file. Each source file path is kept
// once per meta file however many functions name it. The block order is
// the file's (package, function, unit), which is also the order of the
// counters in a counter file, so a counter's block is
// functions[first_function + func].first_block + i.
#ifndef COVMERGE_COVDATA_META_FILE_H_
#define COVMERGE_COVDATA_META_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "covdata/covdata_format.h"
#include "covmerge/profile.h"

namespace covmerge::internal {

struct MetaBlock {
  uint32_t start_line = 0;
  uint32_t start_col = 0;
  uint32_t end_line = 0;
  uint32_t end_col = 0;
  uint32_t num_stmt = 0;
};

struct MetaFunction {
  uint32_t file = 0;         // index into MetaFile::files
  uint32_t first_block = 0;  // index into MetaFile::blocks
  uint32_t block_count = 0;
};

struct MetaPackage {
  std::string path;  // the import path, for messages
  uint32_t first_function = 0;
  uint32_t function_count = 0;
};

struct MetaFile {
  MetaHash hash{};
  Mode mode = Mode::kSet;
  std::vector<std::string> files;  // distinct source paths
  std::vector<MetaPackage> packages;
  std::vector<MetaFunction> functions;
  std::vector<MetaBlock> blocks;
};

// Decodes the bytes of the meta-data file `name` (used in messages).
// Errors (InvalidArgument, each naming the file, the byte offset and what
// was expected): a bad magic number or version, a length or offset that
// points past the end (a truncated file), a string index out of range, a
// counter mode other than set/count/atomic, and per-function granularity,
// which has one counter per function and so no per-block counts to write
// as a text profile.
absl::StatusOr<MetaFile> DecodeMetaFile(std::string_view name, std::string_view bytes);

// "8e5490b1..." as in the file names.
std::string HashHex(const MetaHash& hash);

}  // namespace covmerge::internal

#endif  // COVMERGE_COVDATA_META_FILE_H_
