// SPDX-License-Identifier: Apache-2.0
// Unit tests for io/input_discovery through covmerge/inputs.h: which file
// names count as profiles, the recursive and sorted directory walk, and path
// lists.
#include "covmerge/inputs.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/str_cat.h"
#include "gtest/gtest.h"

namespace covmerge {
namespace {

using internal::Cat;
using internal::ToStd;

TEST(IsProfileFileNameTest, AcceptsProfileNames) {
  for (std::string_view name : {"a.out", "c.out", "x.cov", "unit.coverprofile", "coverage.txt", "with space.out",
                                "a.b.out", "out.out"}) {
    EXPECT_TRUE(IsProfileFileName(name)) << name;
  }
}

TEST(IsProfileFileNameTest, RejectsOtherNames) {
  for (std::string_view name : {"", ".out", ".a.out", ".coverage.txt", "a.txt", "out", "a.outx", "a.out.bak",
                                "a.Out", "a.OUT", "coverage.txt.bak", "xcoverage.txt", "acov", "a.coverprofil",
                                "main.go"}) {
    EXPECT_FALSE(IsProfileFileName(name)) << name;
  }
}

class InputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = Cat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/covmerge_inputs_XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    // Children before parents: the reverse of creation order.
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) ::remove(it->c_str());
    ::rmdir(dir_.c_str());
  }

  std::string MakeDir(std::string_view rel) {
    std::string path = Cat(dir_, "/", rel);
    EXPECT_EQ(::mkdir(path.c_str(), 0755), 0) << path;
    created_.push_back(path);
    return path;
  }
  std::string MakeFile(std::string_view rel, std::string_view contents = "mode: set\n") {
    std::string path = Cat(dir_, "/", rel);
    std::ofstream out(path, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    created_.push_back(path);
    return path;
  }
  std::string MakeLink(std::string_view target, std::string_view rel) {
    std::string path = Cat(dir_, "/", rel);
    EXPECT_EQ(::symlink(std::string(target).c_str(), path.c_str()), 0) << path;
    created_.push_back(path);
    return path;
  }

  std::string dir_;
  std::vector<std::string> created_;
};

TEST_F(InputsTest, FindsProfilesRecursivelyInByteOrder) {
  MakeFile("b.out");
  MakeDir("a");
  MakeFile("a/z.cov");
  MakeFile("a.out");
  MakeFile("coverage.txt");
  MakeFile("Z.coverprofile");
  MakeDir("a/deeper");
  MakeDir("a/deeper/still");
  MakeFile("a/deeper/still/unit.out");
  MakeFile("a/deeper/main.go");  // not a profile name
  MakeFile("notes.txt");
  absl::StatusOr<std::vector<std::string>> found = FindProfilesInDirectory(dir_);
  ASSERT_TRUE(found.ok()) << found.status();
  // "a.out" < "a/..." because '.' < '/'.
  const std::vector<std::string> want = {
      Cat(dir_, "/Z.coverprofile"), Cat(dir_, "/a.out"),         Cat(dir_, "/a/deeper/still/unit.out"),
      Cat(dir_, "/a/z.cov"),        Cat(dir_, "/b.out"),         Cat(dir_, "/coverage.txt"),
  };
  EXPECT_EQ(*found, want);
}

TEST_F(InputsTest, SkipsDotFilesAndDotDirectories) {
  MakeFile("kept.out");
  MakeFile(".hidden.out");
  MakeDir(".git");
  MakeFile(".git/inside.out");
  MakeDir("sub");
  MakeDir("sub/.cache");
  MakeFile("sub/.cache/cached.out");
  MakeFile("sub/visible.out");
  absl::StatusOr<std::vector<std::string>> found = FindProfilesInDirectory(dir_);
  ASSERT_TRUE(found.ok()) << found.status();
  const std::vector<std::string> want = {Cat(dir_, "/kept.out"), Cat(dir_, "/sub/visible.out")};
  EXPECT_EQ(*found, want);
}

