// SPDX-License-Identifier: Apache-2.0
#include "covmerge/profile.h"

namespace covmerge {

std::string_view ModeName(Mode mode) {
  switch (mode) {
    case Mode::kSet:
      return "set";
    case Mode::kCount:
      return "count";
    case Mode::kAtomic:
      return "atomic";
  }
  return "set";
}

std::optional<Mode> ParseMode(std::string_view name) {
  if (name == "set") return Mode::kSet;
  if (name == "count") return Mode::kCount;
  if (name == "atomic") return Mode::kAtomic;
  return std::nullopt;
}

double Coverage::Percent() const {
  return statements == 0 ? 0.0 : 100.0 * static_cast<double>(covered) / static_cast<double>(statements);
}

Coverage MergedProfile::TotalCoverage() const {
  Coverage total;
  for (const FileProfile& file : files) {
    for (const Block& block : file.blocks) {
      total.statements += block.num_stmt;
      if (block.count > 0) total.covered += block.num_stmt;
    }
  }
  return total;
}

}  // namespace covmerge
