// SPDX-License-Identifier: Apache-2.0
// ScanLines over a whole buffer, and again as two chunks split where the
// merge would split it (at the first line start at or after an offset taken
// from the first byte): the blocks of both chunks, in order, must be the
// blocks of the whole, and both must stop at the same error.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "covmerge/profile.h"
#include "fuzz_check.h"
#include "parse/line_scanner.h"

namespace {

using covmerge::Mode;
using covmerge::internal::BlockLine;
using covmerge::internal::FirstLineStartAtOrAfter;
using covmerge::internal::ScanCounters;
using covmerge::internal::ScanError;
using covmerge::internal::ScanLines;

struct Seen {
  std::string path;
  uint32_t start_line, start_col, end_line, end_col, num_stmt;
  uint64_t count;
  uint64_t offset;
  bool operator==(const Seen&) const = default;
};

struct CollectingSink {
  std::vector<Seen>* out;
  void OnBlock(const BlockLine& b, uint64_t offset) {
    out->push_back({std::string(b.path), b.start_line, b.start_col, b.end_line, b.end_col, b.num_stmt, b.count,
                    offset});
  }
};

struct Scan {
  bool ok = false;
  ScanError error;
  std::optional<Mode> mode;
};

// `counters` carries what one chunk's scan leaves to the next (a lone "0"
// line that must be the last one), as the merge does for consecutive chunks.
Scan Run(std::string_view data, size_t begin, size_t end, bool at_start, std::optional<Mode> mode,
         std::vector<Seen>* out, ScanCounters* counters) {
  Scan s;
  s.mode = mode;
  CollectingSink sink{out};
  s.ok = ScanLines(data, begin, end, at_start, &s.mode, sink, &s.error, counters);
  return s;
}

// Where the line after the first non-blank line starts (data.size() when
// there is none): the first chunk's scan reads the mode line even when it
// starts past the chunk's end.
size_t AfterFirstNonBlankLine(std::string_view data) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    const size_t next = nl == std::string_view::npos ? data.size() : nl + 1;
    std::string_view line = data.substr(pos, (nl == std::string_view::npos ? data.size() : nl) - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) return next;
    pos = next;
  }
  return data.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t split_byte = data[0];
  const std::string buffer(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::vector<Seen> whole_blocks;
  ScanCounters whole_counters;
  const Scan whole = Run(buffer, 0, buffer.size(), true, std::nullopt, &whole_blocks, &whole_counters);
  if (!whole.ok) {
    FUZZ_CHECK(whole.error.line_offset <= buffer.size(), "error offset %llu past the end",
               static_cast<unsigned long long>(whole.error.line_offset.value_or(0)));
    FUZZ_CHECK(!whole.error.message.empty(), "an error without a message");
  } else {
    FUZZ_CHECK(whole.mode.has_value(), "a successful scan without a mode");
  }

  const size_t offset = static_cast<size_t>(split_byte) * buffer.size() / 255;
  const size_t split = FirstLineStartAtOrAfter(buffer, offset);
  FUZZ_CHECK(split >= offset && split <= buffer.size(), "split %zu for offset %zu", split, offset);
  FUZZ_CHECK(split == 0 || split == buffer.size() || buffer[split - 1] == '\n', "split %zu is no line start",
             split);

  std::vector<Seen> halves;
  ScanCounters counters;
  const Scan first = Run(buffer, 0, split, true, std::nullopt, &halves, &counters);
  Scan result = first;
  if (first.ok) {
    const size_t second_begin = std::max(split, AfterFirstNonBlankLine(buffer));
    result = Run(buffer, second_begin, buffer.size(), false, first.mode, &halves, &counters);
  }
  FUZZ_CHECK(result.ok == whole.ok, "whole scan %s, split at %zu %s", whole.ok ? "succeeds" : "fails", split,
             result.ok ? "succeeds" : "fails");
  FUZZ_CHECK(halves == whole_blocks, "split at %zu: %zu blocks, the whole: %zu", split, halves.size(),
             whole_blocks.size());
  if (whole.ok) {
    FUZZ_CHECK(result.mode == whole.mode, "mode differs when split at %zu", split);
  } else {
    FUZZ_CHECK(result.error.line_offset == whole.error.line_offset && result.error.column == whole.error.column &&
                   result.error.message == whole.error.message,
               "split at %zu: error at %llu:%zu \"%s\", the whole: %llu:%zu \"%s\"", split,
               static_cast<unsigned long long>(result.error.line_offset.value_or(0)), result.error.column,
               result.error.message.c_str(), static_cast<unsigned long long>(whole.error.line_offset.value_or(0)),
               whole.error.column, whole.error.message.c_str());
  }
  return 0;
}
