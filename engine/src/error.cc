// SPDX-License-Identifier: Apache-2.0
// Error <-> absl::Status. The payload is the Error's fields in a fixed
// order, numbers as 8 little-endian bytes and strings prefixed by their
// length: private to this file, read back only by ErrorOf in the same
// build, so it needs no version.
#include "covmerge/error.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/cord.h"
#include "base/quote_path.h"
#include "base/str_cat.h"

namespace covmerge {
namespace {

constexpr char kPayloadUrl[] = "type.covmerge.dev/covmerge.Error";
constexpr uint64_t kAbsent = UINT64_MAX;  // an optional number that is not set

void PutNumber(std::string* out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(value >> (8 * i)));
}

void PutString(std::string* out, std::string_view value) {
  PutNumber(out, value.size());
  out->append(value);
}

uint64_t OrAbsent(const std::optional<uint64_t>& value) { return value.value_or(kAbsent); }

std::optional<uint64_t> FromAbsent(uint64_t value) {
  if (value == kAbsent) return std::nullopt;
  return value;
}

// Reads what PutNumber and PutString wrote; false when the bytes run out.
class PayloadReader {
 public:
  explicit PayloadReader(std::string_view bytes) : rest_(bytes) {}
  bool Number(uint64_t* value) {
    if (rest_.size() < 8) return false;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<unsigned char>(rest_[i])} << (8 * i);
    rest_.remove_prefix(8);
    *value = v;
    return true;
  }
  bool String(std::string* value) {
    uint64_t size = 0;
    if (!Number(&size) || size > rest_.size()) return false;
    value->assign(rest_.substr(0, size));
    rest_.remove_prefix(size);
    return true;
  }
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

std::string Encode(const Error& e) {
  std::string out;
  PutNumber(&out, static_cast<uint64_t>(e.kind));
  PutString(&out, e.path);
  PutNumber(&out, OrAbsent(e.input_index));
  PutNumber(&out, e.line);
  PutNumber(&out, e.column);
  PutNumber(&out, OrAbsent(e.offset));
  PutNumber(&out, static_cast<uint64_t>(static_cast<uint32_t>(e.os_error)));
  PutString(&out, e.other_path);
  PutNumber(&out, OrAbsent(e.other_input_index));
  PutNumber(&out, e.other_line);
  PutString(&out, e.action);
  PutString(&out, e.detail);
  return out;
}

std::optional<Error> Decode(std::string_view bytes) {
  PayloadReader in(bytes);
  Error e;
  uint64_t kind = 0, input_index = 0, offset = 0, os_error = 0, other_index = 0;
  if (!in.Number(&kind) || kind > static_cast<uint64_t>(ErrorKind::kInternal) || !in.String(&e.path) ||
      !in.Number(&input_index) || !in.Number(&e.line) || !in.Number(&e.column) || !in.Number(&offset) ||
      !in.Number(&os_error) || !in.String(&e.other_path) || !in.Number(&other_index) ||
      !in.Number(&e.other_line) || !in.String(&e.action) || !in.String(&e.detail) || !in.done()) {
    return std::nullopt;
  }
  e.kind = static_cast<ErrorKind>(kind);
  e.input_index = FromAbsent(input_index);
  e.offset = FromAbsent(offset);
  e.os_error = static_cast<int>(static_cast<uint32_t>(os_error));
  e.other_input_index = FromAbsent(other_index);
  return e;
}

absl::StatusCode CodeFor(const Error& e) {
  switch (e.kind) {
    case ErrorKind::kMalformed:
    case ErrorKind::kInvalidArgument:
      return absl::StatusCode::kInvalidArgument;
    case ErrorKind::kConflict:
    case ErrorKind::kModeMismatch:
      return absl::StatusCode::kFailedPrecondition;
    case ErrorKind::kIo:
      switch (e.os_error) {
        case ENOENT:
        case ENOTDIR:
          return absl::StatusCode::kNotFound;
        case EACCES:
        case EPERM:
          return absl::StatusCode::kPermissionDenied;
        case EISDIR:
        case EINVAL:
          return absl::StatusCode::kInvalidArgument;
        case EPIPE:
          return absl::StatusCode::kAborted;
        default:
          return absl::StatusCode::kUnknown;
      }
    case ErrorKind::kOutOfMemory:
    case ErrorKind::kDiskFull:
      return absl::StatusCode::kResourceExhausted;
    case ErrorKind::kCancelled:
      return absl::StatusCode::kCancelled;
    case ErrorKind::kInternal:
      return absl::StatusCode::kInternal;
  }
  return absl::StatusCode::kInternal;
}

ErrorKind KindFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument: return ErrorKind::kInvalidArgument;
    case absl::StatusCode::kFailedPrecondition: return ErrorKind::kConflict;
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnavailable:
      return ErrorKind::kIo;
    case absl::StatusCode::kResourceExhausted: return ErrorKind::kOutOfMemory;
    case absl::StatusCode::kCancelled: return ErrorKind::kCancelled;
    default: return ErrorKind::kInternal;
  }
}

}  // namespace

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kMalformed: return "malformed";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kModeMismatch: return "mode_mismatch";
    case ErrorKind::kIo: return "io";
    case ErrorKind::kOutOfMemory: return "out_of_memory";
    case ErrorKind::kDiskFull: return "disk_full";
    case ErrorKind::kCancelled: return "cancelled";
    case ErrorKind::kInvalidArgument: return "invalid_argument";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

