// SPDX-License-Identifier: Apache-2.0
// What every C entry point shares (covmerge_c.cc, covmerge_report_c.cc):
// the handle, Guard(), which runs an entry point's body so that no
// exception leaves the library and fills the caller's covmerge_error from
// an ErrorInfo, and the small conversions to C structs.
#ifndef COVMERGE_BINDINGS_C_SRC_C_BOUNDARY_H_
#define COVMERGE_BINDINGS_C_SRC_C_BOUNDARY_H_

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#include "covmerge.h"
#include "error_info.h"
#include "merge_session.h"

struct covmerge_merger {
  explicit covmerge_merger(const covmerge::internal::SessionOptions& options) : session(options) {}
  covmerge::internal::MergeSession session;
};

namespace covmerge::internal {

inline covmerge_status Report(const ErrorInfo& info, covmerge_error* error) {
  if (error != nullptr) {
    const Error& e = info.error;
    error->code = info.code;
    CopyTruncated(info.ok() ? "" : e.path, error->input, sizeof error->input);
    error->line = info.ok() ? 0 : e.line;
    error->column = info.ok() ? 0 : e.column;
    CopyTruncated(info.message, error->message, sizeof error->message);
    error->input_index = e.input_index.value_or(COVMERGE_UNKNOWN);
    error->offset = e.offset.value_or(COVMERGE_UNKNOWN);
    error->os_error = e.os_error;
    CopyTruncated(e.other_path, error->other_input, sizeof error->other_input);
    error->other_input_index = e.other_input_index.value_or(COVMERGE_UNKNOWN);
    error->other_line = e.other_line;
  }
  return info.code;
}

// Runs `body` (which returns an ErrorInfo) and reports its outcome; no
// exception gets past this.
template <typename Body>
covmerge_status Guard(const char* function, covmerge_error* error, Body&& body) noexcept {
  try {
    try {
      return Report(body(), error);
    } catch (const std::bad_alloc&) {
      ErrorInfo info;
      info.code = COVMERGE_ERROR_OUT_OF_MEMORY;
      info.message = std::string(function) + ": out of memory";
      return Report(info, error);
    } catch (const std::exception& e) {
      ErrorInfo info;
      info.code = COVMERGE_ERROR_INTERNAL;
      info.message = std::string(function) + ": unexpected error: " + e.what() + "; please report this bug";
      return Report(info, error);
    } catch (...) {
      ErrorInfo info;
      info.code = COVMERGE_ERROR_INTERNAL;
      info.message = std::string(function) + ": unexpected error; please report this bug";
      return Report(info, error);
    }
  } catch (...) {
    // Building the message itself failed (out of memory): report without one.
    if (error != nullptr) {
      std::memset(error, 0, sizeof *error);
      error->code = COVMERGE_ERROR_OUT_OF_MEMORY;
      error->input_index = error->offset = error->other_input_index = COVMERGE_UNKNOWN;
      CopyTruncated("out of memory", error->message, sizeof error->message);
    }
    return COVMERGE_ERROR_OUT_OF_MEMORY;
  }
}

inline ErrorInfo NullArgument(const char* function, const char* argument) {
  return UsageError(std::string(function) + ": " + argument + " is NULL");
}

inline covmerge_coverage ToC(const Coverage& c) { return {c.statements, c.covered, c.Percent()}; }

inline ErrorInfo OutOfRange(const char* function, const char* what, size_t index, size_t count) {
  return UsageError(std::string(function) + ": " + what + " " + std::to_string(index) + " is out of range (there are " +
                    std::to_string(count) + ")");
}

// The buffer protocol of covmerge_merger_write_buffer(): `write(sink)`
// produces the bytes; they are copied while they fit, then only counted,
// so that one call with a NULL buffer tells the size needed (`what` names
// the bytes in the message).
template <typename Write>
ErrorInfo WriteToBuffer(const char* function, const char* what, void* buffer, size_t capacity, size_t* size,
                        Write&& write) {
  size_t total = 0;
  char* out = static_cast<char*>(buffer);
  ErrorInfo written = write([&](std::string_view piece) {
    if (total <= capacity && piece.size() <= capacity - total) std::memcpy(out + total, piece.data(), piece.size());
    total += piece.size();
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  *size = total;
  if (total <= capacity) return {};
  return BindingError(COVMERGE_ERROR_BUFFER_TOO_SMALL, std::string(function) + ": " + what + " takes " +
                                                           std::to_string(total) + " bytes; the buffer holds " +
                                                           std::to_string(capacity));
}

}  // namespace covmerge::internal

#endif  // COVMERGE_BINDINGS_C_SRC_C_BOUNDARY_H_
