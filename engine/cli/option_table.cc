// SPDX-License-Identifier: Apache-2.0
#include "cli/option_table.h"

#include <charconv>
#include <string>
#include <thread>

#include "base/str_cat.h"

namespace covmerge::cli {
namespace {

using ::covmerge::internal::Cat;

absl::Status Usage(std::string message) { return absl::InvalidArgumentError(std::move(message)); }

absl::StatusOr<double> ParsePercent(std::string_view name, std::string_view text) {
  std::string_view digits = text;
  if (digits.ends_with('%')) digits.remove_suffix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || !(value >= 0) ||
      value > 100) {
    return Usage(Cat("option ", name, " expects a percentage from 0 to 100, got \"", text, "\""));
  }
  return value;
}

template <std::optional<double> CommandLine::*field>
absl::Status SetPercent(CommandLine* cl, std::string_view name, std::string_view value) {
  absl::StatusOr<double> p = ParsePercent(name, value);
  if (!p.ok()) return p.status();
  cl->*field = *p;
  return absl::OkStatus();
}

template <std::optional<std::string> CommandLine::*field>
absl::Status SetText(CommandLine* cl, std::string_view, std::string_view value) {
  cl->*field = std::string(value);
  return absl::OkStatus();
}

template <bool CommandLine::*field>
absl::Status SetFlag(CommandLine* cl, std::string_view, std::string_view) {
  cl->*field = true;
  return absl::OkStatus();
}

template <std::vector<std::string> CommandLine::*field>
absl::Status AddText(CommandLine* cl, std::string_view, std::string_view value) {
  (cl->*field).emplace_back(value);
  return absl::OkStatus();
}

absl::Status SetJobs(CommandLine* cl, std::string_view name, std::string_view value) {
  int threads = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), threads);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || threads < 0 || threads > 1024) {
    return Usage(Cat("option ", name, " expects a number of threads from 1 to 1024, or 0 for one per core, got \"",
                     value, "\""));
  }
  cl->threads = threads;
  return absl::OkStatus();
}

absl::Status AddList(CommandLine* cl, std::string_view, std::string_view value, bool nul_separated) {
  cl->input_lists.push_back({std::string(value), nul_separated});
  return absl::OkStatus();
}

absl::Status SetSort(CommandLine* cl, std::string_view, std::string_view value) {
  if (value != "name" && value != "coverage") {
    return Usage(Cat("option --sort expects 'name' or 'coverage', got \"", value, "\""));
  }
  cl->sort_by_coverage = value == "coverage";
  return absl::OkStatus();
}

absl::Status StripPrefix(CommandLine* cl, std::string_view, std::string_view value) {
  if (value.empty()) return Usage("option --strip-prefix needs a non-empty prefix");
  cl->path_rules.emplace_back(std::string(value), "");
  return absl::OkStatus();
}

absl::Status PathMap(CommandLine* cl, std::string_view, std::string_view value) {
  const size_t eq = value.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Usage(Cat("option --path-map expects FROM=TO, e.g. example.com/mod=services/mod, got \"", value, "\""));
  }
  cl->path_rules.emplace_back(std::string(value.substr(0, eq)), std::string(value.substr(eq + 1)));
  return absl::OkStatus();
}

absl::Status SetModule(CommandLine* cl, std::string_view, std::string_view value) {
  if (value.empty()) return Usage("option --module needs a module path");
  cl->module = std::string(value);
  return absl::OkStatus();
}

absl::Status SetBaselineMissing(CommandLine* cl, std::string_view, std::string_view value) {
  if (value != "ok" && value != "fail") {
    return Usage(Cat("option --baseline-missing expects 'ok' or 'fail', got \"", value, "\""));
  }
  cl->baseline_missing_ok = value == "ok";
  return absl::OkStatus();
}

constexpr std::string_view kMergeSections[] = {"Options"};
constexpr std::string_view kReportSections[] = {"Table (standard output)",
                                                "Outputs (each FILE is replaced only once it is complete; '-' is "
                                                "stdout)",
                                                "Paths", "Gate", "Other options"};

