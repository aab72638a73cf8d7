// SPDX-License-Identifier: Apache-2.0
// Unit tests for covdata/coverdir and Merger::AddGoCoverDir: the sample
// GOCOVERDIR gives exactly the text Go's tools give at every thread count;
// runs sum (count, atomic) or OR (set); functions no run executed appear
// with count 0; several meta files, segments and flavors; a GOCOVERDIR
// merged with a text profile; damaged and unmatched counter files fail with
// a message naming them or, with keep_going, are skipped and counted.
#include "covdata/coverdir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "base/str_cat.h"
#include "covdata_test_encoder.h"
#include "covmerge/merger.h"
#include "covmerge/writer.h"
#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

using testing::EncodeCounters;
using testing::EncodeMeta;
using testing::HashOf;
using testing::SmallModule;
using testing::WriteWholeFile;

constexpr char kSample[] = COVMERGE_GOCOVERDIR_SAMPLE;

std::string Message(const absl::Status& s) { return std::string(ToStd(s.message())); }

std::string Text(const MergedProfile& profile) {
  std::string out;
  EXPECT_TRUE(WriteProfile(profile, [&](std::string_view bytes) {
                out.append(bytes);
                return absl::OkStatus();
              }).ok());
  return out;
}

absl::StatusOr<MergeResult> MergeDir(const std::string& dir, int threads = 1, bool keep_going = false,
                                     const std::string& text = "") {
  MergeOptions options;
  options.threads = threads;
  options.keep_going = keep_going;
  Merger merger(options);
  if (!text.empty()) merger.AddBuffer("text.out", text);
  merger.AddGoCoverDir(dir);
  return merger.Finish();
}

class CoverDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = Cat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/covmerge_coverdir_XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (const std::string& f : files_) ::unlink(f.c_str());
    ::rmdir(dir_.c_str());
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = Cat(dir_, "/", name);
    WriteWholeFile(path, bytes);
    files_.push_back(path);
    return path;
  }
  // The sample's files, copied so that tests can damage them.
  void CopySample() {
    for (const char* name : {"covmeta.8e5490b131e4584a4bf93cc9f45c3fed",
                             "covcounters.8e5490b131e4584a4bf93cc9f45c3fed.4242.1700000000000000000",
                             "covcounters.8e5490b131e4584a4bf93cc9f45c3fed.4243.1700000000001000003"}) {
      Write(name, testing::ReadWholeFile(Cat(kSample, "/gocoverdir/", name)));
    }
  }

  std::string dir_;
  std::vector<std::string> files_;
};

TEST(CoverDirSampleTest, PrintsWhatGoPrintsAtEveryThreadCount) {
  const std::string expected = testing::ReadWholeFile(Cat(kSample, "/expected-merged.out"));
  ASSERT_FALSE(expected.empty());
  for (int threads : {1, 2, 4, 16}) {
    absl::StatusOr<MergeResult> result = MergeDir(Cat(kSample, "/gocoverdir"), threads);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(Text(result->profile), expected) << threads;
    EXPECT_EQ(result->report.inputs_merged, 10u);
    EXPECT_TRUE(result->report.skipped.empty());
  }
}

TEST(CoverDirSampleTest, MergesWithTheSameDataAsText) {
  const std::string expected = testing::ReadWholeFile(Cat(kSample, "/expected-merged.out"));
  absl::StatusOr<MergeResult> result = MergeDir(Cat(kSample, "/gocoverdir"), 4, false, expected);
  ASSERT_TRUE(result.ok()) << result.status();
  absl::StatusOr<MergeResult> text_only = [&] {
    Merger merger;
    merger.AddBuffer("a", expected);
    merger.AddBuffer("b", expected);
    return merger.Finish();
  }();
  ASSERT_TRUE(text_only.ok());
  EXPECT_EQ(Text(result->profile), Text(text_only->profile));  // every count doubled
  EXPECT_EQ(result->report.inputs_merged, 11u);
}

TEST_F(CoverDirTest, SumsRunsAndListsUnexecutedFunctions) {
  Write("covmeta.01", EncodeMeta(SmallModule(), HashOf(1)));
  Write("covcounters.01.1.1", EncodeCounters(HashOf(1), {{{0, 0, {1, 2}}}}));
  Write("covcounters.01.2.2", EncodeCounters(HashOf(1), {{{0, 0, {10, 0}}}, {{0, 0, {100, 0}}}}, 1));
  Write("covcounters.01.3.3", EncodeCounters(HashOf(1), {{{1, 0, {4000000000u}}}}, 1, true));
  Write("unrelated.txt", "ignored");
  absl::StatusOr<MergeResult> result = MergeDir(dir_, 2);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Text(result->profile),
            "mode: count\n"
            "example.com/p/a.go:3.10,5.2 2 111\n"
            "example.com/p/a.go:5.2,7.3 1 2\n"
            "example.com/p/a.go:9.1,11.2 1 0\n"
            "example.com/q/b.go:1.1,2.2 4 4000000000\n");
  EXPECT_EQ(result->report.inputs_merged, 3u);
}

