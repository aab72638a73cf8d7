// SPDX-License-Identifier: Apache-2.0
// Tests of the C API's report half (covmerge.h: filters, path rules, the
// report, exports and gate) against `covmerge report` on the same inputs
// (the command this build made, or COVMERGE_BIN): every export byte for
// byte, the table, the report's numbers against the JSON summary, the
// gate's verdict and sentences, and the errors for a bad pattern or
// baseline.
#include <sys/wait.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "c_api_test_util.h"
#include "covmerge.h"
#include "gtest/gtest.h"

namespace {

namespace fs = std::filesystem;
using covmerge_test::MergerPtr;
using covmerge_test::ReadFile;
using covmerge_test::TempDir;

constexpr const char* kEpoch = "1700000000";

std::string Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

std::string CountDir() { return Env("COVMERGE_DATA", "data") + "/profiles/count"; }

struct GateDeleter {
  void operator()(covmerge_gate* g) const { covmerge_gate_free(g); }
};
using GatePtr = std::unique_ptr<covmerge_gate, GateDeleter>;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Runs the command with SOURCE_DATE_EPOCH set; returns its exit status.
int RunCommand(const std::string& args, const fs::path& stdout_file) {
  const std::string command = "SOURCE_DATE_EPOCH=" + std::string(kEpoch) + " " +
                              Quote(Env("COVMERGE_BIN", COVMERGE_COMMAND)) + " " + args + " > " +
                              Quote(stdout_file.string()) + " 2> " + Quote(stdout_file.string() + ".err");
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The merge of the count profiles with one filter and one path rule.
MergerPtr Merge(const std::vector<std::string>& inputs) {
  covmerge_options options;
  covmerge_options_init(&options);
  options.threads = 2;
  covmerge_merger* raw = nullptr;
  covmerge_error error;
  EXPECT_EQ(covmerge_merger_create(&options, &raw, &error), COVMERGE_OK);
  MergerPtr m(raw);
  EXPECT_EQ(covmerge_merger_add_exclude(m.get(), "textutil", &error), COVMERGE_OK) << error.message;
  EXPECT_EQ(covmerge_merger_add_path_rule(m.get(), "example.com/shop", "", &error), COVMERGE_OK) << error.message;
  for (const std::string& input : inputs) {
    EXPECT_EQ(covmerge_merger_add_path(m.get(), input.c_str(), nullptr, &error), COVMERGE_OK) << error.message;
  }
  EXPECT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK) << error.message;
  return m;
}

std::string ExportToString(const covmerge_merger* m, int format, const covmerge_export_options* options) {
  size_t size = 0;
  covmerge_error error;
  const covmerge_status sized = covmerge_merger_export_buffer(m, format, options, nullptr, 0, &size, &error);
  EXPECT_EQ(sized, size == 0 ? COVMERGE_OK : COVMERGE_ERROR_BUFFER_TOO_SMALL) << error.message;
  std::string out(size, '\0');
  EXPECT_EQ(covmerge_merger_export_buffer(m, format, options, out.data(), out.size(), &size, &error), COVMERGE_OK)
      << error.message;
  out.resize(size);
  return out;
}

covmerge_export_options FixedTime() {
  covmerge_export_options options;
  covmerge_export_options_init(&options);
  options.timestamp = std::strtoll(kEpoch, nullptr, 10);
  return options;
}

TEST(CApiReportTest, ExportsEqualTheCommandByteForByte) {
  TempDir dir;
  const std::string args = "report --exclude textutil --strip-prefix example.com/shop " + Quote(CountDir()) +
                           " --json " + Quote((dir / "s.json").string()) + " --lcov " +
                           Quote((dir / "c.info").string()) + " --cobertura " + Quote((dir / "c.xml").string()) +
                           " --html " + Quote((dir / "c.html").string()) + " -o " +
                           Quote((dir / "merged.out").string());
  ASSERT_EQ(RunCommand(args, dir / "stdout"), 0) << ReadFile(dir / "stdout.err");
  MergerPtr m = Merge({CountDir()});
  const covmerge_export_options options = FixedTime();
  const std::pair<int, const char*> exports[] = {{COVMERGE_FORMAT_JSON, "s.json"},
                                                 {COVMERGE_FORMAT_LCOV, "c.info"},
                                                 {COVMERGE_FORMAT_COBERTURA, "c.xml"},
                                                 {COVMERGE_FORMAT_HTML, "c.html"},
                                                 {COVMERGE_FORMAT_PROFILE, "merged.out"}};
  for (const auto& [format, name] : exports) {
    const std::string expected = ReadFile(dir / name);
    ASSERT_FALSE(expected.empty()) << name;
    EXPECT_EQ(ExportToString(m.get(), format, &options), expected) << name;
    const fs::path mine = dir / (std::string("c-api-") + name);
    covmerge_error error;
    ASSERT_EQ(covmerge_merger_export_file(m.get(), format, &options, mine.c_str(), &error), COVMERGE_OK)
        << error.message;
    EXPECT_EQ(ReadFile(mine), expected) << name;
  }
  // The table is what the command printed, before its notes.
  const std::string table = ExportToString(m.get(), COVMERGE_FORMAT_TABLE, nullptr);
  EXPECT_EQ(ReadFile(dir / "stdout").substr(0, table.size()), table);
}

TEST(CApiReportTest, TheReportHoldsTheJsonSummarysNumbers) {
  MergerPtr m = Merge({CountDir()});
  covmerge_report report;
  report.struct_size = sizeof report;
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_report(m.get(), &report, &error), COVMERGE_OK) << error.message;
  const std::string json = ExportToString(m.get(), COVMERGE_FORMAT_JSON, nullptr);
  EXPECT_NE(json.find("\"statements\": " + std::to_string(report.total.statements) + ", \"covered\": " +
                      std::to_string(report.total.covered)),
            std::string::npos)
      << json.substr(0, 300);
  EXPECT_NE(json.find("\"excluded_files\": " + std::to_string(report.excluded_files)), std::string::npos);
  EXPECT_GT(report.excluded_files, 0u);
  ASSERT_GT(report.package_count, 0u);
  uint64_t statements = 0;
  size_t files = 0;
  for (size_t i = 0; i < report.package_count; ++i) {
    covmerge_report_package p;
    ASSERT_EQ(covmerge_merger_report_package(m.get(), i, &p, &error), COVMERGE_OK);
    EXPECT_EQ(p.first_file, files);
    EXPECT_EQ(std::string_view(p.name).find("example.com"), std::string_view::npos) << p.name;
    EXPECT_NE(json.find("{\"name\": \"" + std::string(p.name) + "\", \"statements\": " +
                        std::to_string(p.coverage.statements)),
              std::string::npos)
        << p.name;
    for (size_t f = p.first_file; f < p.first_file + p.file_count; ++f) {
      covmerge_report_file file;
      ASSERT_EQ(covmerge_merger_report_file(m.get(), f, &file, &error), COVMERGE_OK);
      EXPECT_STREQ(file.package, p.name);
      EXPECT_EQ(std::string_view(file.profile_path).substr(0, 17), "example.com/shop/");
    }
    statements += p.coverage.statements;
    files += p.file_count;
  }
  EXPECT_EQ(statements, report.total.statements);
  EXPECT_EQ(files, report.file_count);
  covmerge_report_package p;
  EXPECT_EQ(covmerge_merger_report_package(m.get(), report.package_count, &p, &error), COVMERGE_ERROR_USAGE);
}

