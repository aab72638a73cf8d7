// SPDX-License-Identifier: Apache-2.0
#include "cli/report_command.h"

#include <unistd.h>

#include <string>

#include "base/str_cat.h"
#include "covmerge/exports.h"
#include "covmerge/status_macros.h"

namespace covmerge::cli {
namespace {

using ::covmerge::internal::Append;
using ::covmerge::internal::Cat;

}  // namespace

absl::StatusOr<ReportCommand> ReportCommand::Prepare(const CommandLine& cl, const Streams& streams) {
  ReportCommand command(cl, streams);
  for (const auto& [from, to] : cl.path_rules) command.rewriter_.AddRule(from, to);
  int to_stdout = 0;
  for (const std::optional<std::string>* output : {&cl.output, &cl.json, &cl.lcov, &cl.cobertura, &cl.html}) {
    if (output->has_value() && **output == "-") ++to_stdout;
  }
  // Two outputs to '-' are a usage error, found by the command before this.
  if (to_stdout > 0) command.table_fd_ = streams.err;
  if (cl.baseline) {
    COVMERGE_ASSIGN_OR_RETURN(Baseline baseline, LoadBaseline(*cl.baseline, command.rewriter_));
    command.baseline_ = std::move(baseline);
  }
  return command;
}

absl::StatusOr<bool> ReportCommand::Run(const MergeResult& merged) const {
  COVMERGE_RETURN_IF_ERROR(CheckLineSpans(merged.profile));
  CoverageSummary summary = Summarize(merged.profile, rewriter_);
  summary.inputs_merged = merged.report.inputs_merged;
  summary.inputs_skipped = merged.report.skipped.size();
  summary.excluded_files = merged.report.excluded_files;

  if (!cl_.quiet) {
    // Rules that send two files to one path make the exports list it twice,
    // which coverage services add up or reject: say so. Equal paths are
    // adjacent, files being sorted by package and path.
    for (size_t i = 1; i < summary.files.size(); ++i) {
      const FileSummary& a = summary.files[i - 1];
      const FileSummary& b = summary.files[i];
      if (a.path != b.path) continue;
      const std::string line = Cat("covmerge: warning: ", a.profile->path, " and ", b.profile->path,
                                   " are both reported as ", a.path, "; check --strip-prefix and --path-map\n");
      (void)WriteAll(err_fd_, line);
    }
  }

  TableOptions table;
  table.by_file = cl_.by_file;
  table.sort = cl_.sort_by_coverage ? TableOptions::Sort::kCoverage : TableOptions::Sort::kName;
  std::string notes;
  if (summary.excluded_files > 0) {
    Append(&notes, summary.excluded_files, " file", summary.excluded_files == 1 ? "" : "s",
           " left out by --include/--exclude\n");
  }
  if (summary.inputs_skipped > 0) {
    Append(&notes, summary.inputs_skipped, " of ", summary.inputs_skipped + summary.inputs_merged,
           " inputs skipped (--keep-going)\n");
  }
  const ByteSink to_log = [this](std::string_view bytes) { return WriteAll(table_fd_, bytes); };
  absl::Status printed = WriteSummaryTable(summary, table, to_log);
  if (printed.ok()) printed = to_log(notes);
  if (!printed.ok() && !absl::IsAborted(printed)) return printed;

  auto lines_note = [&](const std::string& path) {
    return Cat(path, ": ", summary.total_lines.covered, " of ", summary.total_lines.lines, " lines covered (",
               FormatPercent(summary.total_lines.Percent()), "%)\n");
  };
  std::string written;
  if (cl_.json) {
    COVMERGE_RETURN_IF_ERROR(WriteFileAtomically(*cl_.json, [&](const ByteSink& sink) {
      return WriteJsonSummary(summary, sink);
    }));
  }
  if (cl_.lcov) {
    COVMERGE_RETURN_IF_ERROR(WriteFileAtomically(*cl_.lcov, [&](const ByteSink& sink) {
      return WriteLcov(summary, sink);
    }));
    written += lines_note(*cl_.lcov);
  }
  if (cl_.cobertura) {
    CoberturaOptions options;
    options.timestamp = ReportTime();
    COVMERGE_RETURN_IF_ERROR(WriteFileAtomically(*cl_.cobertura, [&](const ByteSink& sink) {
      return WriteCobertura(summary, options, sink);
    }));
    written += lines_note(*cl_.cobertura);
  }
  if (cl_.html) {
    HtmlOptions options;
    COVMERGE_RETURN_IF_ERROR(WriteFileAtomically(*cl_.html, [&](const ByteSink& sink) {
      return WriteHtmlReport(summary, options, sink);
    }));
  }

  GateOptions gate;
  gate.fail_under = cl_.fail_under;
  gate.baseline = baseline_ ? &*baseline_ : nullptr;
  gate.max_drop = cl_.max_drop.value_or(0);
  const GateResult result = EvaluateGate(summary, gate);
  std::string log = written;
  for (const std::string& line : result.report) Append(&log, line, "\n");
  (void)to_log(log);  // a closed log is no reason to fail the job
  for (const std::string& failure : result.failures) {
    const std::string line = Cat("covmerge: coverage gate failed: ", failure, "\n");
    (void)WriteAll(err_fd_, line);
  }
  return result.passed;
}

}  // namespace covmerge::cli
