// SPDX-License-Identifier: Apache-2.0
// The C API's second half (covmerge.h, "Filters and path rules" and "The
// report, exports and gate") over MergeSession's report (session_report.cc),
// with the conventions of covmerge_c.cc: arguments checked, every body run
// inside Guard(), errors in the caller's covmerge_error.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <tuple>
#include <vector>

#include "c_boundary.h"
#include "covmerge.h"
#include "merge_session.h"

// A gate's verdict, copied out of the merger so that it may outlive it.
struct covmerge_gate {
  bool passed = true;
  bool has_baseline = false;
  covmerge::Coverage before;
  covmerge::Coverage after;
  std::vector<covmerge::PackageChange> changes;
  std::vector<std::string> failures;
  std::vector<std::string> report;
  std::optional<covmerge::Coverage> patch;
  std::string markdown;
};

namespace covmerge::internal {
namespace {

constexpr size_t kExportOptionsV1Size = sizeof(covmerge_export_options);
constexpr size_t kGateOptionsV1Size = sizeof(covmerge_gate_options);

covmerge_lines LinesToC(const LineTotals& t) { return {t.lines, t.covered, t.Percent()}; }

// Reads a caller's options struct of `size` bytes (its struct_size) into
// `*out`, which holds the defaults: fields past the caller's size keep
// them; fields of a later version must be zero, or the caller would
// believe them applied.
template <typename Options>
ErrorInfo ReadOptions(const char* function, const Options* in, size_t v1_size, Options* out) {
  if (in == nullptr) return {};
  const size_t size = in->struct_size;
  if (size < v1_size) {
    return UsageError(std::string(function) + ": options->struct_size is " + std::to_string(size) +
                      "; set it to the size of the struct (its _init function does)");
  }
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(in);
  for (size_t i = sizeof(Options); i < size; ++i) {
    if (bytes[i] != 0) {
      return UsageError(std::string(function) + ": the options set fields this version (" +
                        std::string(covmerge_version()) + ") does not know");
    }
  }
  std::memcpy(out, in, std::min(size, sizeof(Options)));
  out->struct_size = sizeof(Options);
  return {};
}

ErrorInfo Settings(const char* function, int format, const covmerge_export_options* in, ExportFormat* which,
                   ExportSettings* settings) {
  if (format < COVMERGE_FORMAT_PROFILE || format > COVMERGE_FORMAT_HTML) {
    return UsageError(std::string(function) + ": format is " + std::to_string(format) +
                      "; use a covmerge_format (COVMERGE_FORMAT_PROFILE ... COVMERGE_FORMAT_HTML)");
  }
  covmerge_export_options o;
  covmerge_export_options_init(&o);
  if (ErrorInfo e = ReadOptions(function, in, kExportOptionsV1Size, &o); !e.ok()) return e;
  if (o.timestamp < 0 && o.timestamp != COVMERGE_TIMESTAMP_NOW) {
    return UsageError(std::string(function) + ": timestamp is " + std::to_string(o.timestamp) +
                      "; use seconds since the epoch or COVMERGE_TIMESTAMP_NOW");
  }
  *which = static_cast<ExportFormat>(format);
  settings->table.by_file = o.by_file != 0;
  settings->table.sort = o.sort_by_coverage != 0 ? TableOptions::Sort::kCoverage : TableOptions::Sort::kName;
  settings->cobertura.timestamp = o.timestamp == COVMERGE_TIMESTAMP_NOW ? ReportTime() : o.timestamp;
  if (o.source != nullptr) settings->cobertura.source = o.source;
  if (o.title != nullptr) settings->html.title = o.title;
  return {};
}

ErrorInfo ReportOf(const covmerge_merger* merger, const char* function, const CoverageSummary** summary) {
  if (merger == nullptr) return NullArgument(function, "merger");
  return merger->session.Report(summary);
}

}  // namespace
}  // namespace covmerge::internal

using covmerge::internal::ErrorInfo;
using covmerge::internal::Guard;
using covmerge::internal::NullArgument;

extern "C" {

COVMERGE_API covmerge_status covmerge_merger_add_include(covmerge_merger* merger, const char* pattern,
                                                         covmerge_error* error) {
  return Guard("covmerge_merger_add_include", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_add_include", "merger");
    if (pattern == nullptr) return NullArgument("covmerge_merger_add_include", "pattern");
    return merger->session.AddInclude(pattern);
  });
}

