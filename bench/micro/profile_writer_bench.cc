// SPDX-License-Identifier: Apache-2.0
// WriteProfile (covmerge/writer.h, emit/profile_writer) formatting a merged
// profile of 1,000,000 blocks (20,000 files x 50 blocks, about 56 MB of
// text) into a sink that only counts the bytes, so the number is the
// formatting alone. The output is first written into a string and compared
// with the same profile formatted naively.
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "benchmark/benchmark.h"
#include "covmerge/profile.h"
#include "covmerge/writer.h"
#include "synthetic_profile.h"

namespace covmerge::bench {
namespace {

constexpr uint32_t kFiles = 20'000;
constexpr uint32_t kBlocksPerFile = 50;

struct Fixture {
  MergedProfile profile;
  std::string expected;  // the same profile formatted by AppendLine
};

const Fixture& MillionBlocks() {
  static const Fixture* fixture = [] {
    auto* f = new Fixture;
    SyntheticRepo repo = MakeRepo(kFiles, kBlocksPerFile, /*seed=*/31);
    std::mt19937_64 rng(37);
    f->profile.mode = Mode::kCount;
    f->expected = "mode: count\n";
    // The writer expects files sorted by path, as the merge leaves them.
    std::vector<uint32_t> order(kFiles);
    for (uint32_t i = 0; i < kFiles; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return repo.paths[a] < repo.paths[b]; });
    for (uint32_t i : order) {
      FileProfile file;
      file.path = repo.paths[i];
      for (const SyntheticBlock& b : repo.blocks[i]) {
        const uint64_t count = DrawCount(rng);
        file.blocks.push_back(Block{b.start_line, b.start_col, b.end_line, b.end_col, b.num_stmt, count});
        AppendLine(&f->expected, file.path, b, count);
      }
      f->profile.files.push_back(std::move(file));
    }
    return f;
  }();
  return *fixture;
}

void BM_WriteProfile(benchmark::State& state) {
  const Fixture& f = MillionBlocks();
  {
    std::string written;
    const absl::Status status = WriteProfile(f.profile, [&](std::string_view bytes) {
      written.append(bytes);
      return absl::OkStatus();
    });
    if (!status.ok() || written != f.expected) {
      state.SkipWithError("WriteProfile did not write the expected text");
      return;
    }
  }
  for (auto _ : state) {
    size_t bytes = 0;
    const absl::Status status = WriteProfile(f.profile, [&](std::string_view piece) {
      bytes += piece.size();
      benchmark::DoNotOptimize(piece.data());
      return absl::OkStatus();
    });
    benchmark::DoNotOptimize(bytes);
    if (!status.ok()) state.SkipWithError("WriteProfile failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kFiles * kBlocksPerFile);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.expected.size()));
}
BENCHMARK(BM_WriteProfile)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace covmerge::bench
