// SPDX-License-Identifier: Apache-2.0
// Unit tests for io/input_discovery through covmerge/inputs.h: which file
// names count as profiles, the recursive and sorted directory walk, and path
// lists.
#include "covmerge/inputs.h"

#include <sys/stat.h>
#include <unistd.h>

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

}  // namespace
}  // namespace covmerge
