// SPDX-License-Identifier: Apache-2.0
// ScanLines (parse/line_scanner.h), the hot loop over a region of input:
// line ends, blank and mode lines, and a ParseBlockLine per block line, over
// an 8 MB profile in memory with a sink that only counts, so the number is
// the scanner's alone. Also scanned in 1 MB chunks, as the merge does. The
// block count and the sum of the counts are checked before timing.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "benchmark/benchmark.h"
#include "covmerge/profile.h"
#include "parse/line_scanner.h"
#include "synthetic_profile.h"

namespace covmerge::bench {
namespace {

using internal::BlockLine;
using internal::ScanError;
using internal::ScanLines;

constexpr size_t kBufferBytes = 8 << 20;
constexpr size_t kChunkBytes = 1 << 20;

struct Buffer {
  std::string text;
  uint64_t blocks = 0;
  uint64_t count_sum = 0;  // wraps; only compared
};

// One -coverpkg style profile: a mode line, then files in shuffled order,
// each file's blocks in source order, until 8 MB.
const Buffer& ProfileBuffer() {
  static const Buffer* buffer = [] {
    auto* b = new Buffer;
    const SyntheticRepo repo = MakeRepo(/*files=*/3000, /*blocks_per_file=*/50, /*seed=*/3);
    std::mt19937_64 rng(5);
    b->text = "mode: count\n";
    while (b->text.size() < kBufferBytes) {
      const uint32_t f = static_cast<uint32_t>(rng() % repo.paths.size());
      for (const SyntheticBlock& block : repo.blocks[f]) {
        const uint64_t count = DrawCount(rng);
        AppendLine(&b->text, repo.paths[f], block, count);
        ++b->blocks;
        b->count_sum += count;
      }
    }
    return b;
  }();
  return *buffer;
}

struct CountingSink {
  uint64_t blocks = 0;
  uint64_t count_sum = 0;
  void OnBlock(const BlockLine& block, uint64_t /*line_offset*/) {
    ++blocks;
    count_sum += block.count;
  }
};

// Scans [0, size) in chunks of `chunk` bytes, each starting at the first
// line start in it, as the merge's workers do. Returns false on an error.
bool ScanInChunks(std::string_view data, size_t chunk, CountingSink& sink) {
  std::optional<Mode> mode;
  ScanError error;
  for (size_t begin = 0; begin < data.size(); begin += chunk) {
    const size_t start = internal::FirstLineStartAtOrAfter(data, begin);
    const size_t end = std::min(data.size(), begin + chunk);
    if (start >= end) continue;
    if (!ScanLines(data, start, end, /*at_input_start=*/begin == 0, &mode, sink, &error)) return false;
  }
  return true;
}

void RunScan(benchmark::State& state, size_t chunk) {
  const Buffer& buffer = ProfileBuffer();
  {
    CountingSink check;
    if (!ScanInChunks(buffer.text, chunk, check) || check.blocks != buffer.blocks ||
        check.count_sum != buffer.count_sum) {
      state.SkipWithError("the scan did not find the blocks that were written");
      return;
    }
  }
  for (auto _ : state) {
    CountingSink sink;
    const bool ok = ScanInChunks(buffer.text, chunk, sink);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(sink.count_sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * buffer.blocks));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buffer.text.size()));
}

void BM_ScanLines(benchmark::State& state) { RunScan(state, kBufferBytes * 2); }
BENCHMARK(BM_ScanLines);

void BM_ScanLinesChunked1MB(benchmark::State& state) { RunScan(state, kChunkBytes); }
BENCHMARK(BM_ScanLinesChunked1MB);

}  // namespace
}  // namespace covmerge::bench