TEST_F(CoverDirTest, SetModeOrsAndSeveralMetaFilesMerge) {
  Write("covmeta.01", EncodeMeta(SmallModule(), HashOf(1), 1));
  Write("covcounters.01.1.1", EncodeCounters(HashOf(1), {{{0, 0, {1, 0}}}}));
  Write("covcounters.01.2.2", EncodeCounters(HashOf(1), {{{0, 0, {1, 0}}, {0, 1, {0}}}}));
  // A second binary with only package q, built in set mode too.
  Write("covmeta.02", EncodeMeta({SmallModule()[1]}, HashOf(2), 1));
  Write("covcounters.02.3.3", EncodeCounters(HashOf(2), {{{0, 0, {5}}}}));
  absl::StatusOr<MergeResult> result = MergeDir(dir_, 3);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Text(result->profile),
            "mode: set\n"
            "example.com/p/a.go:3.10,5.2 2 1\n"
            "example.com/p/a.go:5.2,7.3 1 0\n"
            "example.com/p/a.go:9.1,11.2 1 0\n"
            "example.com/q/b.go:1.1,2.2 4 1\n");
}

TEST_F(CoverDirTest, MetaFileWithoutRunsNextToOneWithRunsGivesZeroCounts) {
  Write("covmeta.01", EncodeMeta(SmallModule(), HashOf(1), 3));
  Write("covmeta.02", EncodeMeta({SmallModule()[1]}, HashOf(2), 3));
  Write("covcounters.02.3.3", EncodeCounters(HashOf(2), {{{0, 0, {5}}}}));
  absl::StatusOr<MergeResult> result = MergeDir(dir_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->profile.mode, Mode::kAtomic);
  EXPECT_EQ(Text(result->profile),
            "mode: atomic\n"
            "example.com/p/a.go:3.10,5.2 2 0\n"
            "example.com/p/a.go:5.2,7.3 1 0\n"
            "example.com/p/a.go:9.1,11.2 1 0\n"
            "example.com/q/b.go:1.1,2.2 4 5\n");
}

// A GOCOVERDIR that yields no run is an error naming it, as an empty text
// profile is: a CI step that ran nothing must not pass with an empty merge.
TEST_F(CoverDirTest, NoCounterFileIsAnErrorNamingTheDirectory) {
  Write("covmeta.01", EncodeMeta(SmallModule(), HashOf(1), 3));
  const std::string expected =
      Cat(dir_, ": expected a covcounters.<hash>.<pid>.<nanos> file in this GOCOVERDIR, found none (1 covmeta "
                "files): no run wrote its counters; a binary built with -cover writes them when it exits "
                "normally, not when a signal kills it");
  absl::StatusOr<CoverDirContents> contents = ReadGoCoverDir(dir_, 2, false);
  ASSERT_FALSE(contents.ok());
  EXPECT_EQ(contents.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(contents.status()), expected);
  EXPECT_EQ(Message(MergeDir(dir_).status()), expected);

  Merger merger(MergeOptions{.threads = 2, .keep_going = true});
  merger.AddBuffer("text.out", "mode: atomic\na.go:1.1,2.2 1 1\n");
  merger.AddGoCoverDir(dir_);
  absl::StatusOr<MergeResult> kept = merger.Finish();
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->report.skipped.size(), 1u);
  EXPECT_EQ(kept->report.skipped[0].name, dir_);
  EXPECT_EQ(kept->report.skipped[0].reason, expected);
  EXPECT_EQ(Text(kept->profile), "mode: atomic\na.go:1.1,2.2 1 1\n");
}

TEST_F(CoverDirTest, EveryRunLeftOutUnderKeepGoingGivesNoProfile) {
  Write("covmeta.01", EncodeMeta(SmallModule(), HashOf(1)));
  const std::string bad = Write("covcounters.01.1.1", "damaged");
  absl::StatusOr<CoverDirContents> contents = ReadGoCoverDir(dir_, 1, true);
  ASSERT_TRUE(contents.ok()) << contents.status();
  EXPECT_TRUE(contents->profiles.empty());
  ASSERT_EQ(contents->skipped.size(), 1u);
  EXPECT_EQ(contents->skipped[0].name, bad);
}

