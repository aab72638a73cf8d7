// SPDX-License-Identifier: Apache-2.0
#include "merge/combine.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "io/huge_page_allocator.h"
#include "base/count_rule.h"
#include "base/worker_pool.h"

namespace covmerge::internal {
namespace {

bool PositionLess(const BlockRecord& a, const BlockRecord& b) {
  if (a.key.start_line != b.key.start_line) return a.key.start_line < b.key.start_line;
  if (a.key.start_col != b.key.start_col) return a.key.start_col < b.key.start_col;
  if (a.key.end_line != b.key.end_line) return a.key.end_line < b.key.end_line;
  if (a.key.end_col != b.key.end_col) return a.key.end_col < b.key.end_col;
  return a.first_input < b.first_input;  // the lowest input's record first
}

Block ToBlock(const BlockRecord& r) {
  return Block{r.key.start_line, r.key.start_col, r.key.end_line, r.key.end_col, r.num_stmt, r.count};
}

struct FoldResult {
  std::vector<NumStmtConflict> num_stmt_conflicts;
  std::vector<ShapeConflict> shape_conflicts;
  uint64_t saturations = 0;
};

// Sorts one file's records and folds equal blocks into `file`.
void FoldFile(std::span<BlockRecord> records, bool set_mode, uint32_t file_index,
              FileProfile* file, std::vector<uint32_t>* first_inputs, FoldResult* out) {
  std::sort(records.begin(), records.end(), PositionLess);
  file->blocks.reserve(records.size());
  first_inputs->reserve(records.size());
  for (size_t i = 0; i < records.size();) {
    BlockRecord merged = records[i];
    size_t j = i + 1;
    for (; j < records.size() && records[j].key == merged.key; ++j) {
      if (records[j].num_stmt != merged.num_stmt) {
        out->num_stmt_conflicts.push_back(
            {merged.key, merged.first_input, merged.num_stmt, records[j].first_input, records[j].num_stmt});
      }
      merged.count = CombineCounts(set_mode, merged.count, records[j].count, &out->saturations);
    }
    file->blocks.push_back(ToBlock(merged));
    first_inputs->push_back(merged.first_input);
    i = j;
  }
  // Blocks with one start and several ends are fine within one input (Go
  // writes such blocks), but not when a later input adds an end of its own;
  // nor is a block inside another unless both come from one input.
  const std::vector<Block>& blocks = file->blocks;
  auto ends_before = [](const Block& a, const Block& b) {
    return std::tie(a.end_line, a.end_col) < std::tie(b.end_line, b.end_col);
  };
  // Among the blocks that start earlier: the one that ends last, and the
  // one that ends last among those of another input than it. Either holds a
  // block of another input than b whenever b lies inside one.
  constexpr size_t kNone = ~size_t{0};
  size_t widest = kNone;
  size_t widest_other = kNone;
  for (size_t i = 0; i < blocks.size();) {
    size_t j = i + 1;
    while (j < blocks.size() && blocks[j].start_line == blocks[i].start_line &&
           blocks[j].start_col == blocks[i].start_col) {
      ++j;
    }
    size_t kept = i;
    for (size_t k = i; k < j; ++k) {
      if ((*first_inputs)[k] < (*first_inputs)[kept]) kept = k;
    }
    for (size_t k = i; k < j; ++k) {
      const uint32_t input = (*first_inputs)[k];
      if (input != (*first_inputs)[kept]) {
        out->shape_conflicts.push_back({ShapeConflict::Kind::kSameStart, file_index, blocks[kept],
                                        (*first_inputs)[kept], blocks[k], input});
      }
      const size_t outer = widest != kNone && (*first_inputs)[widest] != input ? widest : widest_other;
      if (outer != kNone && ends_before(blocks[k], blocks[outer])) {
        const bool outer_first = (*first_inputs)[outer] < input;
        const size_t low = outer_first ? outer : k;
        const size_t high = outer_first ? k : outer;
        out->shape_conflicts.push_back({ShapeConflict::Kind::kNested, file_index, blocks[low],
                                        (*first_inputs)[low], blocks[high], (*first_inputs)[high]});
      }
    }
    for (size_t k = i; k < j; ++k) {
      if (widest == kNone || ends_before(blocks[widest], blocks[k])) {
        if (widest != kNone && (*first_inputs)[widest] != (*first_inputs)[k]) widest_other = widest;
        widest = k;
      } else if ((*first_inputs)[k] != (*first_inputs)[widest] &&
                 (widest_other == kNone || ends_before(blocks[widest_other], blocks[k]))) {
        widest_other = k;
      }
    }
    i = j;
  }
}

}  // namespace

absl::StatusOr<Combined> CombineTables(std::vector<WorkerState>* workers, const PathInterner& paths, Mode mode,
                       int threads, const std::function<bool(std::string_view)>& keep_file) {
  Combined combined;
  combined.profile.mode = mode;

  // Rank the kept files by path; ids that were never handed out, and files
  // the filter leaves out, get no rank and their records are dropped here,
  // before any folding, so their conflicts never count.
  const uint32_t id_limit = paths.IdLimit();
  std::vector<uint32_t> ids;
  ids.reserve(id_limit);
  std::vector<std::string_view> names(id_limit);
  for (uint32_t id = 0; id < id_limit; ++id) {
    if (!paths.Contains(id)) continue;
    names[id] = paths.Path(id);
    if (keep_file && !keep_file(names[id])) {
      ++combined.excluded_files;
      continue;
    }
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  constexpr uint32_t kDropped = ~uint32_t{0};
  std::vector<uint32_t> rank(id_limit, kDropped);
  for (uint32_t r = 0; r < ids.size(); ++r) rank[ids[r]] = r;

  // The counts merged through the workers' line caches go to the records.
  const bool set_mode = mode == Mode::kSet;
  for (WorkerState& worker : *workers) {
    worker.line_cache.FoldCounts([&](uint32_t record, uint64_t count) {
      BlockRecord& r = worker.table.record(record);
      r.count = CombineCounts(set_mode, r.count, count, &combined.saturations);
    });
    worker.line_cache = LineCache();  // release it before the records are copied
  }

  // Bucket every worker's records by file rank (a counting sort).
  std::vector<size_t> offsets(ids.size() + 1, 0);
  for (WorkerState& worker : *workers) {
    for (const BlockRecord& record : worker.table.records()) {
      if (rank[record.key.file] != kDropped) ++offsets[rank[record.key.file] + 1];
    }
    combined.saturations += worker.saturations;
    combined.num_stmt_conflicts.insert(combined.num_stmt_conflicts.end(), worker.conflicts.begin(),
                                       worker.conflicts.end());
  }
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  LargeVector<BlockRecord> all(offsets.back());
  {
    std::vector<size_t> cursor(offsets.begin(), offsets.end() - 1);
    for (WorkerState& worker : *workers) {
      for (const BlockRecord& record : worker.table.records()) {
        if (rank[record.key.file] != kDropped) all[cursor[rank[record.key.file]]++] = record;
      }
      worker.table = BlockTable();  // release as we go
    }
  }

  combined.profile.files.resize(ids.size());
  combined.first_inputs.resize(ids.size());
  std::vector<FoldResult> folds(static_cast<size_t>(std::max(threads, 1)));
  absl::Status folded = ForEachOnWorkers(ids.size(), threads, [&](size_t f, int worker) {
    FileProfile& file = combined.profile.files[f];
    file.path = std::string(names[ids[f]]);
    FoldFile(std::span<BlockRecord>(all.data() + offsets[f], offsets[f + 1] - offsets[f]), set_mode,
             static_cast<uint32_t>(f), &file, &combined.first_inputs[f], &folds[worker]);
  });
  if (!folded.ok()) return folded;
  for (FoldResult& fold : folds) {
    combined.saturations += fold.saturations;
    combined.num_stmt_conflicts.insert(combined.num_stmt_conflicts.end(),
                                       fold.num_stmt_conflicts.begin(), fold.num_stmt_conflicts.end());
    combined.shape_conflicts.insert(combined.shape_conflicts.end(), fold.shape_conflicts.begin(),
                                    fold.shape_conflicts.end());
  }
  return combined;
}

}  // namespace covmerge::internal