TEST_F(InputsTest, DirectoriesWithProfileNamesAreWalkedNotListed) {
  MakeDir("results.out");
  MakeFile("results.out/inner.out");
  absl::StatusOr<std::vector<std::string>> found = FindProfilesInDirectory(dir_);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, std::vector<std::string>{Cat(dir_, "/results.out/inner.out")});
}

TEST_F(InputsTest, DoesNotFollowLinksToDirectoriesButListsLinksToFiles) {
  MakeDir("real");
  MakeFile("real/r.out");
  MakeLink(Cat(dir_, "/real"), "linked");    // a directory link: not followed
  MakeLink(".", "real/loop");                // a cycle, which following would never end
  MakeLink(Cat(dir_, "/real/r.out"), "l.out");  // a file link: listed
  absl::StatusOr<std::vector<std::string>> found = FindProfilesInDirectory(dir_);
  ASSERT_TRUE(found.ok()) << found.status();
  const std::vector<std::string> want = {Cat(dir_, "/l.out"), Cat(dir_, "/real/r.out")};
  EXPECT_EQ(*found, want);
}

TEST_F(InputsTest, DanglingLinksAreSkipped) {
  // A link whose target is gone is neither a profile nor a reason to fail
  // the walk of the directory that holds it.
  MakeFile("a.out");
  MakeLink(Cat(dir_, "/gone"), "dangling.out");
  MakeLink(Cat(dir_, "/gone"), "dangling-other-name");
  MakeFile("z.out");
  absl::StatusOr<std::vector<std::string>> found = FindProfilesInDirectory(dir_);
  ASSERT_TRUE(found.ok()) << found.status();
  const std::vector<std::string> want = {Cat(dir_, "/a.out"), Cat(dir_, "/z.out")};
  EXPECT_EQ(*found, want);
}

TEST_F(InputsTest, TrailingSlashGivesNoDoubleSlash) {
  MakeFile("a.out");
  absl::StatusOr<std::vector<std::string>> found = FindProfilesInDirectory(dir_ + "/");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, std::vector<std::string>{Cat(dir_, "/a.out")});
}

TEST_F(InputsTest, EmptyDirectoryGivesNoProfiles) {
  absl::StatusOr<std::vector<std::string>> found = FindProfilesInDirectory(dir_);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->empty());
}

TEST_F(InputsTest, MissingDirectoryIsNotFoundNamingIt) {
  const std::string missing = Cat(dir_, "/missing");
  absl::StatusOr<std::vector<std::string>> found = FindProfilesInDirectory(missing);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), absl::StatusCode::kNotFound) << found.status();
  EXPECT_NE(ToStd(found.status().message()).find(missing), std::string_view::npos) << found.status();
}

TEST_F(InputsTest, ReadPathListSkipsBlankLinesAndCarriageReturns) {
  const std::string list = MakeFile("list.txt", "a.out\r\n\r\n\nsub dir/b.out\n  \nc.out\r\nlast.out");
  absl::StatusOr<std::vector<std::string>> paths = ReadPathList(list);
  ASSERT_TRUE(paths.ok()) << paths.status();
  // A line of spaces is a (strange) path, not a blank line.
  const std::vector<std::string> want = {"a.out", "sub dir/b.out", "  ", "c.out", "last.out"};
  EXPECT_EQ(*paths, want);
}

TEST_F(InputsTest, ReadPathListOfEmptyFileIsEmpty) {
  const std::string list = MakeFile("empty.txt", "");
  absl::StatusOr<std::vector<std::string>> paths = ReadPathList(list);
  ASSERT_TRUE(paths.ok()) << paths.status();
  EXPECT_TRUE(paths->empty());
}

