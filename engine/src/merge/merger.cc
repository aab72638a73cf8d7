// SPDX-License-Identifier: Apache-2.0
// Merger: prepares the inputs, runs merge passes, and turns what went wrong
// into messages. A pass that finds a damaged or conflicting input either
// fails the merge (naming the input, line, and the other side of a
// conflict) or, with keep_going, leaves the input out and runs again: a bad
// input's blocks are already in the tables, and a clean second pass is
// simpler and safer than undoing them.
#include "covmerge/merger.h"

#include <algorithm>
#include <new>
#include <system_error>
#include <thread>

#include "base/str_cat.h"
#include "covdata/coverdir.h"
#include "covmerge/error.h"
#include "merge/combine.h"
#include "merge/input_set.h"
#include "merge/conflict_report.h"
#include "merge/merge_pass.h"
#include "base/worker_pool.h"
#include "base/quote_path.h"

namespace covmerge {

using internal::Combined;
using internal::Input;
using internal::PassResult;

struct Merger::Impl {
  MergeOptions options;
  std::vector<Input> inputs;
};

namespace {

using internal::Problem;
using internal::QuotePath;

// Problems found in single inputs: unreadable, malformed, or a mode that
// differs from the one of the lowest input with blocks.
std::vector<Problem> CheckInputs(const std::vector<Input>& inputs, const std::vector<bool>& included,
                                 const PassResult& pass, std::optional<Mode>* merged_mode,
                                 uint32_t* mode_input) {
  std::vector<Problem> problems;
  *merged_mode = std::nullopt;
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    if (!included[i]) continue;
    const internal::InputOutcome& outcome = pass.outcomes[i];
    if (!outcome.read_error.ok()) {
      problems.push_back({i, outcome.read_error});
    } else if (outcome.error) {
      const internal::ScanError& e = *outcome.error;
      problems.push_back({i, ErrorStatus({.kind = ErrorKind::kMalformed,
                                          .path = inputs[i].name,
                                          .line = e.line_index + 1,
                                          .column = e.column + 1,
                                          .offset = e.line_offset,
                                          .detail = e.message})});
    } else if (inputs[i].first_line && outcome.mode != inputs[i].mode_hint) {
      // The read-ahead and chunk 0 must agree, or chunks were merged wrongly.
      problems.push_back({i, ErrorStatus({.kind = ErrorKind::kInternal,
                                          .path = inputs[i].name,
                                          .detail = "the mode read ahead differs from the mode line; "
                                                    "please report this bug"})});
    } else if (outcome.blocks > 0 && outcome.mode) {
      if (!*merged_mode) {
        *merged_mode = outcome.mode;
        *mode_input = i;
      } else if (*outcome.mode != **merged_mode) {
        const Input& first = inputs[*mode_input];
        const std::optional<uint64_t> first_line = pass.outcomes[*mode_input].mode_line;
        problems.push_back(
            {i, ErrorStatus({.kind = ErrorKind::kModeMismatch,
                             .path = inputs[i].name,
                             .line = outcome.mode_line.value_or(0) + 1,
                             .other_path = first.name,
                             .other_input_index = first.index,
                             .other_line = first_line.value_or(0) + 1,
                             .detail = internal::Cat("mode \"", ModeName(*outcome.mode), "\" differs from mode \"",
                                                     ModeName(**merged_mode), "\" of ", internal::Where(first, first_line.value_or(0)),
                                                     "; all inputs of a merge must have the same mode")})});
      }
    }
  }
  return problems;
}

// The error when nothing is left to merge: every input was skipped, each
// with its reason, so that the user need not run again to learn why.
absl::Status NothingLeft(const std::vector<SkippedInput>& skipped) {
  std::string message = internal::Cat("all ", skipped.size(), " input", skipped.size() == 1 ? " was" : "s were",
                                      " skipped; nothing left to merge:");
  for (const SkippedInput& s : skipped) internal::Append(&message, "\n  ", s.reason);
  return ErrorStatus({.kind = ErrorKind::kMalformed, .detail = std::move(message)});
}

}  // namespace

