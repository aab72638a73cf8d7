// SPDX-License-Identifier: Apache-2.0
#include "merge_session.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <span>
#include <system_error>
#include <tuple>
#include <utility>

#include "covmerge/inputs.h"
#include "base/str_cat.h"
#include "covmerge/report.h"
#include "io/compressor.h"

namespace covmerge::internal {
namespace {

// zstd's fastest level: a partial is read once, soon.
constexpr int kPartialZstdLevel = 1;

void Count(const Block& block, Coverage* coverage) {
  coverage->statements += block.num_stmt;
  if (block.count > 0) coverage->covered += block.num_stmt;
}

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  out.append(s);
  out += '"';
  return out;
}

}  // namespace

MergeSession::MergeSession(const SessionOptions& options) : options_(options) {
  MergeOptions engine;
  engine.threads = options.threads;
  engine.keep_going = options.keep_going;
  engine.use_mmap = options.use_mmap;
  engine.cancelled = options.cancelled;
  // Filters are added after the merger is made, before it runs.
  engine.keep_file = [this](std::string_view path) { return filter_.Keep(path); };
  merger_ = std::make_unique<Merger>(engine);
}

ErrorInfo MergeSession::CheckAdding(const char* what) const {
  switch (state_) {
    case State::kAdding:
      return {};
    case State::kFinished:
      return UsageError(std::string(what) + ": the merge is finished; start a new merger to merge more inputs");
    case State::kFailed:
      break;
  }
  return UsageError(std::string(what) + ": the merge failed (" + failure_ + "); start a new merger");
}

ErrorInfo MergeSession::CheckFinished() const {
  switch (state_) {
    case State::kFinished:
      if (!result_) return UsageError("the merged profile was released");
      return {};
    case State::kAdding:
      return UsageError("the merge is not finished; call finish first");
    case State::kFailed:
      break;
  }
  return UsageError("the merge failed (" + failure_ + "); there is no merged profile");
}

ErrorInfo ExpandInputPath(const std::string& path, std::vector<ExpandedInput>* inputs) {
  inputs->clear();
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) {
    // Not a directory, or nothing there: the merge reports a missing file
    // with its name, as the command does.
    inputs->push_back({path, false});
    return {};
  }
  absl::StatusOr<DirectoryInputs> found = FindInputsInDirectory(path);
  if (!found.ok()) return DescribeStatus(found.status());
  const std::vector<std::string>& files = found->profiles;
  const std::vector<std::string>& dirs = found->go_cover_dirs;
  size_t f = 0;
  size_t d = 0;
  while (f < files.size() || d < dirs.size()) {
    if (d == dirs.size() || (f < files.size() && files[f] < dirs[d])) {
      inputs->push_back({files[f++], false});
    } else {
      inputs->push_back({dirs[d++], true});
    }
  }
  return {};
}

ErrorInfo MergeSession::AddPath(const std::string& path, size_t* found) {
  if (found != nullptr) *found = 0;
  if (ErrorInfo e = CheckAdding("add"); !e.ok()) return e;
  std::vector<ExpandedInput> inputs;
  if (ErrorInfo e = ExpandInputPath(path, &inputs); !e.ok()) return e;
  if (found != nullptr) *found = inputs.size();
  for (ExpandedInput& input : inputs) {
    if (input.go_cover_dir) {
      merger_->AddGoCoverDir(std::move(input.path));
    } else {
      merger_->AddFile(std::move(input.path));
    }
  }
  return {};
}

ErrorInfo MergeSession::AddBuffer(std::string name, std::string contents) {
  if (ErrorInfo e = CheckAdding("add_buffer"); !e.ok()) return e;
  merger_->AddBuffer(std::move(name), std::move(contents));
  return {};
}

