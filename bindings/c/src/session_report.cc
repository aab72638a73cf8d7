// SPDX-License-Identifier: Apache-2.0
// MergeSession's second half: what `covmerge report` does after the merge
// (engine/cli/report_command.cc), for the C API and the Python module. The
// report is the engine's CoverageSummary, after the session's path rules;
// every export is the engine's writer, so the bytes equal the command's;
// the gate is the engine's EvaluateGate.
#include <string>
#include <tuple>
#include <utility>

#include "base/str_cat.h"
#include "covmerge/exports.h"
#include "covmerge/gate.h"
#include "covmerge/report.h"
#include "merge_session.h"

namespace covmerge::internal {
namespace {

// Writes the profile itself (ExportFormat::kProfile) or one report form.
absl::Status WriteFormat(ExportFormat format, const MergedProfile& profile, const CoverageSummary* summary,
                         const ExportSettings& settings, const ByteSink& sink) {
  switch (format) {
    case ExportFormat::kProfile: return WriteProfile(profile, sink);
    case ExportFormat::kTable: return WriteSummaryTable(*summary, settings.table, sink);
    case ExportFormat::kJson: return WriteJsonSummary(*summary, sink);
    case ExportFormat::kLcov: return WriteLcov(*summary, sink);
    case ExportFormat::kCobertura: return WriteCobertura(*summary, settings.cobertura, sink);
    case ExportFormat::kHtml: return WriteHtmlReport(*summary, settings.html, sink);
  }
  return absl::InternalError("unknown export format");
}

}  // namespace

ErrorInfo MergeSession::Report(const CoverageSummary** summary) const {
  *summary = nullptr;
  if (ErrorInfo e = CheckFinished(); !e.ok()) return e;
  std::call_once(report_once_, [this] {
    const MergeResult& merged = *result_;
    report_status_ = CheckLineSpans(merged.profile);
    if (!report_status_.ok()) return;
    CoverageSummary built = Summarize(merged.profile, rewriter_);
    built.inputs_merged = merged.report.inputs_merged;
    built.inputs_skipped = merged.report.skipped.size();
    built.excluded_files = merged.report.excluded_files;
    report_ = std::move(built);
  });
  if (!report_status_.ok()) return DescribeStatus(report_status_);
  if (!report_) return UsageError("the merged profile was released");
  *summary = &*report_;
  return {};
}

ErrorInfo MergeSession::Export(ExportFormat format, const ExportSettings& settings, const ByteSink& sink) const {
  const CoverageSummary* summary = nullptr;
  if (format == ExportFormat::kProfile) {
    if (ErrorInfo e = CheckFinished(); !e.ok()) return e;
  } else if (ErrorInfo e = Report(&summary); !e.ok()) {
    return e;
  }
  return DescribeStatus(WriteFormat(format, result_->profile, summary, settings, sink));
}

ErrorInfo MergeSession::ExportFile(ExportFormat format, const ExportSettings& settings,
                                   const std::string& path) const {
  if (format == ExportFormat::kProfile) return WriteFile(path);
  const CoverageSummary* summary = nullptr;
  if (ErrorInfo e = Report(&summary); !e.ok()) return e;
  // A library call writes files: "-" is a file named "-", not standard output.
  const std::string target = path == "-" ? "./-" : path;
  return DescribeStatus(WriteFileAtomically(target, [&](const ByteSink& sink) {
    return WriteFormat(format, result_->profile, summary, settings, sink);
  }));
}

ErrorInfo MergeSession::Gate(const GateRequest& request, GateOutcome* outcome) const {
  const CoverageSummary* summary = nullptr;
  if (ErrorInfo e = Report(&summary); !e.ok()) return e;
  std::optional<Baseline> baseline;
  if (request.baseline_path || request.baseline_text) {
    absl::StatusOr<Baseline> loaded = request.baseline_path
                                          ? LoadBaseline(*request.baseline_path, rewriter_)
                                          : ParseBaseline(request.baseline_name, *request.baseline_text, rewriter_);
    if (!loaded.ok()) return DescribeStatus(loaded.status());
    baseline = *std::move(loaded);
  }
  GateOptions options;
  options.fail_under = request.fail_under;
  options.baseline = baseline ? &*baseline : nullptr;
  options.max_drop = request.max_drop;
  options.fail_under_patch = request.fail_under_patch;
  for (const auto& [rules, list, option] :
       {std::tuple(&request.thresholds, &options.package_thresholds, "--threshold"),
        std::tuple(&request.file_thresholds, &options.file_thresholds, "--file-threshold")}) {
    for (const std::string& rule : *rules) {
      absl::StatusOr<Threshold> threshold = ParseThreshold(rule, option);
      if (!threshold.ok()) return DescribeStatus(threshold.status());
      list->push_back(*std::move(threshold));
    }
  }
  if (request.diff_path || request.diff_text) {
    absl::StatusOr<std::vector<ChangedFile>> changes = request.diff_path
                                                           ? LoadUnifiedDiff(*request.diff_path)
                                                           : ParseUnifiedDiff("<diff>", *request.diff_text);
    if (!changes.ok()) return DescribeStatus(changes.status());
    outcome->patch = MeasurePatch(*summary, *changes);
    options.patch = &*outcome->patch;
  }
  outcome->result = EvaluateGate(*summary, options);
  outcome->before = baseline ? std::optional<Coverage>(baseline->total) : std::nullopt;
  outcome->after = summary->total;
  MarkdownInputs inputs;
  inputs.gate = &outcome->result;
  inputs.baseline = options.baseline;
  inputs.patch = options.patch;
  outcome->markdown.clear();
  return DescribeStatus(WriteMarkdownSummary(*summary, inputs, [&](std::string_view piece) {
    outcome->markdown.append(piece);
    return absl::OkStatus();
  }));
}

}  // namespace covmerge::internal
