// SPDX-License-Identifier: Apache-2.0
#include "error_info.h"

#include <cerrno>
#include <cstring>

namespace covmerge::internal {

covmerge_status StatusFor(const Error& error) {
  switch (error.kind) {
    case ErrorKind::kMalformed: return COVMERGE_ERROR_MALFORMED;
    case ErrorKind::kConflict:
    case ErrorKind::kModeMismatch: return COVMERGE_ERROR_CONFLICT;
    case ErrorKind::kIo:
      switch (error.os_error) {
        case ENOENT:
        case ENOTDIR: return COVMERGE_ERROR_NOT_FOUND;
        case EACCES:
        case EPERM: return COVMERGE_ERROR_PERMISSION;
        default: return COVMERGE_ERROR_IO;
      }
    case ErrorKind::kOutOfMemory: return COVMERGE_ERROR_OUT_OF_MEMORY;
    case ErrorKind::kDiskFull: return COVMERGE_ERROR_DISK_FULL;
    case ErrorKind::kCancelled: return COVMERGE_ERROR_CANCELLED;
    case ErrorKind::kInvalidArgument: return COVMERGE_ERROR_USAGE;
    case ErrorKind::kInternal: return COVMERGE_ERROR_INTERNAL;
  }
  return COVMERGE_ERROR_INTERNAL;
}

ErrorInfo DescribeError(Error error) {
  ErrorInfo info;
  info.code = StatusFor(error);
  info.message = FormatError(error);
  info.error = std::move(error);
  return info;
}

ErrorInfo DescribeStatus(const absl::Status& status) {
  if (status.ok()) return {};
  ErrorInfo info;
  info.error = ErrorOrDescribe(status);
  info.code = StatusFor(info.error);
  info.message.assign(status.message().data(), status.message().size());
  return info;
}

const char* StatusName(int code) {
  switch (code) {
    case COVMERGE_OK: return "COVMERGE_OK";
    case COVMERGE_ERROR_USAGE: return "COVMERGE_ERROR_USAGE";
    case COVMERGE_ERROR_MALFORMED: return "COVMERGE_ERROR_MALFORMED";
    case COVMERGE_ERROR_CONFLICT: return "COVMERGE_ERROR_CONFLICT";
    case COVMERGE_ERROR_NOT_FOUND: return "COVMERGE_ERROR_NOT_FOUND";
    case COVMERGE_ERROR_PERMISSION: return "COVMERGE_ERROR_PERMISSION";
    case COVMERGE_ERROR_IO: return "COVMERGE_ERROR_IO";
    case COVMERGE_ERROR_OUT_OF_MEMORY: return "COVMERGE_ERROR_OUT_OF_MEMORY";
    case COVMERGE_ERROR_BUFFER_TOO_SMALL: return "COVMERGE_ERROR_BUFFER_TOO_SMALL";
    case COVMERGE_ERROR_CALLBACK: return "COVMERGE_ERROR_CALLBACK";
    case COVMERGE_ERROR_INTERNAL: return "COVMERGE_ERROR_INTERNAL";
    case COVMERGE_ERROR_DISK_FULL: return "COVMERGE_ERROR_DISK_FULL";
    case COVMERGE_ERROR_CANCELLED: return "COVMERGE_ERROR_CANCELLED";
    default: return "COVMERGE_ERROR_UNKNOWN";
  }
}

ErrorInfo BindingError(covmerge_status code, std::string message) {
  ErrorInfo info;
  info.code = code;
  info.error.kind = code == COVMERGE_ERROR_USAGE           ? ErrorKind::kInvalidArgument
                    : code == COVMERGE_ERROR_OUT_OF_MEMORY ? ErrorKind::kOutOfMemory
                    : code == COVMERGE_ERROR_CALLBACK      ? ErrorKind::kCancelled
                                                           : ErrorKind::kInternal;
  info.error.detail = message;
  info.message = std::move(message);
  return info;
}

ErrorInfo UsageError(std::string message) { return BindingError(COVMERGE_ERROR_USAGE, std::move(message)); }

void CopyTruncated(std::string_view text, char* out, size_t capacity) {
  if (out == nullptr || capacity == 0) return;
  if (text.size() < capacity) {
    std::memcpy(out, text.data(), text.size());
    out[text.size()] = '\0';
    return;
  }
  static constexpr std::string_view kEllipsis = "...";
  if (capacity <= kEllipsis.size()) {
    out[0] = '\0';
    return;
  }
  size_t keep = capacity - 1 - kEllipsis.size();
  // Do not cut a UTF-8 sequence: back up over continuation bytes (10xxxxxx)
  // to the start of the character that would be cut.
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
  std::memcpy(out, text.data(), keep);
  std::memcpy(out + keep, kEllipsis.data(), kEllipsis.size());
  out[keep + kEllipsis.size()] = '\0';
}

}  // namespace covmerge::internal
