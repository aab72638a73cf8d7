// SPDX-License-Identifier: Apache-2.0
// Unit tests for merge/merger through the public API (covmerge/merger.h):
// how counts combine, how the result is ordered, that neither the thread
// count nor the chunk size changes the result, and the errors for damaged
// and conflicting inputs, with and without keep_going.
#include "covmerge/merger.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "base/str_cat.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

using internal::Cat;
using internal::ToStd;

struct NamedInput {
  std::string name;
  std::string contents;
};

absl::StatusOr<MergeResult> MergeBuffers(const std::vector<NamedInput>& inputs, MergeOptions options = {}) {
  Merger merger(options);
  for (const NamedInput& in : inputs) merger.AddBuffer(in.name, in.contents);
  return merger.Finish();
}

std::string_view Message(const absl::Status& status) { return ToStd(status.message()); }

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// The profile as text, one block a line, for readable comparisons.
std::string Dump(const MergedProfile& profile) {
  std::string out = Cat("mode: ", ModeName(profile.mode), "\n");
  for (const FileProfile& f : profile.files) {
    for (const Block& b : f.blocks) {
      internal::Append(&out, f.path, ":", b.start_line, ".", b.start_col, ",", b.end_line, ".", b.end_col, " ",
                       b.num_stmt, " ", b.count, "\n");
    }
  }
  return out;
}

// The first line where two dumps differ, or "" when they are equal.
std::string FirstDifference(const MergedProfile& got, const MergedProfile& want) {
  const std::string a = Dump(got), b = Dump(want);
  if (a == b) return "";
  size_t line_start = 0;
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) {
    if (a[i] == '\n') line_start = i + 1;
    ++i;
  }
  auto line_at = [&](const std::string& s) {
    if (line_start >= s.size()) return std::string("<end>");
    return s.substr(line_start, s.find('\n', line_start) - line_start);
  };
  return Cat("got ", line_at(a), " want ", line_at(b), " (", a.size(), " vs ", b.size(), " bytes of dump)");
}

TEST(MergerTest, CountModeAddsCounts) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"x", "mode: count\na.go:1.2,3.4 2 5\na.go:5.1,6.2 1 0\n"},
      {"y", "mode: count\na.go:1.2,3.4 2 7\na.go:5.1,6.2 1 3\n"},
  });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: count\na.go:1.2,3.4 2 12\na.go:5.1,6.2 1 3\n");
  EXPECT_EQ(r->report.inputs_merged, 2u);
  EXPECT_TRUE(r->report.skipped.empty());
  EXPECT_TRUE(r->report.warnings.empty());
}

TEST(MergerTest, AtomicModeAddsCounts) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"x", "mode: atomic\na.go:1.2,3.4 2 5\n"},
      {"y", "mode: atomic\na.go:1.2,3.4 2 7\n"},
  });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: atomic\na.go:1.2,3.4 2 12\n");
}

TEST(MergerTest, SetModeOrsCounts) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"x", "mode: set\na.go:1.2,3.4 2 1\na.go:5.1,6.2 1 0\na.go:7.1,8.2 1 0\n"},
      {"y", "mode: set\na.go:1.2,3.4 2 1\na.go:5.1,6.2 1 1\na.go:7.1,8.2 1 0\n"},
      {"z", "mode: set\na.go:1.2,3.4 2 1\n"},
  });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: set\na.go:1.2,3.4 2 1\na.go:5.1,6.2 1 1\na.go:7.1,8.2 1 0\n");
}

TEST(MergerTest, SaturatedCountsStayAtMaxAndWarn) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"x", "mode: count\na.go:1.2,3.4 2 9223372036854775800\nb.go:1.2,3.4 2 1\n"},
      {"y", "mode: count\na.go:1.2,3.4 2 100\nb.go:1.2,3.4 2 1\n"},
  });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: count\na.go:1.2,3.4 2 9223372036854775807\nb.go:1.2,3.4 2 2\n");
  ASSERT_EQ(r->report.warnings.size(), 1u);
  EXPECT_TRUE(Contains(r->report.warnings[0], "9223372036854775807")) << r->report.warnings[0];
  EXPECT_TRUE(StartsWith(r->report.warnings[0], "1 block count ")) << r->report.warnings[0];
}

TEST(MergerTest, SaturationWarningCountsBlocks) {
  std::string x = "mode: count\n", y = "mode: count\n";
  for (int i = 1; i <= 3; ++i) {
    x += Cat("a.go:", i, ".1,", i, ".9 1 9223372036854775807\n");
    y += Cat("a.go:", i, ".1,", i, ".9 1 1\n");
  }
  absl::StatusOr<MergeResult> r = MergeBuffers({{"x", x}, {"y", y}}, MergeOptions{.threads = 1});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->report.warnings.size(), 1u);
  EXPECT_TRUE(StartsWith(r->report.warnings[0], "3 block counts ")) << r->report.warnings[0];
}

TEST(MergerTest, FilesAreSortedInByteOrder) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"x", "mode: set\nb.go:1.1,1.2 1 1\n\xc3\xa9.go:1.1,1.2 1 1\na/z.go:1.1,1.2 1 1\n"},
      {"y", "mode: set\nZ.go:1.1,1.2 1 1\na.go:1.1,1.2 1 1\na b.go:1.1,1.2 1 1\nb.go:1.1,1.2 1 0\n"},
  });
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<std::string> paths;
  for (const FileProfile& f : r->profile.files) paths.push_back(f.path);
  // ' ' < '.' < '/' < 'Z' < 'a' < 'b' < 0xc3: plain byte order, non-ASCII last.
  const std::vector<std::string> want = {"Z.go", "a b.go", "a.go", "a/z.go", "b.go", "\xc3\xa9.go"};
  EXPECT_EQ(paths, want);
}

TEST(MergerTest, BlocksAreSortedByPosition) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"x", "mode: count\na.go:10.1,12.2 1 1\na.go:2.5,3.1 1 2\na.go:2.5,2.9 1 3\na.go:2.1,9.9 1 4\n"},
      {"y", "mode: count\na.go:100.1,100.2 1 5\na.go:9.9,9.12 1 6\n"},
  });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile),
            "mode: count\n"
            "a.go:2.1,9.9 1 4\n"
            "a.go:2.5,2.9 1 3\n"
            "a.go:2.5,3.1 1 2\n"
            "a.go:9.9,9.12 1 6\n"
            "a.go:10.1,12.2 1 1\n"
            "a.go:100.1,100.2 1 5\n");
}

