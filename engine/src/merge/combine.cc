// SPDX-License-Identifier: Apache-2.0
#include "merge/combine.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "base/count_rule.h"
#include "base/parallel_sort.h"
#include "base/worker_pool.h"

namespace covmerge::internal {
namespace {

struct FoldResult {
  std::vector<ShapeConflict> shape_conflicts;
};

// Moves one file's blocks, sorted by position, into `file` (the store
// holds each position once, so there is nothing to fold) and finds the
// blocks that cannot come from one version of the file.
void FoldFile(FileBlocks* source, uint32_t file_index, FileProfile* file, FirstInputs* first_inputs,
              FoldResult* out) {
  file->blocks = source->TakeSorted(first_inputs);
  if (first_inputs->each.empty()) return;  // all from one input: nothing can conflict
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

absl::StatusOr<Combined> CombineTables(std::vector<WorkerState>* workers, BlockStore* store, Mode mode,
                                       int threads, const std::function<bool(std::string_view)>& keep_file,
                                       const std::function<bool()>& cancelled) {
  Combined combined;
  combined.profile.mode = mode;

  for (WorkerState& worker : *workers) {
    combined.saturations += worker.saturations;
    combined.num_stmt_conflicts.insert(combined.num_stmt_conflicts.end(), worker.conflicts.begin(),
                                       worker.conflicts.end());
  }

  // Files the filter leaves out are dropped before any check, so their
  // conflicts never count; the others go out in byte order of path.
  // PERF: the path beside the pointer: sorting 100,000 files through the
  // pointers alone took 40 ms, a cache miss per comparison (bench: e2e cp4s).
  struct FileByPath {
    std::string_view path;
    BlockStore::File* file;
  };
  std::vector<FileByPath> files;
  for (BlockStore::File* file : store->Files()) {
    if (keep_file && !keep_file(file->path)) {
      ++combined.excluded_files;
      continue;
    }
    if (file->blocks.size() > 0) files.push_back({file->path, file});
  }
  absl::Status sorted = ParallelSort(
      &files, [](const FileByPath& a, const FileByPath& b) { return a.path < b.path; }, threads);
  if (!sorted.ok()) return sorted;
  combined.profile.files.resize(files.size());
  combined.first_inputs.resize(files.size());
  std::vector<FoldResult> folds(static_cast<size_t>(std::max(threads, 1)));
  // PERF: files are handed out in runs of 64: one at a time, neighbouring
  // FileProfiles were written by both cores (cp4s at -j2: 28 ms, 20 ms in
  // runs). The memos stay until the store goes: freed here, on threads
  // other than those that made them, they doubled the time (bench: e2e cp4s).
  constexpr size_t kFilesPerTask = 64;
  const size_t tasks = (files.size() + kFilesPerTask - 1) / kFilesPerTask;
  absl::Status folded = ForEachOnWorkers(tasks, threads, [&](size_t task, int worker) {
    const size_t end = std::min(files.size(), (task + 1) * kFilesPerTask);
    for (size_t f = task * kFilesPerTask; f < end; ++f) {
      FileProfile& file = combined.profile.files[f];
      file.path = files[f].path;
      FoldFile(&files[f].file->blocks, static_cast<uint32_t>(f), &file, &combined.first_inputs[f],
               &folds[static_cast<size_t>(worker)]);
    }
  }, cancelled);
  if (!folded.ok()) return folded;
  for (FoldResult& fold : folds) {
    combined.shape_conflicts.insert(combined.shape_conflicts.end(), fold.shape_conflicts.begin(),
                                    fold.shape_conflicts.end());
  }
  return combined;
}

}  // namespace covmerge::internal
