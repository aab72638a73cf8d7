// SPDX-License-Identifier: Apache-2.0
// ParseBlockLine on arbitrary bytes: it must not crash or read outside the
// line, and a line it accepts, written again as
// "%s:%d.%d,%d.%d %d %d", parses back to the same fields.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_check.h"
#include "parse/line_parser.h"

using covmerge::internal::BlockLine;
using covmerge::internal::LineError;
using covmerge::internal::LineParseResult;
using covmerge::internal::ParseBlockLine;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // An exact-size copy, so any read past the line's end is caught by ASan.
  const std::string line(reinterpret_cast<const char*>(data), size);
  BlockLine parsed;
  const LineParseResult result = ParseBlockLine(line, &parsed);
  if (result.error != LineError::kNone) {
    FUZZ_CHECK(result.column <= line.size(), "error column %zu past the line (%zu bytes)", result.column,
               line.size());
    return 0;
  }
  FUZZ_CHECK(!parsed.path.empty(), "accepted an empty path");
  FUZZ_CHECK(parsed.path.data() == line.data(), "the path does not start the line");
  FUZZ_CHECK(parsed.count <= 9223372036854775807ull, "count %llu above MaxInt64",
             static_cast<unsigned long long>(parsed.count));

  std::string again(parsed.path);
  for (const auto& [sep, value] : {std::pair<char, uint64_t>{':', parsed.start_line},
                                   {'.', parsed.start_col},
                                   {',', parsed.end_line},
                                   {'.', parsed.end_col},
                                   {' ', parsed.num_stmt},
                                   {' ', parsed.count}}) {
    again += sep;
    again += std::to_string(value);
  }
  BlockLine reparsed;
  const LineParseResult second = ParseBlockLine(again, &reparsed);
  FUZZ_CHECK(second.error == LineError::kNone, "the re-formatted line \"%s\" fails at column %zu",
             again.c_str(), second.column);
  FUZZ_CHECK(reparsed.path == parsed.path, "path changed");
  FUZZ_CHECK(reparsed.start_line == parsed.start_line && reparsed.start_col == parsed.start_col &&
                 reparsed.end_line == parsed.end_line && reparsed.end_col == parsed.end_col &&
                 reparsed.num_stmt == parsed.num_stmt && reparsed.count == parsed.count,
             "fields changed on the round trip of \"%s\"", again.c_str());
  return 0;
}
