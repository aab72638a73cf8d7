// SPDX-License-Identifier: Apache-2.0
// The merge engine's entry point. Collect inputs with Add*, then Finish()
// parses and merges them all on a pool of threads and returns the merged
// profile. Memory grows with the number of distinct blocks, not with the
// number or size of the inputs: each input is mapped or read, parsed and
// released in turn.
#ifndef COVMERGE_MERGER_H_
#define COVMERGE_MERGER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "covmerge/profile.h"

namespace covmerge {

struct MergeOptions {
  // Worker threads; 0 means one per available core.
  int threads = 0;
  // When false, the first damaged or conflicting input fails the merge.
  // When true, each such input is reported in MergeReport::skipped and left
  // out, and the merge of the others goes on.
  bool keep_going = false;
  // Inputs larger than this are split at line boundaries into chunks that
  // several threads parse at once. Tests lower it to exercise the splitting.
  uint64_t chunk_bytes = 1ull << 20;
  // No effect; kept so that callers that set it still build. Inputs are
  // always read: mapping measured slower (bench/RESULTS.md), and a mapped
  // file that another process truncates ends the process with SIGBUS.
  bool use_mmap = false;
  // When set, only the files (by the path the profiles name) for which it
  // returns true are merged; the blocks of the others are dropped before
  // folding, so their conflicts do not count either. Called once per
  // distinct path, from one thread. See PathFilter (path_filter.h).
  std::function<bool(std::string_view path)> keep_file = nullptr;
  // When set, called by the workers before each piece of input (at most
  // chunk_bytes, about a millisecond of work) and before each file is
  // folded, from any of them: it must be thread-safe and cheap (an atomic
  // load). Once it returns true, no piece starts and Finish() returns a
  // Cancelled status (ErrorKind::kCancelled); Ctrl-C in the bindings sets it.
  std::function<bool()> cancelled = nullptr;
};

// Live counters a caller may poll from another thread to draw progress.
struct MergeProgress {
  std::atomic<uint64_t> inputs_done{0};
  std::atomic<uint64_t> bytes_done{0};
  std::atomic<uint64_t> inputs_total{0};
  std::atomic<uint64_t> bytes_total{0};
};

// An input left out under keep_going, with the reason as a full sentence
// that names the file and line.
struct SkippedInput {
  // When the merge met the failure: it reports (or skips) failures stage
  // by stage, each stage in input order. Only kConflict depends on the
  // other inputs; the others are the input's own.
  enum class Stage {
    kGoCoverDir,  // a GOCOVERDIR, or a file in it, that cannot be decoded
    kOpen,        // an input that cannot be opened or read
    kParse,       // a damaged input
    kConflict,    // inputs that disagree (mode, statements, block ends)
  };
  std::string name;
  std::string reason;
  Stage stage = Stage::kParse;
  // Its position among the inputs added (Error::input_index); the files
  // of a GOCOVERDIR have the directory's.
  uint64_t input_index = 0;
};

struct MergeReport {
  // Text profiles merged, plus the counter files (runs) of GOCOVERDIRs.
  uint64_t inputs_merged = 0;
  uint64_t bytes_read = 0;
  std::vector<SkippedInput> skipped;
  // Non-fatal findings, e.g. counts that saturated at kMaxCount.
  std::vector<std::string> warnings;
  // Distinct file paths that MergeOptions::keep_file left out.
  uint64_t excluded_files = 0;
};

struct MergeResult {
  MergedProfile profile;
  MergeReport report;
};

// Not thread-safe: one thread drives a Merger; Finish() runs its own workers.
class Merger {
 public:
  explicit Merger(MergeOptions options = {});
  ~Merger();
  Merger(const Merger&) = delete;
  Merger& operator=(const Merger&) = delete;

  // Adds a profile file by path; "-" is not special here (see AddStdin).
  // The file is opened only by Finish().
  void AddFile(std::string path);
  // Adds standard input, read by Finish() (as "<stdin>" in messages).
  void AddStdin();
  // Adds a profile held in memory; `name` stands for it in messages.
  void AddBuffer(std::string name, std::string contents);
  // Adds a GOCOVERDIR: a directory of covmeta.* and covcounters.* files
  // that a binary built with `go build -cover` (Go 1.20+) writes. Finish()
  // decodes it natively (no Go toolchain) and merges each meta file's
  // blocks, with the counts of all its runs summed, like a text profile
  // named by the meta file's path. The directory is read only by Finish().
  void AddGoCoverDir(std::string dir);

  size_t input_count() const;

  // Parses and merges every input added so far. A file is read once per
  // pass, from one open descriptor; a pipe, FIFO or standard input is
  // copied once into an unlinked temporary file ($TMPDIR, else /tmp). Errors:
  //  - InvalidArgument: a malformed profile ("path:line:col: expected ..."),
  //    a line longer than 1 MiB, damaged compressed data, a directory.
  //  - FailedPrecondition: inputs that disagree (mode, NUMSTMT, the same
  //    block start with different ends, a block inside a block of another
  //    input), naming both files and lines; an input that changed (was
  //    replaced, truncated or grew) while it was read.
  //  - InvalidArgument: a damaged GOCOVERDIR file, a counter file whose
  //    meta hash matches no meta file, a GOCOVERDIR without a meta file
  //    ("path: expected ..."). With keep_going, a damaged counter file is
  //    skipped (one MergeReport::skipped entry per file) and the other runs
  //    are merged.
  //  - NotFound / PermissionDenied / Unknown: an input could not be read.
  //  - ResourceExhausted: out of memory, or worker threads that could not start.
  //  - Cancelled: MergeOptions::cancelled returned true.
  // Every error carries an Error (covmerge/error.h) with the kind, the
  // input's name and index, and the line, column and offset where known.
  // With keep_going, only a failure to merge anything at all is an error;
  // its message lists every skipped input with its reason.
  // `progress`, when given, is updated while the merge runs.
  absl::StatusOr<MergeResult> Finish(MergeProgress* progress = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace covmerge

#endif  // COVMERGE_MERGER_H_
