// SPDX-License-Identifier: Apache-2.0
// Unit tests for table/block_store: one File per distinct path, stable
// pointers, the same File for a path however many threads intern it, and
// lock-free candidates while the index grows.
#include "table/block_store.h"

#include <atomic>
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

TEST(BlockStoreTest, CandidateNamesTheFileOfAHashOrNone) {
  BlockStore store;
  BlockStore::File* a = store.Intern("x/a.go");
  EXPECT_EQ(store.Candidate(BlockStore::Hash("x/a.go")), a);
  EXPECT_EQ(store.Candidate(BlockStore::Hash("x/never.go")), nullptr);
  store.PrefetchSlot(BlockStore::Hash("x/never.go"));  // harmless for any hash
  EXPECT_NE(BlockStore::Hash(""), 0u);                  // 0 marks an empty slot
}

TEST(BlockStoreTest, LookupsWithoutTheLockSeeEveryFileWhileTheIndexGrows) {
  BlockStore store;
  constexpr int kPaths = 20000;  // the index of each shard grows several times
  auto path = [](int p) { return "pkg/f" + std::to_string(p) + ".go"; };
  std::vector<BlockStore::File*> interned(kPaths);
  std::thread writer([&] {
    for (int p = 0; p < kPaths; ++p) interned[p] = store.Intern(path(p));
  });
  // A reader meanwhile: a candidate, once there, is the file of its path.
  int wrong = 0;
  for (int round = 0; round < 3; ++round) {
    for (int p = 0; p < kPaths; p += 7) {
      const BlockStore::File* c = store.Candidate(BlockStore::Hash(path(p)));
      if (c != nullptr && c->path != path(p)) ++wrong;
    }
  }
  writer.join();
  EXPECT_EQ(wrong, 0);
  for (int p = 0; p < kPaths; ++p) {
    ASSERT_EQ(store.Candidate(BlockStore::Hash(path(p))), interned[p]) << path(p);
    ASSERT_EQ(store.Intern(path(p)), interned[p]);
  }
  EXPECT_EQ(store.Files().size(), static_cast<size_t>(kPaths));
}

// The memos' budget is handed out until spent; a request it cannot meet
// takes nothing, so a smaller one after it still can be met.
TEST(BlockStoreTest, TheMemoBudgetIsSpentExactlyWhateverTheThreads) {
  BlockStore store;
  const auto budget = static_cast<size_t>(BlockStore::kMemoBudgetBytes);
  EXPECT_TRUE(store.ReserveMemo(budget - 10));
  EXPECT_FALSE(store.ReserveMemo(100));
  EXPECT_TRUE(store.ReserveMemo(10));
  EXPECT_FALSE(store.ReserveMemo(1));

  BlockStore shared;
  std::atomic<size_t> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        if (shared.ReserveMemo(1000)) granted += 1000;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(granted.load(), budget / 1000 * 1000);
}

}  // namespace
}  // namespace covmerge::internal
