// SPDX-License-Identifier: Apache-2.0
// Merger: prepares the inputs, runs merge passes, and turns what went wrong
// into messages. A pass that finds a damaged or conflicting input either
// fails the merge (naming the input, line, and the other side of a
// conflict) or, with keep_going, leaves the input out and runs again: a bad
// input's blocks are already in the tables, and a clean second pass is
// simpler and safer than undoing them.
#include "covmerge/merger.h"

#include <algorithm>
#include <map>
#include <new>
#include <system_error>
#include <thread>

#include "base/str_cat.h"
#include "covdata/coverdir.h"
#include "absl/strings/str_format.h"
#include "merge/combine.h"
#include "merge/input_set.h"
#include "merge/merge_pass.h"

namespace covmerge {

using internal::BlockKey;
using internal::Combined;
using internal::Input;
using internal::PassResult;
using internal::PathInterner;

struct Merger::Impl {
  MergeOptions options;
  std::vector<Input> inputs;
};

namespace {

// An input that cannot be merged, and why.
struct Problem {
  uint32_t input = 0;
  absl::Status status;
};

std::string Position(std::string_view path, const Block& b) {
  return absl::StrFormat("%s:%d.%d,%d.%d", path, b.start_line, b.start_col, b.end_line, b.end_col);
}

// "name:line" for the first line of `input` that names the block.
std::string WhereBlock(const Input& input, std::string_view path, const Block& b) {
  internal::BlockLine position;
  position.start_line = b.start_line;
  position.start_col = b.start_col;
  position.end_line = b.end_line;
  position.end_col = b.end_col;
  std::optional<uint64_t> offset = internal::FindBlockLine(input, path, position);
  if (!offset) return input.name;
  return internal::Cat(input.name, ":", internal::LineNumberAt(input, *offset));
}

// "name:line" of the mode line, the first non-blank line.
std::string WhereModeLine(const Input& input) {
  std::optional<uint64_t> offset = internal::FindFirstLine(input);
  return internal::Cat(input.name, ":", offset ? internal::LineNumberAt(input, *offset) : 1);
}

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
      problems.push_back(
          {i, absl::InvalidArgumentError(internal::Cat(inputs[i].name, ":",
                                                      internal::LineNumberAt(inputs[i], e.line_offset),
                                                      ":", e.column + 1, ": ", e.message))});
    } else if (inputs[i].first_line && outcome.mode != inputs[i].mode_hint) {
      // The read-ahead and chunk 0 must agree, or chunks were merged wrongly.
      problems.push_back({i, absl::InternalError(internal::Cat(
                                 inputs[i].name, ": the mode read ahead differs from the mode line; "
                                 "please report this bug"))});
    } else if (outcome.blocks > 0 && outcome.mode) {
      if (!*merged_mode) {
        *merged_mode = outcome.mode;
        *mode_input = i;
      } else if (*outcome.mode != **merged_mode) {
        problems.push_back(
            {i, absl::FailedPreconditionError(internal::Cat(
                    WhereModeLine(inputs[i]), ": mode \"", ModeName(*outcome.mode),
                    "\" differs from mode \"", ModeName(**merged_mode), "\" of ",
                    WhereModeLine(inputs[*mode_input]),
                    "; all inputs of a merge must have the same mode"))});
      }
    }
  }
  return problems;
}

const FileProfile* FindFile(const MergedProfile& profile, std::string_view path) {
  auto it = std::lower_bound(profile.files.begin(), profile.files.end(), path,
                             [](const FileProfile& f, std::string_view p) { return f.path < p; });
  return it != profile.files.end() && it->path == path ? &*it : nullptr;
}

