// SPDX-License-Identifier: Apache-2.0
#include "merge/merge_pass.h"

#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "io/decompressor.h"
#include "merge/merge_policy.h"
#include "merge/worker_pool.h"

namespace covmerge::internal {
namespace {

// Merges each scanned block line into a worker's table, through the
// worker's LineCache when the line's text was seen before.
struct TableSink {
  WorkerState* state;
  PathCache* paths;
  const std::optional<Mode>* mode;  // set by the mode line before any block
  uint32_t input;
  uint64_t blocks = 0;

  const char* TryKnownLine(const char* line, const char* limit) {
    uint64_t count;
    const char* next;
    const uint32_t index = state->line_cache.MatchPredicted(line, limit, &count, &next);
    if (index == LineCache::kMiss) return nullptr;
    ++blocks;
    BlockRecord& record = state->table.record(index);
    record.count = CombineCounts(**mode == Mode::kSet, record.count, count, &state->saturations);
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
      const uint32_t index = state->line_cache.Find(prefix);
      if (index != LineCache::kMiss) [[likely]] {
        BlockRecord& record = state->table.record(index);
        record.count = CombineCounts(**mode == Mode::kSet, record.count, count, &state->saturations);
        return {};
      }
    }
    BlockLine line;
    LineParseResult result = ParseBlockLine(text, &line);
    if (result.error != LineError::kNone) return result;
    BlockRecord* record = Merge(line);
    // A line that disagrees with the record is not cached, so that every
    // later input with the same disagreement is noticed too.
    if (cacheable && record->num_stmt == line.num_stmt) {
      state->line_cache.Insert(prefix, state->table.IndexOf(record));
    }
    return {};
  }

  BlockRecord* Merge(const BlockLine& line) {
    const BlockKey key{paths->Intern(line.path), line.start_line, line.start_col, line.end_line,
                       line.end_col};
    bool inserted;
    BlockRecord* record = state->table.FindOrInsert(key, &inserted);
    if (inserted) {
      record->num_stmt = line.num_stmt;
      record->count = line.count;
      record->first_input = input;
      return record;
    }
    if (record->num_stmt != line.num_stmt) [[unlikely]] {
      NoteConflict(*record, line.num_stmt);
    }
    record->count = CombineCounts(**mode == Mode::kSet, record->count, line.count, &state->saturations);
    return record;
  }