// Options that both shapes take are listed under "Options" for the merge
// and "Other options" for the report: the section names the report's.
const Option kOptions[] = {
    // --- Table -----------------------------------------------------------
    {'\0', "by-file", "", kReportScope, "Table (standard output)", "also list every file", Completion::kNone, "",
     SetFlag<&CommandLine::by_file>},
    {'\0', "sort", "ORDER", kReportScope, "Table (standard output)", "'name' (default) or 'coverage' (lowest first)",
     Completion::kWords, "name coverage", SetSort},
    // --- Outputs -----------------------------------------------------------
    {'o', "output", "FILE", kBothScopes, "Outputs (each FILE is replaced only once it is complete; '-' is stdout)",
     "write the merged profile to FILE instead of standard output ('-'); FILE is replaced only once the merge "
     "succeeded; a name ending in .zst or .gz is written compressed",
     Completion::kFile, "", SetText<&CommandLine::output>, "the merged profile, as covmerge without 'report'"},
    {'\0', "json", "FILE", kReportScope, "Outputs (each FILE is replaced only once it is complete; '-' is stdout)",
     "the summary as JSON (docs/json-summary.md); keep it as the next run's --baseline", Completion::kFile, "",
     SetText<&CommandLine::json>},
    {'\0', "lcov", "FILE", kReportScope, "Outputs (each FILE is replaced only once it is complete; '-' is stdout)",
     "an LCOV tracefile", Completion::kFile, "", SetText<&CommandLine::lcov>},
    {'\0', "cobertura", "FILE", kReportScope,
     "Outputs (each FILE is replaced only once it is complete; '-' is stdout)", "Cobertura XML", Completion::kFile, "",
     SetText<&CommandLine::cobertura>},
    {'\0', "html", "FILE", kReportScope, "Outputs (each FILE is replaced only once it is complete; '-' is stdout)",
     "a self-contained HTML report; with --source-root each file's source, coloured by coverage",
     Completion::kFile, "", SetText<&CommandLine::html>},
    {'\0', "markdown", "FILE", kReportScope,
     "Outputs (each FILE is replaced only once it is complete; '-' is stdout)",
     "a summary for a pull request comment or GitHub's job summary: the verdict, total, change, patch coverage, "
     "packages that fell, changed lines no test ran",
     Completion::kFile, "", SetText<&CommandLine::markdown>},
    // --- Paths -------------------------------------------------------------
    {'\0', "strip-prefix", "P", kReportScope, "Paths",
     "in the table and outputs (not -o), remove the path prefix P, e.g. the module path; repeatable",
     Completion::kNone, "", StripPrefix},
    {'\0', "path-map", "FROM=TO", kReportScope, "Paths",
     "... or replace the prefix FROM by TO; repeatable, the first rule that matches a path applies",
     Completion::kNone, "", PathMap},
    {'\0', "module", "PATH", kReportScope, "Paths",
     "strip the Go module path PATH (after the rules above), so that paths are the repository's, as in a diff",
     Completion::kNone, "", SetModule},
    {'\0', "source-root", "DIR", kReportScope, "Paths",
     "the module's source tree: its go.mod gives --module, its sources the HTML source view",
     Completion::kDirectory, "", SetText<&CommandLine::source_root>},
    {'\0', "exclude-generated", "", kReportScope, "Paths",
     "leave out files whose source (under --source-root) has Go's '// Code generated ... DO NOT EDIT.' line",
     Completion::kNone, "", SetFlag<&CommandLine::exclude_generated>},
    // --- Gate --------------------------------------------------------------
    {'\0', "fail-under", "PCT", kReportScope, "Gate", "fail when the total is below PCT percent", Completion::kNone,
     "", SetPercent<&CommandLine::fail_under>},
    {'\0', "baseline", "FILE", kReportScope, "Gate",
     "compare with an earlier --json summary (or merged profile): list each package that fell, is new or is gone, "
     "and fail when the total fell by more than --max-drop",
     Completion::kFile, "", SetText<&CommandLine::baseline>},
    {'\0', "max-drop", "PCT", kReportScope, "Gate", "percentage points the total may fall (default 0)",
     Completion::kNone, "", SetPercent<&CommandLine::max_drop>},
    {'\0', "baseline-missing", "ok|fail", kReportScope, "Gate",
     "when the --baseline file does not exist (the first run of a branch): pass with a note, or fail (the default)",
     Completion::kWords, "ok fail", SetBaselineMissing},
    {'\0', "diff", "FILE", kReportScope, "Gate",
     "report patch coverage: the statements of the blocks that the added lines of this unified diff (git diff; '-' "
     "reads standard input) touch, and the changed lines no test ran; paths after the rules above",
     Completion::kFile, "", SetText<&CommandLine::diff>},
    {'\0', "fail-under-patch", "PCT", kReportScope, "Gate", "fail when patch coverage is below PCT",
     Completion::kNone, "", SetPercent<&CommandLine::fail_under_patch>},
    {'\0', "threshold", "REGEX=PCT", kReportScope, "Gate",
     "fail when a package whose name matches REGEX is below PCT; repeatable, the last match applies",
     Completion::kNone, "", AddText<&CommandLine::thresholds>},
    {'\0', "file-threshold", "REGEX=PCT", kReportScope, "Gate", "... the same for files", Completion::kNone, "",
     AddText<&CommandLine::file_thresholds>},
    // --- Both --------------------------------------------------------------
    {'j', "jobs", "N", kBothScopes, "Other options", "use N worker threads, 0 for one per core (the default)",
     Completion::kNone, "", SetJobs},
    {'\0', "files-from", "FILE", kBothScopes, "Other options",
     "also read input paths from FILE, one per line ('-' reads them from standard input)", Completion::kFile, "",
     [](CommandLine* cl, std::string_view name, std::string_view value) { return AddList(cl, name, value, false); }},
    {'\0', "files0-from", "FILE", kBothScopes, "Other options",
     "... or NUL-terminated, as find -print0 writes them (the last NUL is optional)", Completion::kFile, "",
     [](CommandLine* cl, std::string_view name, std::string_view value) { return AddList(cl, name, value, true); }},
    {'\0', "exclude", "REGEX", kBothScopes, "Other options",
     "leave out files whose path (as the profiles name it) matches REGEX, in Go's regexp syntax (RE2), e.g. "
     "'_mock\\.go$', '/v\\d+/' or '(?i)/vendor/'; repeatable",
     Completion::kNone, "", AddText<&CommandLine::excludes>},
    {'\0', "include", "REGEX", kBothScopes, "Other options", "keep only files whose path matches REGEX; repeatable",
     Completion::kNone, "", AddText<&CommandLine::includes>},
    {'k', "keep-going", "", kBothScopes, "Other options",
     "skip a damaged input, or one that conflicts with the others, with a warning, and merge the rest",
     Completion::kNone, "", SetFlag<&CommandLine::keep_going>},
    {'q', "quiet", "", kBothScopes, "Other options", "no progress display, notes or warnings", Completion::kNone, "",
     SetFlag<&CommandLine::quiet>},
    {'\0', "mmap", "", kBothScopes, "Other options",
     "no effect (inputs are always read); kept for scripts (reading measured faster; see bench/RESULTS.md)",
     Completion::kNone, "", SetFlag<&CommandLine::use_mmap>},
    {'\0', "summary", "", kMergeScope, "Other options",
     "print the total statement coverage to standard error, as go test does: \"coverage: 54.8% of statements\"",
     Completion::kNone, "", SetFlag<&CommandLine::summary>},
    {'h', "help", "", kBothScopes, "Other options", "show this help and exit", Completion::kNone, "",
     SetFlag<&CommandLine::help>},
    {'V', "version", "", kBothScopes, "Other options", "show the version and exit", Completion::kNone, "",
     SetFlag<&CommandLine::version>},
};

}  // namespace

std::span<const Option> Options() { return kOptions; }

std::span<const std::string_view> Sections(Command command) {
  if (command == Command::kReport) return kReportSections;
  return kMergeSections;
}

}  // namespace covmerge::cli
