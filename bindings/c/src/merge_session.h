// SPDX-License-Identifier: Apache-2.0
// MergeSession: one merge as the bindings see it, over covmerge::Merger.
// It adds what the engine leaves to its callers: directory inputs searched
// as the command does, a state (adding, finished, failed) that turns calls
// out of order into usage errors, an expected mode, statistics per file and
// per package computed once at the end, the filters, path rules, report,
// exports and gate of `covmerge report` (session_report.cc), and failures
// described from the engine's fields (error_info.h). The C API (covmerge_c.cc) and the
// Python module (bindings/python) are thin layers over it.
//
// Not thread-safe while adding or finishing; once finished, the const
// methods may run on several threads at once.
#ifndef COVMERGE_BINDINGS_C_SRC_MERGE_SESSION_H_
#define COVMERGE_BINDINGS_C_SRC_MERGE_SESSION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "covmerge/exports.h"
#include "covmerge/diff.h"
#include "covmerge/gate.h"
#include "covmerge/patch.h"
#include "covmerge/merger.h"
#include "covmerge/path_filter.h"
#include "covmerge/profile.h"
#include "covmerge/report.h"
#include "covmerge/writer.h"
#include "error_info.h"
#include "partial.h"

namespace covmerge::internal {

struct SessionOptions {
  int threads = 0;                    // 0: one per core
  std::optional<Mode> expected_mode;  // nullopt: any
  bool keep_going = false;
  bool use_mmap = false;
  std::function<bool()> cancelled;  // MergeOptions::cancelled
};

// The files of one directory of import paths.
struct PackageStats {
  std::string name;
  size_t file_count = 0;
  Coverage coverage;
};

// What an export writes: the merged profile, or one of the report's forms
// (exports.h), in the order of covmerge.h's covmerge_format.
enum class ExportFormat { kProfile, kTable, kJson, kLcov, kCobertura, kHtml };

struct ExportSettings {
  TableOptions table;
  CoberturaOptions cobertura;  // timestamp: ReportTime() unless set
  HtmlOptions html;
};

// The gate's question: the rules, and the baseline (a file, or bytes in
// memory named baseline_name) when there is one.
struct GateRequest {
  std::optional<double> fail_under;
  double max_drop = 0;
  std::optional<std::string> baseline_path;
  std::optional<std::string> baseline_text;
  std::string baseline_name = "<baseline>";
  // Patch coverage of a unified diff (diff.h), in a file or in memory.
  std::optional<std::string> diff_path;
  std::optional<std::string> diff_text;
  std::optional<double> fail_under_patch;
  std::vector<std::string> thresholds;       // "REGEX=PCT", as --threshold
  std::vector<std::string> file_thresholds;  // as --file-threshold
};

struct GateOutcome {
  GateResult result;
  std::optional<PatchCoverage> patch;  // with a diff
  std::string markdown;                // the --markdown summary of this verdict
  std::optional<Coverage> before;  // the baseline's total, when there was one
  Coverage after;
};

// One input a path stands for: a file (text profile) or a GOCOVERDIR.
struct ExpandedInput {
  std::string path;
  bool go_cover_dir = false;
};

// The inputs MergeSession::AddPath adds for `path`, in its order: the path
// itself unless it is a directory; else the text profiles and GOCOVERDIRs
// found under it, in byte order of path (as the command adds them).
ErrorInfo ExpandInputPath(const std::string& path, std::vector<ExpandedInput>* inputs);

class MergeSession {
 public:
  enum class State { kAdding, kFinished, kFailed };

  explicit MergeSession(const SessionOptions& options);
  MergeSession(const MergeSession&) = delete;
  MergeSession& operator=(const MergeSession&) = delete;

  State state() const { return state_; }

