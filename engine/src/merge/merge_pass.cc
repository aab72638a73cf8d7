// SPDX-License-Identifier: Apache-2.0
#include "merge/merge_pass.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <utility>
#include <string>

#include "io/decompressor.h"
#include "io/os_error.h"
#include "base/count_rule.h"
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
    LineCache::Entry* entry = state->line_cache.MatchPredicted(line, limit, &count, &next);
    if (entry == nullptr) return nullptr;
    ++blocks;
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
        entry->count = CombineCounts(**mode == Mode::kSet, entry->count, count, &state->saturations);
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

// Where ScanWindows reads from: up to `capacity` bytes into `out`; 0 at the
// end.
using WindowSource = std::function<absl::StatusOr<size_t>(char* out, size_t capacity)>;

// Scans the lines that start in [begin, end) of an input whose bytes, from
// offset `origin` on, come from `read`, a window at a time: each window is
// scanned up to its last complete line and the rest carried over. PERF: a
// window small enough to stay in the L2 cache between the copy from the
// page cache and the scan halves the cost of the copy (bench: e2e monorepo,
// where the copy into 1 MB buffers took 45% of the time under perf).
void ScanWindows(const WindowSource& read, uint64_t origin, uint64_t begin, uint64_t end,
                 std::optional<Mode> mode, TableSink* sink, ScratchBuffer* buffer, ItemOutcome* outcome) {
  constexpr size_t kWindow = size_t{256} << 10;
  const bool at_start = begin == 0;
  sink->mode = &mode;
  size_t kept = 0;        // bytes carried over from the last window
  uint64_t base = origin; // offset of the window in the input
  bool first_window = true;
  for (;;) {
    char* data = buffer->Reserve(kept + kWindow, kept);
    absl::StatusOr<size_t> n = read(data + kept, kWindow);
    if (!n.ok()) {
      outcome->read_error = n.status();
      return;
    }
    const size_t size = kept + *n;
    const bool at_end = *n == 0;
    std::string_view window(data, size);
    size_t scan_end = size;
    if (!at_end) {
      // Only the new bytes are searched: the carried ones hold no line end
      // (or, before the mode line, only blank lines), so a 100 MB line costs
      // one pass, not one per window.
      const std::string_view fresh = window.substr(kept);
      const size_t last_newline = fresh.rfind('\n');
      // Until the mode line is in the window, keep reading: blank lines
      // before it may fill many windows.
      const bool blank_so_far = at_start && !mode && fresh.find_first_not_of("\r\n") == std::string_view::npos;
      if (last_newline == std::string_view::npos || blank_so_far) {
        // No line end yet, and the chunk's end is behind us: the chunk lies
        // inside one long line that an earlier chunk owns.
        if (first_window && !at_start && base + size > end) break;
        kept = size;
        continue;
      }
      scan_end = kept + last_newline + 1;
    }
    window = window.substr(0, scan_end);
    size_t local_begin = 0;
    if (first_window) {
      local_begin = FirstLineStartAtOrAfter(window, static_cast<size_t>(begin - base));
      first_window = false;
    }
    const size_t stop = end <= base ? 0 : static_cast<size_t>(std::min<uint64_t>(scan_end, end - base));
    ScanError error;
    if (!ScanLines(window, local_begin, stop, at_start && !mode, &mode, *sink, &error)) {
      error.line_offset += base;
      outcome->error = std::move(error);
      break;
    }
    if (at_end || base + scan_end >= end) break;
    std::memmove(data, data + scan_end, size - scan_end);
    kept = size - scan_end;
    base += scan_end;
  }
  outcome->mode = mode;
}

