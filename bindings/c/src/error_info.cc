// SPDX-License-Identifier: Apache-2.0
#include "error_info.h"

#include <cstring>

#include "base/quote_path.h"

namespace covmerge::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads the digits at the start of `*s` into `*value`, saturating; false
// when there are none.
bool ReadNumber(std::string_view* s, uint64_t* value) {
  size_t i = 0;
  uint64_t v = 0;
  while (i < s->size() && IsDigit((*s)[i])) {
    const uint64_t digit = static_cast<uint64_t>((*s)[i] - '0');
    v = v > (UINT64_MAX - digit) / 10 ? UINT64_MAX : v * 10 + digit;
    ++i;
  }
  if (i == 0) return false;
  s->remove_prefix(i);
  *value = v;
  return true;
}

// After "NAME:", reads "LINE:" or "LINE:COLUMN:" into the ErrorInfo.
void ReadPosition(std::string_view rest, ErrorInfo* info) {
  uint64_t line = 0, column = 0;
  if (!ReadNumber(&rest, &line) || rest.empty() || rest[0] != ':') return;
  info->line = line;
  rest.remove_prefix(1);
  if (ReadNumber(&rest, &column) && !rest.empty() && rest[0] == ':') info->column = column;
}

// The longest of `files` that the message holds at `pos`, as it is or as
// messages quote it (QuotePath), followed by ':' or ' ' (or the end);
// nullptr when none. *length is how many bytes of the message it takes.
const std::string* NameAt(std::string_view message, size_t pos, std::span<const std::string> files,
                          size_t* length) {
  const std::string* best = nullptr;
  const std::string_view tail = message.substr(pos);
  for (const std::string& name : files) {
    const std::string printed = QuotePath(name);
    if (name.empty() || printed.size() > tail.size() || (best != nullptr && printed.size() <= *length)) continue;
    if (tail.compare(0, printed.size(), printed) != 0) continue;
    if (printed.size() < tail.size() && tail[printed.size()] != ':' && tail[printed.size()] != ' ') continue;
    best = &name;
    *length = printed.size();
  }
  return best;
}

void Locate(std::string_view message, std::span<const std::string> files, ErrorInfo* info) {
  // The name opens the message ("a.out:3:9: expected ...") or follows a
  // verb of a few words ("cannot read directory d: Permission denied").
  size_t pos = 0;
  for (int words = 0; words <= 4 && pos < message.size(); ++words) {
    size_t length = 0;
    if (const std::string* name = NameAt(message, pos, files, &length)) {
      info->input = *name;
      if (pos == 0 && length < message.size() && message[length] == ':') {
        ReadPosition(message.substr(length + 1), info);
      }
      return;
    }
    const size_t space = message.find(' ', pos);
    if (space == std::string_view::npos) break;
    pos = space + 1;
  }
  // A name the caller did not know: take "X:LINE:" from the start.
  for (size_t colon = message.find(':'); colon != std::string_view::npos && colon > 0;
       colon = message.find(':', colon + 1)) {
    ErrorInfo probe;
    ReadPosition(message.substr(colon + 1), &probe);
    if (probe.line != 0) {
      info->input = std::string(message.substr(0, colon));
      info->line = probe.line;
      info->column = probe.column;
      return;
    }
  }
  // A file inside a directory input (a GOCOVERDIR): "DIR/covcounters.X: ...".
  for (const std::string& name : files) {
    if (name.empty() || message.size() <= name.size() || message.compare(0, name.size(), name) != 0) continue;
    if (message[name.size()] != '/' && name.back() != '/') continue;
    if (const size_t end = message.find(": ", name.size()); end != std::string_view::npos) {
      info->input = std::string(message.substr(0, end));
      return;
    }
  }
}

bool Mentions(std::string_view message, std::string_view part) { return message.find(part) != std::string_view::npos; }

covmerge_status CodeFor(const absl::Status& status, Stage stage, std::string_view message) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return COVMERGE_OK;
    case absl::StatusCode::kInvalidArgument:
      // Reading: a malformed input. Writing: an output path that names a
      // directory, which is the file system's answer, not the profile's.
      return stage == Stage::kRead ? COVMERGE_ERROR_MALFORMED : COVMERGE_ERROR_IO;
    case absl::StatusCode::kFailedPrecondition:
      return COVMERGE_ERROR_CONFLICT;
    case absl::StatusCode::kNotFound:
      return COVMERGE_ERROR_NOT_FOUND;
    case absl::StatusCode::kPermissionDenied:
      return COVMERGE_ERROR_PERMISSION;
    case absl::StatusCode::kResourceExhausted:
      // The engine says ResourceExhausted for a full disk too (ENOSPC,
      // EDQUOT, EFBIG), with the system's words for it.
      if (Mentions(message, "No space left") || Mentions(message, "quota") || Mentions(message, "too large")) {
        return COVMERGE_ERROR_IO;
      }
      return COVMERGE_ERROR_OUT_OF_MEMORY;
    case absl::StatusCode::kCancelled:
      return COVMERGE_ERROR_CALLBACK;
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnavailable:
      return COVMERGE_ERROR_IO;
    default:
      return COVMERGE_ERROR_INTERNAL;
  }
}

}  // namespace

ErrorInfo DescribeStatus(const absl::Status& status, Stage stage, std::span<const std::string> files) {
  ErrorInfo info;
  info.message.assign(status.message().data(), status.message().size());
  info.code = CodeFor(status, stage, info.message);
  if (info.code == COVMERGE_OK) {
    info.message.clear();
    return info;
  }
  Locate(info.message, files, &info);
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
    default: return "COVMERGE_ERROR_UNKNOWN";
  }
}

ErrorInfo UsageError(std::string message) {
  ErrorInfo info;
  info.code = COVMERGE_ERROR_USAGE;
  info.message = std::move(message);
  return info;
}

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
