// SPDX-License-Identifier: Apache-2.0
// Pattern: a regular expression on paths in the syntax Go users write (Go's
// regexp package: \d, (?i), non-greedy *?, no backreferences), matched with
// RE2 in time linear in the path, so neither a hostile pattern nor a long
// path can make a match run for ever. It matches anywhere in the path
// unless anchored with ^ or $. The filters (path_filter.h) and the gate's
// thresholds (gate.h) use it.
#ifndef COVMERGE_PATTERN_H_
#define COVMERGE_PATTERN_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace re2 {
class RE2;
}

namespace covmerge {

// Immutable once compiled; Matches() may be called from any thread, and
// copies share the compiled expression.
class Pattern {
 public:
  // InvalidArgument (ErrorKind::kInvalidArgument), naming `what` (e.g.
  // "--exclude"), the pattern and RE2's reason, when it does not compile.
  static absl::StatusOr<Pattern> Compile(std::string_view text, std::string_view what);


  bool Matches(std::string_view path) const;
  const std::string& text() const { return text_; }

 private:
  Pattern() = default;
  std::string text_;
  std::shared_ptr<const re2::RE2> regex_;
};

}  // namespace covmerge

#endif  // COVMERGE_PATTERN_H_