ErrorInfo MergeSession::AddPartial(std::string_view data) {
  if (ErrorInfo e = CheckAdding("add_partial"); !e.ok()) return e;
  absl::StatusOr<std::pair<PartialHeader, std::string_view>> decoded = DecodePartial(data);
  if (!decoded.ok()) return DescribeStatus(decoded.status());
  const PartialHeader& header = decoded->first;
  const std::string name = Cat("<partial of inputs ", header.first + 1, "-", header.first + header.count, ">");
  if (header.error) {
    // The message as the partial holds it: the sentence of the machine
    // that met the failure.
    ErrorInfo error = DescribeError(ErrorOfPartial(*header.error));
    error.message = header.error->message;
    return error;
  }
  if (header.whole) {
    return DescribeError({.kind = ErrorKind::kConflict,
                          .detail = Cat(name, ": inputs conflict with one another in a way only a merge of all the "
                                        "inputs at once can name; merge them in one merger")});
  }
  partial_skipped_.insert(partial_skipped_.end(), header.skipped.begin(), header.skipped.end());
  partial_warnings_.insert(partial_warnings_.end(), header.warnings.begin(), header.warnings.end());
  partial_merged_ += header.merged;
  const std::string_view payload = decoded->second;
  if (payload.empty()) return {};
  ++partial_inputs_;
  return AddBuffer(name, std::string(payload));
}

ErrorInfo MergeSession::AddStdin() {
  if (ErrorInfo e = CheckAdding("add_stdin"); !e.ok()) return e;
  merger_->AddStdin();
  return {};
}

ErrorInfo MergeSession::AddInclude(std::string_view pattern) {
  if (ErrorInfo e = CheckAdding("include"); !e.ok()) return e;
  return DescribeStatus(filter_.AddInclude(pattern));
}

ErrorInfo MergeSession::AddExclude(std::string_view pattern) {
  if (ErrorInfo e = CheckAdding("exclude"); !e.ok()) return e;
  return DescribeStatus(filter_.AddExclude(pattern));
}

ErrorInfo MergeSession::AddPathRule(std::string from, std::string to) {
  if (ErrorInfo e = CheckAdding("path rule"); !e.ok()) return e;
  if (from.empty()) return UsageError("a path rule needs a prefix to replace; \"\" matches nothing");
  rewriter_.AddRule(std::move(from), std::move(to));
  return {};
}

// The report of a merge that took partials: theirs first (stage by stage,
// input order within), then this merge's own, each with its position for
// WritePartial (an own input's index is its place among this merge's).
void MergeSession::FoldPartials(MergeReport* report) {
  std::stable_sort(partial_skipped_.begin(), partial_skipped_.end(),
                   [](const PartialSkipped& a, const PartialSkipped& b) {
                     return std::tie(a.stage, a.index) < std::tie(b.stage, b.index);
                   });
  std::vector<SkippedInput> skipped;
  for (const PartialSkipped& p : partial_skipped_) {
    skipped.push_back({p.name, p.reason, static_cast<SkippedInput::Stage>(p.stage), p.index});
    skipped_positions_.emplace_back(p.stage, p.index);
  }
  for (SkippedInput& own : report->skipped) {
    skipped_positions_.emplace_back(static_cast<int>(own.stage), own.input_index);
    skipped.push_back(std::move(own));
  }
  report->skipped = std::move(skipped);
  for (std::string& w : partial_warnings_) {
    if (std::find(report->warnings.begin(), report->warnings.end(), w) == report->warnings.end()) {
      report->warnings.push_back(std::move(w));
    }
  }
  // Each partial was one input here; it stands for the inputs it merged.
  report->inputs_merged = report->inputs_merged - std::min(report->inputs_merged, partial_inputs_) + partial_merged_;
}

