// SPDX-License-Identifier: Apache-2.0
#include "merge/merge_pass.h"

#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "base/bytes_equal.h"
#include "base/count_rule.h"
#include "merge/input_scan.h"
#include "base/worker_pool.h"

namespace covmerge::internal {
namespace {

// Merges each scanned block line into the shared store, through the
// worker's LineCache when the line's text was seen before. A line's path is
// compared with the previous line's before anything is hashed, and the
// file's lock is held for the run of lines that name it.
struct TableSink {
  WorkerState* state;
  BlockStore* store;
  const std::optional<Mode>* mode;  // set by the mode line before any block
  uint32_t input;
  uint64_t blocks = 0;
  BlockStore::File* file = nullptr;  // of the last line merged, locked
  std::unique_lock<std::mutex> lock;
  uint32_t predicted = 0;  // the record after the last one, in `file`

  const char* TryKnownLine(const char* line, const char* limit) {
    uint64_t count;
    const char* next;
    LineCache::Entry* entry = state->line_cache.MatchPredicted(line, limit, &count, &next);
    if (entry == nullptr) return nullptr;
    ++blocks;
    ReleaseFile();
    entry->count = CombineCounts(**mode == Mode::kSet, entry->count, count, &state->saturations);
    return next;
  }

  LineParseResult OnLine(std::string_view text) {
    ++blocks;
    // The count is the digits at the end; everything before is the key.
    uint64_t count;
    int digits;
    const char* end = text.data() + text.size();
    const char* first = line_parser_detail::DigitsBackward(text.data(), end, &count, &digits);
    const bool cacheable = digits > 0 && digits <= 18;  // 18 digits cannot exceed kMaxCount
    const std::string_view prefix(text.data(), static_cast<size_t>(first - text.data()));
    if (cacheable) {
      if (LineCache::Entry* entry = state->line_cache.Find(prefix)) [[likely]] {
        ReleaseFile();
        entry->count = CombineCounts(**mode == Mode::kSet, entry->count, count, &state->saturations);
        return {};
      }
    }
    BlockLine line;
    LineParseResult result = ParseBlockLine(text, &line);
    if (result.error != LineError::kNone) return result;
    const uint32_t index = Merge(line);
    // A line that disagrees with the record is not cached, so that every
    // later input with the same disagreement is noticed too.
    if (cacheable && file->blocks.record(index).num_stmt == line.num_stmt) {
      state->line_cache.Insert(prefix, file, index);
    }
    return {};
  }

  // Merges the line into its file's record; returns the record's index.
  uint32_t Merge(const BlockLine& line) {
    if (file == nullptr || file->path.size() != line.path.size() ||
        !BytesEqual(file->path.data(), line.path.data(), line.path.size())) [[unlikely]] {
      ReleaseFile();
      file = store->Intern(line.path);
      predicted = 0;
    }
    if (!lock.owns_lock()) lock = std::unique_lock<std::mutex>(file->mutex);
    const BlockPosition position{line.start_line, line.start_col, line.end_line, line.end_col};
    bool inserted;
    const uint32_t index = file->blocks.FindOrInsert(position, predicted, &inserted);
    predicted = index + 1;
    BlockRecord& record = file->blocks.record(index);
    if (inserted) {
      record.num_stmt = line.num_stmt;
      record.count = line.count;
      record.first_input = input;
      return index;
    }
    if (record.num_stmt != line.num_stmt) [[unlikely]] NoteConflict(record, line.num_stmt);
    // Workers meet inputs out of order: the lowest input is the canonical side.
    if (input < record.first_input) record.first_input = input;
    record.count = CombineCounts(**mode == Mode::kSet, record.count, line.count, &state->saturations);
    return index;
  }

  // Lines merged through the line cache need no lock: another worker may
  // take the file meanwhile.
  void ReleaseFile() {
    if (lock.owns_lock()) [[unlikely]] lock.unlock();
  }

  void NoteConflict(const BlockRecord& record, uint32_t num_stmt) {
    // One entry per pair of inputs is enough to name them; a whole file of
    // conflicting lines must not grow the list without bound.
    if (!state->conflicts.empty() && state->conflicts.back().input_a == record.first_input &&
        state->conflicts.back().input_b == input) {
      return;
    }
    state->conflicts.push_back({file, record.position, record.first_input, record.num_stmt, input, num_stmt});
  }
};

// Opens each input when its first item needs it and closes it after its
// last, so that every chunk of an input reads one open file (a file
// replaced meanwhile is not mixed in) and the pass holds about one
// descriptor per worker, however many inputs there are.
class OpenFiles {
 public:
  OpenFiles(const std::vector<Input>& inputs, const std::vector<WorkItem>& items)
      : inputs_(inputs), slots_(inputs.size()) {
    for (const WorkItem& item : items) ++slots_[item.input].pending;
  }

