// SPDX-License-Identifier: Apache-2.0
// Unit tests for cli/progress_display's line: percent, sizes, the current
// rate and the time left at it, the inputs, and the cut to the terminal's
// width (never its last column, where a terminal wraps).
#include "cli/progress_display.h"

#include "gtest/gtest.h"

namespace covmerge::cli {
namespace {

TEST(ProgressLineTest, PercentRateTimeLeftAndInputs) {
  EXPECT_EQ(ProgressLine(1'400'000'000, 2'800'000'000, 3, 10, 350e6, 120),
            "covmerge: 50% 1.4 GB of 2.8 GB, 350 MB/s, 0:04 left, 3/10 inputs");
  EXPECT_EQ(ProgressLine(0, 500'000'000, 0, 4, 0, 120), "covmerge: 0% 0 MB of 500 MB, 0/4 inputs");
  EXPECT_EQ(ProgressLine(1'000'000, 8'000'000'000'000, 1, 2, 1e6, 200).find("2222:13:19 left") != std::string::npos,
            true);
}

TEST(ProgressLineTest, ANarrowTerminalCutsTheLine) {
  const std::string line = ProgressLine(1'400'000'000, 2'800'000'000, 3, 10, 350e6, 30);
  EXPECT_EQ(line.size(), 29u);
  EXPECT_EQ(line, "covmerge: 50% 1.4 GB of 2.8 G");
}

}  // namespace
}  // namespace covmerge::cli