TEST(CApiReportTest, TheGateAgreesWithTheCommand) {
  TempDir dir;
  // The baseline: one profile; now: the same with cart's blocks never run.
  const std::string all = CountDir() + "/all-coverpkg.out";
  const std::string baseline = (dir / "main.json").string();
  ASSERT_EQ(RunCommand("report --exclude textutil --strip-prefix example.com/shop " + Quote(all) + " --json " +
                           Quote(baseline),
                       dir / "main.stdout"),
            0);
  std::string now_text;
  {
    std::ifstream in(all);
    for (std::string line; std::getline(in, line);) {
      if (line.find("/cart/") != std::string::npos) line = line.substr(0, line.rfind(' ')) + " 0";
      now_text += line + "\n";
    }
  }
  const fs::path now = dir / "now.out";
  std::ofstream(now) << now_text;
  const std::vector<std::string> units = {now.string()};
  const std::string args = "report --exclude textutil --strip-prefix example.com/shop --baseline " +
                           Quote(baseline) + " --max-drop 0.5 --fail-under 90 " + Quote(now.string());
  ASSERT_EQ(RunCommand(args, dir / "stdout"), 3);
  const std::string stdout_text = ReadFile(dir / "stdout");
  const std::string stderr_text = ReadFile(dir / "stdout.err");

  MergerPtr m = Merge(units);
  covmerge_gate_options options;
  covmerge_gate_options_init(&options);
  options.baseline_path = baseline.c_str();
  options.max_drop = 0.5;
  options.check_fail_under = 1;
  options.fail_under = 90;
  covmerge_gate* raw = nullptr;
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_gate(m.get(), &options, &raw, &error), COVMERGE_OK) << error.message;
  GatePtr gate(raw);
  covmerge_verdict verdict;
  verdict.struct_size = sizeof verdict;
  ASSERT_EQ(covmerge_gate_verdict(gate.get(), &verdict, &error), COVMERGE_OK);
  EXPECT_EQ(verdict.passed, 0);
  EXPECT_EQ(verdict.has_baseline, 1);
  EXPECT_GT(verdict.before.covered * verdict.after.statements, verdict.after.covered * verdict.before.statements);
  ASSERT_EQ(verdict.failure_count, 2u);
  for (size_t i = 0; i < verdict.failure_count; ++i) {
    const char* failure = nullptr;
    ASSERT_EQ(covmerge_gate_failure(gate.get(), i, &failure, &error), COVMERGE_OK);
    EXPECT_NE(stderr_text.find("covmerge: coverage gate failed: " + std::string(failure) + "\n"), std::string::npos)
        << failure;
  }
  for (size_t i = 0; i < verdict.report_line_count; ++i) {
    const char* line = nullptr;
    ASSERT_EQ(covmerge_gate_report_line(gate.get(), i, &line, &error), COVMERGE_OK);
    EXPECT_NE(stdout_text.find(std::string(line) + "\n"), std::string::npos) << line;
  }
  ASSERT_GT(verdict.change_count, 0u);
  for (size_t i = 0; i < verdict.change_count; ++i) {
    covmerge_package_change change;
    ASSERT_EQ(covmerge_gate_change(gate.get(), i, &change, &error), COVMERGE_OK);
    EXPECT_NE(stdout_text.find(change.name), std::string::npos) << change.name;
    if (change.kind == COVMERGE_CHANGE_FELL) {
      EXPECT_LT(change.after.percent, change.before.percent) << change.name;
    }
  }
  // The verdict outlives the merger.
  m.reset();
  EXPECT_EQ(covmerge_gate_verdict(gate.get(), &verdict, &error), COVMERGE_OK);
}

