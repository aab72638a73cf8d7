// SPDX-License-Identifier: Apache-2.0
#include "covmerge/path_filter.h"

#include <string>

namespace covmerge {

PathFilter::PathFilter() = default;
PathFilter::~PathFilter() = default;
PathFilter::PathFilter(PathFilter&&) noexcept = default;
PathFilter& PathFilter::operator=(PathFilter&&) noexcept = default;

absl::Status PathFilter::AddInclude(std::string_view pattern) {
  absl::StatusOr<Pattern> compiled = Pattern::Compile(pattern, "--include");
  if (!compiled.ok()) return compiled.status();
  includes_.push_back(*std::move(compiled));
  return absl::OkStatus();
}

absl::Status PathFilter::AddExclude(std::string_view pattern) {
  absl::StatusOr<Pattern> compiled = Pattern::Compile(pattern, "--exclude");
  if (!compiled.ok()) return compiled.status();
  excludes_.push_back(*std::move(compiled));
  return absl::OkStatus();
}

bool PathFilter::empty() const { return includes_.empty() && excludes_.empty(); }

bool PathFilter::Keep(std::string_view path) const {
  bool included = includes_.empty();
  for (const auto& pattern : includes_) {
    if (pattern.Matches(path)) {
      included = true;
      break;
    }
  }
  if (!included) return false;
  for (const auto& pattern : excludes_) {
    if (pattern.Matches(path)) return false;
  }
  return true;
}

}  // namespace covmerge
