// SPDX-License-Identifier: Apache-2.0
// Unit tests for base/parallel_sort: the order std::sort gives, at every
// thread count, for sizes that make one part, several, and uneven ones.
#include "base/parallel_sort.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

TEST(ParallelSortTest, GivesTheOrderOfStdSortAtEveryThreadCount) {
  std::mt19937 random(7);
  for (size_t n : {size_t{0}, size_t{1}, kParallelSortMinPart - 1, kParallelSortMinPart * 3 + 17,
                   kParallelSortMinPart * 16 + 5}) {
    std::vector<std::string> items(n);
    for (size_t i = 0; i < n; ++i) {
      items[i] = "example.com/p" + std::to_string(random() % 100000) + "/f" + std::to_string(i) + ".go";
    }
    std::vector<std::string> want = items;
    std::sort(want.begin(), want.end());
    for (int threads : {1, 2, 3, 5, 8, 16}) {
      std::vector<std::string> got = items;
      ASSERT_TRUE(ParallelSort(&got, std::less<std::string>(), threads).ok());
      EXPECT_EQ(got, want) << n << " items, " << threads << " threads";
    }
  }
}

TEST(ParallelSortTest, AnExceptionInAComparisonIsAStatus) {
  std::vector<int> items(kParallelSortMinPart * 4);
  for (size_t i = 0; i < items.size(); ++i) items[i] = static_cast<int>(items.size() - i);
  absl::Status status = ParallelSort(&items, [](int a, int b) {
    if (a == 1234 || b == 1234) throw std::bad_alloc();
    return a < b;
  }, 4);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
}

}  // namespace
}  // namespace covmerge::internal