TEST_F(InputsTest, ReadPathListKeepsOrderAndDuplicates) {
  const std::string list = MakeFile("list.txt", "z.out\na.out\nz.out\n");
  absl::StatusOr<std::vector<std::string>> paths = ReadPathList(list);
  ASSERT_TRUE(paths.ok()) << paths.status();
  EXPECT_EQ(*paths, (std::vector<std::string>{"z.out", "a.out", "z.out"}));
}

TEST_F(InputsTest, ReadPathListOfLongList) {
  std::string text;
  std::vector<std::string> want;
  for (int i = 0; i < 20000; ++i) {
    want.push_back(Cat("dir", i % 10, "/profile", i, ".out"));
    text += want.back() + "\n";
  }
  const std::string list = MakeFile("long.txt", text);
  absl::StatusOr<std::vector<std::string>> paths = ReadPathList(list);
  ASSERT_TRUE(paths.ok()) << paths.status();
  EXPECT_EQ(*paths, want);
}

TEST_F(InputsTest, ReadPathListOfMissingFileIsNotFoundNamingIt) {
  const std::string missing = Cat(dir_, "/missing.txt");
  absl::StatusOr<std::vector<std::string>> paths = ReadPathList(missing);
  ASSERT_FALSE(paths.ok());
  EXPECT_EQ(paths.status().code(), absl::StatusCode::kNotFound) << paths.status();
  EXPECT_NE(ToStd(paths.status().message()).find(missing), std::string_view::npos) << paths.status();
}

TEST_F(InputsTest, FindsGoCoverDirsByTheirDataFiles) {
  MakeFile("a.out");
  MakeDir("run1");
  MakeFile("run1/covmeta.0123", "\x00cvm");
  MakeFile("run1/covcounters.0123.1.1", "\x00cwm");
  MakeFile("run1/unit.out");  // a GOCOVERDIR is searched for profiles too
  MakeDir("run2");
  // Counter files without a meta file: a GOCOVERDIR all the same, so that
  // the merge reports the missing meta file instead of skipping the runs.
  MakeFile("run2/covcounters.0123.1.1", "\x00cwm");
  MakeDir("run2/nested");
  MakeFile("run2/nested/covmeta.4567", "\x00cvm");
  EXPECT_TRUE(IsGoCoverDir(Cat(dir_, "/run1")));
  EXPECT_TRUE(IsGoCoverDir(Cat(dir_, "/run2")));
  EXPECT_FALSE(IsGoCoverDir(dir_));
  EXPECT_FALSE(IsGoCoverDir(Cat(dir_, "/missing")));
  absl::StatusOr<DirectoryInputs> found = FindInputsInDirectory(dir_);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->profiles, (std::vector<std::string>{Cat(dir_, "/a.out"), Cat(dir_, "/run1/unit.out")}));
  EXPECT_EQ(found->go_cover_dirs, (std::vector<std::string>{Cat(dir_, "/run1"), Cat(dir_, "/run2"),
                                                             Cat(dir_, "/run2/nested")}));
  absl::StatusOr<DirectoryInputs> itself = FindInputsInDirectory(Cat(dir_, "/run1"));
  ASSERT_TRUE(itself.ok());
  EXPECT_EQ(itself->go_cover_dirs, (std::vector<std::string>{Cat(dir_, "/run1")}));
}

TEST_F(InputsTest, LeavesOutFilesByIdentityWithAnEntryNamingThem) {
  MakeFile("a.out");
  const std::string merged = MakeFile("merged.out");
  MakeDir("sub");
  const std::string linked = MakeLink("../merged.out", "sub/again.out");  // the output under another name
  WalkOptions options;
  options.leave_out.push_back({*IdentifyFile(merged), "it is the output (-o)"});
  absl::StatusOr<DirectoryInputs> found = FindInputsInDirectory(dir_, options);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->profiles, (std::vector<std::string>{Cat(dir_, "/a.out")}));
  ASSERT_EQ(found->skipped.size(), 2u);
  EXPECT_EQ(found->skipped[0].kind, SkippedEntry::Kind::kLeftOut);
  EXPECT_EQ(found->skipped[0].path, merged);
  EXPECT_EQ(found->skipped[1].path, linked);
  EXPECT_EQ(DescribeSkippedEntry(found->skipped[0]), Cat("left out ", merged, ": it is the output (-o)"));
  // Without the option, both are inputs.
  absl::StatusOr<DirectoryInputs> all = FindInputsInDirectory(dir_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->profiles.size(), 3u);
  EXPECT_TRUE(all->skipped.empty());
}