std::string FormatError(const Error& e) {
  using internal::Append;
  using internal::QuotePath;
  if (!e.action.empty()) {
    std::string message = e.action;
    if (!e.path.empty()) Append(&message, " ", QuotePath(e.path));
    if (!e.detail.empty()) {
      Append(&message, ": ", e.detail);
    } else if (e.os_error != 0) {
      Append(&message, ": ", std::strerror(e.os_error));
    }
    return message;
  }
  if (e.path.empty()) return e.detail;
  std::string message = QuotePath(e.path);
  if (e.line != 0) {
    Append(&message, ":", e.line);
    if (e.column != 0) Append(&message, ":", e.column);
  }
  Append(&message, ": ", e.detail.empty() && e.os_error != 0 ? std::strerror(e.os_error) : e.detail);
  return message;
}

absl::Status ErrorStatus(const Error& error) {
  absl::Status status(CodeFor(error), FormatError(error));
  status.SetPayload(kPayloadUrl, absl::Cord(Encode(error)));
  return status;
}

std::optional<Error> ErrorOf(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  const auto payload = status.GetPayload(kPayloadUrl);
  if (!payload) return std::nullopt;
  return Decode(std::string(*payload));
}

Error ErrorOrDescribe(const absl::Status& status) {
  if (std::optional<Error> error = ErrorOf(status)) return *std::move(error);
  Error error;
  error.kind = KindFor(status.code());
  error.detail = std::string(status.message());
  return error;
}

absl::Status WithInputIndex(absl::Status status, uint64_t input_index) {
  std::optional<Error> error = ErrorOf(status);
  if (!error || error->input_index) return status;
  error->input_index = input_index;
  status.SetPayload(kPayloadUrl, absl::Cord(Encode(*error)));
  return status;
}

absl::Status MalformedError(std::string_view path, std::string detail) {
  return ErrorStatus({.kind = ErrorKind::kMalformed, .path = std::string(path), .detail = std::move(detail)});
}

absl::Status OsErrorStatus(int error_number, std::string_view action, std::string_view path) {
  Error error;
  switch (error_number) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      error.kind = ErrorKind::kDiskFull;
      break;
    case ENOMEM:
      error.kind = ErrorKind::kOutOfMemory;
      break;
    default:
      error.kind = ErrorKind::kIo;
  }
  error.os_error = error_number;
  error.action = std::string(action);
  error.path = std::string(path);
  return ErrorStatus(error);
}

}  // namespace covmerge
