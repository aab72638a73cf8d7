// SPDX-License-Identifier: Apache-2.0
// Unit tests for emit/profile_writer through covmerge/writer.h: the exact
// bytes written, nothing for an empty profile, the coverage line with Go's
// rounding, and the atomic replacement of an output file.
#include "covmerge/writer.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/str_cat.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

using internal::Cat;
using internal::ToStd;

MergedProfile SmallProfile() {
  MergedProfile p;
  p.mode = Mode::kCount;
  p.files.push_back({"github.com/o/r/a.go", {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 0, 0}}});
  p.files.push_back({"C:\\w\\my file.go", {{4294967295u, 1, 4294967295u, 2, 4294967295u, kMaxCount}}});
  return p;
}

constexpr std::string_view kSmallProfileText =
    "mode: count\n"
    "github.com/o/r/a.go:1.2,3.4 5 6\n"
    "github.com/o/r/a.go:7.8,9.10 0 0\n"
    "C:\\w\\my file.go:4294967295.1,4294967295.2 4294967295 9223372036854775807\n";

std::string WriteToString(const MergedProfile& profile, absl::Status* status, int* calls = nullptr) {
  std::string out;
  int n = 0;
  *status = WriteProfile(profile, [&](std::string_view bytes) {
    ++n;
    out.append(bytes);
    return absl::OkStatus();
  });
  if (calls != nullptr) *calls = n;
  return out;
}

TEST(WriteProfileTest, WritesExactBytes) {
  absl::Status status;
  EXPECT_EQ(WriteToString(SmallProfile(), &status), kSmallProfileText);
  EXPECT_TRUE(status.ok()) << status;
}

TEST(WriteProfileTest, WritesEachModeName) {
  for (auto [mode, name] : {std::pair{Mode::kSet, "set"}, std::pair{Mode::kCount, "count"},
                            std::pair{Mode::kAtomic, "atomic"}}) {
    MergedProfile p;
    p.mode = mode;
    p.files.push_back({"a.go", {{1, 1, 1, 2, 1, 1}}});
    absl::Status status;
    EXPECT_EQ(WriteToString(p, &status), Cat("mode: ", name, "\na.go:1.1,1.2 1 1\n"));
  }
}

TEST(WriteProfileTest, EmptyProfileWritesNothing) {
  MergedProfile p;
  p.mode = Mode::kCount;
  absl::Status status;
  int calls = -1;
  EXPECT_EQ(WriteToString(p, &status, &calls), "");
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(calls, 0);
}

TEST(WriteProfileTest, LargeProfileArrivesInPiecesInOrder) {
  MergedProfile p;
  p.mode = Mode::kSet;
  std::string want = "mode: set\n";
  for (int f = 0; f < 40; ++f) {
    FileProfile file{Cat("pkg/some/rather/long/directory/name/file", f, ".go"), {}};
    for (uint32_t b = 1; b <= 1000; ++b) {
      file.blocks.push_back({b, 2, b + 1, 3, b % 7, b % 2});
      internal::Append(&want, file.path, ":", b, ".2,", b + 1, ".3 ", b % 7, " ", b % 2, "\n");
    }
    p.files.push_back(std::move(file));
  }
  absl::Status status;
  int calls = 0;
  EXPECT_EQ(WriteToString(p, &status, &calls), want);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_GT(calls, 1) << "a " << want.size() << "-byte profile should come in several pieces";
}

// A profile of several pieces, with files longer than a piece and files of
// one block, and the text it must give.
std::pair<MergedProfile, std::string> ProfileOfManyPieces() {
  MergedProfile p;
  p.mode = Mode::kCount;
  std::string want = "mode: count\n";
  for (int f = 0; f < 300; ++f) {
    FileProfile file{Cat("example.com/m/p", f % 17, "/file", f, ".go"), {}};
    const uint32_t blocks = f % 50 == 0 ? 40000 : static_cast<uint32_t>(f % 3 + 1);
    for (uint32_t b = 1; b <= blocks; ++b) {
      file.blocks.push_back({b, 1, b, 9, 1, uint64_t{b} * 3});
      internal::Append(&want, file.path, ":", b, ".1,", b, ".9 1 ", uint64_t{b} * 3, "\n");
    }
    p.files.push_back(std::move(file));
  }
  return {std::move(p), std::move(want)};
}

TEST(WriteProfileTest, AnyNumberOfThreadsWritesTheSameBytesInOrder) {
  const auto [profile, want] = ProfileOfManyPieces();
  for (int threads : {1, 2, 3, 8, 0}) {
    std::string got;
    int calls = 0;
    const absl::Status status = WriteProfile(
        profile,
        [&](std::string_view piece) {
          ++calls;
          got.append(piece);
          return absl::OkStatus();
        },
        threads);
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_EQ(got, want) << "threads=" << threads;
    EXPECT_GT(calls, 8) << "threads=" << threads;
  }
}

TEST(WriteProfileTest, NoPieceIsWrittenAfterTheSinksFirstErrorWhateverTheThreads) {
  const auto [profile, want] = ProfileOfManyPieces();
  for (int threads : {1, 2, 8}) {
    std::string got;
    int calls = 0;
    const absl::Status status = WriteProfile(
        profile,
        [&](std::string_view piece) {
          if (++calls == 3) return absl::ResourceExhaustedError("disk full");
          got.append(piece);
          return absl::OkStatus();
        },
        threads);
    EXPECT_EQ(ToStd(status.message()), "disk full") << "threads=" << threads;
    EXPECT_EQ(calls, 3) << "threads=" << threads;
    EXPECT_EQ(got, want.substr(0, got.size())) << "the pieces before the error, in order";
  }
}

