// SPDX-License-Identifier: Apache-2.0
// The inputs of a merge and the work items they are cut into. An input
// larger than the chunk size is cut into chunks at arbitrary offsets; the
// worker that scans a chunk moves its start to the next line start, so the
// planner never reads the file. Streams (stdin, pipes, FIFOs) are copied
// once into a temporary file by PrepareInput and from then on read like
// files; inputs in memory (buffers, decoded GOCOVERDIRs) are read in place.
#ifndef COVMERGE_MERGE_INPUT_SET_H_
#define COVMERGE_MERGE_INPUT_SET_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "covmerge/profile.h"
#include "io/decompressor.h"
#include "io/input_file.h"

namespace covmerge::internal {

struct Input {
  std::string name;        // the path, "<stdin>", or the buffer's name
  // Its position among the inputs added to the Merger, for Error::input_index;
  // the profiles decoded from a GOCOVERDIR share the directory's.
  uint64_t index = 0;
  bool from_stdin = false;
  bool in_memory = false;  // contents holds the bytes (buffers, decoded GOCOVERDIRs)
  std::string contents;
  // A GOCOVERDIR (Merger::AddGoCoverDir): Finish() replaces it with the
  // text profiles decoded from it (covdata/coverdir.h) before any pass.
  bool go_cover_dir = false;
  // The inputs this one stands for in MergeReport::inputs_merged: the
  // counter files summed into a decoded profile, 1 for the others.
  uint64_t runs = 1;
  uint64_t size = 0;       // known once Prepare() succeeded
  // A file as PrepareInput found it: every later open must find the same
  // one, so that no merge mixes two versions of an input.
  FileIdentity identity;
  // The copy of a stream, held for the whole merge.
  std::shared_ptr<InputFile> spool;
  // For inputs cut into chunks, read ahead so that every chunk knows how to
  // combine counts: the offset of the first non-blank line and its mode.
  std::optional<uint64_t> first_line;
  std::optional<Mode> mode_hint;
  // Known for large files and memory inputs from Prepare(), for the others
  // once a pass has opened them. Compressed inputs are never cut.
  Compression compression = Compression::kNone;
  // Most lines of a sample at its start name another file than the line
  // before: an input cut into chunks would have every worker in every
  // file at once, so the pass routes its lines to workers by file instead.
  bool interleaved = false;
};

// A piece of one input: the lines that start in [begin, end). A chunk of
// an interleaved input, when several workers merge, is `routed`: parsed
// first, its lines then merged by the workers that own their files.
struct WorkItem {
  uint32_t input = 0;
  uint64_t begin = 0;
  uint64_t end = 0;
  bool routed = false;
};

// Sizes a file (and checks it is one), copies a stream, and fills, for
// inputs larger than one chunk, first_line and mode_hint. Returns a status
// naming the input when it cannot be read.
absl::Status PrepareInput(Input* input, uint64_t chunk_bytes);

// Cuts the inputs whose `included` flag is set into work items, in input
// order, each at most `chunk_bytes` long; with `threads` > 1, the chunks of
// interleaved inputs are routed.
std::vector<WorkItem> PlanWork(const std::vector<Input>& inputs, const std::vector<bool>& included,
                               uint64_t chunk_bytes, int threads);

// Opens an input that is not in memory: its spool, or its file, which must
// be the one PrepareInput sized (else an error naming it).
absl::StatusOr<std::shared_ptr<InputFile>> OpenInputFile(const Input& input);

// Reads the bytes of an input in order from `offset` on: up to `end` in
// reads as large as asked, then in small ones (for the rest of the last
// line of a chunk). `file` is null for inputs in memory. A file that
// shrinks or grows while it is read is an error naming it.
class InputReader {
 public:
  InputReader(const Input& input, const InputFile* file, uint64_t offset, uint64_t end)
      : input_(input), file_(file), pos_(offset), end_(end) {}
  absl::StatusOr<size_t> Read(char* out, size_t capacity);

 private:
  const Input& input_;
  const InputFile* file_;
  uint64_t pos_;
  uint64_t end_;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_MERGE_INPUT_SET_H_
