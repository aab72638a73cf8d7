// SPDX-License-Identifier: Apache-2.0
// Unit tests for table/block_store: one File per distinct path, stable
// pointers, and the same File for a path however many threads intern it.
#include "table/block_store.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

TEST(BlockStoreTest, OneFilePerDistinctPath) {
  BlockStore store;
  BlockStore::File* a = store.Intern("x/a.go");
  BlockStore::File* b = store.Intern("x/b.go");
  EXPECT_NE(a, b);
  EXPECT_EQ(store.Intern(std::string("x/a.go")), a);
  EXPECT_EQ(a->path, "x/a.go");
  EXPECT_EQ(store.Files().size(), 2u);
}

TEST(BlockStoreTest, ThreadsInterningTheSamePathsGetTheSameFiles) {
  BlockStore store;
  constexpr int kPaths = 5000;
  std::vector<std::vector<BlockStore::File*>> seen(4, std::vector<BlockStore::File*>(kPaths));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPaths; ++i) {
        const int p = (i * 7 + t * 1013) % kPaths;  // each thread in its own order
        seen[t][p] = store.Intern("pkg/f" + std::to_string(p) + ".go");
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int p = 0; p < kPaths; ++p) {
    for (int t = 1; t < 4; ++t) EXPECT_EQ(seen[t][p], seen[0][p]);
  }
  std::set<BlockStore::File*> distinct;
  for (BlockStore::File* f : store.Files()) distinct.insert(f);
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kPaths));
}

}  // namespace
}  // namespace covmerge::internal
