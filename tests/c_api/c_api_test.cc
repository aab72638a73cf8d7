// SPDX-License-Identifier: Apache-2.0
// Tests of the C API through covmerge.h only, linked against
// libcovmerge.so: options and their struct_size, every way in (paths,
// directories, buffers without a trailing NUL) and out (file, buffer,
// callback, summary, files, blocks, packages, skipped inputs, warnings),
// every status code with its input, line and column, calls out of order,
// NULL arguments, truncation of long names, and out of memory.
#include "c_api_test_util.h"
#include "covmerge.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace {

namespace fs = std::filesystem;
using covmerge_test::MergerPtr;
using covmerge_test::ReadFile;
using covmerge_test::TempDir;

std::string DataDir() {
  const char* env = std::getenv("COVMERGE_DATA");
  return env != nullptr ? env : "data";
}

void WriteFile(const fs::path& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
}


MergerPtr Create(covmerge_options options) {
  covmerge_merger* m = nullptr;
  covmerge_error error;
  EXPECT_EQ(covmerge_merger_create(&options, &m, &error), COVMERGE_OK) << error.message;
  return MergerPtr(m);
}

covmerge_options Options(int on_conflict = COVMERGE_CONFLICT_FAIL, int expected_mode = COVMERGE_MODE_ANY) {
  covmerge_options options;
  covmerge_options_init(&options);
  options.on_conflict = on_conflict;
  options.expected_mode = expected_mode;
  options.threads = 2;
  return options;
}

covmerge_status AddBuffer(covmerge_merger* m, const char* name, std::string_view text, covmerge_error* error) {
  return covmerge_merger_add_buffer(m, name, text.data(), text.size(), error);
}

std::string WriteToString(const covmerge_merger* m) {
  size_t size = 0;
  covmerge_error error;
  const covmerge_status sized = covmerge_merger_write_buffer(m, nullptr, 0, &size, &error);
  EXPECT_EQ(sized, size == 0 ? COVMERGE_OK : COVMERGE_ERROR_BUFFER_TOO_SMALL);
  std::string out(size, '\0');
  EXPECT_EQ(covmerge_merger_write_buffer(m, out.data(), out.size(), &size, &error), COVMERGE_OK) << error.message;
  out.resize(size);
  return out;
}

covmerge_summary Summary(const covmerge_merger* m) {
  covmerge_summary s;
  s.struct_size = sizeof s;
  covmerge_error error;
  EXPECT_EQ(covmerge_merger_summary(m, &s, &error), COVMERGE_OK) << error.message;
  return s;
}

// Merges buffers; returns the status of finish and fills `error`.
covmerge_status MergeTexts(const std::vector<std::pair<std::string, std::string>>& inputs, MergerPtr* out,
                           covmerge_error* error, covmerge_options options = Options()) {
  *out = Create(options);
  for (const auto& [name, text] : inputs) {
    if (covmerge_status s = AddBuffer(out->get(), name.c_str(), text, error); s != COVMERGE_OK) return s;
  }
  return covmerge_merger_finish(out->get(), error);
}

constexpr std::string_view kProfileA = "mode: count\nexample.com/m/a.go:1.2,3.4 2 5\nexample.com/m/a.go:5.1,6.2 1 0\n";
constexpr std::string_view kProfileB = "mode: count\nexample.com/m/a.go:1.2,3.4 2 7\nexample.com/m/b/b.go:1.1,2.1 3 1\n";

// ---------------------------------------------------------------------------
// Version, names, options

TEST(CApiTest, VersionMatchesTheHeader) {
  const std::string expected = std::to_string(COVMERGE_VERSION_MAJOR) + "." + std::to_string(COVMERGE_VERSION_MINOR) +
                               "." + std::to_string(COVMERGE_VERSION_PATCH);
  EXPECT_EQ(covmerge_version(), expected);
}

TEST(CApiTest, StatusNames) {
  EXPECT_STREQ(covmerge_status_name(COVMERGE_OK), "COVMERGE_OK");
  EXPECT_STREQ(covmerge_status_name(COVMERGE_ERROR_MALFORMED), "COVMERGE_ERROR_MALFORMED");
  EXPECT_STREQ(covmerge_status_name(COVMERGE_ERROR_INTERNAL), "COVMERGE_ERROR_INTERNAL");
  EXPECT_STREQ(covmerge_status_name(-1), "COVMERGE_ERROR_UNKNOWN");
  EXPECT_STREQ(covmerge_status_name(1000), "COVMERGE_ERROR_UNKNOWN");
}

TEST(CApiTest, OptionsInitSetsDefaults) {
  covmerge_options options;
  std::memset(&options, 0xAB, sizeof options);
  covmerge_options_init(&options);
  EXPECT_EQ(options.struct_size, sizeof options);
  EXPECT_EQ(options.threads, 0);
  EXPECT_EQ(options.expected_mode, COVMERGE_MODE_ANY);
  EXPECT_EQ(options.on_conflict, COVMERGE_CONFLICT_FAIL);
  EXPECT_EQ(options.use_mmap, 0);
  covmerge_options_init(nullptr);  // ignored
}

TEST(CApiTest, CreateWithNullOptionsUsesDefaults) {
  covmerge_merger* m = nullptr;
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_create(nullptr, &m, &error), COVMERGE_OK);
  EXPECT_EQ(error.code, COVMERGE_OK);
  EXPECT_STREQ(error.message, "");
  EXPECT_STREQ(error.input, "");
  covmerge_merger_free(m);
}

