// SPDX-License-Identifier: Apache-2.0
// The partial result of a distributed merge, as bytes (version 1): the
// format covmerge.distributed writes, documented in
// bindings/python/covmerge/distributed/partial.py and docs/partial-format.md.
//
//   covmerge-partial 1\n   LENGTH\n   HEADER (LENGTH bytes of JSON)   PAYLOAD
//
// The payload is the merged profile text as one zstd frame (empty when no
// input had a block). Every string in the header holds its bytes
// percent-escaped as EscapeBytes writes them (valid UTF-8 as is, '%' and
// other bytes as %XX), so that names that are not UTF-8 travel exactly.
#ifndef COVMERGE_BINDINGS_C_SRC_PARTIAL_H_
#define COVMERGE_BINDINGS_C_SRC_PARTIAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "covmerge/error.h"

namespace covmerge::internal {

struct PartialSkipped {
  int stage = 0;  // SkippedInput::Stage
  uint64_t index = 0;
  std::string name;
  std::string reason;
};

// The failure an original input caused, as the merge would report it.
struct PartialError {
  std::string type;  // the Python exception: "ProfileError", "FileNotFoundError", "OSError", "MemoryError", ...
  std::string message;
  std::optional<std::string> path;
  std::optional<uint64_t> line;
  std::optional<uint64_t> column;
  bool conflict = false;
  std::optional<int64_t> errno_value;
  std::optional<std::string> strerror;
  uint64_t index = 0;
  int stage = 0;
  std::optional<std::string> kind;  // ErrorKindName(); absent in partials of 0.1
};

// The Error a partial's failure stands for: its kind (or, without one, the
// kind its Python exception type implies), the original input and its
// index, line, column and errno. `detail` holds the message as written.
Error ErrorOfPartial(const PartialError& error);

struct PartialHeader {
  uint64_t first = 0;  // the original inputs first .. first + count - 1
  uint64_t count = 0;
  uint64_t merged = 0;
  std::optional<std::string> mode;  // "set", "count", "atomic"
  std::vector<PartialSkipped> skipped;
  std::vector<std::string> warnings;
  bool whole = false;  // only a merge of all the inputs at once gives the answer
  std::optional<PartialError> error;
};

std::string EncodePartial(const PartialHeader& header, std::string_view payload);

// The header and the payload (a view into `data`); InvalidArgument naming
// what is wrong for anything but a version-1 partial.
absl::StatusOr<std::pair<PartialHeader, std::string_view>> DecodePartial(std::string_view data);

}  // namespace covmerge::internal

#endif  // COVMERGE_BINDINGS_C_SRC_PARTIAL_H_
