// SPDX-License-Identifier: Apache-2.0
// Failures as data. Every error the engine returns about an input, an
// output or the merge itself carries an Error in its absl::Status (a
// payload, as abseil's Status::SetPayload intends): the kind, the file, its
// index among the inputs, the line, column and byte offset, the system's
// errno, and for a conflict the other side. The status message is built
// from those fields by FormatError, the one place that words where a
// failure happened, so a binding that reads the fields (ErrorOf) never
// depends on the wording, and rewording a message changes no field.
#ifndef COVMERGE_ERROR_H_
#define COVMERGE_ERROR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace covmerge {

enum class ErrorKind {
  kMalformed,     // an input is not a valid profile, or holds damaged data
  kConflict,      // two inputs disagree about a block; other_* is the side kept
  kModeMismatch,  // two inputs have different modes; other_* set the mode
  kIo,            // the system refused to read or write; os_error says why
  kOutOfMemory,   // allocation failed, or threads could not start
  kDiskFull,      // writing found no space: ENOSPC, EDQUOT or EFBIG
  kCancelled,     // the caller asked the merge to stop (MergeOptions::cancelled)
  kInvalidArgument,  // an option or pattern the caller gave is not usable
  kInternal,      // a bug in covmerge
};

// "malformed", "conflict", "mode_mismatch", "io", "out_of_memory",
// "disk_full", "cancelled", "invalid_argument", "internal": the names the
// bindings and the JSON outputs use.
const char* ErrorKindName(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  // The input (or output) the error is about, as it was added or found in
  // a directory; empty when the error is about no one file.
  std::string path{};
  // The position of that input among the merge's inputs, in the order they
  // were added (a GOCOVERDIR's files share the directory's index).
  std::optional<uint64_t> input_index{};
  uint64_t line = 0;    // 1-based; 0 when not known
  uint64_t column = 0;  // 1-based; 0 when not known
  // The byte offset of the line's start in the input (after decompression).
  std::optional<uint64_t> offset{};
  // errno, for a failure the system reported (kIo, kDiskFull, kOutOfMemory).
  int os_error = 0;
  // A conflict's or mode mismatch's other side: the input whose block or
  // mode the merge kept, and its line.
  std::string other_path{};
  std::optional<uint64_t> other_input_index{};
  uint64_t other_line = 0;
  // What was being done, for failures the system reported: "cannot open".
  std::string action{};
  // What is wrong, e.g. "expected a number of statements, found \"x\"";
  // for a failure the system reported, empty (its strerror is used) or a
  // reason of covmerge's own ("it is a directory").
  std::string detail{};
};

// The message, one sentence built from the fields:
//   action path: strerror      "cannot open a.out: No such file or directory"
//   path:line:column: detail   "a.out:3:9: expected a number of statements, ..."
//   detail                     when there is no path
// Paths are printed as QuotePath prints them.
std::string FormatError(const Error& error);

// A status carrying `error`: its code follows the kind (InvalidArgument for
// kMalformed and kInvalidArgument, FailedPrecondition for conflicts,
// NotFound / PermissionDenied / Unknown by errno for kIo, ResourceExhausted
// for memory and a full disk, Cancelled, Internal), its message
// FormatError(error).
absl::Status ErrorStatus(const Error& error);

// The Error a status carries; nullopt for OK or a status made elsewhere.
std::optional<Error> ErrorOf(const absl::Status& status);

// The Error of a non-OK status, also of one made without an Error (the
// kind follows the code, the message becomes the detail).
Error ErrorOrDescribe(const absl::Status& status);

// The status with input_index set (when it carries an Error without one).
absl::Status WithInputIndex(absl::Status status, uint64_t input_index);

// A kMalformed error about `path`: "path: detail".
absl::Status MalformedError(std::string_view path, std::string detail);

// An error the system reported, with errno: kIo, or kDiskFull for ENOSPC,
// EDQUOT and EFBIG, kOutOfMemory for ENOMEM.
absl::Status OsErrorStatus(int error_number, std::string_view action, std::string_view path);

}  // namespace covmerge

#endif  // COVMERGE_ERROR_H_