TEST(CApiTest, CreateRejectsBadOptions) {
  covmerge_error error;
  covmerge_merger* m = reinterpret_cast<covmerge_merger*>(0x1);
  EXPECT_EQ(covmerge_merger_create(nullptr, nullptr, &error), COVMERGE_ERROR_USAGE);

  covmerge_options small = Options();
  small.struct_size = sizeof(size_t);
  EXPECT_EQ(covmerge_merger_create(&small, &m, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(m, nullptr);
  EXPECT_NE(std::string_view(error.message).find("struct_size"), std::string_view::npos) << error.message;

  covmerge_options threads = Options();
  threads.threads = -1;
  EXPECT_EQ(covmerge_merger_create(&threads, &m, &error), COVMERGE_ERROR_USAGE);
  threads.threads = 1025;
  EXPECT_EQ(covmerge_merger_create(&threads, &m, &error), COVMERGE_ERROR_USAGE);

  covmerge_options mode = Options();
  mode.expected_mode = 4;
  EXPECT_EQ(covmerge_merger_create(&mode, &m, &error), COVMERGE_ERROR_USAGE);

  covmerge_options conflict = Options();
  conflict.on_conflict = 2;
  EXPECT_EQ(covmerge_merger_create(&conflict, &m, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(error.code, COVMERGE_ERROR_USAGE);
  EXPECT_EQ(m, nullptr);
}

// A caller built against a later header passes a larger struct: fields this
// version does not know are fine while unset, refused when set.
TEST(CApiTest, OptionsFromALaterVersion) {
  struct LaterOptions {
    covmerge_options v1;
    int64_t later_field;
  } later;
  std::memset(&later, 0, sizeof later);
  covmerge_options_init(&later.v1);
  later.v1.struct_size = sizeof later;
  covmerge_merger* m = nullptr;
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_create(&later.v1, &m, &error), COVMERGE_OK) << error.message;
  covmerge_merger_free(m);
  later.later_field = 1;
  EXPECT_EQ(covmerge_merger_create(&later.v1, &m, &error), COVMERGE_ERROR_USAGE);
}

// ---------------------------------------------------------------------------
// Merging and output

TEST(CApiTest, SampleDirectoryMatchesTheExpectedMerge) {
  MergerPtr m = Create(Options());
  covmerge_error error;
  size_t found = 0;
  ASSERT_EQ(covmerge_merger_add_path(m.get(), (DataDir() + "/profiles/count").c_str(), &found, &error), COVMERGE_OK)
      << error.message;
  EXPECT_EQ(found, 9u);
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK) << error.message;
  EXPECT_EQ(WriteToString(m.get()), ReadFile(DataDir() + "/expected/count-merged.out"));

  covmerge_summary s = Summary(m.get());
  EXPECT_EQ(s.struct_size, sizeof s);
  EXPECT_EQ(s.mode, COVMERGE_MODE_COUNT);
  EXPECT_EQ(s.inputs_merged, 9u);
  EXPECT_EQ(s.skipped_count, 0u);
  char line[64];
  std::snprintf(line, sizeof line, "%.1f", s.total.percent);
  EXPECT_STREQ(line, "54.8");  // go tool cover -func says 54.8%
  EXPECT_GT(s.total.statements, s.total.covered);
}

TEST(CApiTest, AddPathsEqualsTheDirectory) {
  const std::string dir = DataDir() + "/profiles/count";
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path().string());
  std::vector<const char*> paths;
  for (const std::string& f : files) paths.push_back(f.c_str());
  MergerPtr m = Create(Options());
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_add_paths(m.get(), paths.data(), paths.size(), &error), COVMERGE_OK);
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK) << error.message;
  EXPECT_EQ(WriteToString(m.get()), ReadFile(DataDir() + "/expected/count-merged.out"));
  EXPECT_EQ(covmerge_merger_add_paths(m.get(), paths.data(), 1, &error), COVMERGE_ERROR_USAGE);  // finished
}

TEST(CApiTest, DirectorySearchSkipsHiddenAndOtherNames) {
  TempDir dir;
  fs::create_directories(dir / "sub");
  fs::create_directories(dir / ".hidden");
  WriteFile(dir / "a.out", kProfileA);
  WriteFile(dir / "sub" / "coverage.txt", kProfileB);
  WriteFile(dir / ".hidden" / "c.out", "garbage");
  WriteFile(dir / ".d.out", "garbage");
  WriteFile(dir / "notes.txt", "garbage");
  MergerPtr m = Create(Options());
  covmerge_error error;
  size_t found = 0;
  ASSERT_EQ(covmerge_merger_add_path(m.get(), dir.path().c_str(), &found, &error), COVMERGE_OK);
  EXPECT_EQ(found, 2u);
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK) << error.message;
  EXPECT_EQ(Summary(m.get()).inputs_merged, 2u);
}

// A GOCOVERDIR (Go 1.20+ binary coverage data) is an input like a
// directory of text profiles.
TEST(CApiTest, GoCoverDirMatchesTheExpectedMerge) {
  MergerPtr m = Create(Options());
  covmerge_error error;
  size_t found = 0;
  const std::string sample = DataDir() + "/gocoverdir-sample";
  ASSERT_EQ(covmerge_merger_add_path(m.get(), (sample + "/gocoverdir").c_str(), &found, &error), COVMERGE_OK)
      << error.message;
  EXPECT_EQ(found, 1u);
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK) << error.message;
  EXPECT_EQ(WriteToString(m.get()), ReadFile(sample + "/expected-merged.out"));
  EXPECT_EQ(Summary(m.get()).inputs_merged, 10u);  // the runs
}

TEST(CApiTest, DamagedGoCoverDirNamesTheCounterFile) {
  TempDir dir;
  const std::string sample = DataDir() + "/gocoverdir-sample/gocoverdir";
  for (const auto& entry : fs::directory_iterator(sample)) {
    WriteFile(dir.path() / entry.path().filename(), ReadFile(entry.path().string()));
  }
  const std::string run = (dir / "covcounters.8e5490b131e4584a4bf93cc9f45c3fed.4242.1700000000000000000").string();
  WriteFile(run, ReadFile(run).substr(0, 100));
  MergerPtr m = Create(Options());
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_add_path(m.get(), dir.path().c_str(), nullptr, &error), COVMERGE_OK);
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_ERROR_MALFORMED);
  EXPECT_STREQ(error.input, run.c_str());
  EXPECT_EQ(std::string(error.message).rfind(run + ": expected the footer", 0), 0u) << error.message;

  MergerPtr skip = Create(Options(COVMERGE_CONFLICT_SKIP));
  ASSERT_EQ(covmerge_merger_add_path(skip.get(), dir.path().c_str(), nullptr, &error), COVMERGE_OK);
  ASSERT_EQ(covmerge_merger_finish(skip.get(), &error), COVMERGE_OK) << error.message;
  covmerge_summary s = Summary(skip.get());
  EXPECT_EQ(s.skipped_count, 1u);
  EXPECT_EQ(s.inputs_merged, 9u);
}

