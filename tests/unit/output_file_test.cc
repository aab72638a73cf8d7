// SPDX-License-Identifier: Apache-2.0
// Unit tests for io/output_file: atomic creation through a temporary file,
// an uncommitted output that leaves the previous file and no litter behind,
// and write errors (a full device, a closed pipe) as statuses naming the
// output; a signal that removes the temporary files (TemporaryOutputCleanup).
#include "io/output_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "base/str_cat.h"
#include "gtest/gtest.h"

namespace covmerge::internal {
namespace {

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = Cat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/covmerge_output_XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (const std::string& name : List()) ::unlink(Cat(dir_, "/", name).c_str());
    ::rmdir(dir_.c_str());
  }

  // The names in the directory, dot-files included.
  std::set<std::string> List() const {
    std::set<std::string> names;
    DIR* d = ::opendir(dir_.c_str());
    if (d == nullptr) return names;
    while (struct dirent* e = ::readdir(d)) {
      const std::string_view name = e->d_name;
      if (name != "." && name != "..") names.emplace(name);
    }
    ::closedir(d);
    return names;
  }

  std::string Path(std::string_view name) const { return Cat(dir_, "/", name); }

  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  static void WriteAll(const std::string& path, std::string_view data) {
    std::ofstream out(path, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }

  std::string dir_;
};

TEST_F(OutputFileTest, CreateWriteCommitProducesTheFile) {
  const std::string path = Path("merged.out");
  {
    absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(path);
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_TRUE(out->Write("mode: set\n").ok());
    ASSERT_TRUE(out->Write("").ok());
    ASSERT_TRUE(out->Write("a.go:1.2,3.4 5 6\n").ok());
    // Until Commit the target does not exist; a temporary file beside it does.
    EXPECT_EQ(::access(path.c_str(), F_OK), -1);
    EXPECT_EQ(List().size(), 1u);
    EXPECT_EQ(List().count("merged.out"), 0u);
    ASSERT_TRUE(out->Commit().ok());
  }
  EXPECT_EQ(ReadAll(path), "mode: set\na.go:1.2,3.4 5 6\n");
  EXPECT_EQ(List(), std::set<std::string>{"merged.out"});
}

TEST_F(OutputFileTest, CommittedFileHasTheUsualMode) {
  const std::string path = Path("mode.out");
  {
    absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(path);
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_TRUE(out->Commit().ok());
  }
  const mode_t mask = ::umask(0);
  ::umask(mask);
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);
  EXPECT_EQ(st.st_size, 0);
}

TEST_F(OutputFileTest, CommitReplacesThePreviousFile) {
  const std::string path = Path("merged.out");
  WriteAll(path, "old contents that are longer than the new ones\n");
  {
    absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(path);
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_TRUE(out->Write("new\n").ok());
    EXPECT_EQ(ReadAll(path), "old contents that are longer than the new ones\n");
    ASSERT_TRUE(out->Commit().ok());
  }
  EXPECT_EQ(ReadAll(path), "new\n");
  EXPECT_EQ(List(), std::set<std::string>{"merged.out"});
}

TEST_F(OutputFileTest, DestroyWithoutCommitKeepsPreviousContentAndLeavesNoTemp) {
  const std::string path = Path("merged.out");
  WriteAll(path, "previous\n");
  {
    absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(path);
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_TRUE(out->Write("partial output that must never be seen").ok());
    EXPECT_EQ(List().size(), 2u);  // the target and the temporary file
  }
  EXPECT_EQ(ReadAll(path), "previous\n");
  EXPECT_EQ(List(), std::set<std::string>{"merged.out"});
}

TEST_F(OutputFileTest, DestroyWithoutCommitCreatesNothing) {
  {
    absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(Path("new.out"));
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_TRUE(out->Write("x").ok());
  }
  EXPECT_TRUE(List().empty());
}

TEST_F(OutputFileTest, MovedOutputCommitsOnceAndCleansUpOnce) {
  const std::string path = Path("moved.out");
  {
    absl::StatusOr<OutputFile> created = OutputFile::CreateAtomic(path);
    ASSERT_TRUE(created.ok()) << created.status();
    OutputFile out = std::move(*created);
    ASSERT_TRUE(out.Write("moved\n").ok());
    ASSERT_TRUE(out.Commit().ok());
  }
  EXPECT_EQ(ReadAll(path), "moved\n");
  EXPECT_EQ(List(), std::set<std::string>{"moved.out"});
  {
    absl::StatusOr<OutputFile> created = OutputFile::CreateAtomic(path);
    ASSERT_TRUE(created.ok()) << created.status();
    OutputFile out = std::move(*created);
    ASSERT_TRUE(out.Write("abandoned\n").ok());
  }
  EXPECT_EQ(ReadAll(path), "moved\n");
  EXPECT_EQ(List(), std::set<std::string>{"moved.out"});
}