TEST(MergerTest, DuplicateBlocksInOneInputAreMerged) {
  absl::StatusOr<MergeResult> count = MergeBuffers({
      {"x", "mode: count\na.go:1.2,3.4 2 5\nb.go:1.1,1.2 1 1\na.go:1.2,3.4 2 6\n"},
  });
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(Dump(count->profile), "mode: count\na.go:1.2,3.4 2 11\nb.go:1.1,1.2 1 1\n");
  absl::StatusOr<MergeResult> set = MergeBuffers({
      {"x", "mode: set\na.go:1.2,3.4 2 1\na.go:1.2,3.4 2 0\na.go:1.2,3.4 2 1\n"},
  });
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(Dump(set->profile), "mode: set\na.go:1.2,3.4 2 1\n");
}

TEST(MergerTest, ConcatenatedProfilesInOneInputAreMerged) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"cat", "mode: count\na.go:1.2,3.4 2 5\nmode: count\na.go:1.2,3.4 2 6\n"},
  });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: count\na.go:1.2,3.4 2 11\n");
}

TEST(MergerTest, OnlyModeLinesGiveAnEmptyResult) {
  absl::StatusOr<MergeResult> r = MergeBuffers({{"x", "mode: set\n"}, {"y", "mode: set\n\n"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->profile.empty());
  EXPECT_TRUE(r->profile.files.empty());
  EXPECT_EQ(r->report.inputs_merged, 2u);
}

TEST(MergerTest, InputWithOnlyAModeLineDoesNotDecideTheMode) {
  absl::StatusOr<MergeResult> r = MergeBuffers({{"x", "mode: set\n"}, {"y", "mode: count\na.go:1.2,3.4 2 3\n"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: count\na.go:1.2,3.4 2 3\n");
}

TEST(MergerTest, NoInputsGiveAnEmptyResult) {
  Merger merger;
  EXPECT_EQ(merger.input_count(), 0u);
  absl::StatusOr<MergeResult> r = merger.Finish();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->profile.empty());
}

TEST(MergerTest, ReportsBytesRead) {
  const std::string x = "mode: set\na.go:1.2,3.4 2 1\n", y = "mode: set\n";
  absl::StatusOr<MergeResult> r = MergeBuffers({{"x", x}, {"y", y}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->report.bytes_read, x.size() + y.size());
}

// ---------------------------------------------------------------------------
// The same result whatever the threads and chunk size.

// Generated inputs in count mode and the merge a naive model expects.
struct Generated {
  std::vector<NamedInput> inputs;
  std::string expected;  // Dump() of the expected profile
};

Generated GenerateInputs(int input_count, int blocks_per_file, uint32_t seed) {
  const std::vector<std::string> files = {"github.com/o/r/a.go", "github.com/o/r/b.go", "github.com/o/r/m/main.go",
                                          "github.com/o/r/with space.go", "C:\\w\\r\\win.go", "mode.go",
                                          "github.com/o/r/z/very/deep/path/to/some/file_with_a_long_name.go",
                                          "github.com/o/r/\xc3\xa9t\xc3\xa9.go"};
  std::mt19937 rng(seed);
  using Position = std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>;
  std::map<std::string, std::map<Position, std::pair<uint32_t, uint64_t>>> model;
  Generated g;
  for (int in = 0; in < input_count; ++in) {
    std::string text = "mode: count\n";
    const bool crlf = in % 4 == 1;
    for (int f = 0; f < static_cast<int>(files.size()); ++f) {
      const int fi = (f + in) % static_cast<int>(files.size());  // each input its own file order
      for (int j = 0; j < blocks_per_file; ++j) {
        if (rng() % 4 == 0) continue;  // not every input has every block
        const int repeats = rng() % 10 == 0 ? 2 : 1;
        for (int rep = 0; rep < repeats; ++rep) {
          const uint32_t sl = static_cast<uint32_t>(j * 3 + 1), sc = static_cast<uint32_t>(j % 5 + 1);
          const uint32_t el = sl + static_cast<uint32_t>(j % 3), ec = static_cast<uint32_t>(j % 7 + 2);
          const uint32_t ns = static_cast<uint32_t>(j % 4 + 1);
          const uint64_t count = rng() % 3 == 0 ? 0 : rng() % 100000;
          internal::Append(&text, files[fi], ":", sl, ".", sc, ",", el, ".", ec, " ", ns, " ", count,
                           crlf ? "\r\n" : "\n");
          auto& entry = model[files[fi]][Position{sl, sc, el, ec}];
          entry.first = ns;
          entry.second += count;
        }
        if (rng() % 50 == 0) text += "\n";
        if (rng() % 200 == 0) text += "mode: count\n";
      }
    }
    if (in % 5 == 3 && !text.empty()) text.pop_back();  // no final newline
    g.inputs.push_back({Cat("gen", in, ".out"), std::move(text)});
  }
  g.expected = "mode: count\n";
  for (const auto& [path, blocks] : model) {
    for (const auto& [pos, value] : blocks) {
      const auto& [sl, sc, el, ec] = pos;
      internal::Append(&g.expected, path, ":", sl, ".", sc, ",", el, ".", ec, " ", value.first, " ", value.second,
                       "\n");
    }
  }
  return g;
}

const uint64_t kDefaultChunk = MergeOptions{}.chunk_bytes;

// The merged profile of a model (path -> start line -> count) of blocks
// that all read "PATH:L.2,L+1END COUNT", END the same for every block.
using CountModel = std::map<std::string, std::map<uint32_t, uint64_t>>;
std::string ModelProfile(const CountModel& model, std::string_view end) {
  std::string text = "mode: count\n";
  for (const auto& [path, blocks] : model) {
    for (const auto& [line, count] : blocks) internal::Append(&text, path, ":", line, ".2,", line + 1, end, count, "\n");
  }
  return text;
}

// Merges `inputs` at 1, 2 and 4 threads and chunks of several sizes (one
// cutting lines everywhere); each must give `expected`.
void ExpectMergedAtEveryThreadCountAndChunkSize(const std::vector<NamedInput>& inputs, const std::string& expected) {
  for (int threads : {1, 2, 4}) {
    for (uint64_t chunk : {uint64_t{97}, uint64_t{4096}, kDefaultChunk}) {
      absl::StatusOr<MergeResult> r = MergeBuffers(inputs, MergeOptions{.threads = threads, .chunk_bytes = chunk});
      ASSERT_TRUE(r.ok()) << "threads=" << threads << " chunk_bytes=" << chunk << ": " << r.status();
      EXPECT_EQ(Dump(r->profile), expected) << "threads=" << threads << " chunk_bytes=" << chunk;
    }
  }
}

TEST(MergerDeterminismTest, GeneratedInputsMergeAsTheModelSays) {
  const Generated g = GenerateInputs(6, 40, 1);
  absl::StatusOr<MergeResult> r = MergeBuffers(g.inputs, MergeOptions{.threads = 1});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), g.expected);
}

TEST(MergerDeterminismTest, BufferInputsGiveTheSameProfileForAnyThreadsAndChunkSize) {
  const Generated g = GenerateInputs(6, 30, 2);
  absl::StatusOr<MergeResult> baseline = MergeBuffers(g.inputs, MergeOptions{.threads = 1});
  ASSERT_TRUE(baseline.ok()) << baseline.status();
  ASSERT_EQ(Dump(baseline->profile), g.expected);
  for (int threads : {1, 2, 4, 8}) {
    for (uint64_t chunk : {uint64_t{1}, uint64_t{7}, uint64_t{64}, kDefaultChunk}) {
      absl::StatusOr<MergeResult> r =
          MergeBuffers(g.inputs, MergeOptions{.threads = threads, .chunk_bytes = chunk});
      ASSERT_TRUE(r.ok()) << "threads=" << threads << " chunk_bytes=" << chunk << ": " << r.status();
      EXPECT_EQ(FirstDifference(r->profile, baseline->profile), "")
          << "threads=" << threads << " chunk_bytes=" << chunk;
      EXPECT_EQ(r->report.inputs_merged, g.inputs.size());
    }
  }
}

// The merge guesses where the next file's lines start from the length of
// that file's last run; inputs whose runs change length from one input to
// the next make the guess fall short, too far, on another file or past the
// data. None of it may change the result.
TEST(MergerDeterminismTest, RunsThatChangeLengthBetweenInputsMergeAsTheModelSays) {
  constexpr int kFiles = 30;
  CountModel model;
  std::vector<NamedInput> inputs;
  for (int in = 0; in < 6; ++in) {
    std::string text = "mode: count\n";
    for (int k = 0; k < kFiles; ++k) {
      const int f = (k * 7 + in * 11) % kFiles;  // each input its own file order
      const std::string path = Cat("example.com/p/f", f, ".go");
      const int blocks = (f * 13 + in * 29) % 60 + 1;
      for (int b = 0; b < blocks; ++b) {
        const uint32_t line = static_cast<uint32_t>(b * 2 + 1);
        const uint64_t count = static_cast<uint64_t>(in * 100 + b);
        internal::Append(&text, path, ":", line, ".2,", line + 1, ".3 1 ", count, "\n");
        model[path][line] += count;
      }
    }
    inputs.push_back({Cat("runs", in, ".out"), std::move(text)});
  }
  ExpectMergedAtEveryThreadCountAndChunkSize(inputs, ModelProfile(model, ".3 1 "));
}

// Inputs written to files, to run the file reading and mapping paths.
class MergerFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = Cat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/covmerge_merger_XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (const std::string& f : files_) ::unlink(f.c_str());
    ::rmdir(dir_.c_str());
  }

  std::string Write(std::string_view name, std::string_view contents) {
    std::string path = Cat(dir_, "/", name);
    std::ofstream out(path, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    files_.push_back(path);
    return path;
  }

  absl::StatusOr<MergeResult> MergeFiles(const std::vector<std::string>& paths, MergeOptions options = {}) {
    Merger merger(options);
    for (const std::string& p : paths) merger.AddFile(p);
    return merger.Finish();
  }

  std::string dir_;
  std::vector<std::string> files_;
};

TEST_F(MergerFileTest, FileInputsGiveTheSameProfileForAnyThreadsChunkSizeAndAccess) {
  const Generated g = GenerateInputs(4, 8, 3);
  std::vector<std::string> paths;
  for (const NamedInput& in : g.inputs) paths.push_back(Write(in.name, in.contents));
  for (bool use_mmap : {false, true}) {
    for (int threads : {1, 2, 4, 8}) {
      for (uint64_t chunk : {uint64_t{1}, uint64_t{7}, uint64_t{64}, kDefaultChunk}) {
        absl::StatusOr<MergeResult> r =
            MergeFiles(paths, MergeOptions{.threads = threads, .chunk_bytes = chunk, .use_mmap = use_mmap});
        ASSERT_TRUE(r.ok()) << "threads=" << threads << " chunk_bytes=" << chunk << " mmap=" << use_mmap << ": "
                            << r.status();
        EXPECT_EQ(Dump(r->profile), g.expected)
            << "threads=" << threads << " chunk_bytes=" << chunk << " mmap=" << use_mmap;
      }
    }
  }
}

TEST_F(MergerFileTest, MissingFileIsNotFoundNamingThePath) {
  const std::string good = Write("good.out", "mode: set\na.go:1.2,3.4 1 1\n");
  const std::string missing = Cat(dir_, "/missing.out");
  absl::StatusOr<MergeResult> r = MergeFiles({good, missing});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound) << r.status();
  EXPECT_TRUE(Contains(Message(r.status()), missing)) << r.status();
}

// Skipped inputs come stage by stage (unreadable, damaged, in conflict),
// each stage in input order, and say which: only a conflict depends on the
// other inputs (a distributed merge must then merge all of them at once).
TEST_F(MergerFileTest, SkippedInputsComeInStagesAndSayWhich) {
  const std::string conflict = Write("a-conflict.out", "mode: set\na.go:1.2,3.4 9 1\n");
  const std::string damaged = Write("b-damaged.out", "mode: set\na.go:1.2,3.4 1 x\n");
  const std::string good = Write("c-good.out", "mode: set\na.go:1.2,3.4 1 1\nb.go:1.2,3.4 1 1\n");
  const std::string other_mode = Write("d-count.out", "mode: count\nb.go:1.2,3.4 1 1\n");
  const std::string missing = Cat(dir_, "/e-missing.out");
  absl::StatusOr<MergeResult> r =
      MergeFiles({good, conflict, damaged, other_mode, missing}, MergeOptions{.keep_going = true});
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<std::pair<std::string, SkippedInput::Stage>> got;
  for (const SkippedInput& s : r->report.skipped) got.emplace_back(s.name, s.stage);
  using Stage = SkippedInput::Stage;
  const std::vector<std::pair<std::string, SkippedInput::Stage>> want = {
      {missing, Stage::kOpen}, {damaged, Stage::kParse}, {other_mode, Stage::kConflict}, {conflict, Stage::kConflict}};
  EXPECT_EQ(got, want);
}

// Inputs are opened on the workers: whatever the thread count, the error
// names the first unreadable input, and the skipped ones come in input order.
TEST_F(MergerFileTest, UnreadableInputsAreReportedInInputOrderAtEveryThreadCount) {
  std::vector<std::string> paths;
  std::vector<std::string> unreadable;
  for (int i = 0; i < 40; ++i) {
    if (i % 7 == 3) {
      paths.push_back(Cat(dir_, "/missing", i, ".out"));
      unreadable.push_back(paths.back());
    } else {
      paths.push_back(Write(Cat("good", i, ".out"), Cat("mode: set\na.go:", i + 1, ".2,", i + 1, ".9 1 1\n")));
    }
  }
  for (int threads : {1, 2, 8}) {
    absl::StatusOr<MergeResult> r = MergeFiles(paths, MergeOptions{.threads = threads});
    ASSERT_FALSE(r.ok()) << "threads=" << threads;
    EXPECT_TRUE(Contains(Message(r.status()), unreadable[0])) << r.status();
    EXPECT_FALSE(Contains(Message(r.status()), unreadable[1])) << r.status();
    r = MergeFiles(paths, MergeOptions{.threads = threads, .keep_going = true});
    ASSERT_TRUE(r.ok()) << r.status();
    std::vector<std::string> skipped;
    for (const SkippedInput& s : r->report.skipped) skipped.push_back(s.name);
    EXPECT_EQ(skipped, unreadable) << "threads=" << threads;
    EXPECT_EQ(r->report.inputs_merged, paths.size() - unreadable.size());
  }
}

TEST_F(MergerFileTest, MissingFileIsSkippedWithKeepGoing) {
  const std::string good = Write("good.out", "mode: set\na.go:1.2,3.4 1 1\n");
  const std::string missing = Cat(dir_, "/missing.out");
  absl::StatusOr<MergeResult> r = MergeFiles({missing, good}, MergeOptions{.keep_going = true});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: set\na.go:1.2,3.4 1 1\n");
  ASSERT_EQ(r->report.skipped.size(), 1u);
  EXPECT_EQ(r->report.skipped[0].name, missing);
  EXPECT_TRUE(Contains(r->report.skipped[0].reason, missing)) << r->report.skipped[0].reason;
  EXPECT_EQ(r->report.inputs_merged, 1u);
}

TEST_F(MergerFileTest, MalformedLineInALaterChunkIsReportedWithItsLine) {
  std::string text = "mode: count\n";
  for (int i = 1; i <= 200; ++i) text += Cat("a.go:", i, ".1,", i, ".9 1 1\n");
  text += "a.go:201.1,201.9 1 x\n";  // line 202
  const std::string path = Write("late.out", text);
  for (uint64_t chunk : {uint64_t{64}, uint64_t{1000}, kDefaultChunk}) {
    for (int threads : {1, 4}) {
      absl::StatusOr<MergeResult> r = MergeFiles({path}, MergeOptions{.threads = threads, .chunk_bytes = chunk});
      ASSERT_FALSE(r.ok()) << "chunk_bytes=" << chunk;
      EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
      EXPECT_TRUE(StartsWith(Message(r.status()), Cat(path, ":202:20: expected ")))
          << "chunk_bytes=" << chunk << ": " << r.status();
    }
  }
}

TEST_F(MergerFileTest, ConflictMessagesDoNotDependOnThreadsOrChunks) {
  std::string x = "mode: count\n", y = "mode: count\n";
  for (int i = 1; i <= 100; ++i) {
    x += Cat("a.go:", i, ".1,", i, ".9 1 1\n");
    y += Cat("a.go:", i, ".1,", i, ".9 ", i == 70 ? 2 : 1, " 1\n");  // line 71 of y disagrees
  }
  const std::string px = Write("x.out", x), py = Write("y.out", y);
  absl::StatusOr<MergeResult> base = MergeFiles({px, py}, MergeOptions{.threads = 1});
  ASSERT_FALSE(base.ok());
  EXPECT_EQ(base.status().code(), absl::StatusCode::kFailedPrecondition) << base.status();
  EXPECT_TRUE(StartsWith(Message(base.status()), Cat(py, ":71: "))) << base.status();
  EXPECT_TRUE(Contains(Message(base.status()), Cat(px, ":71"))) << base.status();
  for (int threads : {2, 8}) {
    for (uint64_t chunk : {uint64_t{7}, uint64_t{300}, kDefaultChunk}) {
      absl::StatusOr<MergeResult> r = MergeFiles({px, py}, MergeOptions{.threads = threads, .chunk_bytes = chunk});
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status(), base.status()) << "threads=" << threads << " chunk_bytes=" << chunk;
    }
  }
}