  // Adds a file, or the profiles found in a directory; `*found` (may be
  // null) gets how many files were added. Only a directory that cannot be
  // read fails here; a missing file fails Finish(), as in the command.
  ErrorInfo AddPath(const std::string& path, size_t* found);
  ErrorInfo AddBuffer(std::string name, std::string contents);
  // Standard input, read whole by Finish() ("<stdin>" in messages).
  ErrorInfo AddStdin();
  // Filters (path_filter.h): only the files they keep are merged. A
  // pattern that does not compile is a usage error naming it.
  ErrorInfo AddInclude(std::string_view pattern);
  ErrorInfo AddExclude(std::string_view pattern);
  // A path rule for the report, its exports and the gate (PathRewriter):
  // `from` becomes `to`; an empty `to` strips the prefix. The merged
  // profile keeps the paths as the inputs name them.
  ErrorInfo AddPathRule(std::string from, std::string to);
  // A partial (partial.h): its merged profile is one input, and its
  // skipped inputs, warnings and merged count join this session's. One
  // that holds a failure fails with that failure.
  ErrorInfo AddPartial(std::string_view data);

  // Merges everything added. A second call after success does nothing.
  ErrorInfo Finish();

  // After a successful Finish(); a usage error (and nothing else) before.
  ErrorInfo CheckFinished() const;
  const MergeResult& result() const { return *result_; }
  // Coverage of result().profile.files[i].
  const std::vector<Coverage>& file_coverage() const { return file_coverage_; }
  // Packages in byte order of name.
  const std::vector<PackageStats>& packages() const { return packages_; }
  // The mode of the merged blocks; nullopt when there are none.
  std::optional<Mode> mode() const;

  ErrorInfo WriteFile(const std::string& path) const;
  // Formats the profile into `sink`. A sink that returns a Cancelled status
  // gives COVMERGE_ERROR_CALLBACK with that status's message.
  ErrorInfo Write(const ByteSink& sink) const;
  // The same, compressed with zstd at `level` (1 is the fastest): the
  // pieces `sink` receives are one zstd frame.
  ErrorInfo WriteZstd(const ByteSink& sink, int level) const;

  // The result as the partial of original inputs first .. first+count-1:
  // this session's own inputs are those, in order (a leaf), or it merged
  // partials (a combiner).
  ErrorInfo WritePartial(uint64_t first, uint64_t count, std::string* out) const;

  // The report (report.h) of the merged profile, after the path rules:
  // built once, on first use, from any thread. Fails as the command does
  // for a block that spans more lines than a line-based report takes.
  ErrorInfo Report(const CoverageSummary** summary) const;
  // Writes `format` into `sink`, or atomically into the file `path` (a
  // temporary file renamed into place; ".zst"/".gz" compress the profile).
  ErrorInfo Export(ExportFormat format, const ExportSettings& settings, const ByteSink& sink) const;
  ErrorInfo ExportFile(ExportFormat format, const ExportSettings& settings, const std::string& path) const;
  // Evaluates the gate (gate.h) on the report.
  ErrorInfo Gate(const GateRequest& request, GateOutcome* outcome) const;

  // Frees the merged profile; only CheckFinished() and the state work after.
  void Release();

 private:
  ErrorInfo CheckAdding(const char* what) const;
  void FoldPartials(MergeReport* report);

  SessionOptions options_;
  State state_ = State::kAdding;
  std::unique_ptr<Merger> merger_;
  // Of the partials added: their skipped inputs (by stage, then index),
  // warnings, and the inputs they merged.
  std::vector<PartialSkipped> partial_skipped_;
  std::vector<std::string> partial_warnings_;
  uint64_t partial_merged_ = 0;
  uint64_t partial_inputs_ = 0;  // partials with a payload, each one input here
  // After Finish(): the stage and index of each of result_->report.skipped.
  std::vector<std::pair<int, uint64_t>> skipped_positions_;
  std::optional<MergeResult> result_;
  std::vector<Coverage> file_coverage_;
  std::vector<PackageStats> packages_;
  std::string failure_;  // the message of a failed Finish()
  PathFilter filter_;
  PathRewriter rewriter_;
  // The report, made by the first Report() (session_report.cc).
  mutable std::once_flag report_once_;
  mutable std::optional<CoverageSummary> report_;
  mutable absl::Status report_status_;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_BINDINGS_C_SRC_MERGE_SESSION_H_