ErrorInfo MergeSession::Finish() {
  if (state_ == State::kFinished) return {};
  if (ErrorInfo e = CheckAdding("finish"); !e.ok()) return e;
  // Failed until proven otherwise: an exception (out of memory) on the way
  // leaves the session failed, not half finished.
  state_ = State::kFailed;
  failure_ = "out of memory";

  absl::StatusOr<MergeResult> merged = merger_->Finish();
  merger_.reset();  // the inputs' buffers are no longer needed
  if (!merged.ok()) {
    ErrorInfo error = DescribeStatus(merged.status());
    failure_ = error.message;
    return error;
  }
  FoldPartials(&merged->report);
  const MergedProfile& profile = merged->profile;
  if (options_.expected_mode && !profile.empty() && profile.mode != *options_.expected_mode) {
    ErrorInfo error = DescribeError(
        {.kind = ErrorKind::kModeMismatch,
         .detail = Cat("the inputs have mode ", Quoted(ModeName(profile.mode)), ", but mode ",
                       Quoted(ModeName(*options_.expected_mode)), " was expected")});
    failure_ = error.message;
    return error;
  }

  file_coverage_.reserve(profile.files.size());
  std::map<std::string_view, PackageStats> packages;
  for (const FileProfile& file : profile.files) {
    Coverage coverage;
    for (const Block& block : file.blocks) Count(block, &coverage);
    file_coverage_.push_back(coverage);
    PackageStats& package = packages[covmerge::PackageOf(file.path)];
    package.file_count += 1;
    package.coverage.statements += coverage.statements;
    package.coverage.covered += coverage.covered;
  }
  packages_.reserve(packages.size());
  for (auto& [name, stats] : packages) {
    stats.name = std::string(name);
    packages_.push_back(std::move(stats));
  }
  result_ = std::move(*merged);
  failure_.clear();
  state_ = State::kFinished;
  return {};
}

std::optional<Mode> MergeSession::mode() const {
  if (!result_ || result_->profile.empty()) return std::nullopt;
  return result_->profile.mode;
}

ErrorInfo MergeSession::WriteFile(const std::string& path) const {
  if (ErrorInfo e = CheckFinished(); !e.ok()) return e;
  return DescribeStatus(WriteProfileFile(result_->profile, path));
}

ErrorInfo MergeSession::Write(const ByteSink& sink) const {
  if (ErrorInfo e = CheckFinished(); !e.ok()) return e;
  return DescribeStatus(WriteProfile(result_->profile, sink));
}

ErrorInfo MergeSession::WriteZstd(const ByteSink& sink, int level) const {
  if (ErrorInfo e = CheckFinished(); !e.ok()) return e;
  std::unique_ptr<Compressor> compressor = Compressor::Create(Compression::kZstd, sink, level);
  absl::Status status = WriteProfile(result_->profile, [&](std::string_view bytes) { return compressor->Write(bytes); });
  if (status.ok()) status = compressor->Finish();
  return DescribeStatus(status);
}

ErrorInfo MergeSession::WritePartial(uint64_t first, uint64_t count, std::string* out) const {
  if (ErrorInfo e = CheckFinished(); !e.ok()) return e;
  const MergeReport& report = result_->report;
  PartialHeader header;
  header.first = first;
  header.count = count;
  header.merged = report.inputs_merged;
  if (std::optional<Mode> m = mode()) header.mode = std::string(ModeName(*m));
  const bool own_inputs = partial_skipped_.empty() && partial_inputs_ == 0 && partial_merged_ == 0;
  for (size_t i = 0; i < report.skipped.size(); ++i) {
    const auto& [stage, index] = skipped_positions_[i];
    const bool own = own_inputs || i >= partial_skipped_.size();
    // An input of this merge skipped for disagreeing with another depends
    // on every input before it: only a merge of all of them can say.
    if (own && report.skipped[i].stage == SkippedInput::Stage::kConflict) header.whole = true;
    header.skipped.push_back({stage, own ? first + index : index, report.skipped[i].name, report.skipped[i].reason});
  }
  header.warnings = report.warnings;
  std::string payload;
  if (!result_->profile.empty()) {
    if (ErrorInfo e = WriteZstd(
            [&](std::string_view piece) {
              payload.append(piece);
              return absl::OkStatus();
            },
            kPartialZstdLevel);
        !e.ok()) {
      return e;
    }
  }
  *out = EncodePartial(header, payload);
  return {};
}

void MergeSession::Release() {
  report_.reset();  // it points into the profile
  result_.reset();
  file_coverage_ = {};
  packages_ = {};
}

}  // namespace covmerge::internal
