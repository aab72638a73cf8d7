// SPDX-License-Identifier: Apache-2.0
// BlockTable (table/block_table.h), one worker's table of blocks, merging
// the blocks of a 2,000-file x 50-block repository (100,000 keys) the way
// profiles bring them:
//   BM_InsertRepeatedOrder   the same blocks in the same order every pass,
//                            as -coverpkg profiles of one binary repeat them
//                            (the predicted-next-record fast path)
//   BM_InsertShuffledFiles   the file order shuffled each pass, blocks in
//                            file order (Go <= 1.19 profiles)
//   BM_LookupShuffled        every key in a random order (hashing every time)
//   BM_InsertNew             a fresh table filled with the 100,000 keys
// Each pass adds 1 to every block's count; the counts and the table size
// are checked after a first pass, before timing.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "synthetic_profile.h"
#include "table/block_table.h"

namespace covmerge::bench {
namespace {

using internal::BlockKey;
using internal::BlockRecord;
using internal::BlockTable;

constexpr uint32_t kFiles = 2000;
constexpr uint32_t kBlocksPerFile = 50;
constexpr int kOrders = 8;  // distinct shuffled orders, cycled through

struct Workload {
  std::vector<BlockKey> keys;           // source order, file by file
  std::vector<std::vector<uint32_t>> orders;  // passes: indices into keys
  size_t line_bytes = 0;                // profile text of one pass
};

BlockKey KeyOf(const SyntheticBlock& b) {
  return BlockKey{b.file, b.start_line, b.start_col, b.end_line, b.end_col};
}

enum class Order { kRepeated, kShuffledFiles, kShuffledBlocks };

Workload MakeWorkload(Order order) {
  const SyntheticRepo repo = MakeRepo(kFiles, kBlocksPerFile, /*seed=*/21);
  Workload w;
  for (uint32_t f = 0; f < kFiles; ++f) {
    for (const SyntheticBlock& b : repo.blocks[f]) {
      w.keys.push_back(KeyOf(b));
      w.line_bytes += LineBytes(repo.paths[f], b, 0);
    }
  }
  std::mt19937_64 rng(23);
  for (int o = 0; o < (order == Order::kRepeated ? 1 : kOrders); ++o) {
    std::vector<uint32_t> idx;
    idx.reserve(w.keys.size());
    if (order == Order::kShuffledFiles) {
      std::vector<uint32_t> files(kFiles);
      std::iota(files.begin(), files.end(), 0u);
      std::shuffle(files.begin(), files.end(), rng);
      for (uint32_t f : files) {
        for (uint32_t b = 0; b < kBlocksPerFile; ++b) idx.push_back(f * kBlocksPerFile + b);
      }
    } else {
      idx.resize(w.keys.size());
      std::iota(idx.begin(), idx.end(), 0u);
      if (order == Order::kShuffledBlocks) std::shuffle(idx.begin(), idx.end(), rng);
    }
    w.orders.push_back(std::move(idx));
  }
  return w;
}

// One pass: every key once, in `order`, adding 1 to its count.
inline uint64_t Pass(BlockTable& table, const std::vector<BlockKey>& keys,
                     const std::vector<uint32_t>& order) {
  uint64_t inserted_count = 0;
  for (uint32_t i : order) {
    bool inserted;
    BlockRecord* r = table.FindOrInsert(keys[i], &inserted);
    r->count += 1;
    inserted_count += inserted;
  }
  return inserted_count;
}

bool CheckCounts(const BlockTable& table, size_t keys, uint64_t expected) {
  if (table.size() != keys) return false;
  for (const BlockRecord& r : table.records()) {
    if (r.count != expected) return false;
  }
  return true;
}

// Merges passes into a table that already holds every key.
void RunMerge(benchmark::State& state, Order order) {
  const Workload w = MakeWorkload(order);
  BlockTable table;
  if (Pass(table, w.keys, w.orders[0]) != w.keys.size() ||
      Pass(table, w.keys, w.orders[w.orders.size() - 1]) != 0 ||
      !CheckCounts(table, w.keys.size(), 2)) {
    state.SkipWithError("the table lost or duplicated a block");
    return;
  }
  size_t pass = 0;
  for (auto _ : state) {
    uint64_t inserted = Pass(table, w.keys, w.orders[pass++ % w.orders.size()]);
    benchmark::DoNotOptimize(inserted);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * w.keys.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * w.line_bytes));
}

void BM_InsertRepeatedOrder(benchmark::State& state) { RunMerge(state, Order::kRepeated); }
BENCHMARK(BM_InsertRepeatedOrder);

void BM_InsertShuffledFiles(benchmark::State& state) { RunMerge(state, Order::kShuffledFiles); }
BENCHMARK(BM_InsertShuffledFiles);

void BM_LookupShuffled(benchmark::State& state) { RunMerge(state, Order::kShuffledBlocks); }
BENCHMARK(BM_LookupShuffled);

void BM_InsertNew(benchmark::State& state) {
  const Workload w = MakeWorkload(Order::kShuffledFiles);
  {
    BlockTable table;
    if (Pass(table, w.keys, w.orders[0]) != w.keys.size() || !CheckCounts(table, w.keys.size(), 1)) {
      state.SkipWithError("a fresh table did not take every block once");
      return;
    }
  }
  size_t pass = 0;
  for (auto _ : state) {
    BlockTable table;
    uint64_t inserted = Pass(table, w.keys, w.orders[pass++ % w.orders.size()]);
    benchmark::DoNotOptimize(inserted);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * w.keys.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * w.line_bytes));
}
BENCHMARK(BM_InsertNew);

}  // namespace
}  // namespace covmerge::bench
