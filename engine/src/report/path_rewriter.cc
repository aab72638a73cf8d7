// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <utility>

#include "base/str_cat.h"
#include "covmerge/report.h"

namespace covmerge {

void PathRewriter::AddRule(std::string from, std::string to) {
  while (from.size() > 1 && from.back() == '/') from.pop_back();
  rules_.push_back({std::move(from), std::move(to)});
}

std::string PathRewriter::Rewrite(std::string_view path) const {
  for (const Rule& rule : rules_) {
    if (!path.starts_with(rule.from)) continue;
    std::string_view rest = path.substr(rule.from.size());
    // Only whole path components: "a/b" is not a prefix of "a/bc/x.go".
    if (!rest.empty() && rest.front() != '/' && !rule.from.ends_with('/')) continue;
    if (rule.to.empty()) {
      if (rest.starts_with('/')) rest.remove_prefix(1);
      return std::string(rest);
    }
    return internal::Cat(rule.to, rest);
  }
  return std::string(path);
}

}  // namespace covmerge