TEST(CApiReportTest, ABaselineInMemoryAndTheMinimumOnly) {
  MergerPtr m = Merge({CountDir()});
  const std::string json = ExportToString(m.get(), COVMERGE_FORMAT_JSON, nullptr);
  covmerge_gate_options options;
  covmerge_gate_options_init(&options);
  options.baseline_data = json.data();
  options.baseline_size = json.size();
  covmerge_gate* raw = nullptr;
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_gate(m.get(), &options, &raw, &error), COVMERGE_OK) << error.message;
  GatePtr same(raw);
  covmerge_verdict verdict;
  verdict.struct_size = sizeof verdict;
  ASSERT_EQ(covmerge_gate_verdict(same.get(), &verdict, &error), COVMERGE_OK);
  EXPECT_EQ(verdict.passed, 1);
  EXPECT_EQ(verdict.change_count, 0u);

  covmerge_gate_options_init(&options);
  options.check_fail_under = 1;
  options.fail_under = 100;
  ASSERT_EQ(covmerge_merger_gate(m.get(), &options, &raw, &error), COVMERGE_OK);
  GatePtr strict(raw);
  ASSERT_EQ(covmerge_gate_verdict(strict.get(), &verdict, &error), COVMERGE_OK);
  EXPECT_EQ(verdict.passed, 0);
  EXPECT_EQ(verdict.has_baseline, 0);
  EXPECT_EQ(verdict.failure_count, 1u);
}