// Problems between inputs, found while folding: for each conflict, the side
// that disagrees with the lowest input having the block is the odd one.
std::vector<Problem> CheckConflicts(const std::vector<Input>& inputs, const Combined& combined,
                                    const PathInterner& paths) {
  std::map<uint32_t, absl::Status> odd;  // by input, the first reason found
  for (const internal::NumStmtConflict& c : combined.num_stmt_conflicts) {
    const std::string_view path = paths.Path(c.key.file);
    const FileProfile* file = FindFile(combined.profile, path);
    if (file == nullptr) continue;
    const BlockKey& k = c.key;
    Block position{k.start_line, k.start_col, k.end_line, k.end_col, 0, 0};
    auto it = std::lower_bound(file->blocks.begin(), file->blocks.end(), position, [](const Block& a, const Block& b) {
      return std::tie(a.start_line, a.start_col, a.end_line, a.end_col) <
             std::tie(b.start_line, b.start_col, b.end_line, b.end_col);
    });
    if (it == file->blocks.end()) continue;
    const size_t index = static_cast<size_t>(it - file->blocks.begin());
    const uint32_t canonical_input = combined.first_inputs[static_cast<size_t>(file - combined.profile.files.data())][index];
    const uint32_t canonical = it->num_stmt;
    for (auto [input, num_stmt] : {std::pair{c.input_a, c.num_stmt_a}, std::pair{c.input_b, c.num_stmt_b}}) {
      if (num_stmt == canonical || odd.count(input) > 0) continue;
      Block odd_block = position;
      odd.emplace(input, absl::FailedPreconditionError(internal::Cat(
                             WhereBlock(inputs[input], path, odd_block), ": block ", Position(path, odd_block),
                             " has ", num_stmt, " statements here but ", canonical, " in ",
                             WhereBlock(inputs[canonical_input], path, odd_block),
                             "; the profiles come from different builds of this file")));
    }
  }
  for (const internal::StartConflict& c : combined.start_conflicts) {
    if (odd.count(c.odd_input) > 0) continue;
    const std::string& path = combined.profile.files[c.file_index].path;
    odd.emplace(c.odd_input, absl::FailedPreconditionError(internal::Cat(
                                 WhereBlock(inputs[c.odd_input], path, c.odd), ": block ",
                                 Position(path, c.odd), " starts where block ", Position(path, c.kept),
                                 " of ", WhereBlock(inputs[c.kept_input], path, c.kept),
                                 " starts, but ends elsewhere; the profiles come from different "
                                 "versions of this file")));
  }
  std::vector<Problem> problems;
  for (auto& [input, status] : odd) problems.push_back({input, std::move(status)});
  return problems;
}

int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

}  // namespace

