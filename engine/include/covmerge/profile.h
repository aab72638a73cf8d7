// SPDX-License-Identifier: Apache-2.0
// The merged profile: what a merge produces and what the writers consume.
// Files are sorted by path in byte order and blocks by position, so the
// same inputs give the same MergedProfile whatever the thread count.
#ifndef COVMERGE_PROFILE_H_
#define COVMERGE_PROFILE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace covmerge {

// The counter mode named on a profile's first line.
enum class Mode : uint8_t { kSet, kCount, kAtomic };

// "set", "count" or "atomic".
std::string_view ModeName(Mode mode);
// Parses a mode name; nullopt for anything but "set", "count" or "atomic".
std::optional<Mode> ParseMode(std::string_view name);

// The largest count Go's own profile parser reads back (math.MaxInt64).
// Merged counts saturate here instead of wrapping around.
inline constexpr uint64_t kMaxCount = 9223372036854775807ull;

// One basic block of a Go source file and how often it ran.
struct Block {
  uint32_t start_line = 0;
  uint32_t start_col = 0;
  uint32_t end_line = 0;
  uint32_t end_col = 0;
  uint32_t num_stmt = 0;
  uint64_t count = 0;  // at most kMaxCount

  friend bool operator==(const Block&, const Block&) = default;
};

// The blocks of one source file, sorted by (start, end) position.
struct FileProfile {
  std::string path;
  std::vector<Block> blocks;
};

// Statement coverage with the formula of `go test -cover`.
struct Coverage {
  uint64_t statements = 0;
  uint64_t covered = 0;  // statements in blocks whose count is > 0
  // 100 * covered / statements; 0 when there are no statements.
  double Percent() const;
};

struct MergedProfile {
  Mode mode = Mode::kSet;
  std::vector<FileProfile> files;  // sorted by path, byte order

  // True when no input had a block: gocovmerge then writes nothing at all.
  bool empty() const { return files.empty(); }
  Coverage TotalCoverage() const;
};

}  // namespace covmerge

#endif  // COVMERGE_PROFILE_H_