TEST(CApiTest, EmptyDirectoryAddsNothing) {
  TempDir dir;
  MergerPtr m = Create(Options());
  covmerge_error error;
  size_t found = 7;
  ASSERT_EQ(covmerge_merger_add_path(m.get(), dir.path().c_str(), &found, &error), COVMERGE_OK);
  EXPECT_EQ(found, 0u);
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK);
  EXPECT_EQ(WriteToString(m.get()), "");
  EXPECT_EQ(Summary(m.get()).mode, COVMERGE_MODE_ANY);
}

TEST(CApiTest, BuffersMerge) {
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"a", std::string(kProfileA)}, {"b", std::string(kProfileB)}}, &m, &error), COVMERGE_OK)
      << error.message;
  EXPECT_EQ(WriteToString(m.get()),
            "mode: count\n"
            "example.com/m/a.go:1.2,3.4 2 12\n"
            "example.com/m/a.go:5.1,6.2 1 0\n"
            "example.com/m/b/b.go:1.1,2.1 3 1\n");
  covmerge_summary s = Summary(m.get());
  EXPECT_EQ(s.total.statements, 6u);
  EXPECT_EQ(s.total.covered, 5u);
  EXPECT_DOUBLE_EQ(s.total.percent, 100.0 * 5 / 6);
  EXPECT_EQ(s.file_count, 2u);
  EXPECT_EQ(s.package_count, 2u);
}

// The buffer is exactly `size` bytes: no NUL after it is read, or needed.
TEST(CApiTest, BufferWithoutTrailingNul) {
  std::vector<char> bytes(kProfileA.begin(), kProfileA.end());
  bytes.pop_back();  // no final newline either
  bytes.shrink_to_fit();
  MergerPtr m = Create(Options());
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_add_buffer(m.get(), "vector", bytes.data(), bytes.size(), &error), COVMERGE_OK);
  std::fill(bytes.begin(), bytes.end(), 'x');  // copied: the caller may reuse it at once
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK) << error.message;
  EXPECT_EQ(WriteToString(m.get()), kProfileA);
}

// The byte after the buffer is on a page that may not be read: any read past
// the end would crash the test.
TEST(CApiTest, BufferEndingAtAnUnreadablePage) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  void* region = ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  char* guard = static_cast<char*>(region) + page;
  ASSERT_EQ(::mprotect(guard, page, PROT_NONE), 0);
  for (std::string_view text : {kProfileA, std::string_view("mode: count\nexample.com/m/a.go:1.2,3.4 2 5")}) {
    char* start = guard - text.size();
    std::memcpy(start, text.data(), text.size());
    MergerPtr m = Create(Options());
    covmerge_error error;
    ASSERT_EQ(covmerge_merger_add_buffer(m.get(), "guarded", start, text.size(), &error), COVMERGE_OK);
    ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK) << error.message;
    EXPECT_EQ(Summary(m.get()).total.statements, text == kProfileA ? 3u : 2u);
  }
  // A malformed last line right before the guard page: the error excerpt
  // must stop at the end too.
  std::string_view bad = "mode: count\nexample.com/m/a.go:1.2,3.4 2 5x";
  char* start = guard - bad.size();
  std::memcpy(start, bad.data(), bad.size());
  MergerPtr m = Create(Options());
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_add_buffer(m.get(), "guarded", start, bad.size(), &error), COVMERGE_OK);
  EXPECT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_ERROR_MALFORMED);
  EXPECT_EQ(error.line, 2u);
  ::munmap(region, 2 * page);
}

TEST(CApiTest, EmptyBufferIsMalformed) {
  MergerPtr m = Create(Options());
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_add_buffer(m.get(), "empty", nullptr, 0, &error), COVMERGE_OK);
  EXPECT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_ERROR_MALFORMED);
  EXPECT_STREQ(error.input, "empty");
}

TEST(CApiTest, WriteFileIsAtomicAndCompressesByName) {
  TempDir dir;
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"a", std::string(kProfileA)}}, &m, &error), COVMERGE_OK);
  const std::string out = (dir / "merged.out").string();
  ASSERT_EQ(covmerge_merger_write_file(m.get(), out.c_str(), &error), COVMERGE_OK) << error.message;
  EXPECT_EQ(ReadFile(out), kProfileA);
  const std::string zst = (dir / "merged.out.zst").string();
  ASSERT_EQ(covmerge_merger_write_file(m.get(), zst.c_str(), &error), COVMERGE_OK) << error.message;
  const std::string compressed = ReadFile(zst);
  ASSERT_GE(compressed.size(), 4u);
  EXPECT_EQ(compressed.substr(0, 4), std::string("\x28\xB5\x2F\xFD", 4));  // zstd magic
  // ... and it reads back as the same profile.
  MergerPtr again = Create(Options());
  ASSERT_EQ(covmerge_merger_add_path(again.get(), zst.c_str(), nullptr, &error), COVMERGE_OK);
  ASSERT_EQ(covmerge_merger_finish(again.get(), &error), COVMERGE_OK) << error.message;
  EXPECT_EQ(WriteToString(again.get()), kProfileA);
  size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) entries += entry.is_regular_file() ? 1 : 0;
  EXPECT_EQ(entries, 2u);  // no temporary file left behind
}

