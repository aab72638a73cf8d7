// SPDX-License-Identifier: Apache-2.0
// Turns the shared store into the sorted merged profile: files go out in
// byte order of their path, each file's records sorted by position, one file per task
// on the worker threads. Sorting makes the result independent of the
// thread count.
//
// Folding also finds conflicts between inputs: the same block with another
// NUMSTMT, and, when they come from different inputs (profiles of
// different source versions), blocks that start at the same place but end
// elsewhere, and a block strictly inside another (gocovmerge's OVERLAP
// BEFORE). One build writes the same blocks of a file into every profile,
// so the lowest input that had a block tells which version it is from.
#ifndef COVMERGE_MERGE_COMBINE_H_
#define COVMERGE_MERGE_COMBINE_H_

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "covmerge/profile.h"
#include "merge/merge_pass.h"

namespace covmerge::internal {

// Two blocks of one file, from two inputs, that cannot both come from one
// version of the file.
struct ShapeConflict {
  enum class Kind : uint8_t {
    kSameStart,  // they start together but end apart
    kNested,     // odd lies inside kept, starting after it and ending before it
  };
  Kind kind = Kind::kSameStart;
  uint32_t file_index = 0;   // into MergedProfile::files
  Block kept;                // the block of the lower input
  uint32_t kept_input = 0;
  Block odd;                 // a block first given by a higher input
  uint32_t odd_input = 0;
};

struct Combined {
  MergedProfile profile;
  // For each block of profile.files[f].blocks[b], the lowest input that had it.
  std::vector<FirstInputs> first_inputs;
  std::vector<NumStmtConflict> num_stmt_conflicts;  // the workers' and the fold's
  std::vector<ShapeConflict> shape_conflicts;
  uint64_t saturations = 0;
  uint64_t excluded_files = 0;  // distinct paths keep_file turned down
};

// Consumes the store's records. Files for which `keep_file` (when set)
// returns false are left out, and counted in Combined::excluded_files.
// Fails only when the worker pool does (out of memory), or when `cancelled`
// (may be empty) returns true before a file is folded.
absl::StatusOr<Combined> CombineTables(std::vector<WorkerState>* workers, BlockStore* store, Mode mode,
                                       int threads, const std::function<bool(std::string_view)>& keep_file,
                                       const std::function<bool()>& cancelled);

}  // namespace covmerge::internal

#endif  // COVMERGE_MERGE_COMBINE_H_