TEST(WriteProfileTest, ReturnsTheSinksFirstError) {
  MergedProfile p = SmallProfile();
  int calls = 0;
  const absl::Status status = WriteProfile(p, [&](std::string_view) {
    ++calls;
    return absl::ResourceExhaustedError("disk full");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ToStd(status.message()), "disk full");
  EXPECT_EQ(calls, 1);
}

TEST(CoverageLineTest, FormatsLikeGoTest) {
  EXPECT_EQ(CoverageLine(Coverage{1000, 548}), "coverage: 54.8% of statements");
  EXPECT_EQ(CoverageLine(Coverage{0, 0}), "coverage: [no statements]");
  EXPECT_EQ(CoverageLine(Coverage{10, 0}), "coverage: 0.0% of statements");
  EXPECT_EQ(CoverageLine(Coverage{10, 10}), "coverage: 100.0% of statements");
}

TEST(CoverageLineTest, RoundsLikeGosPercentPointOneF) {
  EXPECT_EQ(CoverageLine(Coverage{3, 2}), "coverage: 66.7% of statements");
  EXPECT_EQ(CoverageLine(Coverage{3, 1}), "coverage: 33.3% of statements");
  EXPECT_EQ(CoverageLine(Coverage{7, 1}), "coverage: 14.3% of statements");
  EXPECT_EQ(CoverageLine(Coverage{2000, 1}), "coverage: 0.1% of statements");  // 0.05 is above half in binary
  // Exact ties round to even, as Go's strconv does: 0.25 -> 0.2, 0.75 -> 0.8.
  EXPECT_EQ(CoverageLine(Coverage{400, 1}), "coverage: 0.2% of statements");
  EXPECT_EQ(CoverageLine(Coverage{400, 3}), "coverage: 0.8% of statements");
  // As in Go, 99.999% rounds up to "100.0".
  EXPECT_EQ(CoverageLine(Coverage{100000, 99999}), "coverage: 100.0% of statements");
  EXPECT_EQ(CoverageLine(Coverage{10000, 9999}), "coverage: 100.0% of statements");
  EXPECT_EQ(CoverageLine(Coverage{1000, 999}), "coverage: 99.9% of statements");
}

TEST(CoverageTest, TotalCoverageCountsStatementsOfCoveredBlocks) {
  MergedProfile p;
  p.files.push_back({"a.go", {{1, 1, 1, 2, 3, 0}, {2, 1, 2, 2, 4, 7}}});
  p.files.push_back({"b.go", {{1, 1, 1, 2, 5, 1}}});
  const Coverage c = p.TotalCoverage();
  EXPECT_EQ(c.statements, 12u);
  EXPECT_EQ(c.covered, 9u);
  EXPECT_DOUBLE_EQ(c.Percent(), 75.0);
  EXPECT_EQ(Coverage{}.Percent(), 0.0);
}

class WriteProfileFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = Cat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/covmerge_writer_XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (const std::string& name : List()) ::unlink(Cat(dir_, "/", name).c_str());
    ::rmdir(dir_.c_str());
  }
  std::vector<std::string> List() const {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir_.c_str());
    if (d == nullptr) return names;
    while (struct dirent* e = ::readdir(d)) {
      const std::string_view name = e->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    ::closedir(d);
    return names;
  }
  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
  std::string dir_;
};

TEST_F(WriteProfileFileTest, WritesTheFile) {
  const std::string path = Cat(dir_, "/merged.out");
  const absl::Status status = WriteProfileFile(SmallProfile(), path);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(ReadAll(path), kSmallProfileText);
  EXPECT_EQ(List(), std::vector<std::string>{"merged.out"});
}

TEST_F(WriteProfileFileTest, ReplacesThePreviousFileAtomically) {
  const std::string path = Cat(dir_, "/merged.out");
  { std::ofstream(path) << "previous, and longer than what replaces it: " << std::string(500, 'p') << "\n"; }
  MergedProfile p;
  p.mode = Mode::kSet;
  p.files.push_back({"a.go", {{1, 1, 1, 2, 1, 1}}});
  const absl::Status status = WriteProfileFile(p, path);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(ReadAll(path), "mode: set\na.go:1.1,1.2 1 1\n");
  EXPECT_EQ(List(), std::vector<std::string>{"merged.out"});
}

TEST_F(WriteProfileFileTest, EmptyProfileGivesAnEmptyFile) {
  const std::string path = Cat(dir_, "/merged.out");
  { std::ofstream(path) << "previous\n"; }
  ASSERT_TRUE(WriteProfileFile(MergedProfile{}, path).ok());
  EXPECT_EQ(ReadAll(path), "");
}

TEST_F(WriteProfileFileTest, FailureLeavesThePreviousFile) {
  const std::string path = Cat(dir_, "/missing-dir/merged.out");
  const absl::Status status = WriteProfileFile(SmallProfile(), path);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(ToStd(status.message()).find(path), std::string_view::npos) << status;
  EXPECT_TRUE(List().empty());
}

TEST(WriteProfileToDescriptorTest, FullDeviceIsResourceExhausted) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const absl::Status status = WriteProfileToDescriptor(SmallProfile(), fd, "<full>");
  ::close(fd);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_NE(ToStd(status.message()).find("<full>"), std::string_view::npos) << status;
}

TEST(WriteProfileToDescriptorTest, WritesToAPipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const absl::Status status = WriteProfileToDescriptor(SmallProfile(), fds[1], "<pipe>");
  ::close(fds[1]);
  ASSERT_TRUE(status.ok()) << status;
  std::string got;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) got.append(buffer, static_cast<size_t>(n));
  ::close(fds[0]);
  EXPECT_EQ(got, kSmallProfileText);
}

}  // namespace
}  // namespace covmerge
