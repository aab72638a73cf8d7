// SPDX-License-Identifier: Apache-2.0
#include "merge_session.h"

#include <filesystem>
#include <map>
#include <span>
#include <system_error>
#include <utility>

#include "covmerge/inputs.h"
#include "covmerge/report.h"
#include "io/compressor.h"

namespace covmerge::internal {
namespace {

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
  if (!found.ok()) {
    const std::string names[] = {path};
    return DescribeStatus(found.status(), Stage::kRead, names);
  }
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
    input_names_.push_back(input.path);
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
  input_names_.push_back(name);
  merger_->AddBuffer(std::move(name), std::move(contents));
  return {};
}

ErrorInfo MergeSession::AddStdin() {
  if (ErrorInfo e = CheckAdding("add_stdin"); !e.ok()) return e;
  input_names_.push_back("<stdin>");
  merger_->AddStdin();
  return {};
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
  std::vector<std::string> names = std::move(input_names_);
  input_names_ = {};
  if (!merged.ok()) {
    ErrorInfo error = DescribeStatus(merged.status(), Stage::kRead, names);
    failure_ = error.message;
    return error;
  }
  const MergedProfile& profile = merged->profile;
  if (options_.expected_mode && !profile.empty() && profile.mode != *options_.expected_mode) {
    ErrorInfo error;
    error.code = COVMERGE_ERROR_CONFLICT;
    error.message = "the inputs have mode " + Quoted(ModeName(profile.mode)) + ", but mode " +
                    Quoted(ModeName(*options_.expected_mode)) + " was expected";
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
  absl::Status status = WriteProfileFile(result_->profile, path);
  if (status.ok()) return {};
  const std::string names[] = {path};
  return DescribeStatus(status, Stage::kWrite, names);
}

ErrorInfo MergeSession::Write(const ByteSink& sink) const {
  if (ErrorInfo e = CheckFinished(); !e.ok()) return e;
  absl::Status status = WriteProfile(result_->profile, sink);
  if (status.ok()) return {};
  return DescribeStatus(status, Stage::kWrite, std::span<const std::string>());
}

ErrorInfo MergeSession::WriteZstd(const ByteSink& sink, int level) const {
  if (ErrorInfo e = CheckFinished(); !e.ok()) return e;
  std::unique_ptr<Compressor> compressor = Compressor::Create(Compression::kZstd, sink, level);
  absl::Status status = WriteProfile(result_->profile, [&](std::string_view bytes) { return compressor->Write(bytes); });
  if (status.ok()) status = compressor->Finish();
  if (status.ok()) return {};
  return DescribeStatus(status, Stage::kWrite, std::span<const std::string>());
}

void MergeSession::Release() {
  result_.reset();
  file_coverage_ = {};
  packages_ = {};
}

}  // namespace covmerge::internal