// ---------------------------------------------------------------------------
// Interleaved inputs (every line names another file), which the pass splits
// among workers by file: the same result and messages at every -j.

// `lines` block lines over `files` files in turn, then the same blocks
// again (merged within the input); count i % 5 at line i.
std::string Interleaved(int lines, int files) {
  std::string text = "mode: count\n";
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < lines; ++i) text += Cat("x/f", i % files, ".go:", i + 1, ".1,", i + 1, ".9 1 ", i % 5, "\n");
  }
  return text;
}

TEST(MergerInterleavedTest, SplitByFileMergesAsOneThreadDoes) {
  const std::string cycling = Interleaved(3000, 41);
  // The same files with runs of lines, merged beside it: they share files.
  std::string runs = "mode: count\n";
  for (int f = 0; f < 41; ++f) {
    for (int i = f; i < 3000; i += 41) runs += Cat("x/f", f, ".go:", i + 1, ".1,", i + 1, ".9 1 1\n");
  }
  for (const std::vector<NamedInput>& inputs :
       {std::vector<NamedInput>{{"cycling", cycling}}, std::vector<NamedInput>{{"runs", runs}, {"cycling", cycling}},
        std::vector<NamedInput>{{"cycling", cycling}, {"again", cycling}}}) {
    absl::StatusOr<MergeResult> base = MergeBuffers(inputs, MergeOptions{.threads = 1});
    ASSERT_TRUE(base.ok()) << base.status();
    // The model: every block twice per cycling input, once in runs.
    const uint64_t copies = 2 * std::count_if(inputs.begin(), inputs.end(),
                                              [](const NamedInput& in) { return in.name != "runs"; });
    const bool with_runs = inputs[0].name == "runs";
    ASSERT_EQ(base->profile.files.size(), 41u);
    for (const FileProfile& file : base->profile.files) {
      for (const Block& b : file.blocks) {
        ASSERT_EQ(b.count, copies * ((b.start_line - 1) % 5) + (with_runs ? 1 : 0)) << file.path << ":" << b.start_line;
      }
    }
    for (int threads : {2, 3, 5}) {
      for (uint64_t chunk : {uint64_t{500}, uint64_t{4096}, kDefaultChunk}) {
        absl::StatusOr<MergeResult> r = MergeBuffers(inputs, MergeOptions{.threads = threads, .chunk_bytes = chunk});
        ASSERT_TRUE(r.ok()) << r.status();
        EXPECT_EQ(FirstDifference(r->profile, base->profile), "") << "threads=" << threads << " chunk=" << chunk;
        EXPECT_EQ(r->report.inputs_merged, inputs.size());
      }
    }
  }
}