  // The input's file, or null for an input in memory.
  absl::StatusOr<std::shared_ptr<InputFile>> Acquire(uint32_t input) {
    if (inputs_[input].in_memory) return std::shared_ptr<InputFile>();
    Slot& slot = slots_[input];
    std::lock_guard<std::mutex> lock(slot.mutex);
    if (!slot.file && slot.status.ok()) {
      absl::StatusOr<std::shared_ptr<InputFile>> file = OpenInputFile(inputs_[input]);
      if (file.ok()) {
        slot.file = std::move(*file);
      } else {
        slot.status = file.status();
      }
    }
    if (!slot.status.ok()) return slot.status;
    return slot.file;
  }

  void Release(uint32_t input) {
    Slot& slot = slots_[input];
    std::lock_guard<std::mutex> lock(slot.mutex);
    if (--slot.pending == 0) slot.file.reset();
  }

 private:
  struct Slot {
    std::mutex mutex;
    std::shared_ptr<InputFile> file;
    absl::Status status;
    uint32_t pending = 0;  // items not yet done
  };
  const std::vector<Input>& inputs_;
  std::vector<Slot> slots_;
};

}  // namespace

PassResult RunMergePass(const std::vector<Input>& inputs, const std::vector<WorkItem>& items,
                        int threads, BlockStore* store, MergeProgress* progress) {
  PassResult result;
  // The line caches share one budget, so memory does not grow with -j.
  const size_t cache_bytes = LineCache::kDefaultMaxTextBytes / static_cast<size_t>(std::max(threads, 1));
  result.workers.reserve(static_cast<size_t>(threads));
  for (int w = 0; w < threads; ++w) result.workers.emplace_back(cache_bytes);
  std::vector<ItemOutcome> item_outcomes(items.size());
  std::vector<uint64_t> item_blocks(items.size(), 0);
  std::vector<ScratchBuffer> buffers(static_cast<size_t>(threads));
  OpenFiles files(inputs, items);

  result.failure = ForEachOnWorkers(items.size(), threads, [&](size_t i, int worker) {
    const WorkItem& item = items[i];
    absl::StatusOr<std::shared_ptr<InputFile>> file = files.Acquire(item.input);
    if (file.ok()) {
      TableSink sink{&result.workers[worker], store, nullptr, item.input};
      ScanItem(inputs[item.input], item, file->get(), sink, &buffers[worker], &item_outcomes[i]);
      item_blocks[i] = sink.blocks;
    } else {
      item_outcomes[i].read_error = file.status();
    }
    files.Release(item.input);
    if (progress != nullptr) {
      progress->bytes_done.fetch_add(item.end - item.begin, std::memory_order_relaxed);
      if (item.end == inputs[item.input].size) progress->inputs_done.fetch_add(1, std::memory_order_relaxed);
    }
  });

  // Fold the items' outcomes into their inputs, in order: the first error
  // kept is the one nearest the start of the input, and line indexes add
  // up over the items.
  result.outcomes.resize(inputs.size());
  std::vector<uint64_t> lines_before(inputs.size(), 0);
  for (size_t i = 0; i < items.size(); ++i) {
    const uint32_t input = items[i].input;
    InputOutcome& outcome = result.outcomes[input];
    ItemOutcome& item = item_outcomes[i];
    if (item.compression != Compression::kNone) outcome.compression = item.compression;
    if (!outcome.read_error.ok() || outcome.error) continue;  // nothing after the first failure counts
    if (!item.read_error.ok()) {
      outcome.read_error = std::move(item.read_error);
      continue;
    }
    const uint64_t base = lines_before[input];
    const ScanCounters& counters = item.counters;
    // A "0" line is accepted only as the last non-blank line of the input.
    const bool more_lines = counters.lines > counters.blank_lines || item.error;
    if (outcome.stray_zero && more_lines) {
      outcome.error = ScanError{0, *outcome.stray_zero, 0, StrayZeroMessage()};
      continue;
    }
    if (items[i].begin == 0) {
      outcome.mode = item.mode;
      if (counters.mode_line) outcome.mode_line = base + *counters.mode_line;
    }
    if (item.error) {
      item.error->line_index += base;
      outcome.error = std::move(item.error);
      continue;
    }
    if (counters.stray_zero) outcome.stray_zero = base + *counters.stray_zero;
    outcome.blocks += item_blocks[i];
    lines_before[input] = base + counters.lines;
  }
  return result;
}

}  // namespace covmerge::internal