// Reads a file from `offset` on: windows up to `end`, then small pieces for
// the rest of the last line.
class FileWindows {
 public:
  static absl::StatusOr<FileWindows> Open(const std::string& path, uint64_t offset, uint64_t end) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return OsError(errno, "cannot open", path);
    return FileWindows(fd, path, offset, end);
  }
  FileWindows(FileWindows&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)), pos_(other.pos_), end_(other.end_) {}
  ~FileWindows() {
    if (fd_ >= 0) ::close(fd_);
  }

  // The first bytes of the file, without moving on.
  ssize_t PeekStart(char* out, size_t n) { return ::pread(fd_, out, n, 0); }

  absl::StatusOr<size_t> Read(char* out, size_t capacity) {
    // Past the chunk's end only the rest of its last line is needed: read
    // small pieces first, then larger ones, for a line of any length.
    const size_t want = pos_ < end_ ? static_cast<size_t>(std::min<uint64_t>(capacity, end_ - pos_))
                                    : static_cast<size_t>(std::min<uint64_t>(capacity, std::max<uint64_t>(4096, pos_ - end_)));
    for (;;) {
      ssize_t n = ::pread(fd_, out, want, static_cast<off_t>(pos_));
      if (n >= 0) {
        pos_ += static_cast<uint64_t>(n);
        return static_cast<size_t>(n);
      }
      if (errno != EINTR) return OsError(errno, "cannot read", path_);
    }
  }

 private:
  FileWindows(int fd, std::string path, uint64_t pos, uint64_t end)
      : fd_(fd), path_(std::move(path)), pos_(pos), end_(end) {}
  int fd_;
  std::string path_;
  uint64_t pos_;
  uint64_t end_;
};

void ScanItem(const Input& input, const WorkItem& item, WorkerState* state, PathCache* paths,
              InputAccess access, ScratchBuffer* buffer, ItemOutcome* outcome) {
  TableSink sink{state, paths, nullptr, item.input};
  const bool at_start = item.begin == 0;
  // Chunks after the first know the mode from the read-ahead; without it,
  // chunk 0 reports the bad mode line and the rest has no meaning.
  const std::optional<Mode> mode = at_start ? std::nullopt : input.mode_hint;
  if (!at_start && !mode) return;

  // Compressed: one stream through the decompressor.
  auto scan_compressed = [&](Compression compression) {
    outcome->compression = compression;
    absl::StatusOr<std::unique_ptr<Decompressor>> reader = Decompressor::Open(
        compression, input.name, input.in_memory ? std::string_view(input.contents) : std::string_view());
    if (!reader.ok()) {
      outcome->read_error = reader.status();
      return;
    }
    ScanWindows([&](char* out, size_t capacity) { return (*reader)->Read(out, capacity); }, 0, 0, UINT64_MAX,
                std::nullopt, &sink, buffer, outcome);
  };

  // Start one byte early so the scanner can see whether `begin` is a line start.
  const uint64_t origin = item.begin > 0 ? item.begin - 1 : 0;
  if (input.compression != Compression::kNone) {
    scan_compressed(input.compression);
  } else if (input.in_memory || access == InputAccess::kMap) {
    // Bytes already in memory, or mapped: scan them in place.
    const uint64_t length = std::max(item.end, input.first_line.value_or(0) + 1) - origin;
    absl::StatusOr<InputRegion> region = OpenInput(input, origin, length, access, buffer);
    if (!region.ok()) {
      outcome->read_error = region.status();
      return;
    }
    std::string_view bytes = region->bytes();
    if (at_start && DetectCompression(bytes) != Compression::kNone) {
      region = InputRegion();  // release before streaming
      scan_compressed(DetectCompression(bytes.substr(0, 4)));
    } else {
      std::optional<Mode> scan_mode = mode;
      sink.mode = &scan_mode;
      const size_t end = static_cast<size_t>(std::min<uint64_t>(item.end - origin, bytes.size()));
      const size_t begin = FirstLineStartAtOrAfter(bytes, static_cast<size_t>(item.begin - origin), end);
      ScanError error;
      if (!ScanLines(bytes, begin, end, at_start, &scan_mode, sink, &error)) {
        error.line_offset += origin;
        outcome->error = std::move(error);
      }
      outcome->mode = scan_mode;
    }
  } else {
    absl::StatusOr<FileWindows> file = FileWindows::Open(input.name, origin, item.end);
    if (!file.ok()) {
      outcome->read_error = file.status();
      return;
    }
    // The first bytes tell a compressed file from a profile.
    char head[4] = {};
    const ssize_t got = at_start ? file->PeekStart(head, sizeof head) : 0;
    const Compression compression =
        got > 0 ? DetectCompression(std::string_view(head, static_cast<size_t>(got))) : Compression::kNone;
    if (compression != Compression::kNone) {
      scan_compressed(compression);
    } else {
      ScanWindows([&](char* out, size_t capacity) { return file->Read(out, capacity); }, origin, item.begin,
                  item.end, mode, &sink, buffer, outcome);
    }
  }
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
