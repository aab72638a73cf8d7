// SPDX-License-Identifier: Apache-2.0
#include "cli/report_command.h"

#include <unistd.h>

#include <string>

#include "base/quote_path.h"
#include "base/str_cat.h"
#include "covmerge/error.h"
#include "covmerge/exports.h"
#include "covmerge/patch.h"
#include "covmerge/status_macros.h"
#include "io/input_file.h"
#include "io/scratch_buffer.h"
#include "report/go_source.h"

namespace covmerge::cli {
namespace {

using ::covmerge::internal::Append;
using ::covmerge::internal::Cat;
using ::covmerge::internal::QuotePath;

// The module path of DIR/go.mod, for --source-root without --module.
absl::StatusOr<std::string> ReadModulePath(const std::string& dir) {
  const std::string path = Cat(dir, "/go.mod");
  internal::ScratchBuffer buffer;
  COVMERGE_ASSIGN_OR_RETURN(std::string_view text, internal::ReadWholeFile(path, &buffer));
  std::optional<std::string> module = internal::ModulePath(text);
  if (!module) {
    return MalformedError(path, "expected a 'module PATH' line; give the module path with --module PATH");
  }
  return *module;
}

}  // namespace

absl::StatusOr<ReportCommand> ReportCommand::Prepare(const CommandLine& cl, const Streams& streams) {
  ReportCommand command(cl, streams);
  for (const auto& [from, to] : cl.path_rules) command.rewriter_.AddRule(from, to);
  // The module's rule comes last: the user's own rules are more specific.
  if (cl.module) {
    command.rewriter_.AddRule(*cl.module, "");
  } else if (cl.source_root) {
    COVMERGE_ASSIGN_OR_RETURN(std::string module, ReadModulePath(*cl.source_root));
    command.rewriter_.AddRule(std::move(module), "");
  }
  for (const std::string& rule : cl.thresholds) {
    COVMERGE_ASSIGN_OR_RETURN(Threshold threshold, ParseThreshold(rule, "--threshold"));
    command.thresholds_.push_back(std::move(threshold));
  }
  for (const std::string& rule : cl.file_thresholds) {
    COVMERGE_ASSIGN_OR_RETURN(Threshold threshold, ParseThreshold(rule, "--file-threshold"));
    command.file_thresholds_.push_back(std::move(threshold));
  }
  if (cl.diff) {
    COVMERGE_ASSIGN_OR_RETURN(std::vector<ChangedFile> changes, LoadUnifiedDiff(*cl.diff));
    command.changes_ = std::move(changes);
  }
  int to_stdout = 0;
  for (const std::optional<std::string>* output :
       {&cl.output, &cl.json, &cl.lcov, &cl.cobertura, &cl.html, &cl.markdown}) {
    if (output->has_value() && **output == "-") ++to_stdout;
  }
  // Two outputs to '-' are a usage error, found by the command before this.
  if (to_stdout > 0) command.table_fd_ = streams.err;
  if (cl.baseline) {
    absl::StatusOr<Baseline> baseline = LoadBaseline(*cl.baseline, command.rewriter_);
    const std::optional<Error> error = ErrorOf(baseline.status());
    if (!baseline.ok() && cl.baseline_missing_ok && error && error->os_error == ENOENT) {
      // The first run of a new branch: nothing to compare with yet.
      command.baseline_note_ = Cat("baseline ", QuotePath(*cl.baseline),
                                   " does not exist: no comparison this time (--baseline-missing=ok)");
    } else if (!baseline.ok()) {
      return baseline.status();
    } else {
      command.baseline_ = *std::move(baseline);
    }
  }
  return command;
}

std::optional<std::string> ReportCommand::ReadSource(const std::string& report_path) const {
  // A profile names any path it likes: only paths inside the source root
  // are read, so a hostile profile cannot put /etc/passwd into a report.
  if (report_path.empty() || report_path.front() == '/' || report_path == ".." || report_path.starts_with("../") ||
      report_path.find("/../") != std::string::npos || report_path.ends_with("/..")) {
    return std::nullopt;
  }
  internal::ScratchBuffer buffer;
  absl::StatusOr<std::string_view> source = internal::ReadWholeFile(Cat(*cl_.source_root, "/", report_path), &buffer);
  if (!source.ok()) return std::nullopt;
  return std::string(*source);
}

bool ReportCommand::IsGenerated(std::string_view path) const {
  if (!cl_.exclude_generated || !path.ends_with(".go")) return false;
  // A source that is not there is not known to be generated: it stays.
  const std::optional<std::string> source = ReadSource(rewriter_.Rewrite(path));
  return source && internal::IsGeneratedGoSource(*source);
}

absl::StatusOr<bool> ReportCommand::Run(const MergeResult& merged) const {
  COVMERGE_RETURN_IF_ERROR(CheckLineSpans(merged.profile));
  CoverageSummary summary = Summarize(merged.profile, rewriter_);
  summary.inputs_merged = merged.report.inputs_merged;
  summary.inputs_skipped = merged.report.skipped.size();
  summary.excluded_files = merged.report.excluded_files;

  if (!cl_.quiet) {
    // A rule that matched no path is a typo or a path of another module.
    std::vector<bool> used(rewriter_.rule_count(), false);
    for (const FileSummary& file : summary.files) {
      if (const int rule = rewriter_.RuleFor(file.profile->path); rule >= 0) used[static_cast<size_t>(rule)] = true;
    }
    for (size_t i = 0; i < used.size() && !summary.files.empty(); ++i) {
      if (used[i]) continue;
      (void)WriteAll(err_fd_, Cat("covmerge: warning: ", rewriter_.DescribeRule(i), " matched no file path (the "
                                  "profiles name files like ", QuotePath(summary.files.front().profile->path),
                                  ")\n"));
    }
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

  std::optional<PatchCoverage> patch;
  if (changes_) patch = MeasurePatch(summary, *changes_);
  GateOptions gate;
  gate.fail_under = cl_.fail_under;
  gate.baseline = baseline_ ? &*baseline_ : nullptr;
  gate.max_drop = cl_.max_drop.value_or(0);
  gate.patch = patch ? &*patch : nullptr;
  gate.fail_under_patch = cl_.fail_under_patch;
  gate.package_thresholds = thresholds_;
  gate.file_thresholds = file_thresholds_;
  const GateResult result = EvaluateGate(summary, gate);

  auto lines_note = [&](const std::string& path) {
    return Cat(path, ": ", summary.total_lines.covered, " of ", summary.total_lines.lines, " lines covered (",
               FormatPercent(summary.total_lines.Percent()), "%)\n");
  };
  std::string written;
  if (cl_.json) {
    COVMERGE_RETURN_IF_ERROR(WriteFileAtomically(*cl_.json, [&](const ByteSink& sink) {
      return WriteJsonSummary(summary, patch ? &*patch : nullptr, sink);
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
    if (cl_.source_root) options.read_source = [this](const std::string& path) { return ReadSource(path); };
    COVMERGE_RETURN_IF_ERROR(WriteFileAtomically(*cl_.html, [&](const ByteSink& sink) {
      return WriteHtmlReport(summary, options, sink);
    }));
  }
  if (cl_.markdown) {
    MarkdownInputs inputs;
    inputs.gate = &result;
    inputs.baseline = gate.baseline;
    inputs.patch = gate.patch;
    COVMERGE_RETURN_IF_ERROR(WriteFileAtomically(*cl_.markdown, [&](const ByteSink& sink) {
      return WriteMarkdownSummary(summary, inputs, sink);
    }));
  }

  std::string log = written;
  if (!baseline_note_.empty()) Append(&log, baseline_note_, "\n");
  for (const std::string& line : result.report) Append(&log, line, "\n");
  (void)to_log(log);  // a closed log is no reason to fail the job
  for (const std::string& failure : result.failures) {
    const std::string line = Cat("covmerge: coverage gate failed: ", failure, "\n");
    (void)WriteAll(err_fd_, line);
  }
  return result.passed;
}

}  // namespace covmerge::cli
