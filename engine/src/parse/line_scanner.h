// SPDX-License-Identifier: Apache-2.0
// Walks the lines of a region of a profile and hands each block line to a
// sink. This is the hot loop: each line's end is found with memchr, blank
// lines and '\r' before '\n' are skipped, and "mode:" lines are checked
// against the input's mode, since profiles joined with `cat` repeat them.
//
// A region may be a chunk of a larger input: the scanner owns the lines that
// start inside [begin, end) and finishes the last one past `end`.
#ifndef COVMERGE_PARSE_LINE_SCANNER_H_
#define COVMERGE_PARSE_LINE_SCANNER_H_

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <optional>
#include <string>
#include <string_view>

#include "base/str_cat.h"
#include "covmerge/profile.h"
#include "parse/line_parser.h"

namespace covmerge::internal {

// Why scanning stopped early: the offending line's start (an offset into
// the scanned data), its index among the lines the scan counted (see
// ScanCounters) and a message without the "path:line:" prefix.
struct ScanError {
  std::optional<uint64_t> line_offset;  // nullopt when not known
  uint64_t line_index = 0;
  size_t column = 0;
  std::string message;
};

// No Go profile line is longer than a few KB (gocovmerge stops at 64 KiB);
// a longer one means the input is not a profile (/dev/zero, a binary). The
// limit keeps memory bounded whatever the input: a line is never buffered
// past it.
inline constexpr size_t kMaxLineBytes = size_t{1} << 20;
std::string LineTooLongMessage();

// What a scan counted, kept across the calls that scan one region in
// pieces, so that a line is named by its number without reading the input
// again. Line indexes are 0-based and count the lines that start before
// the region's end, blank ones included.
struct ScanCounters {
  uint64_t lines = 0;
  uint64_t blank_lines = 0;
  std::optional<uint64_t> mode_line;  // the line that set the mode
  // A lone "0" line, accepted only as the last non-blank line of an input:
  // parallel `go test -coverprofile` in Go 1.22 can end a profile with one
  // (golang/go#70441). Cleared by nothing: a line after it is an error.
  std::optional<uint64_t> stray_zero;
};

// The first line start at or after `offset`: `offset` itself when it is 0 or
// follows a '\n', else the byte after the next '\n'. Only line ends before
// `search_end` are looked for (a chunk owns no line that starts past its
// end, and a 100 MB line must not be searched once per chunk it spans);
// without one, returns data.size().
inline size_t FirstLineStartAtOrAfter(std::string_view data, size_t offset,
                                      size_t search_end = std::string_view::npos) {
  if (offset == 0 || offset > data.size()) return std::min(offset, data.size());
  if (data[offset - 1] == '\n') return offset;
  const size_t end = std::min(search_end, data.size());
  if (offset >= end) return data.size();
  const void* nl = std::memchr(data.data() + offset, '\n', end - offset);
  return nl == nullptr ? data.size() : static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1;
}

// The first '\n' in [p, limit), or limit. PERF: inline 16-byte SSE2 compares
// while 16 bytes remain; a memchr call per line cost 7% of a merge
// (bench: e2e monorepo, perf). The scalar loop finishes the tail, so the
// buffer needs no padding.
inline const char* FindLineEnd(const char* p, const char* limit) {
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  while (limit - p >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, newline));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  const void* nl = std::memchr(p, '\n', static_cast<size_t>(limit - p));
  return nl == nullptr ? limit : static_cast<const char*>(nl);
}

// Recognises "mode: set|count|atomic". Returns the mode, or nullopt with
// *is_mode_line telling whether the line at least starts with "mode:".
inline std::optional<Mode> ParseModeLine(std::string_view line, bool* is_mode_line) {
  *is_mode_line = line.size() >= 5 && std::memcmp(line.data(), "mode:", 5) == 0;
  if (!*is_mode_line || line.size() < 6 || line[5] != ' ') return std::nullopt;
  return ParseMode(line.substr(6));
}

std::string ExpectedModeMessage(std::string_view line);
// The error for a lone "0" line that other lines follow.
std::string StrayZeroMessage();

