// SPDX-License-Identifier: Apache-2.0
// Reading a GOCOVERDIR; the steps are in coverdir.h. Counter files are
// spread over the workers like the chunks of text inputs
// (base/worker_pool.h); each file is decoded and checked whole before its
// counts are added, so that a damaged file left out under keep-going leaves
// no trace in the sums.
#include "covdata/coverdir.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "base/count_rule.h"
#include "base/str_cat.h"
#include "covmerge/error.h"
#include "io/directory_listing.h"
#include "io/input_file.h"
#include "base/worker_pool.h"

namespace covmerge::internal {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The hash part of "covmeta.<hash>" or "covcounters.<hash>.<pid>.<nanos>".
std::string_view NameHash(std::string_view file_name, std::string_view prefix) {
  file_name.remove_prefix(prefix.size());
  return file_name.substr(0, file_name.find('.'));
}

struct LoadedMeta {
  std::string path;
  MetaFile meta;
};

// What one worker keeps: its buffers and its sums per meta file.
struct CounterWorker {
  ScratchBuffer buffer;
  CounterData data;
  std::vector<std::vector<uint64_t>> counts;  // by meta index; empty until used
  uint64_t saturations = 0;
};

// The outcome of one counter file.
struct CounterOutcome {
  absl::Status status;
  std::optional<size_t> meta;  // the meta file it was added to
};

}  // namespace

absl::Status AddCounters(std::string_view name, const MetaFile& meta, const CounterData& data,
                         std::span<uint64_t> counts, uint64_t* saturations) {
  for (const CounterEntry& e : data.entries) {
    if (e.package >= meta.packages.size()) {
      return MalformedError(name, Cat("a counter entry names package ", e.package,
                                            ", but the meta-data file has ", meta.packages.size(),
                                            " packages; the counter file belongs to another build"));
    }
    const MetaPackage& package = meta.packages[e.package];
    if (e.function >= package.function_count) {
      return MalformedError(name, Cat("a counter entry names function ", e.function, " of package ",
                                            package.path, ", which has ", package.function_count,
                                            " functions in the meta-data file; the counter file belongs to "
                                            "another build"));
    }
    const MetaFunction& function = meta.functions[package.first_function + e.function];
    if (e.counter_count != function.block_count) {
      return MalformedError(name, Cat("a counter entry gives ", e.counter_count,
                                            " counters for function ", e.function, " of package ", package.path,
                                            ", which has ", function.block_count,
                                            " blocks in the meta-data file; the counter file belongs to another "
                                            "build"));
    }
  }
  const bool set_mode = meta.mode == Mode::kSet;
  uint64_t saturated = 0;
  for (const CounterEntry& e : data.entries) {
    const MetaPackage& package = meta.packages[e.package];
    uint64_t* out = counts.data() + meta.functions[package.first_function + e.function].first_block;
    std::span<const uint32_t> values = data.CountersOf(e);
    // A set-mode run may store any nonzero value for "executed"; it is 1.
    for (size_t i = 0; i < values.size(); ++i) {
      const uint64_t value = set_mode ? uint64_t{values[i] != 0} : values[i];
      out[i] = CombineCounts(set_mode, out[i], value, &saturated);
    }
  }
  if (saturations != nullptr) *saturations += saturated;
  return absl::OkStatus();
}

std::string RenderTextProfile(const MetaFile& meta, std::span<const uint64_t> counts) {
  std::string text = Cat("mode: ", ModeName(meta.mode), "\n");
  text.reserve(text.size() + meta.blocks.size() * 64);
  char digits[24];
  auto number = [&](uint64_t v) { text.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr); };
  for (const MetaFunction& function : meta.functions) {
    const std::string& file = meta.files[function.file];
    for (uint32_t i = 0; i < function.block_count; ++i) {
      const uint32_t index = function.first_block + i;
      const MetaBlock& b = meta.blocks[index];
      text += file;
      text += ':';
      number(b.start_line);
      text += '.';
      number(b.start_col);
      text += ',';
      number(b.end_line);
      text += '.';
      number(b.end_col);
      text += ' ';
      number(b.num_stmt);
      text += ' ';
      number(counts[index]);
      text += '\n';
    }
  }
  return text;
}