TEST_F(OutputFileTest, LargeWritesArriveWhole) {
  const std::string path = Path("large.out");
  std::string data;
  for (int i = 0; i < 200000; ++i) data += Cat("line ", i, "\n");
  {
    absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(path);
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_TRUE(out->Write(data).ok());
    ASSERT_TRUE(out->Commit().ok());
  }
  EXPECT_EQ(ReadAll(path), data);
}

TEST_F(OutputFileTest, MissingDirectoryIsNotFoundNamingThePath) {
  const std::string path = Path("no/such/dir/merged.out");
  absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(path);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kNotFound) << out.status();
  EXPECT_NE(ToStd(out.status().message()).find(path), std::string_view::npos) << out.status();
}

TEST_F(OutputFileTest, DirectoryPathIsAnError) {
  for (const std::string& path : {Cat(dir_, "/"), dir_}) {
    absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(path);
    ASSERT_FALSE(out.ok()) << path;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << out.status();
    EXPECT_NE(ToStd(out.status().message()).find(path), std::string_view::npos) << out.status();
  }
  EXPECT_TRUE(List().empty());
}

TEST(OutputFileDeviceTest, FullDeviceGivesResourceExhaustedNamingTheOutput) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0) << "cannot open /dev/full";
  absl::Status status;
  {
    OutputFile out = OutputFile::FromDescriptor(fd, "the-full-output");
    status = out.Write("mode: set\na.go:1.2,3.4 5 6\n");
    EXPECT_TRUE(out.Commit().ok());  // nothing to rename; the descriptor stays the caller's
  }
  EXPECT_EQ(::close(fd), 0) << "FromDescriptor must not close the caller's descriptor";
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_NE(ToStd(status.message()).find("the-full-output"), std::string_view::npos) << status;
}

TEST(OutputFileDeviceTest, AtomicOutputToADeviceWritesInPlace) {
  // Renaming a temporary file over /dev/full would replace the device node.
  absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic("/dev/full");
  ASSERT_TRUE(out.ok()) << out.status();
  const absl::Status status = out->Write("mode: set\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_NE(ToStd(status.message()).find("/dev/full"), std::string_view::npos) << status;
  struct stat st;
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(OutputFileDeviceTest, ClosedPipeGivesAborted) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  // Without this, the write would raise SIGPIPE and end the test binary.
  struct sigaction ignore = {}, previous = {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGPIPE, &ignore, &previous), 0);
  absl::Status status;
  {
    OutputFile out = OutputFile::FromDescriptor(fds[1], "<stdout>");
    status = out.Write("mode: set\n");
  }
  ::sigaction(SIGPIPE, &previous, nullptr);
  ::close(fds[1]);
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_NE(ToStd(status.message()).find("<stdout>"), std::string_view::npos) << status;
}

TEST(OutputFileDeviceTest, DescriptorOutputWritesInPlace) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    OutputFile out = OutputFile::FromDescriptor(fds[1], "<pipe>");
    ASSERT_TRUE(out.Write("hello\n").ok());
    ASSERT_TRUE(out.Commit().ok());
  }
  ::close(fds[1]);
  char buffer[16] = {};
  EXPECT_EQ(::read(fds[0], buffer, sizeof buffer), 6);
  EXPECT_EQ(std::string_view(buffer), "hello\n");
  ::close(fds[0]);
}

// The hidden temporary files of this test's directory.
bool HasTemporaryFile(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return false;
  bool found = false;
  while (struct dirent* e = ::readdir(d)) {
    if (std::string_view(e->d_name).find(".covmerge-") != std::string_view::npos) found = true;
  }
  ::closedir(d);
  return found;
}

class OutputFileSignalTest : public OutputFileTest, public ::testing::WithParamInterface<int> {
 protected:
  void SetUp() override {
    // The child must share this test's directory: fork, do not re-execute.
    GTEST_FLAG_SET(death_test_style, "fast");
    OutputFileTest::SetUp();
  }
};

// Exit statuses of the child, when something other than the signal ends it.
constexpr int kNoOutput = 10;
constexpr int kNoTemporaryFile = 11;
constexpr int kSurvived = 12;