// Scans the lines starting in [begin, end) of `data`; `begin` must be a line
// start. When `at_input_start`, the first non-blank line must be the mode
// line and sets *mode; otherwise *mode must already hold the input's mode.
// Calls sink.OnBlock(const BlockLine&, uint64_t line_offset) for every block
// line (or OnBlockAtLine(const BlockLine&, uint64_t line_index)); a sink may instead take the raw text with
// LineParseResult OnLine(std::string_view, const char* limit) and parse it itself, and may
// offer const char* TryKnownLine(line_start, limit), which handles a whole
// line it recognises and returns the next line's start, or nullptr. Returns false
// and fills *error at the first malformed line. `counters` (which the
// caller keeps across the pieces of one region) counts the lines.
template <typename Sink>
bool ScanLines(std::string_view data, size_t begin, size_t end, bool at_input_start,
               std::optional<Mode>* mode, Sink& sink, ScanError* error, ScanCounters* counters) {
  const char* const base = data.data();
  const char* const limit = base + data.size();
  const char* line = base + begin;
  const char* const stop = base + end;
  bool need_mode = at_input_start && !mode->has_value();
  BlockLine block;
  // PERF: locals, which stay in registers, not memory the sink might alias.
  uint64_t lines = counters->lines;
  bool zero_pending = counters->stray_zero.has_value();
  auto fail = [&](const char* at, size_t column, std::string message) {
    *error = {static_cast<uint64_t>(at - base), lines, column, std::move(message)};
    counters->lines = lines;
    return false;
  };
  // The mode line belongs to the first chunk even when blank lines push it
  // past the chunk's end.
  while (line < stop || (need_mode && line < limit)) {
    // PERF: a sink that recognises the whole line from its first bytes
    // spares the search for its end (bench: e2e monorepo).
    if constexpr (requires { sink.TryKnownLine(line, limit); }) {
      if (!need_mode && !zero_pending) {
        if (const char* after = sink.TryKnownLine(line, limit)) {
          line = after;
          ++lines;
          continue;
        }
      }
    }
    const char* line_end = FindLineEnd(line, limit);
    if (static_cast<size_t>(line_end - line) > kMaxLineBytes) [[unlikely]] {
      return fail(line, 0, LineTooLongMessage());
    }
    const char* next = line_end == limit ? limit : line_end + 1;
    if (line_end > line && line_end[-1] == '\r') --line_end;
    std::string_view text(line, static_cast<size_t>(line_end - line));
    if (text.empty()) {
      // Blank lines that lead to a mode line past the chunk's end are the
      // next chunk's to count.
      if (line < stop) {
        ++lines;
        ++counters->blank_lines;
      }
      line = next;
      continue;
    }
    if (zero_pending) [[unlikely]] {
      *error = {static_cast<uint64_t>(line - base), *counters->stray_zero, 0, StrayZeroMessage()};
      counters->lines = lines;
      return false;
    }
    // A path may begin with 'm', so test the whole prefix before treating
    // the line as a mode line; block lines are by far the common case. A
    // line that starts with "mode: " but is no mode line may still be a
    // block whose path starts so; only the first line must be a mode line.
    bool is_mode_line = false;
    if (text[0] == 'm' || need_mode) {
      std::optional<Mode> line_mode = ParseModeLine(text, &is_mode_line);
      if (need_mode && !line_mode) return fail(line, 0, ExpectedModeMessage(text));
      if (line_mode) {
        if (need_mode) {
          *mode = line_mode;
          counters->mode_line = lines;
        } else if (*line_mode != **mode) {
          return fail(line, 6,
                      internal::Cat("expected \"mode: ", ModeName(**mode),
                                    "\" as declared earlier in this input, found \"mode: ",
                                    ModeName(*line_mode), "\""));
        }
        need_mode = false;
        if (line < stop) ++lines;
        line = next;
        continue;
      }
    }
    if (text.size() == 1 && text[0] == '0') [[unlikely]] {
      counters->stray_zero = lines++;
      zero_pending = true;
      line = next;
      continue;
    }
    LineParseResult result;
    if constexpr (requires { sink.OnLine(text, limit); }) {
      result = sink.OnLine(text, limit);  // the sink parses; `limit` ends the data it may read ahead
    } else {
      result = ParseBlockLine(text, &block);
      if (result.error == LineError::kNone) {
        if constexpr (requires { sink.OnBlockAtLine(block, lines); }) {
          sink.OnBlockAtLine(block, lines);  // the line's index, for the error path
        } else {
          sink.OnBlock(block, static_cast<uint64_t>(line - base));
        }
      }
    }
    if (result.error != LineError::kNone) [[unlikely]] {
      // "mode: foo" is reported as a bad mode line, not as a bad block.
      if (is_mode_line) return fail(line, 0, ExpectedModeMessage(text));
      return fail(line, result.column,
                  Cat(DescribeLineError(result.error), ", found ", QuoteExcerpt(text, result.column)));
    }
    ++lines;
    line = next;
  }
  counters->lines = lines;
  if (need_mode && !mode->has_value()) {
    *error = {0, 0, 0, "expected \"mode: set\", \"mode: count\" or \"mode: atomic\" on the first line, found an empty file"};
    return false;
  }
  return true;
}

// The same, for a caller that needs no counts.
template <typename Sink>
bool ScanLines(std::string_view data, size_t begin, size_t end, bool at_input_start,
               std::optional<Mode>* mode, Sink& sink, ScanError* error) {
  ScanCounters counters;
  return ScanLines(data, begin, end, at_input_start, mode, sink, error, &counters);
}

}  // namespace covmerge::internal

#endif  // COVMERGE_PARSE_LINE_SCANNER_H_