TEST(CApiReportTest, ABadBaselineOrPatternIsAnErrorNamingIt) {
  MergerPtr m = Merge({CountDir()});
  covmerge_gate_options options;
  covmerge_gate_options_init(&options);
  options.baseline_path = "/nonexistent/main.json";
  covmerge_gate* raw = nullptr;
  covmerge_error error;
  EXPECT_EQ(covmerge_merger_gate(m.get(), &options, &raw, &error), COVMERGE_ERROR_NOT_FOUND);
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(error.os_error, ENOENT);
  EXPECT_STREQ(error.input, "/nonexistent/main.json");
  const std::string junk = "junk";
  covmerge_gate_options_init(&options);
  options.baseline_data = junk.data();
  options.baseline_size = junk.size();
  EXPECT_EQ(covmerge_merger_gate(m.get(), &options, &raw, &error), COVMERGE_ERROR_MALFORMED);
  EXPECT_NE(std::string_view(error.message).find("neither a JSON summary"), std::string_view::npos);

  covmerge_merger* fresh = nullptr;
  ASSERT_EQ(covmerge_merger_create(nullptr, &fresh, &error), COVMERGE_OK);
  MergerPtr owner(fresh);
  EXPECT_EQ(covmerge_merger_add_include(fresh, "([", &error), COVMERGE_ERROR_USAGE);
  EXPECT_NE(std::string_view(error.message).find("(["), std::string_view::npos) << error.message;
  EXPECT_EQ(covmerge_merger_add_path_rule(fresh, "", "x", &error), COVMERGE_ERROR_USAGE);
  // Before finish, the report is a usage error.
  covmerge_report report;
  report.struct_size = sizeof report;
  EXPECT_EQ(covmerge_merger_report(fresh, &report, &error), COVMERGE_ERROR_USAGE);
  size_t size = 0;
  EXPECT_EQ(covmerge_merger_export_buffer(m.get(), 99, nullptr, nullptr, 0, &size, &error), COVMERGE_ERROR_USAGE);
  EXPECT_NE(std::string_view(error.message).find("format is 99"), std::string_view::npos) << error.message;
}

TEST(CApiReportTest, AnExportToAFullDiskIsDiskFull) {
  MergerPtr m = Merge({CountDir()});
  covmerge_error error;
  EXPECT_EQ(covmerge_merger_export_file(m.get(), COVMERGE_FORMAT_LCOV, nullptr, "/dev/full", &error),
            COVMERGE_ERROR_DISK_FULL);
  EXPECT_EQ(error.os_error, ENOSPC);
}

}  // namespace

namespace {

TEST(CApiReportTest, PatchCoverageThresholdsAndMarkdownEqualTheCommand) {
  TempDir dir;
  const std::string diff =
      "diff --git a/cart/cart.go b/cart/cart.go\n--- a/cart/cart.go\n+++ b/cart/cart.go\n"
      "@@ -30,0 +31,3 @@\n+a\n+b\n+c\n@@ -49,0 +50,3 @@\n+d\n+e\n+f\n";
  std::ofstream(dir / "pr.diff") << diff;
  const std::string args = "report --exclude textutil --strip-prefix example.com/shop " + Quote(CountDir()) +
                           " --diff " + Quote((dir / "pr.diff").string()) +
                           " --fail-under-patch 90 --threshold cart=99 --markdown " +
                           Quote((dir / "pr.md").string());
  ASSERT_EQ(RunCommand(args, dir / "stdout"), 3) << ReadFile(dir / "stdout.err");
  MergerPtr m = Merge({CountDir()});
  const char* thresholds[] = {"cart=99"};
  covmerge_gate_options options;
  covmerge_gate_options_init(&options);
  options.diff_data = diff.data();
  options.diff_size = diff.size();
  options.check_fail_under_patch = 1;
  options.fail_under_patch = 90;
  options.thresholds = thresholds;
  options.threshold_count = 1;
  covmerge_gate* raw = nullptr;
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_gate(m.get(), &options, &raw, &error), COVMERGE_OK) << error.message;
  GatePtr gate(raw);
  covmerge_verdict verdict;
  verdict.struct_size = sizeof verdict;
  ASSERT_EQ(covmerge_gate_verdict(gate.get(), &verdict, &error), COVMERGE_OK);
  EXPECT_EQ(verdict.passed, 0);
  EXPECT_EQ(verdict.has_patch, 1);
  EXPECT_GT(verdict.patch.statements, 0u);
  EXPECT_EQ(verdict.failure_count, 2u);
  const char* markdown = nullptr;
  ASSERT_EQ(covmerge_gate_markdown(gate.get(), &markdown, &error), COVMERGE_OK);
  EXPECT_EQ(std::string(markdown), ReadFile(dir / "pr.md"));
  const char* bad[] = {"no-percent"};
  options.thresholds = bad;
  EXPECT_EQ(covmerge_merger_gate(m.get(), &options, &raw, &error), COVMERGE_ERROR_USAGE);
  EXPECT_NE(std::string_view(error.message).find("--threshold"), std::string_view::npos) << error.message;
}

}  // namespace
