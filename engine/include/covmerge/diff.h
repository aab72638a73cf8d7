// SPDX-License-Identifier: Apache-2.0
// The lines a change added or modified, read from a unified diff: the
// output of `git diff` (any -U, renames, new and deleted files, quoted
// paths, --no-prefix) and of `diff -u`. Patch coverage (patch.h) measures
// the blocks that overlap these lines.
#ifndef COVMERGE_DIFF_H_
#define COVMERGE_DIFF_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace covmerge {

struct ChangedFile {
  std::string path;            // the new side's path, without git's "b/"
  std::vector<uint32_t> lines;  // 1-based numbers of the added lines in the new file, increasing
  bool new_file = false;
};

// Files whose new side has added lines (deleted files, pure renames and
// binary files have none and are left out), in the diff's order.
// Malformed (ErrorKind::kMalformed, naming `name` and the line) when a hunk
// header or a hunk's line counts are not what a unified diff holds.
absl::StatusOr<std::vector<ChangedFile>> ParseUnifiedDiff(std::string_view name, std::string_view text);

// Reads the diff at `path` ("-": standard input, "<stdin>" in messages) and
// parses it; errors name the file, and the line of a damaged hunk.
absl::StatusOr<std::vector<ChangedFile>> LoadUnifiedDiff(const std::string& path);

}  // namespace covmerge

#endif  // COVMERGE_DIFF_H_
