// SPDX-License-Identifier: Apache-2.0
#include "merge/conflict_report.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_format.h"
#include "base/quote_path.h"
#include "base/str_cat.h"
#include "covmerge/error.h"
#include "merge/input_scan.h"

namespace covmerge::internal {
namespace {

using Position = BlockPosition;

std::string Describe(std::string_view path, const Position& p) {
  return absl::StrFormat("%s:%d.%d,%d.%d", QuotePath(path), p.start_line, p.start_col, p.end_line, p.end_col);
}

// A line that names the block, and its NUMSTMT.
struct Occurrence {
  uint64_t line_index = 0;
  uint32_t num_stmt = 0;
};

// Collects the lines of one input that name one block.
struct BlockFinder {
  std::string_view path;
  Position want;
  size_t limit;  // stop collecting after this many
  std::vector<Occurrence> found;
  void OnBlockAtLine(const BlockLine& b, uint64_t line_index) {
    if (found.size() < limit && b.start_line == want.start_line && b.start_col == want.start_col &&
        b.end_line == want.end_line && b.end_col == want.end_col && b.path == path) {
      found.push_back({line_index, b.num_stmt});
    }
  }
};

// The lines of `input` that name the block, in order. A damaged line later
// in the input ends the search; what was found before it stands.
std::vector<Occurrence> FindBlock(const Input& input, std::string_view path, const Position& position,
                                  size_t limit = SIZE_MAX) {
  BlockFinder finder{path, position, limit, {}};
  absl::StatusOr<std::shared_ptr<InputFile>> file;
  if (!input.in_memory) {
    file = OpenInputFile(input);
    if (!file.ok()) return {};
  }
  ScratchBuffer buffer;
  ItemOutcome outcome;
  const WorkItem whole{0, 0, input.size};
  ScanItem(input, whole, input.in_memory ? nullptr : file->get(), finder, &buffer, &outcome);
  return finder.found;
}

}  // namespace

std::string Where(const Input& input, std::optional<uint64_t> line_index) {
  if (!line_index) return QuotePath(input.name);
  return Cat(QuotePath(input.name), ":", *line_index + 1);
}

std::vector<Problem> DescribeConflicts(const std::vector<Input>& inputs, const Combined& combined) {
  std::map<uint32_t, absl::Status> odd;  // by input, the first reason found

  // NUMSTMT conflicts: the inputs involved, by block, in order of path and
  // position (not of the workers' meeting them).
  std::map<std::tuple<std::string_view, Position>, std::set<uint32_t>> involved;
  for (const NumStmtConflict& c : combined.num_stmt_conflicts) {
    std::set<uint32_t>& set = involved[{c.file->path, c.position}];
    set.insert(c.input_a);
    set.insert(c.input_b);
  }
  for (auto& [key, candidates] : involved) {
    const auto& [path, position] = key;
    // The lowest input that has the block is the canonical side, whichever
    // worker met it first.
    auto file = std::lower_bound(combined.profile.files.begin(), combined.profile.files.end(), path,
                                 [](const FileProfile& f, std::string_view p) { return f.path < p; });
    // A file that keep_file left out has no conflicts.
    if (file == combined.profile.files.end() || file->path != path) continue;
    {
      const Block probe{position.start_line, position.start_col, position.end_line, position.end_col, 0, 0};
      auto block = std::lower_bound(file->blocks.begin(), file->blocks.end(), probe, [](const Block& a, const Block& b) {
        return PositionOf(a) < PositionOf(b);
      });
      if (block != file->blocks.end() && PositionOf(*block) == position) {
        const size_t f = static_cast<size_t>(file - combined.profile.files.begin());
        candidates.insert(combined.first_inputs[f][static_cast<size_t>(block - file->blocks.begin())]);
      }
    }
    // Nothing left to name: every input is already odd for another block,
    // or all but one, which can disagree only with itself.
    const size_t open = static_cast<size_t>(
        std::count_if(candidates.begin(), candidates.end(), [&](uint32_t i) { return odd.count(i) == 0; }));
    if (open == 0 || (open == 1 && candidates.size() > 1)) continue;
    std::optional<std::pair<uint32_t, Occurrence>> canonical;
    for (uint32_t input : candidates) {
      if (odd.count(input) > 0) continue;
      for (const Occurrence& seen : FindBlock(inputs[input], path, position)) {
        if (!canonical) {
          canonical.emplace(input, seen);
          continue;
        }
        if (seen.num_stmt == canonical->second.num_stmt) continue;
        const Input& kept = inputs[canonical->first];
        odd.emplace(input, ErrorStatus({.kind = ErrorKind::kConflict,
                                        .path = inputs[input].name,
                                        .line = seen.line_index + 1,
                                        .other_path = kept.name,
                                        .other_input_index = kept.index,
                                        .other_line = canonical->second.line_index + 1,
                                        .detail = Cat("block ", Describe(path, position), " has ", seen.num_stmt,
                                                      " statements here but ", canonical->second.num_stmt, " in ",
                                                      Where(kept, canonical->second.line_index),
                                                      "; the profiles come from different builds of this file")}));
        break;
      }
    }
  }

  for (const ShapeConflict& c : combined.shape_conflicts) {
    if (odd.count(c.odd_input) > 0) continue;
    const std::string& path = combined.profile.files[c.file_index].path;
    auto line_of = [&](uint32_t input, const Block& b) -> std::optional<uint64_t> {
      std::vector<Occurrence> found = FindBlock(inputs[input], path, PositionOf(b), 1);
      if (found.empty()) return std::nullopt;
      return found.front().line_index;
    };
    const std::optional<uint64_t> odd_line = line_of(c.odd_input, c.odd);
    const std::optional<uint64_t> kept_line = line_of(c.kept_input, c.kept);
    const std::string kept_side = Cat("block ", Describe(path, PositionOf(c.kept)), " of ",
                                      Where(inputs[c.kept_input], kept_line));
    const std::string odd_block = Cat("block ", Describe(path, PositionOf(c.odd)));
    odd.emplace(c.odd_input,
                ErrorStatus({.kind = ErrorKind::kConflict,
                             .path = inputs[c.odd_input].name,
                             .line = odd_line ? *odd_line + 1 : 0,
                             .other_path = inputs[c.kept_input].name,
                             .other_input_index = inputs[c.kept_input].index,
                             .other_line = kept_line ? *kept_line + 1 : 0,
                             .detail = c.kind == ShapeConflict::Kind::kSameStart
                                           ? Cat(odd_block, " starts where ", kept_side,
                                                 " starts, but ends elsewhere; the profiles come from different "
                                                 "versions of this file")
                                           : Cat(odd_block, " lies inside ", kept_side,
                                                 "; the profiles come from different versions of this file")}));
  }
  std::vector<Problem> problems;
  for (auto& [input, status] : odd) problems.push_back({input, std::move(status)});
  return problems;
}

}  // namespace covmerge::internal