TEST_F(InputsTest, TemporaryOutputsAreNeverInputs) {
  MakeFile(".merged.out.covmerge-a1B2c3");
  MakeFile(".merged.out.zst.covmerge-XXXXXX");
  MakeFile("a.out");
  EXPECT_FALSE(IsProfileFileName(".merged.out.covmerge-a1B2c3"));
  absl::StatusOr<DirectoryInputs> found = FindInputsInDirectory(dir_);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->profiles, (std::vector<std::string>{Cat(dir_, "/a.out")}));
  EXPECT_TRUE(found->skipped.empty());
}

TEST_F(InputsTest, SkipsFifosSocketsDanglingLinksAndLinkedDirectoriesNamingEach) {
  MakeFile("a.out");
  const std::string fifo = Cat(dir_, "/pipe.out");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  created_.push_back(fifo);
  const std::string other_fifo = Cat(dir_, "/pipe.log");  // not a profile name: not mentioned
  ASSERT_EQ(::mkfifo(other_fifo.c_str(), 0600), 0);
  created_.push_back(other_fifo);
  const std::string socket_path = Cat(dir_, "/s.cov");
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof addr.sun_path);
  std::copy(socket_path.begin(), socket_path.end(), addr.sun_path);
  ASSERT_EQ(::bind(sock, reinterpret_cast<struct sockaddr*>(&addr), sizeof addr), 0);
  created_.push_back(socket_path);
  const std::string device = MakeLink("/dev/null", "null.out");
  const std::string dangling = MakeLink("missing.out", "dangling.out");
  MakeLink("missing.go", "dangling.go");  // not a profile name: not mentioned
  MakeDir("real");
  MakeFile("real/b.out");
  const std::string loop = MakeLink("real", "linked");
  // Only stat is called on them: a FIFO cannot block the walk.
  absl::StatusOr<DirectoryInputs> found = FindInputsInDirectory(dir_);
  ::close(sock);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->profiles, (std::vector<std::string>{Cat(dir_, "/a.out"), Cat(dir_, "/real/b.out")}));
  ASSERT_EQ(found->skipped.size(), 5u);
  // In byte order of path, whatever readdir's order.
  EXPECT_EQ(found->skipped[0].path, dangling);
  EXPECT_EQ(found->skipped[0].kind, SkippedEntry::Kind::kDanglingLink);
  EXPECT_EQ(found->skipped[1].path, loop);
  EXPECT_EQ(found->skipped[1].kind, SkippedEntry::Kind::kSymlinkedDirectory);
  EXPECT_EQ(found->skipped[2].path, device);
  EXPECT_EQ(found->skipped[2].kind, SkippedEntry::Kind::kNotAFile);
  EXPECT_EQ(found->skipped[2].detail, "a device");
  EXPECT_EQ(found->skipped[3].path, fifo);
  EXPECT_EQ(found->skipped[3].detail, "a FIFO");
  EXPECT_EQ(found->skipped[4].path, socket_path);
  EXPECT_EQ(found->skipped[4].detail, "a socket");
  EXPECT_NE(DescribeSkippedEntry(found->skipped[3]).find("a FIFO, not a regular file"), std::string::npos);
}

TEST(DescribeSkippedEntryTest, QuotesPaths) {
  SkippedEntry entry{SkippedEntry::Kind::kDanglingLink, "dir/a b\n.out", ""};
  EXPECT_EQ(DescribeSkippedEntry(entry), "skipped \"dir/a b\\n.out\": a symbolic link whose target does not exist");
}

