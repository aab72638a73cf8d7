// SPDX-License-Identifier: Apache-2.0
// Every option of the covmerge command, once: its names, its value, which
// command takes it, its help and how it is completed, and what it sets.
// The parser (command_line.cc), --help, the man page and the bash and zsh
// completions (docs_writer.cc) are all made from this table, so none of
// them can drift from the others.
#ifndef COVMERGE_CLI_OPTION_TABLE_H_
#define COVMERGE_CLI_OPTION_TABLE_H_

#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "cli/command_line.h"

namespace covmerge::cli {

// Which shape of the command takes an option.
enum OptionScope : unsigned { kMergeScope = 1, kReportScope = 2, kBothScopes = 3 };

// How a shell completes an option's value.
enum class Completion { kNone, kFile, kDirectory, kWords };

struct Option {
  char short_name;             // '\0' when there is none
  std::string_view long_name;  // without the leading "--"
  std::string_view metavar;    // the value's name in the help ("FILE"); empty for a flag
  unsigned scope;              // OptionScope bits
  std::string_view section;    // the help section it is listed under
  std::string_view help;       // a paragraph, wrapped by the writers
  Completion completion = Completion::kNone;
  std::string_view words;      // kWords: the values, space-separated
  // Sets the option in `cl`; `name` is the option as the user wrote it, for
  // messages. `value` is empty for a flag.
  absl::Status (*apply)(CommandLine* cl, std::string_view name, std::string_view value) = nullptr;
  std::string_view report_help = "";  // the help under `covmerge report`, when it differs
};

// In the order --help lists them.
std::span<const Option> Options();

// The help sections of each command, in order.
std::span<const std::string_view> Sections(Command command);

}  // namespace covmerge::cli

#endif  // COVMERGE_CLI_OPTION_TABLE_H_
