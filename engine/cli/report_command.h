// SPDX-License-Identifier: Apache-2.0
// `covmerge report`: after the merge, the table on standard output, the
// exports, and the gate. Prepare() runs before the merge, so that a bad
// baseline or option fails in a second, not after minutes of merging.
#ifndef COVMERGE_CLI_REPORT_COMMAND_H_
#define COVMERGE_CLI_REPORT_COMMAND_H_

#include <optional>

#include "absl/status/statusor.h"
#include "cli/command_line.h"
#include "cli/streams.h"
#include "covmerge/diff.h"
#include "covmerge/gate.h"
#include "covmerge/merger.h"
#include "covmerge/report.h"

namespace covmerge::cli {

class ReportCommand {
 public:
  static absl::StatusOr<ReportCommand> Prepare(const CommandLine& command_line, const Streams& streams);

  // Prints the table and gate report, writes the exports. Returns whether
  // the gate passed; an error when an export could not be written.
  absl::StatusOr<bool> Run(const MergeResult& merged) const;

  // --exclude-generated: whether the file (by the profiles' path) is a
  // generated source under --source-root. Called once per distinct path.
  bool IsGenerated(std::string_view path) const;

 private:
  // The file at `report_path` (after the path rules) under --source-root,
  // or nullopt: not there, or a path that would leave the source root.
  std::optional<std::string> ReadSource(const std::string& report_path) const;

  ReportCommand(const CommandLine& command_line, const Streams& streams)
      : cl_(command_line), table_fd_(streams.out), err_fd_(streams.err) {}

  const CommandLine& cl_;
  PathRewriter rewriter_;
  std::optional<Baseline> baseline_;
  std::string baseline_note_;  // why there is no baseline, under --baseline-missing=ok
  std::optional<std::vector<ChangedFile>> changes_;  // --diff
  std::vector<Threshold> thresholds_;
  std::vector<Threshold> file_thresholds_;
  int table_fd_;  // the error stream when an export goes to the output stream
  int err_fd_;
};

}  // namespace covmerge::cli

#endif  // COVMERGE_CLI_REPORT_COMMAND_H_