TEST(MergerInterleavedTest, AMalformedLineIsReportedAtItsLineWhateverOwnerMeetsIt) {
  // Line 2,501 (after the mode line) is bad; every owner scans past it.
  std::string text = "mode: count\n";
  for (int i = 0; i < 4000; ++i) {
    text += i == 2500 ? std::string("x/f3.go:2501.1,2501.9 1 z\n") : Cat("x/f", i % 37, ".go:", i + 1, ".1,", i + 1, ".9 1 1\n");
  }
  for (int threads : {1, 2, 4}) {
    for (uint64_t chunk : {uint64_t{700}, uint64_t{10000}, kDefaultChunk}) {
      absl::StatusOr<MergeResult> r = MergeBuffers({{"bad.out", text}}, MergeOptions{.threads = threads, .chunk_bytes = chunk});
      ASSERT_FALSE(r.ok()) << "threads=" << threads;
      EXPECT_TRUE(StartsWith(Message(r.status()), "bad.out:2502:")) << "threads=" << threads << " chunk=" << chunk
                                                                    << ": " << r.status();
    }
  }
}

TEST(MergerInterleavedTest, ANumStmtConflictInsideTheInputIsTheSameAtEveryThreadCount) {
  std::string text = "mode: count\n";
  for (int i = 0; i < 3000; ++i) text += Cat("x/f", i % 23, ".go:", i + 1, ".1,", i + 1, ".9 1 1\n");
  text += "x/f7.go:8.1,8.9 4 1\n";  // line 3,002: block 8 of f7 again, with 4 statements
  absl::StatusOr<MergeResult> base = MergeBuffers({{"c.out", text}}, MergeOptions{.threads = 1});
  ASSERT_FALSE(base.ok());
  EXPECT_EQ(base.status().code(), absl::StatusCode::kFailedPrecondition) << base.status();
  for (int threads : {2, 4}) {
    for (uint64_t chunk : {uint64_t{900}, kDefaultChunk}) {
      absl::StatusOr<MergeResult> r = MergeBuffers({{"c.out", text}}, MergeOptions{.threads = threads, .chunk_bytes = chunk});
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status(), base.status()) << "threads=" << threads << " chunk=" << chunk;
    }
  }
}

