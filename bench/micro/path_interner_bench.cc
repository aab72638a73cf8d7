// SPDX-License-Identifier: Apache-2.0
// PathCache in front of PathInterner (intern/path_interner.h) on the paths
// of block lines as profiles have them: runs of the same path, one line per
// block of a file, each path a view into a different place of the input as
// it is in a real buffer. The run length is the argument (blocks per file;
// 1 is the worst case). The interner is warmed first, as after the first
// profile of a merge; BM_PathInternerNoCache takes the shard lock per line
// for comparison. Ids are checked against the paths before timing.
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "benchmark/benchmark.h"
#include "intern/path_interner.h"
#include "synthetic_profile.h"

namespace covmerge::bench {
namespace {

using internal::PathCache;
using internal::PathInterner;

constexpr uint32_t kFiles = 2000;

struct PathStream {
  std::string text;                     // the lines the views point into
  std::vector<std::string_view> paths;  // one per line
  std::vector<uint32_t> files;          // the file index of each line
};

// Lines in runs of `run` lines per file, the files in shuffled order, about
// 100,000 lines in all.
PathStream MakeStream(uint32_t run) {
  const SyntheticRepo repo = MakeRepo(kFiles, /*blocks_per_file=*/50, /*seed=*/9);
  std::mt19937_64 rng(13);
  PathStream s;
  std::vector<size_t> starts;
  const size_t lines = 100'000;
  while (s.files.size() < lines) {
    const uint32_t f = static_cast<uint32_t>(rng() % kFiles);
    for (uint32_t i = 0; i < run && s.files.size() < lines; ++i) {
      starts.push_back(s.text.size());
      s.files.push_back(f);
      AppendLine(&s.text, repo.paths[f], repo.blocks[f][i % repo.blocks[f].size()], DrawCount(rng));
    }
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    s.paths.emplace_back(s.text.data() + starts[i], repo.paths[s.files[i]].size());
  }
  return s;
}

// Interns the whole stream once: same file, same id; another file, another
// id; and the id maps back to the path.
bool Verify(PathInterner& interner, const PathStream& s, std::string* why) {
  PathCache cache(&interner);
  std::vector<int64_t> id_of_file(kFiles, -1);
  for (size_t i = 0; i < s.paths.size(); ++i) {
    const uint32_t id = cache.Intern(s.paths[i]);
    int64_t& expected = id_of_file[s.files[i]];
    if (expected == -1) expected = id;
    if (id != expected || interner.Path(id) != s.paths[i]) {
      *why = "wrong id for line " + std::to_string(i);
      return false;
    }
  }
  std::vector<int64_t> ids(id_of_file);
  std::sort(ids.begin(), ids.end());
  for (size_t i = 1; i < ids.size(); ++i) {
    if (ids[i] != -1 && ids[i] == ids[i - 1]) {
      *why = "two files share an id";
      return false;
    }
  }
  return true;
}

void BM_PathCacheRuns(benchmark::State& state) {
  const PathStream s = MakeStream(static_cast<uint32_t>(state.range(0)));
  PathInterner interner;
  std::string why;
  if (!Verify(interner, s, &why)) {
    state.SkipWithError(why.c_str());
    return;
  }
  PathCache cache(&interner);
  for (auto _ : state) {
    uint64_t sum = 0;
    for (std::string_view path : s.paths) sum += cache.Intern(path);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.paths.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.text.size()));
}
BENCHMARK(BM_PathCacheRuns)->Arg(1)->Arg(10)->Arg(50);

void BM_PathInternerNoCache(benchmark::State& state) {
  const PathStream s = MakeStream(static_cast<uint32_t>(state.range(0)));
  PathInterner interner;
  std::string why;
  if (!Verify(interner, s, &why)) {
    state.SkipWithError(why.c_str());
    return;
  }
  for (auto _ : state) {
    uint64_t sum = 0;
    for (std::string_view path : s.paths) sum += interner.Intern(path);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.paths.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.text.size()));
}
BENCHMARK(BM_PathInternerNoCache)->Arg(50);

}  // namespace
}  // namespace covmerge::bench