TEST_F(InputsTest, NameSameFileByTextIdentityOrDirectory) {
  const std::string a = MakeFile("a.txt");
  MakeDir("sub");
  const std::string link = MakeLink("../a.txt", "sub/link.txt");
  EXPECT_TRUE(NameSameFile(a, a));
  EXPECT_TRUE(NameSameFile(a, Cat(dir_, "/sub/../a.txt")));
  EXPECT_TRUE(NameSameFile(a, link));
  EXPECT_TRUE(NameSameFile("-", "-"));
  EXPECT_FALSE(NameSameFile("-", a));
  // Not there yet: the same name in the same directory.
  EXPECT_TRUE(NameSameFile(Cat(dir_, "/new.txt"), Cat(dir_, "/sub/../new.txt")));
  EXPECT_FALSE(NameSameFile(Cat(dir_, "/new.txt"), Cat(dir_, "/sub/new.txt")));
  EXPECT_FALSE(NameSameFile(a, Cat(dir_, "/sub/a.txt")));
}

TEST_F(InputsTest, ReadPathListRejectsNulBytesNamingTheLine) {
  const std::string list = MakeFile("list.txt", std::string_view("a.out\nb.out\0c.out\0", 19));
  absl::StatusOr<std::vector<std::string>> paths = ReadPathList(list);
  ASSERT_FALSE(paths.ok());
  EXPECT_EQ(paths.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(ToStd(paths.status().message()));
  EXPECT_NE(message.find(Cat(list, ":2: ")), std::string::npos) << message;
  EXPECT_NE(message.find("--files0-from"), std::string::npos) << message;
}

TEST_F(InputsTest, ReadNulPathListSplitsAtNulWithTheLastNulOptional) {
  const std::string list = MakeFile("list0", std::string_view("a.out\0sub dir/b\nc.out\0last.out", 31));
  absl::StatusOr<std::vector<std::string>> paths = ReadNulPathList(list);
  ASSERT_TRUE(paths.ok()) << paths.status();
  EXPECT_EQ(*paths, (std::vector<std::string>{"a.out", "sub dir/b\nc.out", "last.out"}));
  const std::string ended = MakeFile("ended0", std::string_view("a.out\0b.out\0", 12));
  paths = ReadNulPathList(ended);
  ASSERT_TRUE(paths.ok()) << paths.status();
  EXPECT_EQ(*paths, (std::vector<std::string>{"a.out", "b.out"}));
  const std::string empty = MakeFile("empty0", "");
  paths = ReadNulPathList(empty);
  ASSERT_TRUE(paths.ok()) << paths.status();
  EXPECT_TRUE(paths->empty());
}

TEST_F(InputsTest, ReadNulPathListRejectsAnEmptyNameNamingTheEntry) {
  const std::string list = MakeFile("list0", std::string_view("a.out\0\0b.out\0", 13));
  absl::StatusOr<std::vector<std::string>> paths = ReadNulPathList(list);
  ASSERT_FALSE(paths.ok());
  EXPECT_EQ(paths.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(ToStd(paths.status().message()));
  EXPECT_NE(message.find(Cat(list, ": entry 2 ")), std::string::npos) << message;
}

TEST_F(InputsTest, ReadPathListReadsAFifo) {
  const std::string fifo = Cat(dir_, "/list.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  created_.push_back(fifo);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    const char text[] = "a.out\nb.out\n";
    (void)!::write(fd, text, sizeof text - 1);
    ::_exit(0);
  }
  absl::StatusOr<std::vector<std::string>> paths = ReadPathList(fifo);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(paths.ok()) << paths.status();
  EXPECT_EQ(*paths, (std::vector<std::string>{"a.out", "b.out"}));
}

}  // namespace
}  // namespace covmerge