// ---------------------------------------------------------------------------
// Chunked buffers: the same rules as for a whole buffer.

TEST(MergerChunkTest, LeadingBlankLineIsAcceptedWhateverTheChunkSize) {
  // The whole-input scan skips blank lines before the mode line; a chunk
  // size must not change whether the input is accepted.
  const std::string text = "\nmode: set\na.go:1.2,3.4 1 1\n";
  absl::StatusOr<MergeResult> whole = MergeBuffers({{"x", text}});
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(Dump(whole->profile), "mode: set\na.go:1.2,3.4 1 1\n");
  absl::StatusOr<MergeResult> chunked = MergeBuffers({{"x", text}}, MergeOptions{.chunk_bytes = 1});
  ASSERT_TRUE(chunked.ok()) << chunked.status();
  EXPECT_EQ(Dump(chunked->profile), "mode: set\na.go:1.2,3.4 1 1\n");
}

TEST_F(MergerFileTest, LeadingBlankLineIsAcceptedWhateverTheChunkSize) {
  const std::string path = Write("blank.out", "\r\n\nmode: set\na.go:1.2,3.4 1 1\n");
  for (uint64_t chunk : {uint64_t{1}, uint64_t{2}, uint64_t{3}, kDefaultChunk}) {
    absl::StatusOr<MergeResult> r = MergeFiles({path}, MergeOptions{.chunk_bytes = chunk});
    ASSERT_TRUE(r.ok()) << "chunk_bytes=" << chunk << ": " << r.status();
    EXPECT_EQ(Dump(r->profile), "mode: set\na.go:1.2,3.4 1 1\n") << "chunk_bytes=" << chunk;
  }
}

TEST(MergerChunkTest, BufferLargerThanTheDefaultChunkKeepsEveryBlock) {
  // What `covmerge - < big.out` does: stdin and buffers are held in memory,
  // and one over chunk_bytes is cut into chunks. Default options here.
  std::string text = "mode: count\n";
  uint32_t blocks = 0;
  while (text.size() < kDefaultChunk * 5 / 2) {
    ++blocks;
    internal::Append(&text, "github.com/o/r/pkg/a.go:", blocks, ".1,", blocks, ".2 1 1\n");
  }
  absl::StatusOr<MergeResult> r = MergeBuffers({{"<stdin>", text}}, MergeOptions{.threads = 2});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->profile.files.size(), 1u);
  EXPECT_EQ(r->profile.files[0].blocks.size(), blocks) << "of a " << text.size() << "-byte buffer";
  EXPECT_EQ(r->profile.mode, Mode::kCount);
}

TEST(MergerChunkTest, MalformedLineInALaterChunkOfABufferIsReported) {
  std::string text = "mode: count\n";
  for (int i = 1; i <= 50; ++i) text += Cat("a.go:", i, ".1,", i, ".9 1 1\n");
  text += "a.go:51.1,51.9 1 x\n";  // line 52
  absl::StatusOr<MergeResult> r = MergeBuffers({{"buf", text}}, MergeOptions{.chunk_bytes = 64});
  ASSERT_FALSE(r.ok()) << "the malformed line 52 was not reported; merged " << Dump(r->profile).size()
                       << " bytes of profile";
  EXPECT_TRUE(StartsWith(Message(r.status()), "buf:52:18: expected ")) << r.status();
}

// ---------------------------------------------------------------------------
// Errors.

TEST(MergerErrorTest, MalformedLineIsInvalidArgumentWithNameLineAndColumn) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"good", "mode: set\na.go:1.2,3.4 1 1\n"},
      {"bad.out", "mode: set\na.go:1.2,3.4 x 1\n"},
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
  EXPECT_TRUE(StartsWith(Message(r.status()), "bad.out:2:14: expected ")) << r.status();
  EXPECT_TRUE(Contains(Message(r.status()), "\"a.go:1.2,3.4 x 1\"")) << r.status();
}