TEST_F(CoverDirTest, CounterFileWithoutItsMetaFile) {
  Write("covmeta.01", EncodeMeta(SmallModule(), HashOf(1)));
  const std::string stray = Write("covcounters.07.1.1", EncodeCounters(HashOf(7), {{{0, 0, {1, 2}}}}));
  absl::StatusOr<MergeResult> result = MergeDir(dir_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(Message(result.status()),
            Cat(stray, ": expected the meta-data file covmeta.", HashHex(HashOf(7)), " that it counts for in ", dir_,
                ", found none; keep every file of a GOCOVERDIR together"));
}

TEST_F(CoverDirTest, CounterEntryThatDoesNotFitTheMetaFile) {
  Write("covmeta.01", EncodeMeta(SmallModule(), HashOf(1)));
  const std::string bad = Write("covcounters.01.1.1", EncodeCounters(HashOf(1), {{{0, 0, {1, 2, 3}}}}));
  EXPECT_EQ(Message(MergeDir(dir_).status()),
            Cat(bad, ": a counter entry gives 3 counters for function 0 of package example.com/p, which has 2 "
                     "blocks in the meta-data file; the counter file belongs to another build"));
  Write("covcounters.01.1.1", EncodeCounters(HashOf(1), {{{5, 0, {1}}}}));
  EXPECT_EQ(Message(MergeDir(dir_).status()),
            Cat(bad, ": a counter entry names package 5, but the meta-data file has 2 packages; the counter file "
                     "belongs to another build"));
  Write("covcounters.01.1.1", EncodeCounters(HashOf(1), {{{1, 3, {1}}}}));
  EXPECT_EQ(Message(MergeDir(dir_).status()),
            Cat(bad, ": a counter entry names function 3 of package example.com/q, which has 1 functions in the "
                     "meta-data file; the counter file belongs to another build"));
}

TEST_F(CoverDirTest, NoMetaFileIsAnError) {
  Write("covcounters.01.1.1", EncodeCounters(HashOf(1), {{{0, 0, {1}}}}));
  EXPECT_EQ(Message(MergeDir(dir_).status()),
            Cat(dir_, ": expected a covmeta.<hash> file in this GOCOVERDIR, found none (1 covcounters files); a Go "
                      "1.20+ binary built with -cover writes one next to its counter files"));
}

TEST_F(CoverDirTest, DamagedCounterFileFailsOrIsSkippedWithKeepGoing) {
  CopySample();
  const std::string path = Cat(dir_, "/covcounters.8e5490b131e4584a4bf93cc9f45c3fed.4242.1700000000000000000");
  std::string bytes = testing::ReadWholeFile(path);
  WriteWholeFile(path, bytes.substr(0, bytes.size() / 2));
  for (int threads : {1, 4}) {
    absl::StatusOr<MergeResult> failed = MergeDir(dir_, threads);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(Message(failed.status()).starts_with(Cat(path, ": expected the footer"))) << failed.status();

    absl::StatusOr<MergeResult> kept = MergeDir(dir_, threads, true);
    ASSERT_TRUE(kept.ok()) << kept.status();
    ASSERT_EQ(kept->report.skipped.size(), 1u);
    EXPECT_EQ(kept->report.skipped[0].name, path);
    EXPECT_EQ(kept->report.skipped[0].reason, Message(failed.status()));
    EXPECT_EQ(kept->report.inputs_merged, 1u);
  }
  // The run left out adds nothing: the same as the other run alone.
  ::unlink(path.c_str());
  absl::StatusOr<MergeResult> alone = MergeDir(dir_);
  ASSERT_TRUE(alone.ok());
  WriteWholeFile(path, bytes.substr(0, bytes.size() / 2));
  EXPECT_EQ(Text(MergeDir(dir_, 2, true)->profile), Text(alone->profile));
}

TEST_F(CoverDirTest, DamagedMetaFileTakesItsRunsWithItUnderKeepGoing) {
  CopySample();
  const std::string meta = Cat(dir_, "/covmeta.8e5490b131e4584a4bf93cc9f45c3fed");
  WriteWholeFile(meta, testing::ReadWholeFile(meta).substr(0, 1000));
  EXPECT_EQ(Message(MergeDir(dir_).status()),
            Cat(meta, ": the header gives a length of 140152 bytes, but the file has 1000; the file is truncated"));
  Merger merger(MergeOptions{.threads = 2, .keep_going = true});
  merger.AddBuffer("text.out", "mode: count\na.go:1.1,2.2 1 1\n");
  merger.AddGoCoverDir(dir_);
  absl::StatusOr<MergeResult> kept = merger.Finish();
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->report.skipped.size(), 3u);
  EXPECT_EQ(kept->report.skipped[0].name, meta);
  EXPECT_TRUE(kept->report.skipped[1].reason.ends_with(Cat(": left out with its damaged meta-data file ", meta)));
  EXPECT_EQ(Text(kept->profile), "mode: count\na.go:1.1,2.2 1 1\n");
}

