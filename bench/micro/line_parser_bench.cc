// SPDX-License-Identifier: Apache-2.0
// ParseBlockLine (parse/line_parser.h), the right-to-left parser of one
// block line, on a realistic mix of lines: mostly zero counts, some small
// and heavy-tailed ones, a few long paths and paths holding ':' or ' '.
// Every line is parsed once and checked against its fields before timing.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "benchmark/benchmark.h"
#include "parse/line_parser.h"
#include "synthetic_profile.h"

namespace covmerge::bench {
namespace {

using internal::BlockLine;
using internal::LineError;
using internal::ParseBlockLine;

struct LineMix {
  std::string text;                     // the lines, each ending in '\n'
  std::vector<std::string_view> lines;  // without the '\n'
  std::vector<SyntheticBlock> blocks;
  std::vector<uint64_t> counts;
  std::vector<std::string> paths;       // the path of each line
};

// 4096 lines, about 230 KB: enough variety to defeat branch prediction of
// one line shape, small enough to stay in L2 like a 1 MB chunk's lines do.
const LineMix& Mix() {
  static const LineMix* mix = [] {
    auto* m = new LineMix;
    const SyntheticRepo repo = MakeRepo(/*files=*/600, /*blocks_per_file=*/50, /*seed=*/7);
    std::mt19937_64 rng(11);
    for (int i = 0; i < 4096; ++i) {
      const uint32_t f = static_cast<uint32_t>(rng() % repo.paths.size());
      const SyntheticBlock& b = repo.blocks[f][rng() % repo.blocks[f].size()];
      const uint64_t count = DrawCount(rng);
      m->blocks.push_back(b);
      m->counts.push_back(count);
      AppendLine(&m->text, repo.paths[f], b, count);
    }
    size_t start = 0;
    for (size_t i = 0; i < m->text.size(); ++i) {
      if (m->text[i] == '\n') {
        m->lines.emplace_back(m->text.data() + start, i - start);
        start = i + 1;
      }
    }
    for (size_t i = 0; i < m->blocks.size(); ++i) {
      m->paths.push_back(repo.paths[m->blocks[i].file]);
    }
    return m;
  }();
  return *mix;
}

// Parses every line once and compares each field with what was written.
bool VerifyMix(const LineMix& mix, std::string* why) {
  for (size_t i = 0; i < mix.lines.size(); ++i) {
    BlockLine out;
    const auto result = ParseBlockLine(mix.lines[i], &out);
    const SyntheticBlock& b = mix.blocks[i];
    if (result.error != LineError::kNone || out.path != mix.paths[i] ||
        out.start_line != b.start_line || out.start_col != b.start_col ||
        out.end_line != b.end_line || out.end_col != b.end_col || out.num_stmt != b.num_stmt ||
        out.count != mix.counts[i]) {
      *why = "line " + std::to_string(i) + " parsed wrong: " + std::string(mix.lines[i]);
      return false;
    }
  }
  return true;
}

void BM_ParseBlockLine(benchmark::State& state) {
  const LineMix& mix = Mix();
  std::string why;
  if (!VerifyMix(mix, &why)) {
    state.SkipWithError(why.c_str());
    return;
  }
  for (auto _ : state) {
    for (std::string_view line : mix.lines) {
      BlockLine out;
      auto result = ParseBlockLine(line, &out);
      benchmark::DoNotOptimize(result);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * mix.lines.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * mix.text.size()));
}
BENCHMARK(BM_ParseBlockLine);

}  // namespace
}  // namespace covmerge::bench
