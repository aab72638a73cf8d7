// SPDX-License-Identifier: Apache-2.0
// Turning what a user names on a command line into input files.
#ifndef COVMERGE_INPUTS_H_
#define COVMERGE_INPUTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace covmerge {

// Whether a file found inside a directory input is taken as a profile:
// names ending in ".out", ".cov" or ".coverprofile", and "coverage.txt",
// each also with ".zst" or ".gz" added (compressed profiles).
// Names starting with '.' are skipped, as are directories starting with '.'.
bool IsProfileFileName(std::string_view file_name);

// Lists the profile files under `dir`, recursively, in byte order of their
// paths. Symbolic links to directories are not followed. Errors name the
// directory that could not be read.
absl::StatusOr<std::vector<std::string>> FindProfilesInDirectory(const std::string& dir);

// Whether `dir` is a GOCOVERDIR: a directory holding a file named
// "covmeta.<hash>" or "covcounters.<hash>.<pid>.<nanos>", as a binary built
// with `go build -cover` (Go 1.20+) writes; counter files without their
// meta file make the merge fail, naming the directory. Only the name is looked at; the magic bytes are checked when the
// merge decodes it (Merger::AddGoCoverDir). False for anything unreadable.
bool IsGoCoverDir(const std::string& dir);

// What a directory input holds: text profiles (as FindProfilesInDirectory
// finds them) and GOCOVERDIRs (`dir` itself or directories below it), each
// list in byte order of path. A GOCOVERDIR is searched for text profiles
// too.
struct DirectoryInputs {
  std::vector<std::string> profiles;
  std::vector<std::string> go_cover_dirs;
};
absl::StatusOr<DirectoryInputs> FindInputsInDirectory(const std::string& dir);

// Reads one path per line from `list_path` ("-" for stdin); blank lines
// and a trailing '\r' are ignored.
absl::StatusOr<std::vector<std::string>> ReadPathList(const std::string& list_path);

}  // namespace covmerge

#endif  // COVMERGE_INPUTS_H_
