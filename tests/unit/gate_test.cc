// SPDX-License-Identifier: Apache-2.0
// Unit tests for report/baseline and report/gate: baselines from a JSON
// summary (as WriteJsonSummary writes it) or a profile, every malformed
// baseline an error naming the field, and the gate's verdicts.
#include "covmerge/gate.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "base/str_cat.h"
#include "covmerge/exports.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

using internal::Cat;

class GateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/covmerge_gate_test_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { (void)std::system(Cat("rm -rf '", dir_, "'").c_str()); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = Cat(dir_, "/", name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  static MergedProfile Profile(uint64_t a_count, uint64_t b_count) {
    MergedProfile p;
    p.mode = Mode::kCount;
    p.files.push_back({"m/a/x.go", {{1, 1, 2, 1, 3, a_count}, {3, 1, 4, 1, 1, 1}}});
    p.files.push_back({"m/b/y.go", {{1, 1, 2, 1, 4, b_count}}});
    return p;
  }

  std::string JsonOf(const MergedProfile& profile) {
    std::string json;
    EXPECT_TRUE(WriteJsonSummary(Summarize(profile, PathRewriter{}), [&](std::string_view b) {
                  json.append(b);
                  return absl::OkStatus();
                }).ok());
    return json;
  }

  std::string dir_;
};

TEST_F(GateTest, JsonSummaryRoundTrips) {
  absl::StatusOr<Baseline> b = LoadBaseline(Write("s.json", JsonOf(Profile(1, 0))), PathRewriter{});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->total.statements, 8u);
  EXPECT_EQ(b->total.covered, 4u);
  ASSERT_EQ(b->packages.size(), 2u);
  EXPECT_EQ(b->packages[1].first, "m/b");
  EXPECT_EQ(b->packages[1].second.statements, 4u);
}

TEST_F(GateTest, ProfileBaselineUsesTheRewriter) {
  PathRewriter rewriter;
  rewriter.AddRule("m", "");
  absl::StatusOr<Baseline> b =
      LoadBaseline(Write("p.out", "mode: set\nm/a/x.go:1.1,2.1 3 1\nm/b/y.go:1.1,2.1 4 0\n"), rewriter);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(b->packages.size(), 2u);
  EXPECT_EQ(b->packages[0].first, "a");
  EXPECT_EQ(b->total.covered, 3u);
}

TEST_F(GateTest, MalformedBaselinesNameWhatIsWrong) {
  const std::string good = JsonOf(Profile(1, 1));
  struct Case {
    std::string text;
    std::string expected;
  } cases[] = {
      {"", "is empty"},
      {"hello", "neither a JSON summary nor a coverage profile"},
      {good.substr(0, good.size() / 2), "is not valid JSON"},
      {"[1]", "expected a JSON object"},
      {"{\"format\": \"other\"}", "format: expected \"covmerge-summary\""},
      {"{\"format\": \"covmerge-summary\", \"version\": 2}", "version 2"},
      {"{\"format\": \"covmerge-summary\", \"version\": 1}", "total: expected an object"},
      {"{\"format\": \"covmerge-summary\", \"version\": 1, \"total\": {\"statements\": 1, \"covered\": 2}}",
       "total.covered: expected at most statements"},
      {"{\"format\": \"covmerge-summary\", \"version\": 1, \"total\": {\"statements\": 1, \"covered\": -1}}",
       "total.covered: expected an integer"},
      {"{\"format\": \"covmerge-summary\", \"version\": 1, \"total\": {\"statements\": 1, \"covered\": 1}}",
       "packages: expected an array"},
      {"{\"format\": \"covmerge-summary\", \"version\": 1, \"total\": {\"statements\": 1, \"covered\": 1}, "
       "\"packages\": [{\"name\": 3}]}",
       "packages[0].name: expected a string"},
      {"{\"format\": \"covmerge-summary\", \"version\": 1, \"total\": {\"statements\": 1, \"covered\": 1}, "
       "\"packages\": [{\"name\": \"a\", \"statements\": 1, \"covered\": 1}, {\"name\": \"a\", \"statements\": 1, "
       "\"covered\": 1}]}",
       "\"a\" repeats"},
      {"mode: set\nbroken line\n", "expected"},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string path = Write(Cat("bad", n++, ".json"), c.text);
    absl::StatusOr<Baseline> b = LoadBaseline(path, PathRewriter{});
    ASSERT_FALSE(b.ok()) << c.text;
    EXPECT_NE(b.status().message().find(c.expected), absl::string_view::npos) << b.status();
    EXPECT_NE(b.status().message().find(path), absl::string_view::npos) << b.status();
  }
  absl::StatusOr<Baseline> missing = LoadBaseline(Cat(dir_, "/missing.json"), PathRewriter{});
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
}

TEST_F(GateTest, DropBeyondAllowanceFailsAndNamesFallenPackages) {
  absl::StatusOr<Baseline> b = LoadBaseline(Write("s.json", JsonOf(Profile(1, 1))), PathRewriter{});
  ASSERT_TRUE(b.ok()) << b.status();
  const MergedProfile now = Profile(1, 0);  // m/b falls from 100% to 0%
  const CoverageSummary summary = Summarize(now, PathRewriter{});
  GateOptions options;
  options.baseline = &*b;
  GateResult r = EvaluateGate(summary, options);
  EXPECT_FALSE(r.passed);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].find("fell from 100.00% to 50.00%"), std::string::npos) << r.failures[0];
  EXPECT_NE(r.failures[0].find("m/b (100.00% -> 0.00%)"), std::string::npos) << r.failures[0];
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0].kind, PackageChange::Kind::kFell);

  options.max_drop = 50;  // exactly the drop: allowed
  EXPECT_TRUE(EvaluateGate(summary, options).passed);
  options.max_drop = 49.99;
  EXPECT_FALSE(EvaluateGate(summary, options).passed);
}

TEST_F(GateTest, NewAndGonePackagesAreNotDrops) {
  Baseline b;
  b.name = "base";
  b.total = {8, 4};
  b.packages = {{"m/a", {4, 4}}, {"m/old", {4, 0}}};
  MergedProfile now = Profile(1, 0);  // m/a 4/4, m/b 0/4
  GateOptions options;
  options.baseline = &b;
  GateResult r = EvaluateGate(Summarize(now, PathRewriter{}), options);
  EXPECT_TRUE(r.passed);
  ASSERT_EQ(r.changes.size(), 2u);
  EXPECT_EQ(r.changes[0].kind, PackageChange::Kind::kNew);
  EXPECT_EQ(r.changes[0].name, "m/b");
  EXPECT_EQ(r.changes[1].kind, PackageChange::Kind::kGone);
  EXPECT_EQ(r.changes[1].name, "m/old");
  EXPECT_NE(r.report[1].find("new"), std::string::npos);
  EXPECT_NE(r.report[2].find("gone"), std::string::npos);
}

TEST_F(GateTest, FailUnder) {
  const MergedProfile now = Profile(1, 0);  // 50%
  GateOptions options;
  options.fail_under = 50;
  EXPECT_TRUE(EvaluateGate(Summarize(now, PathRewriter{}), options).passed);
  options.fail_under = 50.01;
  GateResult r = EvaluateGate(Summarize(now, PathRewriter{}), options);
  EXPECT_FALSE(r.passed);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].find("50.00% is below the required 50.01%"), std::string::npos) << r.failures[0];
}

}  // namespace
}  // namespace covmerge
