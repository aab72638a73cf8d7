// SPDX-License-Identifier: Apache-2.0
// The options of the covmerge command and their parser.
#ifndef COVMERGE_CLI_COMMAND_LINE_H_
#define COVMERGE_CLI_COMMAND_LINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace covmerge::cli {

struct CommandLine {
  std::vector<std::string> inputs;      // files, directories, "-" for stdin
  std::vector<std::string> files_from;  // --files-from lists
  std::optional<std::string> output;    // -o; stdout when absent
  int threads = 0;
  bool summary = false;
  bool keep_going = false;
  bool quiet = false;
  bool use_mmap = false;
  bool help = false;
  bool version = false;
};

// Parses argv. Errors are usage errors, phrased for the user.
absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv);

// The --help text.
std::string UsageText();

}  // namespace covmerge::cli

#endif  // COVMERGE_CLI_COMMAND_LINE_H_
