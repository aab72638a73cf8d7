// SPDX-License-Identifier: Apache-2.0
// Which files of the profiles a merge keeps: --include and --exclude
// patterns on the file path as the profile names it (the import path), in
// Go's regexp syntax (pattern.h), matched anywhere in the path unless
// anchored with ^ or $. A file is kept when it matches at least one include
// pattern (or there are none) and no exclude pattern, e.g. exclude
// `_mock\.go$`, `\.pb\.go$`, `(?i)/vendor/` or `/v\d+/`.
#ifndef COVMERGE_PATH_FILTER_H_
#define COVMERGE_PATH_FILTER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "covmerge/pattern.h"

namespace covmerge {

// Immutable once set up; Keep() may be called from any thread.
class PathFilter {
 public:
  PathFilter();
  ~PathFilter();
  PathFilter(PathFilter&&) noexcept;
  PathFilter& operator=(PathFilter&&) noexcept;

  // Add a pattern. InvalidArgument, naming the pattern and what is wrong
  // with it, when it does not compile.
  absl::Status AddInclude(std::string_view pattern);
  absl::Status AddExclude(std::string_view pattern);

  bool empty() const;
  bool Keep(std::string_view path) const;

 private:
  std::vector<Pattern> includes_;
  std::vector<Pattern> excludes_;
};

}  // namespace covmerge

#endif  // COVMERGE_PATH_FILTER_H_