TEST(MergerErrorTest, LineNumbersCountBlankAndCrlfLines) {
  absl::StatusOr<MergeResult> r = MergeBuffers({{"crlf", "mode: set\r\n\r\na.go:1.2,3.4 1 1\r\n\r\na.go:-1.2,3.4 1 1\r\n"}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(StartsWith(Message(r.status()), "crlf:5:6: expected ")) << r.status();
}

TEST(MergerErrorTest, MissingModeLineIsInvalidArgument) {
  absl::StatusOr<MergeResult> r = MergeBuffers({{"nomode", "a.go:1.2,3.4 1 1\n"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
  EXPECT_TRUE(StartsWith(Message(r.status()), "nomode:1:1: expected \"mode: ")) << r.status();
}

TEST(MergerErrorTest, FirstBadInputIsReported) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"ok", "mode: set\na.go:1.2,3.4 1 1\n"},
      {"bad1", "mode: set\nnot a block\n"},
      {"bad2", "mode: set\nalso not a block\n"},
  });
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(StartsWith(Message(r.status()), "bad1:2:")) << r.status();
}

TEST(MergerErrorTest, ModeMismatchBetweenInputsNamesBoth) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"first.out", "mode: set\na.go:1.2,3.4 1 1\n"},
      {"second.out", "mode: count\na.go:1.2,3.4 1 1\n"},
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition) << r.status();
  EXPECT_TRUE(StartsWith(Message(r.status()), "second.out:1: ")) << r.status();
  EXPECT_TRUE(Contains(Message(r.status()), "first.out:1")) << r.status();
  EXPECT_TRUE(Contains(Message(r.status()), "\"count\"")) << r.status();
  EXPECT_TRUE(Contains(Message(r.status()), "\"set\"")) << r.status();
}

TEST(MergerErrorTest, NumStmtConflictNamesBothInputsAndLines) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"x.out", "mode: count\nb.go:1.1,1.2 1 1\na.go:1.2,3.4 5 1\n"},
      {"y.out", "mode: count\n\na.go:9.1,9.2 1 1\na.go:1.2,3.4 6 1\n"},
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition) << r.status();
  const std::string_view m = Message(r.status());
  EXPECT_TRUE(StartsWith(m, "y.out:4: ")) << m;
  EXPECT_TRUE(Contains(m, "x.out:3")) << m;
  EXPECT_TRUE(Contains(m, "a.go:1.2,3.4")) << m;
  EXPECT_TRUE(Contains(m, " 6 ")) << m;
  EXPECT_TRUE(Contains(m, " 5 ")) << m;
}

TEST(MergerErrorTest, NumStmtConflictIsFoundAcrossThreads) {
  // With many items on many threads the two sides usually land in
  // different workers' tables; the fold must still see the conflict.
  std::vector<NamedInput> inputs;
  for (int i = 0; i < 16; ++i) {
    inputs.push_back({Cat("in", i), Cat("mode: count\na.go:1.2,3.4 ", i == 11 ? 9 : 5, " 1\n")});
  }
  for (int threads : {1, 8}) {
    absl::StatusOr<MergeResult> r = MergeBuffers(inputs, MergeOptions{.threads = threads});
    ASSERT_FALSE(r.ok()) << "threads=" << threads;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition) << r.status();
    EXPECT_TRUE(StartsWith(Message(r.status()), "in11:2: ")) << r.status();
    EXPECT_TRUE(Contains(Message(r.status()), "in0:2")) << r.status();
  }
}

TEST(MergerErrorTest, SameStartDifferentEndFromTwoInputsIsFailedPrecondition) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"old.out", "mode: set\na.go:1.2,3.4 1 1\n"},
      {"new.out", "mode: set\na.go:7.1,7.2 1 1\na.go:1.2,3.5 1 1\n"},
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition) << r.status();
  const std::string_view m = Message(r.status());
  EXPECT_TRUE(StartsWith(m, "new.out:3: ")) << m;
  EXPECT_TRUE(Contains(m, "old.out:2")) << m;
  EXPECT_TRUE(Contains(m, "a.go:1.2,3.5")) << m;
  EXPECT_TRUE(Contains(m, "a.go:1.2,3.4")) << m;
}

TEST(MergerErrorTest, SameStartDifferentEndWithinOneInputIsFine) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"x", "mode: set\na.go:1.2,3.4 1 1\na.go:1.2,3.5 1 0\n"},
      {"y", "mode: set\na.go:1.2,3.4 1 0\na.go:1.2,3.5 1 1\n"},
  });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: set\na.go:1.2,3.4 1 1\na.go:1.2,3.5 1 1\n");
}

TEST(MergerErrorTest, KeepGoingSkipsABadInputAndMergesTheRest) {
  absl::StatusOr<MergeResult> r = MergeBuffers(
      {
          {"a", "mode: count\na.go:1.2,3.4 1 1\n"},
          {"bad", "mode: count\na.go:1.2,3.4 1 100\na.go:1.2,3.4 1 y\n"},
          {"c", "mode: count\na.go:1.2,3.4 1 2\n"},
      },
      MergeOptions{.keep_going = true});
  ASSERT_TRUE(r.ok()) << r.status();
  // The bad input's good lines before the damage are not counted either.
  EXPECT_EQ(Dump(r->profile), "mode: count\na.go:1.2,3.4 1 3\n");
  ASSERT_EQ(r->report.skipped.size(), 1u);
  EXPECT_EQ(r->report.skipped[0].name, "bad");
  EXPECT_TRUE(StartsWith(r->report.skipped[0].reason, "bad:3:16: expected ")) << r->report.skipped[0].reason;
  EXPECT_EQ(r->report.inputs_merged, 2u);
}

TEST(MergerErrorTest, KeepGoingSkipsConflictingInputs) {
  absl::StatusOr<MergeResult> r = MergeBuffers(
      {
          {"a", "mode: count\na.go:1.2,3.4 1 1\n"},
          {"mode", "mode: set\na.go:1.2,3.4 1 1\n"},
          {"numstmt", "mode: count\na.go:1.2,3.4 2 1\n"},
          {"ends", "mode: count\na.go:1.2,3.9 1 1\n"},
          {"d", "mode: count\na.go:1.2,3.4 1 4\n"},
      },
      MergeOptions{.keep_going = true});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: count\na.go:1.2,3.4 1 5\n");
  std::vector<std::string> skipped;
  for (const SkippedInput& s : r->report.skipped) {
    skipped.push_back(s.name);
    EXPECT_TRUE(StartsWith(s.reason, s.name + ":")) << s.reason;
  }
  EXPECT_EQ(skipped, (std::vector<std::string>{"mode", "numstmt", "ends"}));
  EXPECT_EQ(r->report.inputs_merged, 2u);
}

