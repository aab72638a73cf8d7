// SPDX-License-Identifier: Apache-2.0
// The inputs of a merge and the work items they are cut into. An input
// larger than the chunk size is cut into chunks at arbitrary offsets; the
// worker that scans a chunk moves its start to the next line start, so the
// planner never reads the file. Inputs in memory (stdin, buffers) are kept
// whole, because a merge may need to read them again to name a line.
#ifndef COVMERGE_MERGE_INPUT_SET_H_
#define COVMERGE_MERGE_INPUT_SET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "covmerge/profile.h"
#include "io/decompressor.h"
#include "io/input_region.h"
#include "parse/line_parser.h"

namespace covmerge::internal {

struct Input {
  std::string name;        // the path, "<stdin>", or the buffer's name
  bool from_stdin = false;
  bool in_memory = false;  // contents holds the bytes (stdin, buffers)
  std::string contents;
  // A GOCOVERDIR (Merger::AddGoCoverDir): Finish() replaces it with the
  // text profiles decoded from it (covdata/coverdir.h) before any pass.
  bool go_cover_dir = false;
  // The inputs this one stands for in MergeReport::inputs_merged: the
  // counter files summed into a decoded profile, 1 for the others.
  uint64_t runs = 1;
  uint64_t size = 0;       // known once Prepare() succeeded
  // For inputs cut into chunks, read ahead so that every chunk knows how to
  // combine counts: the offset of the first non-blank line and its mode.
  std::optional<uint64_t> first_line;
  std::optional<Mode> mode_hint;
  // Known for large files and memory inputs from Prepare(), for the others
  // once a pass has opened them. Compressed inputs are never cut.
  Compression compression = Compression::kNone;
};

// A piece of one input: the lines that start in [begin, end).
struct WorkItem {
  uint32_t input = 0;
  uint64_t begin = 0;
  uint64_t end = 0;
};

// The offset of the first non-blank line of `input`, if it has one.
std::optional<uint64_t> FindFirstLine(const Input& input);

// Reads stdin into memory and sizes each file; fills size and, for inputs
// larger than one chunk, first_line and mode_hint.
// Returns the first input that cannot be read, as a status naming it.
absl::Status PrepareInput(Input* input, uint64_t chunk_bytes);

// Cuts the inputs whose `included` flag is set into work items, in input
// order, each at most `chunk_bytes` long.
std::vector<WorkItem> PlanWork(const std::vector<Input>& inputs,
                               const std::vector<bool>& included, uint64_t chunk_bytes);

// The bytes of `input` from `offset` on: at least `length` of them and the
// rest of the last line (see InputRegion::Open). A compressed input is
// decompressed whole: this serves the error path and small inputs only.
absl::StatusOr<InputRegion> OpenInput(const Input& input, uint64_t offset, uint64_t length,
                                      InputAccess access, ScratchBuffer* buffer);

// The 1-based line number of the byte at `offset` (reads the input again).
uint64_t LineNumberAt(const Input& input, uint64_t offset);

// The offset of the first line of `input` that names the block
// (path, start, end), if any: used to name both sides of a conflict.
std::optional<uint64_t> FindBlockLine(const Input& input, std::string_view path,
                                      const BlockLine& position);

}  // namespace covmerge::internal

#endif  // COVMERGE_MERGE_INPUT_SET_H_
