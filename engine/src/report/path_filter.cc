// SPDX-License-Identifier: Apache-2.0
// PathFilter on POSIX regular expressions: glibc's matcher does not
// backtrack, so a hostile pattern or a megabyte-long path cannot make it
// run for ever or overflow the stack (std::regex recurses per character).
#include "covmerge/path_filter.h"

#include <regex.h>

#include <string>

#include "base/str_cat.h"
#include "covmerge/error.h"

namespace covmerge {

class PathFilter::Pattern {
 public:
  ~Pattern() {
    if (compiled_) regfree(&regex_);
  }

  static absl::Status Compile(std::string_view text, std::string_view flag, std::unique_ptr<Pattern>* out) {
    auto pattern = std::unique_ptr<Pattern>(new Pattern);
    const std::string source(text);
    if (source.find('\0') != std::string::npos) {
      return ErrorStatus({.kind = ErrorKind::kInvalidArgument, .detail = internal::Cat(flag, " pattern contains a NUL byte")});
    }
    const int error = regcomp(&pattern->regex_, source.c_str(), REG_EXTENDED | REG_NOSUB);
    if (error != 0) {
      char reason[256];
      regerror(error, &pattern->regex_, reason, sizeof reason);
      return ErrorStatus({.kind = ErrorKind::kInvalidArgument, .detail = internal::Cat(flag, " pattern \"", text, "\" is not a valid extended regular expression (", reason, ")")});
    }
    pattern->compiled_ = true;
    *out = std::move(pattern);
    return absl::OkStatus();
  }

  bool Matches(std::string_view path) const {
    // Paths never hold NUL (the parser rejects it), so REG_STARTEND is not
    // needed; a std::string gives the terminator.
    const std::string text(path);
    return regexec(&regex_, text.c_str(), 0, nullptr, 0) == 0;
  }

 private:
  Pattern() = default;
  regex_t regex_;
  bool compiled_ = false;
};

PathFilter::PathFilter() = default;
PathFilter::~PathFilter() = default;
PathFilter::PathFilter(PathFilter&&) noexcept = default;
PathFilter& PathFilter::operator=(PathFilter&&) noexcept = default;

absl::Status PathFilter::AddInclude(std::string_view pattern) {
  std::unique_ptr<Pattern> compiled;
  absl::Status status = Pattern::Compile(pattern, "--include", &compiled);
  if (status.ok()) includes_.push_back(std::move(compiled));
  return status;
}

absl::Status PathFilter::AddExclude(std::string_view pattern) {
  std::unique_ptr<Pattern> compiled;
  absl::Status status = Pattern::Compile(pattern, "--exclude", &compiled);
  if (status.ok()) excludes_.push_back(std::move(compiled));
  return status;
}

bool PathFilter::empty() const { return includes_.empty() && excludes_.empty(); }

bool PathFilter::Keep(std::string_view path) const {
  bool included = includes_.empty();
  for (const auto& pattern : includes_) {
    if (pattern->Matches(path)) {
      included = true;
      break;
    }
  }
  if (!included) return false;
  for (const auto& pattern : excludes_) {
    if (pattern->Matches(path)) return false;
  }
  return true;
}

}  // namespace covmerge