TEST(CApiTest, WriteBufferReportsTheSizeNeeded) {
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"a", std::string(kProfileA)}}, &m, &error), COVMERGE_OK);
  size_t size = 0;
  EXPECT_EQ(covmerge_merger_write_buffer(m.get(), nullptr, 0, &size, &error), COVMERGE_ERROR_BUFFER_TOO_SMALL);
  EXPECT_EQ(size, kProfileA.size());
  EXPECT_EQ(error.code, COVMERGE_ERROR_BUFFER_TOO_SMALL);
  std::vector<char> small(kProfileA.size() - 1);
  EXPECT_EQ(covmerge_merger_write_buffer(m.get(), small.data(), small.size(), &size, &error),
            COVMERGE_ERROR_BUFFER_TOO_SMALL);
  EXPECT_EQ(size, kProfileA.size());
  std::vector<char> exact(kProfileA.size());
  ASSERT_EQ(covmerge_merger_write_buffer(m.get(), exact.data(), exact.size(), &size, &error), COVMERGE_OK);
  EXPECT_EQ(std::string_view(exact.data(), size), kProfileA);
  EXPECT_EQ(covmerge_merger_write_buffer(m.get(), nullptr, 10, &size, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_write_buffer(m.get(), exact.data(), exact.size(), nullptr, &error), COVMERGE_ERROR_USAGE);
}

TEST(CApiTest, WriteCallbackGetsTheTextAndCanStop) {
  MergerPtr m = Create(Options());
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_add_path(m.get(), (DataDir() + "/profiles/count").c_str(), nullptr, &error),
            COVMERGE_OK);
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK);
  std::string text;
  auto append = [](void* user, const void* data, size_t size) {
    static_cast<std::string*>(user)->append(static_cast<const char*>(data), size);
    return 0;
  };
  ASSERT_EQ(covmerge_merger_write_callback(m.get(), append, &text, &error), COVMERGE_OK);
  EXPECT_EQ(text, ReadFile(DataDir() + "/expected/count-merged.out"));

  auto refuse = [](void*, const void*, size_t) { return 42; };
  EXPECT_EQ(covmerge_merger_write_callback(m.get(), refuse, nullptr, &error), COVMERGE_ERROR_CALLBACK);
  EXPECT_NE(std::string_view(error.message).find("42"), std::string_view::npos) << error.message;
  EXPECT_EQ(covmerge_merger_write_callback(m.get(), nullptr, nullptr, &error), COVMERGE_ERROR_USAGE);
}

TEST(CApiTest, FilesBlocksAndPackagesByIteration) {
  const std::string text =
      "mode: set\n"
      "top.go:1.1,2.1 1 1\n"
      "a/b/x.go:1.1,2.1 2 1\n"
      "a/b/y/z.go:1.1,2.1 3 0\n"
      "a/b/w.go:3.1,4.1 4 0\n"
      "a/b/w.go:1.1,2.1 5 1\n";
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"in", text}}, &m, &error), COVMERGE_OK) << error.message;
  covmerge_summary s = Summary(m.get());
  ASSERT_EQ(s.file_count, 4u);
  ASSERT_EQ(s.package_count, 3u);
  EXPECT_EQ(s.mode, COVMERGE_MODE_SET);

  std::string dump;
  for (size_t f = 0; f < s.file_count; ++f) {
    covmerge_file file;
    ASSERT_EQ(covmerge_merger_file(m.get(), f, &file, &error), COVMERGE_OK);
    for (size_t b = 0; b < file.block_count; ++b) {
      covmerge_block block;
      ASSERT_EQ(covmerge_merger_block(m.get(), f, b, &block, &error), COVMERGE_OK);
      std::ostringstream line;
      line << file.path << ":" << block.start_line << "." << block.start_col << "," << block.end_line << "."
           << block.end_col << " " << block.num_stmt << " " << block.count << "\n";
      dump += line.str();
    }
  }
  EXPECT_EQ("mode: set\n" + dump, WriteToString(m.get()));

  covmerge_file w;
  ASSERT_EQ(covmerge_merger_file(m.get(), 0, &w, &error), COVMERGE_OK);
  EXPECT_STREQ(w.path, "a/b/w.go");
  EXPECT_EQ(w.block_count, 2u);
  EXPECT_EQ(w.coverage.statements, 9u);
  EXPECT_EQ(w.coverage.covered, 5u);

  struct Expected {
    const char* name;
    size_t files;
    uint64_t statements, covered;
  } expected[] = {{".", 1, 1, 1}, {"a/b", 2, 11, 7}, {"a/b/y", 1, 3, 0}};
  for (size_t i = 0; i < 3; ++i) {
    covmerge_package p;
    ASSERT_EQ(covmerge_merger_package(m.get(), i, &p, &error), COVMERGE_OK);
    EXPECT_STREQ(p.name, expected[i].name);
    EXPECT_EQ(p.file_count, expected[i].files);
    EXPECT_EQ(p.coverage.statements, expected[i].statements);
    EXPECT_EQ(p.coverage.covered, expected[i].covered);
  }

  covmerge_file file;
  covmerge_block block;
  covmerge_package package;
  EXPECT_EQ(covmerge_merger_file(m.get(), 4, &file, &error), COVMERGE_ERROR_USAGE);
  EXPECT_NE(std::string_view(error.message).find("out of range"), std::string_view::npos);
  EXPECT_EQ(covmerge_merger_block(m.get(), 0, 2, &block, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_block(m.get(), 9, 0, &block, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_package(m.get(), 3, &package, &error), COVMERGE_ERROR_USAGE);
  const char* warning = nullptr;
  EXPECT_EQ(covmerge_merger_warning(m.get(), 0, &warning, &error), COVMERGE_ERROR_USAGE);
}

TEST(CApiTest, SaturatedCountsWarn) {
  const std::string big = "mode: count\na.go:1.1,2.1 1 9223372036854775807\n";
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"a", big}, {"b", big}}, &m, &error), COVMERGE_OK) << error.message;
  covmerge_summary s = Summary(m.get());
  ASSERT_EQ(s.warning_count, 1u);
  const char* warning = nullptr;
  ASSERT_EQ(covmerge_merger_warning(m.get(), 0, &warning, &error), COVMERGE_OK);
  EXPECT_NE(std::string_view(warning).find("9223372036854775807"), std::string_view::npos) << warning;
  covmerge_block block;
  ASSERT_EQ(covmerge_merger_block(m.get(), 0, 0, &block, &error), COVMERGE_OK);
  EXPECT_EQ(block.count, 9223372036854775807ull);
}

