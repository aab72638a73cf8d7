// SPDX-License-Identifier: Apache-2.0
// The options of the covmerge command and their parser. Two shapes:
//   covmerge [OPTION]... INPUT...          merge, as gocovmerge does
//   covmerge report [OPTION]... INPUT...   merge, print the coverage table,
//                                          write the exports, apply the gate
#ifndef COVMERGE_CLI_COMMAND_LINE_H_
#define COVMERGE_CLI_COMMAND_LINE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace covmerge::cli {

enum class Command { kMerge, kReport };

// An input list: --files-from (one path per line) or --files0-from
// (NUL-terminated paths); "-" is standard input.
struct InputList {
  std::string path;
  bool nul_separated = false;
  std::string option() const { return nul_separated ? "--files0-from" : "--files-from"; }
};

struct CommandLine {
  Command command = Command::kMerge;
  std::vector<std::string> inputs;      // files, directories, "-" for stdin
  std::vector<InputList> input_lists;  // --files-from and --files0-from, in order
  std::optional<std::string> output;   // -o; stdout when absent (merge only)
  int threads = 0;                     // 0: one per core
  bool summary = false;
  bool keep_going = false;
  bool quiet = false;
  bool use_mmap = false;
  bool help = false;
  bool version = false;
  std::vector<std::string> includes;  // --include patterns
  std::vector<std::string> excludes;  // --exclude patterns

  // covmerge report only.
  bool by_file = false;
  bool sort_by_coverage = false;
  std::optional<std::string> json;
  std::optional<std::string> lcov;
  std::optional<std::string> cobertura;
  std::optional<std::string> html;
  std::optional<double> fail_under;
  std::optional<std::string> baseline;
  std::optional<double> max_drop;
  // --strip-prefix P is the rule (P, ""); --path-map FROM=TO is (FROM, TO).
  std::vector<std::pair<std::string, std::string>> path_rules;
  std::optional<std::string> markdown;        // --markdown FILE
  std::optional<std::string> diff;            // --diff FILE ('-': standard input)
  std::optional<double> fail_under_patch;     // --fail-under-patch PCT
  std::optional<std::string> module;          // --module PATH: strips PATH/ (after the rules above)
  std::optional<std::string> source_root;     // --source-root DIR: go.mod's module, sources
  bool exclude_generated = false;             // --exclude-generated (needs --source-root)
  bool baseline_missing_ok = false;           // --baseline-missing=ok
  std::vector<std::string> thresholds;        // --threshold REGEX=PCT, in order
  std::vector<std::string> file_thresholds;   // --file-threshold REGEX=PCT, in order
};

// Parses argv. Errors are usage errors, phrased for the user.
absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv);

// The --help text of `command`.
std::string UsageText(Command command);

}  // namespace covmerge::cli

#endif  // COVMERGE_CLI_COMMAND_LINE_H_
