// SPDX-License-Identifier: Apache-2.0
// Turns the conflicts that folding found into messages that name both
// sides by file and line. The tables know which inputs disagree about a
// block, not where: the inputs involved are read again, in input order and
// as streams, and the first line naming the block is the canonical side,
// the first line that disagrees with it the odd one. Reading in that order,
// not the order in which workers met the lines, makes every message the
// same at every thread count.
#ifndef COVMERGE_MERGE_CONFLICT_REPORT_H_
#define COVMERGE_MERGE_CONFLICT_REPORT_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "merge/combine.h"
#include "merge/input_set.h"

namespace covmerge::internal {

// An input that cannot be merged, and why.
struct Problem {
  uint32_t input = 0;
  absl::Status status;
};

// One problem per odd input (the first reason found), in input order.
std::vector<Problem> DescribeConflicts(const std::vector<Input>& inputs, const Combined& combined);

// "name:line" (1-based) or "name" when the line is not known.
std::string Where(const Input& input, std::optional<uint64_t> line_index);

}  // namespace covmerge::internal

#endif  // COVMERGE_MERGE_CONFLICT_REPORT_H_