  void NoteConflict(const BlockRecord& record, uint32_t num_stmt) {
    // One entry per pair of inputs is enough to name them; a whole file of
    // conflicting lines must not grow the list without bound.
    if (!state->conflicts.empty() && state->conflicts.back().input_a == record.first_input &&
        state->conflicts.back().input_b == input) {
      return;
    }
    state->conflicts.push_back({record.key, record.first_input, record.num_stmt, input, num_stmt});
  }
};

struct ItemOutcome {
  absl::Status read_error;
  std::optional<ScanError> error;
  std::optional<Mode> mode;
  uint64_t blocks = 0;
  Compression compression = Compression::kNone;
};

// Scans a compressed input as a stream: decompressed a window at a time,
// each window scanned up to its last complete line, the rest carried over.
void ScanCompressed(const Input& input, Compression compression, TableSink* sink, ScratchBuffer* buffer,
                    ItemOutcome* outcome) {
  constexpr size_t kWindow = size_t{1} << 20;
  absl::StatusOr<std::unique_ptr<Decompressor>> reader = Decompressor::Open(
      compression, input.name, input.in_memory ? std::string_view(input.contents) : std::string_view());
  if (!reader.ok()) {
    outcome->read_error = reader.status();
    return;
  }
  std::optional<Mode> mode;
  sink->mode = &mode;
  size_t kept = 0;      // bytes carried over from the last window
  uint64_t base = 0;    // offset of the window in the decompressed input
  for (;;) {
    char* data = buffer->Reserve(kept + kWindow, kept);
    absl::StatusOr<size_t> n = (*reader)->Read(data + kept, kWindow);
    if (!n.ok()) {
      outcome->read_error = n.status();
      return;
    }
    const size_t size = kept + *n;
    const bool at_end = *n == 0;
    std::string_view window(data, size);
    size_t scan_end = size;
    if (!at_end) {
      const size_t last_newline = window.rfind('\n');
      // Until the mode line is in the window, keep reading: blank lines
      // before it may fill many windows.
      const bool blank_so_far = !mode && window.find_first_not_of("\r\n") == std::string_view::npos;
      if (last_newline == std::string_view::npos || blank_so_far) {
        kept = size;
        continue;
      }
      scan_end = last_newline + 1;
    }
    ScanError error;
    if (!ScanLines(window.substr(0, scan_end), 0, scan_end, !mode.has_value(), &mode, *sink, &error)) {
      error.line_offset += base;
      outcome->error = std::move(error);
      break;
    }
    if (at_end) break;
    std::memmove(data, data + scan_end, size - scan_end);
    kept = size - scan_end;
    base += scan_end;
  }
  outcome->mode = mode;
}

void ScanItem(const Input& input, const WorkItem& item, WorkerState* state, PathCache* paths,
              InputAccess access, ScratchBuffer* buffer, ItemOutcome* outcome) {
  if (input.compression != Compression::kNone) {  // known ahead: stream it
    outcome->compression = input.compression;
    TableSink sink{state, paths, nullptr, item.input};
    ScanCompressed(input, input.compression, &sink, buffer, outcome);
    outcome->blocks = sink.blocks;
    return;
  }
  // Start one byte early so the scanner can see whether `begin` is a line start.
  const uint64_t region_offset = item.begin > 0 ? item.begin - 1 : 0;
  // Chunk 0 reads on to the mode line, past any number of blank lines.
  const uint64_t length = std::max(item.end, input.first_line.value_or(0) + 1) - region_offset;
  absl::StatusOr<InputRegion> region = OpenInput(input, region_offset, length, access, buffer);
  if (!region.ok()) {
    outcome->read_error = region.status();
    return;
  }
  std::string_view bytes = region->bytes();
  if (item.begin == 0) {
    const Compression compression = DetectCompression(bytes);
    if (compression != Compression::kNone) {
      outcome->compression = compression;
      TableSink sink{state, paths, nullptr, item.input};
      ScanCompressed(input, compression, &sink, buffer, outcome);
      outcome->blocks = sink.blocks;
      return;
    }
  }
  const size_t begin = FirstLineStartAtOrAfter(bytes, static_cast<size_t>(item.begin - region_offset));
  const size_t end = static_cast<size_t>(std::min<uint64_t>(item.end - region_offset, bytes.size()));
  const bool at_start = item.begin == 0;
  std::optional<Mode> mode = at_start ? std::nullopt : input.mode_hint;
  // Without a mode line, chunk 0 reports the error; the rest has no meaning.
  if (!at_start && !mode) return;
  TableSink sink{state, paths, &mode, item.input};
  ScanError error;
  if (!ScanLines(bytes, begin, end, at_start, &mode, sink, &error)) {
    error.line_offset += region_offset;
    outcome->error = std::move(error);
  }
  outcome->mode = mode;
  outcome->blocks = sink.blocks;
}

}  // namespace

PassResult RunMergePass(const std::vector<Input>& inputs, const std::vector<WorkItem>& items,
                        int threads, InputAccess access, PathInterner* paths,
                        MergeProgress* progress) {
  PassResult result;
  result.workers.resize(static_cast<size_t>(threads));
  std::vector<ItemOutcome> item_outcomes(items.size());
  std::vector<PathCache> caches(static_cast<size_t>(threads), PathCache(paths));
  std::vector<ScratchBuffer> buffers(static_cast<size_t>(threads));
  std::atomic<bool> out_of_memory{false};

  ForEachOnWorkers(items.size(), threads, [&](size_t i, int worker) {
    if (out_of_memory.load(std::memory_order_relaxed)) return;
    const WorkItem& item = items[i];
    try {
      ScanItem(inputs[item.input], item, &result.workers[worker], &caches[worker],
               access, &buffers[worker], &item_outcomes[i]);
    } catch (const std::bad_alloc&) {
      out_of_memory.store(true);
    }
    if (progress != nullptr) {
      progress->bytes_done.fetch_add(item.end - item.begin, std::memory_order_relaxed);
      if (item.end == inputs[item.input].size) progress->inputs_done.fetch_add(1, std::memory_order_relaxed);
    }
  });
  result.out_of_memory = out_of_memory.load();

  // Fold the items' outcomes into their inputs; items are in input order, so
  // the first error kept is the one nearest the start of the input.
  result.outcomes.resize(inputs.size());
  for (size_t i = 0; i < items.size(); ++i) {
    InputOutcome& outcome = result.outcomes[items[i].input];
    ItemOutcome& item = item_outcomes[i];
    if (!item.read_error.ok() && outcome.read_error.ok()) outcome.read_error = item.read_error;
    if (item.error && !outcome.error) outcome.error = std::move(item.error);
    if (items[i].begin == 0) outcome.mode = item.mode;
    outcome.blocks += item.blocks;
    if (item.compression != Compression::kNone) outcome.compression = item.compression;
  }
  return result;
}

}  // namespace covmerge::internal
