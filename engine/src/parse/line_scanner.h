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
// the scanned data) and a message without the "path:line:" prefix.
struct ScanError {
  uint64_t line_offset = 0;
  size_t column = 0;
  std::string message;
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

// Scans the lines starting in [begin, end) of `data`; `begin` must be a line
// start. When `at_input_start`, the first non-blank line must be the mode
// line and sets *mode; otherwise *mode must already hold the input's mode.
// Calls sink.OnBlock(const BlockLine&, uint64_t line_offset) for every block
// line; a sink may instead take the raw text with
// LineParseResult OnLine(std::string_view) and parse it itself, and may
// offer const char* TryKnownLine(line_start, limit), which handles a whole
// line it recognises and returns the next line's start, or nullptr. Returns false
// and fills *error at the first malformed line.
template <typename Sink>
bool ScanLines(std::string_view data, size_t begin, size_t end, bool at_input_start,
               std::optional<Mode>* mode, Sink& sink, ScanError* error) {
  const char* const base = data.data();
  const char* const limit = base + data.size();
  const char* line = base + begin;
  const char* const stop = base + end;
  bool need_mode = at_input_start;
  BlockLine block;
  // The mode line belongs to the first chunk even when blank lines push it
  // past the chunk's end.
  while (line < stop || (need_mode && line < limit)) {
    // PERF: a sink that recognises the whole line from its first bytes
    // spares the search for its end (bench: e2e monorepo).
    if constexpr (requires { sink.TryKnownLine(line, limit); }) {
      if (!need_mode) {
        if (const char* after = sink.TryKnownLine(line, limit)) {
          line = after;
          continue;
        }
      }
    }
    const char* line_end = FindLineEnd(line, limit);
    const char* next = line_end == limit ? limit : line_end + 1;
    if (line_end > line && line_end[-1] == '\r') --line_end;
    std::string_view text(line, static_cast<size_t>(line_end - line));
    if (text.empty()) {
      line = next;
      continue;
    }
    // A path may begin with 'm', so test the whole prefix before treating
    // the line as a mode line; block lines are by far the common case.
    if (text[0] == 'm' || need_mode) {
      bool is_mode_line = false;
      std::optional<Mode> line_mode = ParseModeLine(text, &is_mode_line);
      if (need_mode && !line_mode) {
        *error = {static_cast<uint64_t>(line - base), 0, ExpectedModeMessage(text)};
        return false;
      }
      if (line_mode) {
        if (need_mode && !mode->has_value()) {
          *mode = line_mode;
        } else if (*line_mode != **mode) {
          *error = {static_cast<uint64_t>(line - base), 6,
                    internal::Cat("expected \"mode: ", ModeName(**mode),
                                 "\" as declared earlier in this input, found \"mode: ",
                                 ModeName(*line_mode), "\"")};
          return false;
        }
        need_mode = false;
        line = next;
        continue;
      }
      if (is_mode_line) {
        *error = {static_cast<uint64_t>(line - base), 0, ExpectedModeMessage(text)};
        return false;
      }
    }
    LineParseResult result;
    if constexpr (requires { sink.OnLine(text); }) {
      result = sink.OnLine(text);  // the sink parses, or knows the line already
    } else {
      result = ParseBlockLine(text, &block);
      if (result.error == LineError::kNone) sink.OnBlock(block, static_cast<uint64_t>(line - base));
    }
    if (result.error != LineError::kNone) [[unlikely]] {
      *error = {static_cast<uint64_t>(line - base), result.column,
                Cat(DescribeLineError(result.error), ", found ", QuoteExcerpt(text, result.column))};
      return false;
    }
    line = next;
  }
  if (need_mode) {
    *error = {0, 0, "expected \"mode: set\", \"mode: count\" or \"mode: atomic\" on the first line, found an empty file"};
    return false;
  }
  return true;
}

}  // namespace covmerge::internal

#endif  // COVMERGE_PARSE_LINE_SCANNER_H_