// ---------------------------------------------------------------------------
// Errors: code, input, line, column, message

TEST(CApiTest, MalformedInputNamesInputLineAndColumn) {
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"good.out", std::string(kProfileA)},
                        {"bad.out", "mode: count\n\nexample.com/m/a.go:1.2,3.4 two 5\n"}},
                       &m, &error),
            COVMERGE_ERROR_MALFORMED);
  EXPECT_EQ(error.code, COVMERGE_ERROR_MALFORMED);
  EXPECT_STREQ(error.input, "bad.out");
  EXPECT_EQ(error.line, 3u);
  EXPECT_GT(error.column, 0u);
  const std::string prefix = "bad.out:3:" + std::to_string(error.column) + ": ";
  EXPECT_EQ(std::string_view(error.message).substr(0, prefix.size()), prefix) << error.message;
  EXPECT_EQ(error.input_index, 1u);
  EXPECT_EQ(error.offset, std::string_view("mode: count\n\n").size());
  EXPECT_EQ(error.os_error, 0);
  EXPECT_STREQ(error.other_input, "");
  EXPECT_EQ(error.other_input_index, COVMERGE_UNKNOWN);
}

TEST(CApiTest, MissingModeLineIsMalformed) {
  MergerPtr m;
  covmerge_error error;
  EXPECT_EQ(MergeTexts({{"x", "a.go:1.1,2.1 1 1\n"}}, &m, &error), COVMERGE_ERROR_MALFORMED);
  EXPECT_STREQ(error.input, "x");
  EXPECT_EQ(error.line, 1u);
}

TEST(CApiTest, ModeConflictNamesTheOddInput) {
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"a.out", std::string(kProfileA)}, {"s.out", "mode: set\nexample.com/m/a.go:1.2,3.4 2 1\n"}},
                       &m, &error),
            COVMERGE_ERROR_CONFLICT);
  EXPECT_STREQ(error.input, "s.out");
  EXPECT_EQ(error.line, 1u);
  EXPECT_NE(std::string_view(error.message).find("a.out"), std::string_view::npos) << error.message;
  EXPECT_STREQ(error.other_input, "a.out");
  EXPECT_EQ(error.other_input_index, 0u);
  EXPECT_EQ(error.other_line, 1u);
}

TEST(CApiTest, NumStmtConflict) {
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"a.out", std::string(kProfileA)},
                        {"b.out", "mode: count\n\nexample.com/m/a.go:1.2,3.4 9 1\n"}},
                       &m, &error),
            COVMERGE_ERROR_CONFLICT);
  EXPECT_STREQ(error.input, "b.out");
  EXPECT_EQ(error.input_index, 1u);
  EXPECT_EQ(error.line, 3u);
  EXPECT_EQ(error.column, 0u);
  EXPECT_STREQ(error.other_input, "a.out");
  EXPECT_EQ(error.other_input_index, 0u);
  EXPECT_EQ(error.other_line, 2u);
}

TEST(CApiTest, KeepGoingListsSkippedInputs) {
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"a.out", std::string(kProfileA)},
                        {"bad.out", "mode: count\nnonsense\n"},
                        {"s.out", "mode: set\nexample.com/m/a.go:1.2,3.4 2 1\n"},
                        {"b.out", std::string(kProfileB)}},
                       &m, &error, Options(COVMERGE_CONFLICT_SKIP)),
            COVMERGE_OK)
      << error.message;
  covmerge_summary s = Summary(m.get());
  EXPECT_EQ(s.inputs_merged, 2u);
  ASSERT_EQ(s.skipped_count, 2u);
  covmerge_skipped_input skipped;
  ASSERT_EQ(covmerge_merger_skipped(m.get(), 0, &skipped, &error), COVMERGE_OK);
  EXPECT_STREQ(skipped.name, "bad.out");
  EXPECT_EQ(std::string_view(skipped.reason).substr(0, 10), "bad.out:2:");
  ASSERT_EQ(covmerge_merger_skipped(m.get(), 1, &skipped, &error), COVMERGE_OK);
  EXPECT_STREQ(skipped.name, "s.out");
  EXPECT_EQ(covmerge_merger_skipped(m.get(), 2, &skipped, &error), COVMERGE_ERROR_USAGE);
}

TEST(CApiTest, KeepGoingWithEveryInputBadFails) {
  MergerPtr m;
  covmerge_error error;
  EXPECT_EQ(MergeTexts({{"bad.out", "nonsense\n"}}, &m, &error, Options(COVMERGE_CONFLICT_SKIP)),
            COVMERGE_ERROR_MALFORMED);
  EXPECT_NE(std::string_view(error.message).find("skipped"), std::string_view::npos) << error.message;
}

TEST(CApiTest, ExpectedMode) {
  MergerPtr m;
  covmerge_error error;
  EXPECT_EQ(MergeTexts({{"a", std::string(kProfileA)}}, &m, &error, Options(COVMERGE_CONFLICT_FAIL, COVMERGE_MODE_SET)),
            COVMERGE_ERROR_CONFLICT);
  EXPECT_NE(std::string_view(error.message).find("\"set\" was expected"), std::string_view::npos) << error.message;
  EXPECT_EQ(
      MergeTexts({{"a", std::string(kProfileA)}}, &m, &error, Options(COVMERGE_CONFLICT_FAIL, COVMERGE_MODE_COUNT)),
      COVMERGE_OK);
  // No blocks, no mode to disagree with.
  EXPECT_EQ(MergeTexts({{"a", "mode: atomic\n"}}, &m, &error, Options(COVMERGE_CONFLICT_FAIL, COVMERGE_MODE_SET)),
            COVMERGE_OK);
}

TEST(CApiTest, MissingFileIsNotFound) {
  TempDir dir;
  const std::string missing = (dir / "missing.out").string();
  MergerPtr m = Create(Options());
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_add_path(m.get(), missing.c_str(), nullptr, &error), COVMERGE_OK);
  EXPECT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_ERROR_NOT_FOUND);
  EXPECT_EQ(error.input, missing);
  EXPECT_EQ(error.line, 0u);
  EXPECT_NE(std::string_view(error.message).find(missing), std::string_view::npos);
}