TEST(MergerErrorTest, KeepGoingWithOnlyBadInputsIsAnError) {
  absl::StatusOr<MergeResult> r = MergeBuffers(
      {
          {"bad1", "mode: set\nnope\n"},
          {"bad2", "not a mode line\n"},
      },
      MergeOptions{.keep_going = true});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(Message(r.status()), "2 inputs")) << r.status();
}

TEST(MergerErrorTest, WithoutKeepGoingNothingIsSkipped) {
  absl::StatusOr<MergeResult> r = MergeBuffers({
      {"a", "mode: count\na.go:1.2,3.4 1 1\n"},
      {"bad", "mode: count\nbroken\n"},
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace

namespace {

// Issue 12: the same block twice in one input with another NUMSTMT names
// both lines, the first as the canonical side, at every thread count and
// chunk size (chunks of one input go to different workers).
TEST(MergerConflictTest, DuplicateWithOtherNumStmtInOneInputNamesBothLinesAtEveryThreadCount) {
  std::string text = "mode: count\n";
  for (int i = 1; i <= 3000; ++i) text += Cat("x/a.go:", i, ".1,", i, ".9 1 1\n");
  for (int i = 1; i <= 3000; ++i) text += Cat("x/b.go:", i, ".1,", i, ".9 1 1\n");
  text += "x/a.go:1500.1,1500.9 2 1\n";  // line 6002
  const std::string want =
      "mid.out:6002: block x/a.go:1500.1,1500.9 has 2 statements here but 1 in mid.out:1501; the profiles "
      "come from different builds of this file";
  for (int threads : {1, 2, 4}) {
    for (uint64_t chunk : {uint64_t{1} << 20, uint64_t{4096}, uint64_t{777}}) {
      absl::StatusOr<MergeResult> r =
          MergeBuffers({{"mid.out", text}}, MergeOptions{.threads = threads, .chunk_bytes = chunk});
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(Message(r.status()), want) << "threads=" << threads << " chunk=" << chunk;
    }
  }
}

TEST(MergerConflictTest, TheLowestInputIsTheCanonicalSideAtEveryThreadCount) {
  for (int threads : {1, 2, 4}) {
    absl::StatusOr<MergeResult> r = MergeBuffers(
        {{"a.out", "mode: set\nx/a.go:1.1,2.2 1 1\n"},
         {"b.out", "mode: set\nx/a.go:1.1,2.2 1 1\n"},
         {"c.out", "mode: set\n\nx/a.go:1.1,2.2 3 1\n"},
         {"d.out", "mode: set\nx/a.go:1.1,2.2 4 1\n"}},
        MergeOptions{.threads = threads, .chunk_bytes = 8});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(Message(r.status()),
              "c.out:3: block x/a.go:1.1,2.2 has 3 statements here but 1 in a.out:2; the profiles come from "
              "different builds of this file");
  }
}

// gocovmerge's OVERLAP BEFORE: a block strictly inside another of the
// same file, from another input, cannot come from the same build.
TEST(MergerConflictTest, BlockInsideABlockOfAnotherInputIsAConflict) {
  absl::StatusOr<MergeResult> r = MergeBuffers({{"a.out", "mode: set\nx/a.go:1.1,9.9 1 1\n"},
                                                {"b.out", "mode: set\nx/a.go:7.7,7.9 1 1\nx/a.go:2.1,3.1 1 1\n"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Message(r.status()),
            "b.out:3: block x/a.go:2.1,3.1 lies inside block x/a.go:1.1,9.9 of a.out:2; the profiles come "
            "from different versions of this file");
  // Under keep_going the later input is left out.
  r = MergeBuffers({{"a.out", "mode: set\nx/a.go:1.1,9.9 1 1\n"}, {"b.out", "mode: set\nx/a.go:2.1,3.1 1 1\n"}},
                   MergeOptions{.keep_going = true});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: set\nx/a.go:1.1,9.9 1 1\n");
  ASSERT_EQ(r->report.skipped.size(), 1u);
  EXPECT_EQ(r->report.skipped[0].name, "b.out");
}

TEST(MergerConflictTest, NestedBlocksOfOneInputAndBlocksThatOnlyTouchAreFine) {
  absl::StatusOr<MergeResult> r =
      MergeBuffers({{"a.out", "mode: set\nx/a.go:1.1,9.9 1 1\nx/a.go:2.1,3.1 1 0\n"},
                    {"b.out", "mode: set\nx/a.go:1.1,9.9 1 0\nx/a.go:2.1,3.1 1 1\nx/a.go:9.9,9.12 1 1\n"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: set\nx/a.go:1.1,9.9 1 1\nx/a.go:2.1,3.1 1 1\nx/a.go:9.9,9.12 1 1\n");
}

// Go 1.22's parallel `go test -coverprofile` can end a profile with "0"
// (golang/go#70441): accepted at the end with a warning, an error elsewhere.
TEST(MergerStrayZeroTest, ALoneZeroAtTheEndIsLeftOutWithAWarning) {
  for (uint64_t chunk : {uint64_t{1} << 20, uint64_t{5}}) {
    absl::StatusOr<MergeResult> r = MergeBuffers({{"z.out", "mode: set\nx/a.go:1.1,2.2 1 1\n0\n\n"}},
                                                 MergeOptions{.threads = 2, .chunk_bytes = chunk});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(Dump(r->profile), "mode: set\nx/a.go:1.1,2.2 1 1\n");
    ASSERT_EQ(r->report.warnings.size(), 1u);
    EXPECT_TRUE(StartsWith(r->report.warnings[0], "z.out:3: a lone \"0\" line at the end was left out"))
        << r->report.warnings[0];
  }
}

TEST(MergerStrayZeroTest, AZeroLineBeforeOtherLinesIsAnError) {
  for (uint64_t chunk : {uint64_t{1} << 20, uint64_t{5}, uint64_t{30}}) {
    absl::StatusOr<MergeResult> r = MergeBuffers({{"z.out", "mode: set\nx/a.go:1.1,2.2 1 1\n0\nx/a.go:3.1,4.2 1 1\n"}},
                                                 MergeOptions{.threads = 2, .chunk_bytes = chunk});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(StartsWith(Message(r.status()), "z.out:3:1: expected a block line, found \"0\"")) << r.status();
  }
}

// Only the first line must be the mode line: later, a line that starts
// with "mode: " and parses as a block is a block.
// From the third run of a file's lines on, a line whose text before the
// count is the text its block was read from before is merged by reading
// only the count (table/tail_memo.h). Lines of one layout in other forms
// (a leading zero, "\r\n", counts of every width, tails longer than a
// slot, a last line without '\n') must merge as the model says.
TEST(MergerTailMemoTest, RepeatedLinesInEveryFormMergeAsTheModelSays) {
  constexpr int kInputs = 8, kFiles = 12, kBlocks = 20;
  CountModel model;
  std::vector<NamedInput> inputs;
  std::mt19937_64 rng(7);
  for (int in = 0; in < kInputs; ++in) {
    std::string text = "mode: count\n";
    for (int f = 0; f < kFiles; ++f) {
      const std::string path = Cat("example.com/p/f", f, ".go");
      for (int b = 0; b < kBlocks; ++b) {
        // Files past the first few have long line numbers: tails of 17+ bytes.
        const uint32_t line = static_cast<uint32_t>((f < 4 ? 1 : f < 8 ? 1000 : 100000) + b * 3);
        const uint64_t count = rng() % 2 == 0 ? rng() % 10 : rng() % 1'000'000'000'000;
        const int form = static_cast<int>(rng() % 5);
        internal::Append(&text, path, ":", form == 1 ? "0" : "", line, ".2,", line + 1, ".13 2 ", count,
                         form == 2 ? "\r\n" : "\n");
        model[path][line] += count;
      }
    }
    if (in == kInputs - 1) text.pop_back();  // no '\n' after the last line
    inputs.push_back({Cat("memo", in, ".out"), std::move(text)});
  }
  ExpectMergedAtEveryThreadCountAndChunkSize(inputs, ModelProfile(model, ".13 2 "));
}

// A memo is given up for a file whose lines stop following one order; the
// inputs after that, in the first order again or not, merge all the same.
TEST(MergerTailMemoTest, FilesWhoseOrderChangesMergeAsTheModelSays) {
  constexpr int kBlocks = 40;
  CountModel model;
  std::vector<NamedInput> inputs;
  for (int in = 0; in < 10; ++in) {
    std::vector<int> order(kBlocks);
    for (int b = 0; b < kBlocks; ++b) order[b] = b;
    if (in >= 3 && in < 6) std::shuffle(order.begin(), order.end(), std::mt19937(static_cast<unsigned>(in)));
    std::string text = "mode: count\n";
    for (int f = 0; f < 3; ++f) {
      for (int b : order) {
        const uint32_t line = static_cast<uint32_t>(f * 1000 + b * 2 + 1);
        const uint64_t count = static_cast<uint64_t>(in + b);
        internal::Append(&text, "example.com/p/f.go:", line, ".2,", line + 1, ".3 1 ", count, "\n");
        model["example.com/p/f.go"][line] += count;
      }
    }
    inputs.push_back({Cat("order", in, ".out"), std::move(text)});
  }
  ExpectMergedAtEveryThreadCountAndChunkSize(inputs, ModelProfile(model, ".3 1 "));
}

// Inputs that repeat one line, then one that gives the block other
// statements, or a count that is no count: the remembered text must hide
// neither the conflict nor the error. With line numbers of six digits the
// statements lie in a block's second slot (a wide memo).
TEST(MergerTailMemoTest, ALaterLineThatDiffersIsJudgedAsWithoutTheMemo) {
  for (const std::string l : {"1", "100000"}) {
    // "a.go:L.2,L3.4 S 1\n...", the first block's statements S.
    auto lines = [&](int statements, std::string_view last_count) {
      return Cat("mode: count\na.go:", l, ".2,", l, "3.4 5 1\na.go:", l, "5.1,", l, "6.2 ", statements, " ", last_count,
                 "\na.go:", l, "7.1,", l, "8.2 1 1\n");
    };
    std::vector<NamedInput> inputs;
    for (int i = 0; i < 4; ++i) inputs.push_back({Cat("in", i), lines(1, "1")});
    std::vector<NamedInput> conflicting = inputs;
    conflicting.push_back({"odd", lines(2, "1")});
    for (int threads : {1, 2}) {
      absl::StatusOr<MergeResult> r = MergeBuffers(conflicting, MergeOptions{.threads = threads});
      ASSERT_FALSE(r.ok()) << "threads=" << threads;
      EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition) << r.status();
      EXPECT_TRUE(StartsWith(Message(r.status()), "odd:3: ")) << r.status();
      EXPECT_TRUE(Contains(Message(r.status()), "in0:3")) << r.status();
    }
    // The other statements come first in the run that remembers texts: the
    // inputs that repeat them conflict all the same.
    std::vector<NamedInput> repeated_conflict = {inputs[0]};
    for (int i = 1; i < 4; ++i) repeated_conflict.push_back({Cat("odd", i), lines(2, "1")});
    for (int threads : {1, 2}) {
      absl::StatusOr<MergeResult> r =
          MergeBuffers(repeated_conflict, MergeOptions{.threads = threads, .keep_going = true});
      ASSERT_TRUE(r.ok()) << r.status();
      std::vector<std::string> skipped;
      for (const SkippedInput& s : r->report.skipped) skipped.push_back(s.name);
      EXPECT_EQ(skipped, (std::vector<std::string>{"odd1", "odd2", "odd3"})) << "threads=" << threads;
    }
    for (const char* bad_count : {"12345678901234567890", "1x", "+1", "1 1"}) {
      const NamedInput bad{"bad", lines(1, bad_count)};
      absl::StatusOr<MergeResult> alone = MergeBuffers({bad});
      std::vector<NamedInput> after = inputs;
      after.push_back(bad);
      for (int threads : {1, 2}) {
        absl::StatusOr<MergeResult> r = MergeBuffers(after, MergeOptions{.threads = threads});
        ASSERT_EQ(r.ok(), alone.ok()) << bad_count << ": " << r.status() << " / " << alone.status();
        EXPECT_EQ(r.status().code(), alone.status().code()) << bad_count;
        EXPECT_EQ(Message(r.status()), Message(alone.status())) << bad_count;
      }
    }
  }
}

TEST(MergerModeLineTest, ABlockWhosePathStartsWithModeIsABlock) {
  absl::StatusOr<MergeResult> r =
      MergeBuffers({{"m.out", "mode: count\nmode: x/a.go:1.1,2.2 1 3\nmode: count\nmode: x/a.go:1.1,2.2 1 4\n"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Dump(r->profile), "mode: count\nmode: x/a.go:1.1,2.2 1 7\n");
  r = MergeBuffers({{"m.out", "mode: count\nmode: foo\n"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Message(r.status()),
            "m.out:2:1: expected \"mode: set\", \"mode: count\" or \"mode: atomic\", found \"mode: foo\"");
}

}  // namespace
}  // namespace covmerge
