// SPDX-License-Identifier: Apache-2.0
// ErrorInfo: what the bindings report about a failure, read from the
// fields of the engine's Error (covmerge/error.h), never from its message:
// the covmerge_status for the kind (and, for I/O, the errno), the input and
// its index, line, column and offset, the other side of a conflict, and
// the message the engine built. The C API copies it into covmerge_error;
// the Python module raises the matching exception from it. Both report the
// same failure the same way.
#ifndef COVMERGE_BINDINGS_C_SRC_ERROR_INFO_H_
#define COVMERGE_BINDINGS_C_SRC_ERROR_INFO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "covmerge.h"
#include "covmerge/error.h"

namespace covmerge::internal {

struct ErrorInfo {
  covmerge_status code = COVMERGE_OK;
  // The fields; error.path is the input (or output) the failure is about.
  // The bindings' own errors (usage, a buffer too small) set only a kind
  // that fits the code, and the message.
  Error error;
  std::string message;

  bool ok() const { return code == COVMERGE_OK; }
};

// The covmerge_status of an engine error: its kind, and for kIo its errno
// (ENOENT and ENOTDIR: NOT_FOUND; EACCES and EPERM: PERMISSION).
covmerge_status StatusFor(const Error& error);

// Describes an engine status: OK, or the Error it carries (one made
// without an Error is described by its code, ErrorOrDescribe).
ErrorInfo DescribeStatus(const absl::Status& status);
ErrorInfo DescribeError(Error error);

// "COVMERGE_OK", "COVMERGE_ERROR_MALFORMED", ...; "COVMERGE_ERROR_UNKNOWN" for
// a value covmerge.h does not list.
const char* StatusName(int code);

// An ErrorInfo of the bindings' own: a wrong call (COVMERGE_ERROR_USAGE), or
// another code with its message.
ErrorInfo UsageError(std::string message);
ErrorInfo BindingError(covmerge_status code, std::string message);

// Copies `text` into `out[capacity]`, always NUL-terminated. Text that does
// not fit is cut at a UTF-8 character boundary and ends in "...".
void CopyTruncated(std::string_view text, char* out, size_t capacity);

}  // namespace covmerge::internal

#endif  // COVMERGE_BINDINGS_C_SRC_ERROR_INFO_H_
