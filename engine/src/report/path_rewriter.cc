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

int PathRewriter::RuleFor(std::string_view path) const {
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = rules_[i];
    if (!path.starts_with(rule.from)) continue;
    const std::string_view rest = path.substr(rule.from.size());
    // Only whole path components: "a/b" is not a prefix of "a/bc/x.go".
    if (!rest.empty() && rest.front() != '/' && !rule.from.ends_with('/')) continue;
    return static_cast<int>(i);
  }
  return -1;
}

std::string PathRewriter::Rewrite(std::string_view path) const {
  const int index = RuleFor(path);
  if (index < 0) return std::string(path);
  const Rule& rule = rules_[static_cast<size_t>(index)];
  std::string_view rest = path.substr(rule.from.size());
  if (rule.to.empty()) {
    if (rest.starts_with('/')) rest.remove_prefix(1);
    return std::string(rest);
  }
  return internal::Cat(rule.to, rest);
}

std::string PathRewriter::DescribeRule(size_t index) const {
  const Rule& rule = rules_[index];
  return rule.to.empty() ? internal::Cat("--strip-prefix ", rule.from) : internal::Cat("--path-map ", rule.from, "=", rule.to);
}

}  // namespace covmerge