Merger::Merger(MergeOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
Merger::~Merger() = default;

void Merger::AddFile(std::string path) {
  Input input;
  input.index = impl_->inputs.size();
  input.name = std::move(path);
  impl_->inputs.push_back(std::move(input));
}

void Merger::AddStdin() {
  Input input;
  input.index = impl_->inputs.size();
  input.name = "<stdin>";
  input.from_stdin = true;
  impl_->inputs.push_back(std::move(input));
}

void Merger::AddBuffer(std::string name, std::string contents) {
  Input input;
  input.index = impl_->inputs.size();
  input.name = std::move(name);
  input.in_memory = true;
  input.contents = std::move(contents);
  impl_->inputs.push_back(std::move(input));
}

void Merger::AddGoCoverDir(std::string dir) {
  Input input;
  input.index = impl_->inputs.size();
  input.name = std::move(dir);
  input.go_cover_dir = true;
  impl_->inputs.push_back(std::move(input));
}

size_t Merger::input_count() const { return impl_->inputs.size(); }

namespace {

// Replaces each GOCOVERDIR in `inputs` by the text profiles decoded from it,
// in place, so that input order (which decides the canonical side of a
// conflict) is kept.
absl::Status ExpandGoCoverDirs(std::vector<Input>* inputs, int threads, bool keep_going, MergeReport* report,
                               uint64_t* saturations) {
  if (std::none_of(inputs->begin(), inputs->end(), [](const Input& in) { return in.go_cover_dir; })) {
    return absl::OkStatus();
  }
  std::vector<Input> expanded;
  for (Input& input : *inputs) {
    if (!input.go_cover_dir) {
      expanded.push_back(std::move(input));
      continue;
    }
    absl::StatusOr<internal::CoverDirContents> contents = internal::ReadGoCoverDir(input.name, threads, keep_going);
    if (!contents.ok()) {
      if (!keep_going) return WithInputIndex(contents.status(), input.index);
      report->skipped.push_back({input.name, std::string(internal::ToStd(contents.status().message())),
                                 SkippedInput::Stage::kGoCoverDir, input.index});
      continue;
    }
    for (SkippedInput& skipped : contents->skipped) {
      skipped.input_index = input.index;
      report->skipped.push_back(std::move(skipped));
    }
    *saturations += contents->saturations;
    for (internal::DecodedProfile& profile : contents->profiles) {
      Input decoded;
      decoded.index = input.index;
      decoded.name = std::move(profile.name);
      decoded.in_memory = true;
      decoded.contents = std::move(profile.text);
      decoded.runs = std::max<uint64_t>(profile.runs, 1);
      expanded.push_back(std::move(decoded));
    }
  }
  *inputs = std::move(expanded);
  if (inputs->empty()) return NothingLeft(report->skipped);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MergeResult> Merger::Finish(MergeProgress* progress) try {
  const MergeOptions& options = impl_->options;
  std::vector<Input>& inputs = impl_->inputs;
  const int threads = internal::WorkerCount(options.threads);
  const uint64_t chunk_bytes = std::max<uint64_t>(options.chunk_bytes, 1);
  MergeResult result;
  // Sums of runs that saturated while decoding count in the same warning.
  uint64_t saturations_decoded = 0;
  if (absl::Status status = ExpandGoCoverDirs(&inputs, threads, options.keep_going, &result.report,
                                              &saturations_decoded);
      !status.ok()) {
    return status;
  }
  std::vector<bool> included(inputs.size(), true);

  auto skip_or_fail = [&](std::vector<Problem>& problems,
                          std::optional<SkippedInput::Stage> stage_of_all) -> absl::Status {
    std::sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) { return a.input < b.input; });
    if (!options.keep_going) return WithInputIndex(problems.front().status, inputs[problems.front().input].index);
    for (const Problem& p : problems) {
      included[p.input] = false;
      // A problem in the pass is the input's own unless it names another
      // input (the modes differ).
      const SkippedInput::Stage stage = stage_of_all ? *stage_of_all
                                        : ErrorOrDescribe(p.status).kind == ErrorKind::kModeMismatch
                                            ? SkippedInput::Stage::kConflict
                                                                                : SkippedInput::Stage::kParse;
      result.report.skipped.push_back({inputs[p.input].name, std::string(p.status.message()), stage,
                                       inputs[p.input].index});
    }
    return absl::OkStatus();
  };

  // PERF: on the workers: a stat each, and a sample of the head of each
  // large input, were 10 ms before the pass of 200 inputs (bench: e2e gostd).
  std::vector<absl::Status> prepared(inputs.size());
  absl::Status pool = internal::ForEachOnWorkers(inputs.size(), threads, [&](size_t i, int) {
    prepared[i] = internal::PrepareInput(&inputs[i], chunk_bytes);
  }, options.cancelled);
  if (!pool.ok()) return pool;
  std::vector<Problem> unreadable;
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    if (!prepared[i].ok()) unreadable.push_back({i, std::move(prepared[i])});
  }
  if (!unreadable.empty()) {
    if (absl::Status status = skip_or_fail(unreadable, SkippedInput::Stage::kOpen); !status.ok()) return status;
  }

  for (;;) {
    const uint64_t included_count = static_cast<uint64_t>(std::count(included.begin(), included.end(), true));
    if (included_count == 0 && !inputs.empty()) return NothingLeft(result.report.skipped);
    std::vector<internal::WorkItem> items = internal::PlanWork(inputs, included, chunk_bytes, threads);
    if (progress != nullptr) {
      uint64_t bytes = 0;
      for (uint32_t i = 0; i < inputs.size(); ++i) bytes += included[i] ? inputs[i].size : 0;
      progress->inputs_total = included_count;
      progress->bytes_total = bytes;
      progress->inputs_done = 0;
      progress->bytes_done = 0;
    }
    internal::BlockStore store;
    PassResult pass = internal::RunMergePass(inputs, items, threads, &store, progress, options.cancelled);
    if (!pass.failure.ok()) return pass.failure;
    // The error path reads inputs again and must know which are compressed.
    for (uint32_t i = 0; i < inputs.size(); ++i) {
      if (pass.outcomes[i].compression != internal::Compression::kNone) {
        inputs[i].compression = pass.outcomes[i].compression;
      }
    }

    std::optional<Mode> mode;
    uint32_t mode_input = 0;
    std::vector<Problem> problems = CheckInputs(inputs, included, pass, &mode, &mode_input);
    if (!problems.empty()) {
      if (absl::Status status = skip_or_fail(problems, std::nullopt); !status.ok()) return status;
      continue;
    }

    absl::StatusOr<Combined> combined_or = internal::CombineTables(&pass.workers, &store, mode.value_or(Mode::kSet),
                                                                   threads, options.keep_file, options.cancelled);
    if (!combined_or.ok()) return combined_or.status();
    Combined& combined = *combined_or;
    problems = internal::DescribeConflicts(inputs, combined);
    if (!problems.empty()) {
      if (absl::Status status = skip_or_fail(problems, SkippedInput::Stage::kConflict); !status.ok()) return status;
      continue;
    }

    result.profile = std::move(combined.profile);
    result.report.inputs_merged = 0;
    for (uint32_t i = 0; i < inputs.size(); ++i) result.report.inputs_merged += included[i] ? inputs[i].runs : 0;
    result.report.excluded_files = combined.excluded_files;
    for (uint32_t i = 0; i < inputs.size(); ++i) result.report.bytes_read += included[i] ? inputs[i].size : 0;
    for (uint32_t i = 0; i < inputs.size(); ++i) {
      if (!included[i] || !pass.outcomes[i].stray_zero) continue;
      result.report.warnings.push_back(internal::Cat(
          internal::Where(inputs[i], pass.outcomes[i].stray_zero), ": a lone \"0\" line at the end was left out "
          "(parallel `go test -coverprofile` can write one, golang/go#70441)"));
    }
    combined.saturations += saturations_decoded;
    if (combined.saturations > 0) {
      result.report.warnings.push_back(internal::Cat(
          combined.saturations, " block count", combined.saturations == 1 ? "" : "s",
          " reached ", kMaxCount, ", the largest count Go can read, and stayed there instead of wrapping around"));
    }
    return result;
  }
} catch (const std::bad_alloc&) {
  return internal::OutOfMemoryError();
} catch (const std::system_error& e) {
  // std::thread reports a failure to start a thread this way (EAGAIN when
  // the memory limit leaves no room for its stack).
  return internal::ThreadsError(e);
}

}  // namespace covmerge
