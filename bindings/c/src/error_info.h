// SPDX-License-Identifier: Apache-2.0
// ErrorInfo: what the bindings report about a failure. The engine returns
// an absl::Status whose message names the file and line
// ("a.out:3:9: expected ..." or "cannot open a.out: No such file ...");
// the bindings also hand that file, line and column out as fields, and map
// the status code to a covmerge_status (covmerge.h). Both the C API and the
// Python module use this, so they report the same failure the same way.
#ifndef COVMERGE_BINDINGS_C_SRC_ERROR_INFO_H_
#define COVMERGE_BINDINGS_C_SRC_ERROR_INFO_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "covmerge.h"

namespace covmerge::internal {

struct ErrorInfo {
  covmerge_status code = COVMERGE_OK;
  std::string input;    // the file the error is about; empty when none
  uint64_t line = 0;    // 1-based; 0 when not known
  uint64_t column = 0;  // 1-based; 0 when not known
  std::string message;

  bool ok() const { return code == COVMERGE_OK; }
};

// What failed: reading and merging inputs, or writing the output. The same
// absl code means different things on the two sides (InvalidArgument is a
// malformed input when reading, an unusable output path when writing).
enum class Stage { kRead, kWrite };

// Describes a non-OK `status`. `files` are the names the message may start
// with or mention (the inputs, or the output path): the longest one found
// at the start of the message, or after its first words ("cannot open X:"),
// becomes `input`, and the numbers after "X:" the line and column. Names are
// matched rather than split at ':' because paths may contain ':'.
ErrorInfo DescribeStatus(const absl::Status& status, Stage stage, std::span<const std::string> files);

// "COVMERGE_OK", "COVMERGE_ERROR_MALFORMED", ...; "COVMERGE_ERROR_UNKNOWN" for
// a value covmerge.h does not list.
const char* StatusName(int code);

// An ErrorInfo for a wrong call (COVMERGE_ERROR_USAGE).
ErrorInfo UsageError(std::string message);

// Copies `text` into `out[capacity]`, always NUL-terminated. Text that does
// not fit is cut at a UTF-8 character boundary and ends in "...".
void CopyTruncated(std::string_view text, char* out, size_t capacity);

}  // namespace covmerge::internal

#endif  // COVMERGE_BINDINGS_C_SRC_ERROR_INFO_H_