TEST(CApiTest, PathWithColonsAndSpaces) {
  TempDir dir;
  const std::string weird = (dir / "a:1:2: b.out").string();
  WriteFile(weird, "mode: count\nx.go:1.1,2.1 1 z\n");
  MergerPtr m = Create(Options());
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_add_path(m.get(), weird.c_str(), nullptr, &error), COVMERGE_OK);
  EXPECT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_ERROR_MALFORMED);
  EXPECT_EQ(error.input, weird);
  EXPECT_EQ(error.line, 2u);
}

TEST(CApiTest, UnreadableInputIsPermissionDenied) {
  TempDir dir;
  const std::string path = (dir / "locked.out").string();
  WriteFile(path, kProfileA);
  ::chmod(path.c_str(), 0);
  // The merge's verdict, as an exit status: 0 when it is the expected one.
  auto merge_locked_file = [&]() -> int {
    MergerPtr m = Create(Options());
    covmerge_error error;
    if (covmerge_merger_add_path(m.get(), path.c_str(), nullptr, &error) != COVMERGE_OK) return 3;
    if (covmerge_merger_finish(m.get(), &error) != COVMERGE_ERROR_PERMISSION) return 4;
    return path == error.input ? 0 : 5;
  };
  if (::geteuid() != 0) {
    EXPECT_EQ(merge_locked_file(), 0);
    return;
  }
  // Root reads every file: run the merge in a child that is "nobody".
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    ::_exit(merge_locked_file());
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: could not drop privileges, 4: wrong status, 5: wrong input";
}

TEST(CApiTest, WriteErrorsNameTheOutput) {
  TempDir dir;
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"a", std::string(kProfileA)}}, &m, &error), COVMERGE_OK);
  const std::string missing_dir = (dir / "no" / "such" / "merged.out").string();
  EXPECT_EQ(covmerge_merger_write_file(m.get(), missing_dir.c_str(), &error), COVMERGE_ERROR_NOT_FOUND);
  EXPECT_EQ(error.input, missing_dir);
  EXPECT_EQ(covmerge_merger_write_file(m.get(), dir.path().c_str(), &error), COVMERGE_ERROR_IO);
  EXPECT_EQ(error.input, dir.path().string());
  EXPECT_EQ(covmerge_merger_write_file(m.get(), nullptr, &error), COVMERGE_ERROR_USAGE);
}

TEST(CApiTest, AFullDiskIsDiskFullWithItsErrno) {
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"a", std::string(kProfileA)}}, &m, &error), COVMERGE_OK);
  ASSERT_TRUE(fs::exists("/dev/full"));
  EXPECT_EQ(covmerge_merger_write_file(m.get(), "/dev/full", &error), COVMERGE_ERROR_DISK_FULL);
  EXPECT_EQ(error.os_error, ENOSPC);
  EXPECT_STREQ(error.input, "/dev/full");
  EXPECT_STREQ(covmerge_status_name(error.code), "COVMERGE_ERROR_DISK_FULL");
}

int CancelAfter(void* data) { return static_cast<std::atomic<int>*>(data)->fetch_add(1) >= 2; }

TEST(CApiTest, TheCancelCallbackStopsAMerge) {
  std::atomic<int> calls{0};
  covmerge_options options = Options();
  options.threads = 2;
  options.cancel = CancelAfter;
  options.cancel_data = &calls;
  MergerPtr m = Create(options);
  for (int i = 0; i < 16; ++i) {
    // Built in steps: GCC 12 warns (-Wrestrict) about "p" + std::string.
    std::string name = std::to_string(i);
    name += ".out";
    ASSERT_EQ(AddBuffer(m.get(), name.c_str(), kProfileA, nullptr), COVMERGE_OK);
  }
  covmerge_error error;
  EXPECT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_ERROR_CANCELLED);
  EXPECT_STREQ(error.message, "the merge was cancelled");
  EXPECT_GE(calls.load(), 3);
  EXPECT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_ERROR_USAGE);
}

// ---------------------------------------------------------------------------
// Calls out of order, NULL arguments, error storage

TEST(CApiTest, CallsOutOfOrder) {
  MergerPtr m = Create(Options());
  covmerge_error error;
  covmerge_summary s;
  s.struct_size = sizeof s;
  EXPECT_EQ(covmerge_merger_summary(m.get(), &s, &error), COVMERGE_ERROR_USAGE);
  EXPECT_NE(std::string_view(error.message).find("not finished"), std::string_view::npos) << error.message;
  size_t size = 0;
  EXPECT_EQ(covmerge_merger_write_buffer(m.get(), nullptr, 0, &size, &error), COVMERGE_ERROR_USAGE);
  ASSERT_EQ(AddBuffer(m.get(), "a", kProfileA, &error), COVMERGE_OK);
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK);
  EXPECT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK);  // again: nothing to do
  EXPECT_EQ(AddBuffer(m.get(), "b", kProfileB, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_add_path(m.get(), "x.out", nullptr, &error), COVMERGE_ERROR_USAGE);
  EXPECT_NE(std::string_view(error.message).find("finished"), std::string_view::npos) << error.message;
  EXPECT_EQ(WriteToString(m.get()), kProfileA);  // unchanged
  s.struct_size = 4;
  EXPECT_EQ(covmerge_merger_summary(m.get(), &s, &error), COVMERGE_ERROR_USAGE);
}

TEST(CApiTest, EverythingFailsAfterAFailedFinish) {
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{"bad", "junk\n"}}, &m, &error), COVMERGE_ERROR_MALFORMED);
  EXPECT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_ERROR_USAGE);
  EXPECT_NE(std::string_view(error.message).find("bad:1:"), std::string_view::npos) << error.message;
  EXPECT_EQ(AddBuffer(m.get(), "a", kProfileA, &error), COVMERGE_ERROR_USAGE);
  covmerge_summary s;
  s.struct_size = sizeof s;
  EXPECT_EQ(covmerge_merger_summary(m.get(), &s, &error), COVMERGE_ERROR_USAGE);
}