Merger::Merger(MergeOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
Merger::~Merger() = default;

void Merger::AddFile(std::string path) {
  Input input;
  input.name = std::move(path);
  impl_->inputs.push_back(std::move(input));
}

void Merger::AddStdin() {
  Input input;
  input.name = "<stdin>";
  input.from_stdin = true;
  impl_->inputs.push_back(std::move(input));
}

void Merger::AddBuffer(std::string name, std::string contents) {
  Input input;
  input.name = std::move(name);
  input.in_memory = true;
  input.contents = std::move(contents);
  impl_->inputs.push_back(std::move(input));
}

void Merger::AddGoCoverDir(std::string dir) {
  Input input;
  input.name = std::move(dir);
  input.go_cover_dir = true;
  impl_->inputs.push_back(std::move(input));
}

size_t Merger::input_count() const { return impl_->inputs.size(); }

namespace {

// Replaces each GOCOVERDIR in `inputs` by the text profiles decoded from it,
// in place, so that input order (which decides the canonical side of a
// conflict) is kept.
absl::Status ExpandGoCoverDirs(std::vector<Input>* inputs, int threads, bool keep_going, MergeReport* report) {
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
      if (!keep_going) return contents.status();
      report->skipped.push_back({input.name, std::string(internal::ToStd(contents.status().message()))});
      continue;
    }
    for (SkippedInput& skipped : contents->skipped) report->skipped.push_back(std::move(skipped));
    for (internal::DecodedProfile& profile : contents->profiles) {
      Input decoded;
      decoded.name = std::move(profile.name);
      decoded.in_memory = true;
      decoded.contents = std::move(profile.text);
      decoded.runs = std::max<uint64_t>(profile.runs, 1);
      expanded.push_back(std::move(decoded));
    }
  }
  *inputs = std::move(expanded);
  if (inputs->empty()) {
    return absl::InvalidArgumentError(internal::Cat("all ", report->skipped.size(),
                                                   " inputs were skipped; nothing left to merge"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MergeResult> Merger::Finish(MergeProgress* progress) try {
  const MergeOptions& options = impl_->options;
  std::vector<Input>& inputs = impl_->inputs;
  const int threads = ResolveThreads(options.threads);
  const uint64_t chunk_bytes = std::max<uint64_t>(options.chunk_bytes, 1);
  MergeResult result;
  if (absl::Status status = ExpandGoCoverDirs(&inputs, threads, options.keep_going, &result.report); !status.ok()) {
    return status;
  }
  std::vector<bool> included(inputs.size(), true);

  auto skip_or_fail = [&](std::vector<Problem>& problems) -> absl::Status {
    std::sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) { return a.input < b.input; });
    if (!options.keep_going) return problems.front().status;
    for (const Problem& p : problems) {
      included[p.input] = false;
      result.report.skipped.push_back({inputs[p.input].name, std::string(p.status.message())});
    }
    return absl::OkStatus();
  };

  std::vector<Problem> unreadable;
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    absl::Status status = internal::PrepareInput(&inputs[i], chunk_bytes);
    if (!status.ok()) unreadable.push_back({i, std::move(status)});
  }
  if (!unreadable.empty()) {
    if (absl::Status status = skip_or_fail(unreadable); !status.ok()) return status;
  }

  for (;;) {
    const uint64_t included_count = static_cast<uint64_t>(std::count(included.begin(), included.end(), true));
    if (included_count == 0 && !inputs.empty()) {
      return absl::InvalidArgumentError(internal::Cat("all ", inputs.size(),
                                                     " inputs were skipped; nothing left to merge"));
    }
    std::vector<internal::WorkItem> items = internal::PlanWork(inputs, included, chunk_bytes);
    if (progress != nullptr) {
      uint64_t bytes = 0;
      for (uint32_t i = 0; i < inputs.size(); ++i) bytes += included[i] ? inputs[i].size : 0;
      progress->inputs_total = included_count;
      progress->bytes_total = bytes;
      progress->inputs_done = 0;
      progress->bytes_done = 0;
    }
    PathInterner paths;
    PassResult pass = internal::RunMergePass(
        inputs, items, threads, options.use_mmap ? internal::InputAccess::kMap : internal::InputAccess::kRead,
        &paths, progress);
    if (pass.out_of_memory) throw std::bad_alloc();
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
      if (absl::Status status = skip_or_fail(problems); !status.ok()) return status;
      continue;
    }

    Combined combined = internal::CombineTables(&pass.workers, paths, mode.value_or(Mode::kSet), threads,
                                                  options.keep_file);
    problems = CheckConflicts(inputs, combined, paths);
    if (!problems.empty()) {
      if (absl::Status status = skip_or_fail(problems); !status.ok()) return status;
      continue;
    }

    result.profile = std::move(combined.profile);
    result.report.inputs_merged = 0;
    for (uint32_t i = 0; i < inputs.size(); ++i) result.report.inputs_merged += included[i] ? inputs[i].runs : 0;
    result.report.excluded_files = combined.excluded_files;
    for (uint32_t i = 0; i < inputs.size(); ++i) result.report.bytes_read += included[i] ? inputs[i].size : 0;
    if (combined.saturations > 0) {
      result.report.warnings.push_back(internal::Cat(
          combined.saturations, " block count", combined.saturations == 1 ? "" : "s",
          " reached ", kMaxCount, ", the largest count Go can read, and stayed there instead of wrapping around"));
    }
    return result;
  }
} catch (const std::bad_alloc&) {
  return absl::ResourceExhaustedError(
      "out of memory while merging; raise the memory limit (ulimit -v) or merge the inputs in smaller batches");
} catch (const std::system_error& e) {
  // std::thread reports a failure to start a thread this way (EAGAIN when
  // the memory limit leaves no room for its stack).
  return absl::ResourceExhaustedError(internal::Cat("cannot start the worker threads (", e.what(),
                                                    "); raise the memory limit or use fewer threads (-j)"));
}

}  // namespace covmerge
