// SPDX-License-Identifier: Apache-2.0
#include "report/go_source.h"

namespace covmerge::internal {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Calls fn(line) for each line until it returns false.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    if (!fn(text.substr(0, newline))) return;
    if (newline == std::string_view::npos) return;
    text.remove_prefix(newline + 1);
  }
}

}  // namespace

std::optional<std::string> ModulePath(std::string_view go_mod) {
  std::optional<std::string> found;
  ForEachLine(go_mod, [&](std::string_view line) {
    line = Trim(line);
    if (!line.starts_with("module") || line.size() < 7 || (line[6] != ' ' && line[6] != '\t')) return true;
    std::string_view path = Trim(line.substr(7));
    if (const size_t comment = path.find("//"); comment != std::string_view::npos) path = Trim(path.substr(0, comment));
    if (path.size() >= 2 && (path.front() == '"' || path.front() == '`') && path.back() == path.front()) {
      path = path.substr(1, path.size() - 2);
    }
    if (!path.empty()) found = std::string(path);
    return false;
  });
  return found;
}

bool IsGeneratedGoSource(std::string_view source) {
  bool generated = false;
  ForEachLine(source, [&](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("// Code generated ") && line.ends_with(" DO NOT EDIT.")) {
      generated = true;
      return false;
    }
    // The rule looks before the package clause only.
    return !Trim(line).starts_with("package ");
  });
  return generated;
}

}  // namespace covmerge::internal