TEST_P(OutputFileSignalTest, SignalDuringTheWriteRemovesTheTemporaryFileAndEndsWithTheSignal) {
  const std::string path = Path("merged.out");
  const int sig = GetParam();
  EXPECT_EXIT(
      {
        TemporaryOutputCleanup cleanup;
        absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(path);
        if (!out.ok() || !out->Write("mode: set\n").ok()) ::_exit(kNoOutput);
        if (!HasTemporaryFile(dir_)) ::_exit(kNoTemporaryFile);
        ::raise(sig);
        ::_exit(kSurvived);
      },
      ::testing::KilledBySignal(sig), "");
  EXPECT_TRUE(List().empty()) << *List().begin();
}

TEST_P(OutputFileSignalTest, SignalOnAnotherThreadRemovesTheTemporaryFile) {
  const std::string path = Path("merged.out");
  const int sig = GetParam();
  EXPECT_EXIT(
      {
        TemporaryOutputCleanup cleanup;
        absl::StatusOr<OutputFile> out = OutputFile::CreateAtomic(path);
        if (!out.ok()) ::_exit(kNoOutput);
        if (!HasTemporaryFile(dir_)) ::_exit(kNoTemporaryFile);
        std::thread worker([sig] { ::raise(sig); });  // the handler runs on the worker
        worker.join();
        ::_exit(kSurvived);
      },
      ::testing::KilledBySignal(sig), "");
  EXPECT_TRUE(List().empty()) << *List().begin();
}

TEST_P(OutputFileSignalTest, CommittedOutputStaysAndOnlyLiveTemporaryFilesGo) {
  const std::string done = Path("done.out");
  const int sig = GetParam();
  EXPECT_EXIT(
      {
        TemporaryOutputCleanup cleanup;
        {
          absl::StatusOr<OutputFile> first = OutputFile::CreateAtomic(done);
          if (!first.ok() || !first->Write("first\n").ok() || !first->Commit().ok()) ::_exit(kNoOutput);
          absl::StatusOr<OutputFile> dropped = OutputFile::CreateAtomic(Path("dropped.out"));
          if (!dropped.ok()) ::_exit(kNoOutput);
        }  // `dropped` removed its file and freed its entry
        absl::StatusOr<OutputFile> live = OutputFile::CreateAtomic(Path("live.out"));
        if (!live.ok() || !HasTemporaryFile(dir_)) ::_exit(kNoTemporaryFile);
        ::raise(sig);
        ::_exit(kSurvived);
      },
      ::testing::KilledBySignal(sig), "");
  EXPECT_EQ(List(), std::set<std::string>{"done.out"});
  EXPECT_EQ(ReadAll(done), "first\n");
}

INSTANTIATE_TEST_SUITE_P(Signals, OutputFileSignalTest, ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGINT ? "SIGINT" : info.param == SIGTERM ? "SIGTERM"
                                                                                                       : "SIGHUP");
                         });

TEST(TemporaryOutputCleanupTest, KeepsIgnoredSignalsIgnoredAndRestoresHandlers) {
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_hup;
  ASSERT_EQ(::sigaction(SIGHUP, &ignore, &old_hup), 0);  // as nohup leaves it
  struct sigaction before_term;
  ASSERT_EQ(::sigaction(SIGTERM, nullptr, &before_term), 0);
  {
    TemporaryOutputCleanup cleanup;
    struct sigaction now;
    ASSERT_EQ(::sigaction(SIGHUP, nullptr, &now), 0);
    EXPECT_EQ(now.sa_handler, SIG_IGN);
    ASSERT_EQ(::sigaction(SIGTERM, nullptr, &now), 0);
    EXPECT_NE(now.sa_handler, before_term.sa_handler);
  }
  struct sigaction after;
  ASSERT_EQ(::sigaction(SIGTERM, nullptr, &after), 0);
  EXPECT_EQ(after.sa_handler, before_term.sa_handler);
  ASSERT_EQ(::sigaction(SIGHUP, &old_hup, nullptr), 0);
}

TEST_F(OutputFileTest, RemoveTemporaryOutputsRemovesEveryLiveTemporaryFile) {
  GTEST_FLAG_SET(death_test_style, "fast");
  // In a child: the entries it claims are not freed, as in a process that ends.
  EXPECT_EXIT(
      {
        absl::StatusOr<OutputFile> a = OutputFile::CreateAtomic(Path("a.out"));
        absl::StatusOr<OutputFile> b = OutputFile::CreateAtomic(Path("b.out"));
        if (!a.ok() || !b.ok()) ::_exit(kNoOutput);
        RemoveTemporaryOutputs();
        ::_exit(HasTemporaryFile(dir_) ? kNoTemporaryFile : 0);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_TRUE(List().empty());
}

}  // namespace
}  // namespace covmerge::internal
