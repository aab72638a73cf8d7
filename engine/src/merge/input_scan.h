// SPDX-License-Identifier: Apache-2.0
// Scans the lines of one work item (or a whole input) into a sink, a window
// at a time, whatever the input is: a file or a stream's copy read at
// offsets, a buffer in memory, or compressed data decompressed as a stream.
// The merge pass and the error path (which looks blocks up again to name
// both sides of a conflict) read inputs only through this.
//
// Memory stays at one window plus one line, whatever the input: a line
// longer than kMaxLineBytes is an error as soon as it is seen.
#ifndef COVMERGE_MERGE_INPUT_SCAN_H_
#define COVMERGE_MERGE_INPUT_SCAN_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "io/decompressor.h"
#include "io/input_file.h"
#include "merge/input_set.h"
#include "parse/line_scanner.h"

namespace covmerge::internal {

// What scanning one item found.
struct ItemOutcome {
  absl::Status read_error;         // the input could not be read, or is damaged compressed data
  std::optional<ScanError> error;  // the first malformed line; line_index counts from the item's start
  std::optional<Mode> mode;        // from the mode line (items at the input's start)
  ScanCounters counters;
  Compression compression = Compression::kNone;  // as found when opened
};

namespace input_scan_detail {

// Scans the lines that start in [begin, end) of bytes that `read` gives
// from offset `origin` on: each window up to its last complete line, the
// rest carried over. PERF: a window small enough to stay in the L2 cache
// between the copy from the page cache and the scan halves the cost of the
// copy (bench: e2e monorepo, where the copy into 1 MB buffers took 45% of
// the time under perf).
template <typename Read, typename Sink>
void ScanWindows(Read& read, uint64_t origin, uint64_t begin, uint64_t end, std::optional<Mode> mode,
                 Sink& sink, ScratchBuffer* buffer, ItemOutcome* outcome) {
  constexpr size_t kWindow = size_t{256} << 10;
  const bool at_start = begin == 0;
  if constexpr (requires { sink.mode; }) sink.mode = &mode;
  size_t kept = 0;         // bytes carried over from the last window
  uint64_t base = origin;  // offset of the window in the input
  bool first_window = true;
  ScanCounters& counters = outcome->counters;
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
    size_t local_begin = 0;
    if (first_window) local_begin = FirstLineStartAtOrAfter(window, static_cast<size_t>(begin - base));
    size_t scan_end = size;
    if (!at_end) {
      // Only the new bytes are searched: the carried ones hold no line end,
      // so a long line costs one pass, not one per window.
      const size_t last_newline = window.substr(kept).rfind('\n');
      if (last_newline == std::string_view::npos) {
        // No line end yet, and the chunk's end is behind us: the chunk lies
        // inside one long line that an earlier chunk owns.
        if (first_window && !at_start && base + size > end) break;
        if (local_begin < size && size - local_begin > kMaxLineBytes + 1) {
          outcome->error = ScanError{base + local_begin, counters.lines, 0, LineTooLongMessage()};
          break;
        }
        kept = size;
        continue;
      }
      scan_end = kept + last_newline + 1;
    }
    // Until the mode line is found, blank lines are counted and dropped, so
    // that a megabyte of them before it costs no memory.
    if (at_start && !mode && !at_end) {
      const std::string_view complete = window.substr(local_begin, scan_end - local_begin);
      if (complete.find_first_not_of("\r\n") == std::string_view::npos) {
        const uint64_t owned = end <= base ? 0 : std::min<uint64_t>(scan_end, end - base);
        const auto newlines = static_cast<uint64_t>(
            std::count(window.begin() + local_begin, window.begin() + std::max<uint64_t>(local_begin, owned), '\n'));
        counters.lines += newlines;
        counters.blank_lines += newlines;
        std::memmove(data, data + scan_end, size - scan_end);
        kept = size - scan_end;
        base += scan_end;
        first_window = false;
        continue;
      }
    }
    first_window = false;
    window = window.substr(0, scan_end);
    const size_t stop = end <= base ? 0 : static_cast<size_t>(std::min<uint64_t>(scan_end, end - base));
    ScanError error;
    if (!ScanLines(window, local_begin, stop, at_start && !mode, &mode, sink, &error, &counters)) {
      if (error.line_offset) *error.line_offset += base;
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

}  // namespace input_scan_detail

// Scans `item` of `input` into `sink`. `file` is the input's open file
// (OpenInputFile), or null for an input in memory. Chunks after the first
// take the mode from input.mode_hint. A compressed input is one item; when
// one of its lines is malformed, the rest is still decompressed, because
// damaged data (a bad CRC) explains the bad line better than the line does.
template <typename Sink>
void ScanItem(const Input& input, const WorkItem& item, const InputFile* file, Sink& sink,
              ScratchBuffer* buffer, ItemOutcome* outcome) {
  const bool at_start = item.begin == 0;
  const std::optional<Mode> mode = at_start ? std::nullopt : input.mode_hint;
  // Without the mode, chunk 0 reports the bad mode line and the rest has no meaning.
  if (!at_start && !mode) return;
  // Start one byte early so the scanner can see whether `begin` is a line start.
  const uint64_t origin = item.begin > 0 ? item.begin - 1 : 0;
  InputReader reader(input, file, origin, item.end);

  Compression compression = input.compression;
  if (at_start && compression == Compression::kNone && !input.in_memory && file != nullptr) {
    char head[4] = {};
    absl::StatusOr<size_t> got = file->ReadAt(0, head, sizeof head);
    if (!got.ok()) {
      outcome->read_error = got.status();
      return;
    }
    compression = DetectCompression(std::string_view(head, *got));
  }
  if (compression == Compression::kNone) {
    auto read = [&](char* out, size_t capacity) { return reader.Read(out, capacity); };
    input_scan_detail::ScanWindows(read, origin, item.begin, item.end, mode, sink, buffer, outcome);
    return;
  }
  outcome->compression = compression;
  InputReader whole(input, file, 0, UINT64_MAX);
  absl::StatusOr<std::unique_ptr<Decompressor>> decompressor =
      input.in_memory ? Decompressor::Open(compression, input.name, nullptr, input.contents)
                      : Decompressor::Open(compression, input.name,
                                           [&](char* out, size_t capacity) { return whole.Read(out, capacity); });
  if (!decompressor.ok()) {
    outcome->read_error = decompressor.status();
    return;
  }
  auto read = [&](char* out, size_t capacity) { return (*decompressor)->Read(out, capacity); };
  input_scan_detail::ScanWindows(read, 0, 0, UINT64_MAX, std::nullopt, sink, buffer, outcome);
  if (outcome->error && outcome->read_error.ok()) {
    char* drain = buffer->Reserve(size_t{256} << 10);
    for (;;) {
      absl::StatusOr<size_t> n = read(drain, size_t{256} << 10);
      if (!n.ok()) {
        outcome->read_error = n.status();
        outcome->error.reset();
        break;
      }
      if (*n == 0) break;
    }
  }
}

}  // namespace covmerge::internal

#endif  // COVMERGE_MERGE_INPUT_SCAN_H_