absl::StatusOr<CoverDirContents> ReadGoCoverDir(const std::string& dir, int threads, bool keep_going) {
  absl::StatusOr<std::vector<std::string>> names = ListFileNames(dir);
  if (!names.ok()) return names.status();
  CoverDirContents out;

  std::vector<LoadedMeta> metas;
  std::map<MetaHash, size_t> meta_by_hash;
  std::map<std::string, std::string, std::less<>> damaged_meta;  // name hash -> path
  std::vector<std::string> counter_paths;
  ScratchBuffer buffer;
  for (const std::string& name : *names) {
    if (StartsWith(name, kCounterFilePrefix)) {
      counter_paths.push_back(JoinPath(dir, name));
      continue;
    }
    if (!StartsWith(name, kMetaFilePrefix)) continue;
    std::string path = JoinPath(dir, name);
    absl::StatusOr<MetaFile> meta;
    absl::StatusOr<std::string_view> region = ReadWholeFile(path, &buffer);
    if (region.ok()) {
      meta = DecodeMetaFile(path, *region);
    } else {
      meta = region.status();
    }
    if (!meta.ok()) {
      if (!keep_going) return meta.status();
      out.skipped.push_back({path, std::string(ToStd(meta.status().message())), SkippedInput::Stage::kGoCoverDir});
      damaged_meta.emplace(std::string(NameHash(name, kMetaFilePrefix)), path);
      continue;
    }
    // A copy of a meta file under another name adds nothing.
    if (meta_by_hash.emplace(meta->hash, metas.size()).second) metas.push_back({std::move(path), *std::move(meta)});
  }
  if (metas.empty() && damaged_meta.empty()) {
    return MalformedError(dir, Cat("expected a covmeta.<hash> file in this GOCOVERDIR, found none (",
                                          counter_paths.size(), " covcounters files); a Go 1.20+ binary built with "
                                          "-cover writes one next to its counter files"));
  }

  if (counter_paths.empty()) {
    // `go tool covdata textfmt` would print every block with count 0; a
    // merge of no run at all is more likely a CI step that ran nothing.
    return MalformedError(dir, Cat(
        "expected a covcounters.<hash>.<pid>.<nanos> file in this GOCOVERDIR, found none (",
        metas.size() + damaged_meta.size(), " covmeta files): no run wrote its counters; a binary built with "
        "-cover writes them when it exits normally, not when a signal kills it"));
  }

  const int workers = std::max(1, std::min<int>(threads, static_cast<int>(counter_paths.size())));
  std::vector<CounterWorker> state(static_cast<size_t>(workers));
  for (CounterWorker& w : state) w.counts.resize(metas.size());
  std::vector<CounterOutcome> outcomes(counter_paths.size());
  absl::Status pool = ForEachOnWorkers(counter_paths.size(), workers, [&](size_t item, int worker) {
    CounterWorker& w = state[static_cast<size_t>(worker)];
    CounterOutcome& outcome = outcomes[item];
    const std::string& path = counter_paths[item];
    absl::StatusOr<std::string_view> region = ReadWholeFile(path, &w.buffer);
    if (!region.ok()) {
      outcome.status = region.status();
      return;
    }
    outcome.status = DecodeCounterFile(path, *region, &w.data);
    if (!outcome.status.ok()) return;
    auto it = meta_by_hash.find(w.data.meta_hash);
    if (it == meta_by_hash.end()) {
      const std::string hash = HashHex(w.data.meta_hash);
      auto damaged = damaged_meta.find(hash);
      outcome.status = MalformedError(
          path, damaged != damaged_meta.end()
              ? Cat("left out with its damaged meta-data file ", damaged->second)
              : Cat("expected the meta-data file covmeta.", hash, " that it counts for in ", dir,
                    ", found none; keep every file of a GOCOVERDIR together"));
      return;
    }
    const MetaFile& meta = metas[it->second].meta;
    std::vector<uint64_t>& counts = w.counts[it->second];
    if (counts.empty()) counts.assign(meta.blocks.size(), 0);
    outcome.status = AddCounters(path, meta, w.data, counts, &w.saturations);
    if (outcome.status.ok()) outcome.meta = it->second;
  });
  if (!pool.ok()) return pool;

  for (const CounterWorker& w : state) out.saturations += w.saturations;
  std::vector<uint64_t> runs(metas.size(), 0);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].status.ok()) {
      ++runs[*outcomes[i].meta];
      continue;
    }
    if (!keep_going) return outcomes[i].status;
    out.skipped.push_back(
        {counter_paths[i], std::string(ToStd(outcomes[i].status.message())), SkippedInput::Stage::kGoCoverDir});
  }

  // Only under keep_going: every counter file was left out, each listed in
  // `skipped` with its reason, and the directory gives no profile.
  if (std::all_of(runs.begin(), runs.end(), [](uint64_t n) { return n == 0; })) return out;
  for (size_t m = 0; m < metas.size(); ++m) {
    const MetaFile& meta = metas[m].meta;
    std::vector<uint64_t> total(meta.blocks.size(), 0);
    const bool set_mode = meta.mode == Mode::kSet;
    for (CounterWorker& w : state) {
      const std::vector<uint64_t>& counts = w.counts[m];
      if (counts.empty()) continue;
      for (size_t b = 0; b < total.size(); ++b) total[b] = CombineCounts(set_mode, total[b], counts[b], &out.saturations);
      w.counts[m] = {};
    }
    out.profiles.push_back({metas[m].path, RenderTextProfile(meta, total), runs[m]});
  }
  return out;
}

}  // namespace covmerge::internal