COVMERGE_API covmerge_status covmerge_merger_add_exclude(covmerge_merger* merger, const char* pattern,
                                                         covmerge_error* error) {
  return Guard("covmerge_merger_add_exclude", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_add_exclude", "merger");
    if (pattern == nullptr) return NullArgument("covmerge_merger_add_exclude", "pattern");
    return merger->session.AddExclude(pattern);
  });
}

COVMERGE_API covmerge_status covmerge_merger_add_path_rule(covmerge_merger* merger, const char* prefix,
                                                           const char* replacement, covmerge_error* error) {
  return Guard("covmerge_merger_add_path_rule", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_add_path_rule", "merger");
    if (prefix == nullptr) return NullArgument("covmerge_merger_add_path_rule", "prefix");
    if (replacement == nullptr) return NullArgument("covmerge_merger_add_path_rule", "replacement");
    return merger->session.AddPathRule(prefix, replacement);
  });
}

COVMERGE_API covmerge_status covmerge_merger_report(const covmerge_merger* merger, covmerge_report* report,
                                                    covmerge_error* error) {
  return Guard("covmerge_merger_report", error, [&]() -> ErrorInfo {
    if (report == nullptr) return NullArgument("covmerge_merger_report", "report");
    const size_t size = report->struct_size;
    if (size < sizeof(covmerge_report)) {
      return covmerge::internal::UsageError("covmerge_merger_report: report->struct_size is " +
                                            std::to_string(size) + "; set it to sizeof(covmerge_report)");
    }
    const covmerge::CoverageSummary* summary = nullptr;
    if (ErrorInfo e = covmerge::internal::ReportOf(merger, "covmerge_merger_report", &summary); !e.ok()) return e;
    covmerge_report r;
    std::memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    r.total = covmerge::internal::ToC(summary->total);
    r.lines = covmerge::internal::LinesToC(summary->total_lines);
    r.package_count = summary->packages.size();
    r.file_count = summary->files.size();
    r.excluded_files = summary->excluded_files;
    std::memcpy(report, &r, sizeof r);
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_merger_report_package(const covmerge_merger* merger, size_t index,
                                                            covmerge_report_package* package,
                                                            covmerge_error* error) {
  return Guard("covmerge_merger_report_package", error, [&]() -> ErrorInfo {
    if (package == nullptr) return NullArgument("covmerge_merger_report_package", "package");
    const covmerge::CoverageSummary* summary = nullptr;
    if (ErrorInfo e = covmerge::internal::ReportOf(merger, "covmerge_merger_report_package", &summary); !e.ok()) {
      return e;
    }
    if (index >= summary->packages.size()) {
      return covmerge::internal::OutOfRange("covmerge_merger_report_package", "package", index,
                                            summary->packages.size());
    }
    const covmerge::PackageSummary& p = summary->packages[index];
    *package = {p.name.c_str(), p.file_count, p.first_file, covmerge::internal::ToC(p.statements),
                covmerge::internal::LinesToC(p.lines)};
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_merger_report_file(const covmerge_merger* merger, size_t index,
                                                         covmerge_report_file* file, covmerge_error* error) {
  return Guard("covmerge_merger_report_file", error, [&]() -> ErrorInfo {
    if (file == nullptr) return NullArgument("covmerge_merger_report_file", "file");
    const covmerge::CoverageSummary* summary = nullptr;
    if (ErrorInfo e = covmerge::internal::ReportOf(merger, "covmerge_merger_report_file", &summary); !e.ok()) {
      return e;
    }
    if (index >= summary->files.size()) {
      return covmerge::internal::OutOfRange("covmerge_merger_report_file", "file", index, summary->files.size());
    }
    const covmerge::FileSummary& f = summary->files[index];
    *file = {f.path.c_str(), f.package.c_str(), f.profile->path.c_str(), covmerge::internal::ToC(f.statements),
             covmerge::internal::LinesToC(f.lines)};
    return {};
  });
}

COVMERGE_API void covmerge_export_options_init(covmerge_export_options* options) {
  if (options == nullptr) return;
  std::memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
  options->timestamp = COVMERGE_TIMESTAMP_NOW;
}

COVMERGE_API covmerge_status covmerge_merger_export_file(const covmerge_merger* merger, int format,
                                                         const covmerge_export_options* options, const char* path,
                                                         covmerge_error* error) {
  return Guard("covmerge_merger_export_file", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_export_file", "merger");
    if (path == nullptr) return NullArgument("covmerge_merger_export_file", "path");
    covmerge::internal::ExportFormat which;
    covmerge::internal::ExportSettings settings;
    if (ErrorInfo e = covmerge::internal::Settings("covmerge_merger_export_file", format, options, &which, &settings);
        !e.ok()) {
      return e;
    }
    return merger->session.ExportFile(which, settings, path);
  });
}

COVMERGE_API covmerge_status covmerge_merger_export_buffer(const covmerge_merger* merger, int format,
                                                           const covmerge_export_options* options, void* buffer,
                                                           size_t capacity, size_t* size, covmerge_error* error) {
  if (size != nullptr) *size = 0;
  return Guard("covmerge_merger_export_buffer", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_export_buffer", "merger");
    if (size == nullptr) return NullArgument("covmerge_merger_export_buffer", "size");
    if (buffer == nullptr && capacity > 0) return NullArgument("covmerge_merger_export_buffer", "buffer");
    covmerge::internal::ExportFormat which;
    covmerge::internal::ExportSettings settings;
    if (ErrorInfo e =
            covmerge::internal::Settings("covmerge_merger_export_buffer", format, options, &which, &settings);
        !e.ok()) {
      return e;
    }
    return covmerge::internal::WriteToBuffer("covmerge_merger_export_buffer", "the export", buffer, capacity, size,
                                             [&](const covmerge::ByteSink& sink) {
                                               return merger->session.Export(which, settings, sink);
                                             });
  });
}

COVMERGE_API void covmerge_gate_options_init(covmerge_gate_options* options) {
  if (options == nullptr) return;
  std::memset(options, 0, sizeof *options);
  options->struct_size = sizeof *options;
}

COVMERGE_API covmerge_status covmerge_merger_gate(const covmerge_merger* merger, const covmerge_gate_options* options,
                                                  covmerge_gate** gate, covmerge_error* error) {
  if (gate != nullptr) *gate = nullptr;
  return Guard("covmerge_merger_gate", error, [&]() -> ErrorInfo {
    if (merger == nullptr) return NullArgument("covmerge_merger_gate", "merger");
    if (gate == nullptr) return NullArgument("covmerge_merger_gate", "gate");
    covmerge_gate_options o;
    covmerge_gate_options_init(&o);
    if (ErrorInfo e = covmerge::internal::ReadOptions("covmerge_merger_gate", options,
                                                      covmerge::internal::kGateOptionsV1Size, &o);
        !e.ok()) {
      return e;
    }
    if (o.baseline_path != nullptr && o.baseline_data != nullptr) {
      return covmerge::internal::UsageError("covmerge_merger_gate: give baseline_path or baseline_data, not both");
    }
    if (o.baseline_data == nullptr && o.baseline_size > 0) {
      return NullArgument("covmerge_merger_gate", "baseline_data");
    }
    if (!std::isfinite(o.max_drop) || o.max_drop < 0 || (o.check_fail_under != 0 && !std::isfinite(o.fail_under))) {
      return covmerge::internal::UsageError(
          "covmerge_merger_gate: max_drop must be a number of points >= 0, and fail_under a percent");
    }
    covmerge::internal::GateRequest request;
    if (o.check_fail_under != 0) request.fail_under = o.fail_under;
    request.max_drop = o.max_drop;
    if (o.baseline_path != nullptr) request.baseline_path = o.baseline_path;
    if (o.baseline_data != nullptr) {
      request.baseline_text = std::string(static_cast<const char*>(o.baseline_data), o.baseline_size);
    }
    if (o.diff_path != nullptr && o.diff_data != nullptr) {
      return covmerge::internal::UsageError("covmerge_merger_gate: give diff_path or diff_data, not both");
    }
    if (o.diff_data == nullptr && o.diff_size > 0) return NullArgument("covmerge_merger_gate", "diff_data");
    if (o.diff_path != nullptr) request.diff_path = o.diff_path;
    if (o.diff_data != nullptr) request.diff_text = std::string(static_cast<const char*>(o.diff_data), o.diff_size);
    if (o.check_fail_under_patch != 0) request.fail_under_patch = o.fail_under_patch;
    for (const auto& [list, count, out] : {std::tuple(o.thresholds, o.threshold_count, &request.thresholds),
                                           std::tuple(o.file_thresholds, o.file_threshold_count,
                                                      &request.file_thresholds)}) {
      if (list == nullptr && count > 0) return NullArgument("covmerge_merger_gate", "thresholds");
      for (size_t i = 0; i < count; ++i) {
        if (list[i] == nullptr) return NullArgument("covmerge_merger_gate", "a threshold");
        out->push_back(list[i]);
      }
    }
    covmerge::internal::GateOutcome outcome;
    if (ErrorInfo e = merger->session.Gate(request, &outcome); !e.ok()) return e;
    auto verdict = std::make_unique<covmerge_gate>();
    verdict->passed = outcome.result.passed;
    verdict->has_baseline = outcome.before.has_value();
    verdict->before = outcome.before.value_or(covmerge::Coverage{});
    verdict->after = outcome.after;
    verdict->changes = std::move(outcome.result.changes);
    verdict->failures = std::move(outcome.result.failures);
    verdict->report = std::move(outcome.result.report);
    if (outcome.patch) verdict->patch = outcome.patch->total;
    verdict->markdown = std::move(outcome.markdown);
    *gate = verdict.release();
    return {};
  });
}

COVMERGE_API void covmerge_gate_free(covmerge_gate* gate) { delete gate; }

COVMERGE_API covmerge_status covmerge_gate_verdict(const covmerge_gate* gate, covmerge_verdict* verdict,
                                                   covmerge_error* error) {
  return Guard("covmerge_gate_verdict", error, [&]() -> ErrorInfo {
    if (gate == nullptr) return NullArgument("covmerge_gate_verdict", "gate");
    if (verdict == nullptr) return NullArgument("covmerge_gate_verdict", "verdict");
    if (verdict->struct_size < sizeof(covmerge_verdict)) {
      return covmerge::internal::UsageError("covmerge_gate_verdict: verdict->struct_size is " +
                                            std::to_string(verdict->struct_size) +
                                            "; set it to sizeof(covmerge_verdict)");
    }
    covmerge_verdict v;
    std::memset(&v, 0, sizeof v);
    v.struct_size = sizeof v;
    v.passed = gate->passed ? 1 : 0;
    v.has_baseline = gate->has_baseline ? 1 : 0;
    v.before = covmerge::internal::ToC(gate->before);
    v.after = covmerge::internal::ToC(gate->after);
    v.change_count = gate->changes.size();
    v.failure_count = gate->failures.size();
    v.report_line_count = gate->report.size();
    v.has_patch = gate->patch.has_value() ? 1 : 0;
    v.patch = covmerge::internal::ToC(gate->patch.value_or(covmerge::Coverage{}));
    std::memcpy(verdict, &v, sizeof v);
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_gate_change(const covmerge_gate* gate, size_t index,
                                                  covmerge_package_change* change, covmerge_error* error) {
  return Guard("covmerge_gate_change", error, [&]() -> ErrorInfo {
    if (gate == nullptr) return NullArgument("covmerge_gate_change", "gate");
    if (change == nullptr) return NullArgument("covmerge_gate_change", "change");
    if (index >= gate->changes.size()) {
      return covmerge::internal::OutOfRange("covmerge_gate_change", "change", index, gate->changes.size());
    }
    const covmerge::PackageChange& c = gate->changes[index];
    // covmerge_change_kind follows PackageChange::Kind's order.
    *change = {static_cast<int>(c.kind), c.name.c_str(), covmerge::internal::ToC(c.before),
               covmerge::internal::ToC(c.after)};
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_gate_failure(const covmerge_gate* gate, size_t index, const char** message,
                                                   covmerge_error* error) {
  return Guard("covmerge_gate_failure", error, [&]() -> ErrorInfo {
    if (gate == nullptr) return NullArgument("covmerge_gate_failure", "gate");
    if (message == nullptr) return NullArgument("covmerge_gate_failure", "message");
    if (index >= gate->failures.size()) {
      return covmerge::internal::OutOfRange("covmerge_gate_failure", "failure", index, gate->failures.size());
    }
    *message = gate->failures[index].c_str();
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_gate_report_line(const covmerge_gate* gate, size_t index, const char** line,
                                                       covmerge_error* error) {
  return Guard("covmerge_gate_report_line", error, [&]() -> ErrorInfo {
    if (gate == nullptr) return NullArgument("covmerge_gate_report_line", "gate");
    if (line == nullptr) return NullArgument("covmerge_gate_report_line", "line");
    if (index >= gate->report.size()) {
      return covmerge::internal::OutOfRange("covmerge_gate_report_line", "report line", index, gate->report.size());
    }
    *line = gate->report[index].c_str();
    return {};
  });
}

COVMERGE_API covmerge_status covmerge_gate_markdown(const covmerge_gate* gate, const char** markdown,
                                                    covmerge_error* error) {
  return Guard("covmerge_gate_markdown", error, [&]() -> ErrorInfo {
    if (gate == nullptr) return NullArgument("covmerge_gate_markdown", "gate");
    if (markdown == nullptr) return NullArgument("covmerge_gate_markdown", "markdown");
    *markdown = gate->markdown.c_str();
    return {};
  });
}

}  // extern "C"
