// SPDX-License-Identifier: Apache-2.0
#include "covmerge/pattern.h"

#include <re2/re2.h>

#include "base/str_cat.h"
#include "covmerge/error.h"

namespace covmerge {

absl::StatusOr<Pattern> Pattern::Compile(std::string_view text, std::string_view what) {
  Pattern pattern;
  pattern.text_ = std::string(text);
  RE2::Options options;
  options.set_log_errors(false);  // the library never prints; the reason goes into the error
  pattern.regex_ = std::make_shared<const re2::RE2>(re2::StringPiece(text.data(), text.size()), options);
  if (!pattern.regex_->ok()) {
    return ErrorStatus({.kind = ErrorKind::kInvalidArgument,
                        .detail = internal::Cat(what, " pattern \"", text, "\" is not a valid regular expression (",
                                                pattern.regex_->error(), "; the syntax is Go's regexp)")});
  }
  return pattern;
}

bool Pattern::Matches(std::string_view path) const {
  return RE2::PartialMatch(re2::StringPiece(path.data(), path.size()), *regex_);
}

}  // namespace covmerge
