// SPDX-License-Identifier: Apache-2.0
// The shared block table (table/block_store.h, table/file_blocks.h): the
// miss path, where every block is new (the first profile of every merge,
// and every line of a profile of distinct blocks), against the repeated
// order of later profiles, where the hint finds each block, and a shuffled
// order, where the file's own index does. Each run is checked (every block
// present once, counts summed) before it is timed.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "table/block_store.h"

namespace covmerge::internal {
namespace {

constexpr uint32_t kFiles = 2000;
constexpr uint32_t kBlocksPerFile = 50;

std::vector<std::string> Paths() {
  std::vector<std::string> paths;
  for (uint32_t f = 0; f < kFiles; ++f) paths.push_back("example.com/mono/svc/pkg" + std::to_string(f % 97) + "/f" + std::to_string(f) + ".go");
  return paths;
}

// One profile's lines: (file, block) in file order, blocks in `order`.
uint64_t Pass(BlockStore& store, const std::vector<std::string>& paths, const std::vector<uint32_t>& order) {
  uint64_t inserted_total = 0;
  for (uint32_t f = 0; f < kFiles; ++f) {
    BlockStore::File* file = store.Intern(paths[f]);
    std::lock_guard<SpinLock> lock(file->mutex);
    uint32_t hint = 0;
    for (uint32_t b : order) {
      bool inserted;
      const uint32_t index = file->blocks.FindOrInsert({b + 1, 2, b + 1, 40}, hint, 0, &inserted);
      Block& r = file->blocks.block(index);
      if (inserted) r.num_stmt = 1;
      r.count += 1;
      inserted_total += inserted;
      hint = index + 1;
    }
  }
  return inserted_total;
}

bool Check(BlockStore& store, uint64_t passes) {
  std::vector<BlockStore::File*> files = store.Files();
  if (files.size() != kFiles) return false;
  for (BlockStore::File* f : files) {
    if (f->blocks.size() != kBlocksPerFile) return false;
    for (const Block& r : f->blocks.blocks()) {
      if (r.count != passes) return false;
    }
  }
  return true;
}

void Run(benchmark::State& state, bool fresh, bool shuffled) {
  const std::vector<std::string> paths = Paths();
  std::vector<uint32_t> order(kBlocksPerFile);
  for (uint32_t i = 0; i < kBlocksPerFile; ++i) order[i] = i;
  std::vector<uint32_t> other = order;
  std::shuffle(other.begin(), other.end(), std::mt19937(1));
  {
    BlockStore check;
    Pass(check, paths, order);
    Pass(check, paths, shuffled ? other : order);
    if (!Check(check, 2)) {
      state.SkipWithError("wrong merge");
      return;
    }
  }
  BlockStore warm;
  if (!fresh) Pass(warm, paths, order);
  for (auto _ : state) {
    if (fresh) {
      state.PauseTiming();
      BlockStore store;
      state.ResumeTiming();
      benchmark::DoNotOptimize(Pass(store, paths, order));
      state.PauseTiming();
    } else {
      benchmark::DoNotOptimize(Pass(warm, paths, shuffled ? other : order));
    }
    if (fresh) state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kFiles * kBlocksPerFile);
}

void BM_BlockStoreMissPath(benchmark::State& state) { Run(state, true, false); }
void BM_BlockStoreRepeatedOrder(benchmark::State& state) { Run(state, false, false); }
void BM_BlockStoreShuffledOrder(benchmark::State& state) { Run(state, false, true); }
BENCHMARK(BM_BlockStoreMissPath)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BlockStoreRepeatedOrder)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BlockStoreShuffledOrder)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace covmerge::internal
