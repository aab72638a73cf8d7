// SPDX-License-Identifier: Apache-2.0
// One parallel pass over the work items: every worker scans the items it
// takes and merges their blocks into the one shared BlockStore, taking a
// file's lock once per run of lines of that file. What went
// wrong is recorded per input, not thrown, so the caller can report it or
// leave the input out and run again.
#ifndef COVMERGE_MERGE_MERGE_PASS_H_
#define COVMERGE_MERGE_MERGE_PASS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "covmerge/merger.h"
#include "merge/input_set.h"
#include "parse/line_scanner.h"
#include "table/block_store.h"

namespace covmerge::internal {

// The same block seen with two different NUMSTMT values.
struct NumStmtConflict {
  const BlockStore::File* file = nullptr;
  BlockPosition position;
  uint32_t input_a = 0;
  uint32_t num_stmt_a = 0;
  uint32_t input_b = 0;
  uint32_t num_stmt_b = 0;
};

// What a worker keeps besides the shared store.
struct WorkerState {
  std::vector<NumStmtConflict> conflicts;
  uint64_t saturations = 0;
};

// What happened to one input during the pass. Line indexes are 0-based
// and count every line of the input, blank ones included.
struct InputOutcome {
  absl::Status read_error;           // the input could not be read
  std::optional<ScanError> error;    // the first malformed line; line_index from the input's start
  std::optional<Mode> mode;          // from the mode line
  std::optional<uint64_t> mode_line;   // the mode line's index
  std::optional<uint64_t> stray_zero;  // a lone "0" last line, accepted (ScanCounters)
  uint64_t blocks = 0;               // block lines merged
  Compression compression = Compression::kNone;  // as found when opened
};

struct PassResult {
  std::vector<WorkerState> workers;
  std::vector<InputOutcome> outcomes;  // indexed like the inputs
  absl::Status failure;                // out of memory, threads that could not start
};

// `cancelled` (may be empty) is polled before each item; see MergeOptions.
PassResult RunMergePass(const std::vector<Input>& inputs, const std::vector<WorkItem>& items,
                        int threads, BlockStore* store, MergeProgress* progress,
                        const std::function<bool()>& cancelled);

}  // namespace covmerge::internal

#endif  // COVMERGE_MERGE_MERGE_PASS_H_