TEST(CApiTest, NullArguments) {
  covmerge_error error;
  covmerge_merger_free(nullptr);
  EXPECT_EQ(covmerge_merger_add_path(nullptr, "x", nullptr, &error), COVMERGE_ERROR_USAGE);
  EXPECT_NE(std::string_view(error.message).find("merger is NULL"), std::string_view::npos) << error.message;
  EXPECT_EQ(covmerge_merger_add_paths(nullptr, nullptr, 0, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_add_buffer(nullptr, "x", "", 0, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_finish(nullptr, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_write_file(nullptr, "x", &error), COVMERGE_ERROR_USAGE);
  size_t size;
  EXPECT_EQ(covmerge_merger_write_buffer(nullptr, nullptr, 0, &size, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_write_callback(nullptr, nullptr, nullptr, &error), COVMERGE_ERROR_USAGE);
  covmerge_summary s;
  s.struct_size = sizeof s;
  EXPECT_EQ(covmerge_merger_summary(nullptr, &s, &error), COVMERGE_ERROR_USAGE);
  covmerge_file f;
  EXPECT_EQ(covmerge_merger_file(nullptr, 0, &f, &error), COVMERGE_ERROR_USAGE);
  covmerge_block b;
  EXPECT_EQ(covmerge_merger_block(nullptr, 0, 0, &b, &error), COVMERGE_ERROR_USAGE);
  covmerge_package p;
  EXPECT_EQ(covmerge_merger_package(nullptr, 0, &p, &error), COVMERGE_ERROR_USAGE);
  covmerge_skipped_input k;
  EXPECT_EQ(covmerge_merger_skipped(nullptr, 0, &k, &error), COVMERGE_ERROR_USAGE);
  const char* w;
  EXPECT_EQ(covmerge_merger_warning(nullptr, 0, &w, &error), COVMERGE_ERROR_USAGE);

  MergerPtr m = Create(Options());
  EXPECT_EQ(covmerge_merger_add_path(m.get(), nullptr, nullptr, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_add_buffer(m.get(), nullptr, "", 0, &error), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_add_buffer(m.get(), "x", nullptr, 5, &error), COVMERGE_ERROR_USAGE);
  const char* paths[] = {"a.out", nullptr};
  EXPECT_EQ(covmerge_merger_add_paths(m.get(), paths, 2, &error), COVMERGE_ERROR_USAGE);
  EXPECT_NE(std::string_view(error.message).find("paths[1]"), std::string_view::npos) << error.message;
  // A NULL error pointer is fine everywhere.
  EXPECT_EQ(covmerge_merger_finish(nullptr, nullptr), COVMERGE_ERROR_USAGE);
  EXPECT_EQ(covmerge_merger_create(nullptr, nullptr, nullptr), COVMERGE_ERROR_USAGE);
}

TEST(CApiTest, ErrorIsClearedOnSuccess) {
  MergerPtr m = Create(Options());
  covmerge_error error;
  EXPECT_EQ(covmerge_merger_finish(nullptr, &error), COVMERGE_ERROR_USAGE);
  ASSERT_EQ(AddBuffer(m.get(), "a", kProfileA, &error), COVMERGE_OK);
  EXPECT_EQ(error.code, COVMERGE_OK);
  EXPECT_STREQ(error.message, "");
  EXPECT_STREQ(error.input, "");
  EXPECT_EQ(error.line, 0u);
  EXPECT_EQ(error.column, 0u);
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// Names longer than the arrays are cut at a character boundary with "...".
TEST(CApiTest, LongNamesAreTruncatedSafely) {
  std::string name;
  while (name.size() < 3000) name += "d\xC3\xA9j\xC3\xA0/";  // "déjà/", 2-byte characters
  name += "bad.out";
  MergerPtr m;
  covmerge_error error;
  ASSERT_EQ(MergeTexts({{name, "mode: count\nbroken\n"}}, &m, &error), COVMERGE_ERROR_MALFORMED);
  const std::string_view input(error.input), message(error.message);
  EXPECT_LT(input.size(), sizeof error.input);
  EXPECT_LT(message.size(), sizeof error.message);
  EXPECT_GE(input.size(), sizeof error.input - 8);
  EXPECT_EQ(input.substr(input.size() - 3), "...");
  EXPECT_EQ(message.substr(message.size() - 3), "...");
  EXPECT_TRUE(IsValidUtf8(input));
  EXPECT_TRUE(IsValidUtf8(message));
  EXPECT_EQ(name.substr(0, input.size() - 3), input.substr(0, input.size() - 3));
  EXPECT_EQ(error.line, 2u);  // the line is read before the name is cut
}

// ---------------------------------------------------------------------------
// Threads and memory

TEST(CApiTest, FinishedMergerIsReadOnAnyThread) {
  MergerPtr m = Create(Options());
  covmerge_error error;
  ASSERT_EQ(covmerge_merger_add_path(m.get(), (DataDir() + "/profiles/count").c_str(), nullptr, &error),
            COVMERGE_OK);
  ASSERT_EQ(covmerge_merger_finish(m.get(), &error), COVMERGE_OK);
  const std::string expected = WriteToString(m.get());
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        size_t size = 0;
        covmerge_error e;
        std::string out(expected.size(), '\0');
        if (covmerge_merger_write_buffer(m.get(), out.data(), out.size(), &size, &e) == COVMERGE_OK && out == expected) {
          same[t] += 1;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(same, std::vector<int>(4, 20));
}

TEST(CApiTest, ManyMergersInParallel) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      MergerPtr m;
      covmerge_error error;
      ok[t] = MergeTexts({{"a", std::string(kProfileA)}, {"b", std::string(kProfileB)}}, &m, &error) == COVMERGE_OK &&
              Summary(m.get()).total.statements == 6;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok, std::vector<int>(4, 1));
}

// Out of memory comes back as a status, not as an exception or abort. The
// child process limits its address space, then asks for a 1 GiB copy.
TEST(CApiDeathTest, OutOfMemoryIsAStatus) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer reserves more address space than the limit";
#endif
  ::testing::FLAGS_gtest_death_test_style = "threadsafe";
  EXPECT_EXIT(
      {
        covmerge_merger* m = nullptr;
        if (covmerge_merger_create(nullptr, &m, nullptr) != COVMERGE_OK) std::_Exit(100);
        const size_t size = size_t{1} << 30;
        void* big = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (big == MAP_FAILED) std::_Exit(101);
        // What is mapped now (the 1 GiB included) plus 256 MiB: the copy cannot fit.
        unsigned long long pages = 0;
        std::ifstream statm("/proc/self/statm");
        if (!(statm >> pages)) std::_Exit(104);
        rlimit limit;
        ::getrlimit(RLIMIT_AS, &limit);
        limit.rlim_cur = pages * static_cast<unsigned long long>(::sysconf(_SC_PAGESIZE)) + (size_t{256} << 20);
        if (::setrlimit(RLIMIT_AS, &limit) != 0) std::_Exit(102);
        covmerge_error error;
        const int status = covmerge_merger_add_buffer(m, "huge", big, size, &error);
        std::_Exit(status == COVMERGE_ERROR_OUT_OF_MEMORY && error.code == status ? 0 : 103);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace

// ---------------------------------------------------------------------------
// Partials: a tree of mergers gives what one merger gives

namespace covmerge_partial_test {

std::string WritePartial(const covmerge_merger* m, uint64_t first, uint64_t count) {
  size_t size = 0;
  covmerge_error error;
  EXPECT_EQ(covmerge_merger_write_partial(m, first, count, nullptr, 0, &size, &error), COVMERGE_ERROR_BUFFER_TOO_SMALL);
  std::string out(size, '\0');
  EXPECT_EQ(covmerge_merger_write_partial(m, first, count, out.data(), out.size(), &size, &error), COVMERGE_OK)
      << error.message;
  return out;
}

constexpr std::string_view kDamaged = "mode: count\nexample.com/m/a.go:1.2,3.4 2 x\n";

TEST(CApiPartialTest, LeavesAndACombinerGiveTheMergeOfAllInputs) {
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"a", std::string(kProfileA)}, {"bad", std::string(kDamaged)}, {"b", std::string(kProfileB)},
      {"a2", std::string(kProfileA)}};
  MergerPtr all;
  covmerge_error error;
  ASSERT_EQ(MergeTexts(inputs, &all, &error, Options(COVMERGE_CONFLICT_SKIP)), COVMERGE_OK) << error.message;

  MergerPtr left, right;
  ASSERT_EQ(MergeTexts({inputs[0], inputs[1]}, &left, &error, Options(COVMERGE_CONFLICT_SKIP)), COVMERGE_OK);
  ASSERT_EQ(MergeTexts({inputs[2], inputs[3]}, &right, &error, Options(COVMERGE_CONFLICT_SKIP)), COVMERGE_OK);
  const std::string left_bytes = WritePartial(left.get(), 0, 2);
  const std::string right_bytes = WritePartial(right.get(), 2, 2);
  EXPECT_EQ(left_bytes.rfind("covmerge-partial 1\n", 0), 0u);

  MergerPtr root = Create(Options());
  for (const std::string* p : {&right_bytes, &left_bytes}) {  // any order
    ASSERT_EQ(covmerge_merger_add_partial(root.get(), p->data(), p->size(), &error), COVMERGE_OK) << error.message;
  }
  ASSERT_EQ(covmerge_merger_finish(root.get(), &error), COVMERGE_OK) << error.message;
  EXPECT_EQ(WriteToString(root.get()), WriteToString(all.get()));
  const covmerge_summary s = Summary(root.get());
  EXPECT_EQ(s.inputs_merged, 3u);
  ASSERT_EQ(s.skipped_count, 1u);
  covmerge_skipped_input skipped;
  ASSERT_EQ(covmerge_merger_skipped(root.get(), 0, &skipped, &error), COVMERGE_OK);
  EXPECT_STREQ(skipped.name, "bad");
  EXPECT_NE(std::string_view(skipped.reason).find("bad:2:"), std::string_view::npos) << skipped.reason;
}

TEST(CApiPartialTest, WhatIsNotAPartialIsMalformedAndSaysWhy) {
  MergerPtr m = Create(Options());
  covmerge_error error;
  const std::string cases[][2] = {
      {"mode: set\n", "not a covmerge partial"},
      {"covmerge-partial 2\n2\n{}", "version 2; this covmerge reads version 1"},
      {"covmerge-partial 1\n99\n{}", "header length"},
      {"covmerge-partial 1\n2\n[]", "not what version 1 writes"},
      {"covmerge-partial 1\n10\n{\"first\":1}", "not what version 1 writes"},
  };
  for (const auto& [bytes, message] : cases) {
    EXPECT_EQ(covmerge_merger_add_partial(m.get(), bytes.data(), bytes.size(), &error), COVMERGE_ERROR_MALFORMED);
    EXPECT_NE(std::string_view(error.message).find(message), std::string_view::npos) << error.message;
  }
}

TEST(CApiPartialTest, AConflictSkippedInALeafAsksForTheWholeMerge) {
  MergerPtr leaf;
  covmerge_error error;
  const std::string conflicting = "mode: count\nexample.com/m/a.go:1.2,3.4 9 1\n";
  ASSERT_EQ(MergeTexts({{"a", std::string(kProfileA)}, {"c", conflicting}}, &leaf, &error,
                       Options(COVMERGE_CONFLICT_SKIP)),
            COVMERGE_OK);
  const std::string bytes = WritePartial(leaf.get(), 0, 2);
  MergerPtr root = Create(Options());
  EXPECT_EQ(covmerge_merger_add_partial(root.get(), bytes.data(), bytes.size(), &error), COVMERGE_ERROR_CONFLICT);
  EXPECT_NE(std::string_view(error.message).find("merge of all the inputs at once"), std::string_view::npos)
      << error.message;
}

}  // namespace covmerge_partial_test