TEST(RenderTextProfileTest, WritesEveryBlockInMetaOrder) {
  absl::StatusOr<MetaFile> meta = DecodeMetaFile("m", EncodeMeta(SmallModule(), HashOf(1)));
  ASSERT_TRUE(meta.ok());
  const std::vector<uint64_t> counts = {1, 2, 3, kMaxCount};
  EXPECT_EQ(RenderTextProfile(*meta, counts),
            "mode: count\n"
            "example.com/p/a.go:3.10,5.2 2 1\n"
            "example.com/p/a.go:5.2,7.3 1 2\n"
            "example.com/p/a.go:9.1,11.2 1 3\n"
            "example.com/q/b.go:1.1,2.2 4 9223372036854775807\n");
}

TEST(AddCountersTest, SaturatesAtTheLargestCount) {
  absl::StatusOr<MetaFile> meta = DecodeMetaFile("m", EncodeMeta(SmallModule(), HashOf(1)));
  ASSERT_TRUE(meta.ok());
  CounterData data;
  ASSERT_TRUE(DecodeCounterFile("c", EncodeCounters(HashOf(1), {{{1, 0, {4000000000u}}}}), &data).ok());
  std::vector<uint64_t> counts = {0, 0, 0, kMaxCount - 5};
  ASSERT_TRUE(AddCounters("c", *meta, data, counts).ok());
  EXPECT_EQ(counts[3], kMaxCount);
}

// The count rule (base/count_rule.h) counts each saturation, for the
// merge's warning; the GOCOVERDIR sums used to saturate silently.
TEST(AddCountersTest, CountsSaturations) {
  absl::StatusOr<MetaFile> meta = DecodeMetaFile("m", EncodeMeta(SmallModule(), HashOf(1)));
  ASSERT_TRUE(meta.ok());
  CounterData data;
  ASSERT_TRUE(DecodeCounterFile("c", EncodeCounters(HashOf(1), {{{0, 0, {7, 1}}}, {{1, 0, {4000000000u}}}}), &data)
                  .ok());
  std::vector<uint64_t> counts = {kMaxCount - 3, 0, 0, kMaxCount - 5};
  uint64_t saturations = 10;
  ASSERT_TRUE(AddCounters("c", *meta, data, counts, &saturations).ok());
  EXPECT_EQ(counts, (std::vector<uint64_t>{kMaxCount, 1, 0, kMaxCount}));
  EXPECT_EQ(saturations, 12u);
}

TEST(AddCountersTest, SetModeOrsOnes) {
  absl::StatusOr<MetaFile> meta = DecodeMetaFile("m", EncodeMeta(SmallModule(), HashOf(1), 1));
  ASSERT_TRUE(meta.ok());
  CounterData data;
  ASSERT_TRUE(DecodeCounterFile("c", EncodeCounters(HashOf(1), {{{0, 0, {7, 0}}}}), &data).ok());
  std::vector<uint64_t> counts = {0, 1, 0, 0};
  uint64_t saturations = 0;
  ASSERT_TRUE(AddCounters("c", *meta, data, counts, &saturations).ok());
  EXPECT_EQ(counts, (std::vector<uint64_t>{1, 1, 0, 0}));
  EXPECT_EQ(saturations, 0u);
}

TEST(ReadGoCoverDirTest, SampleHasNoSaturations) {
  absl::StatusOr<CoverDirContents> contents = ReadGoCoverDir(Cat(kSample, "/gocoverdir"), 2, false);
  ASSERT_TRUE(contents.ok()) << contents.status();
  EXPECT_EQ(contents->profiles.size(), 1u);
  EXPECT_EQ(contents->profiles[0].runs, 10u);
  EXPECT_EQ(contents->saturations, 0u);
}

}  // namespace
}  // namespace covmerge::internal
