// SPDX-License-Identifier: Apache-2.0
// Turning what a user names on a command line into input files: directory
// walks, path lists (one per line, or NUL-separated) and the identity of a
// file under several names.
#ifndef COVMERGE_INPUTS_H_
#define COVMERGE_INPUTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace covmerge {

// Whether a file found inside a directory input is taken as a profile:
// names ending in ".out", ".cov" or ".coverprofile", and "coverage.txt",
// each also with ".zst" or ".gz" added (compressed profiles).
// Names starting with '.' are skipped, as are directories starting with '.'
// (covmerge's own temporary outputs, ".NAME.covmerge-XXXXXX", among them).
bool IsProfileFileName(std::string_view file_name);

// One file, whatever name reaches it: its device and inode.
struct FileId {
  uint64_t device = 0;
  uint64_t inode = 0;
  friend bool operator==(const FileId&, const FileId&) = default;
};

// The identity of the file `path` names, symbolic links followed; nullopt
// when it does not exist or cannot be looked at.
std::optional<FileId> IdentifyFile(const std::string& path);

// Whether two output paths name one file: the same text, the same existing
// file (hard or symbolic links included), or the same name in the same
// existing directory ("out.txt" and "./out.txt"). "-" (standard output)
// only matches "-".
bool NameSameFile(const std::string& a, const std::string& b);

// What a directory walk follows: directories (not symbolic links to them,
// which could loop), and regular files with a profile name (symbolic links
// to such files included). Anything else with a profile name (a FIFO, a
// socket, a device, a dangling link) is skipped, as are symbolic links to
// directories and the files in WalkOptions::leave_out; each is reported as
// a SkippedEntry, never silently.
struct SkippedEntry {
  enum class Kind {
    kLeftOut,             // one of WalkOptions::leave_out (an output)
    kSymlinkedDirectory,  // a symbolic link to a directory: not followed
    kDanglingLink,        // a profile name whose link target is missing
    kNotAFile,            // a profile name that is a FIFO, socket or device
  };
  Kind kind = Kind::kLeftOut;
  std::string path;
  // kLeftOut: the reason the caller gave (e.g. "it is the output (-o)");
  // kNotAFile: what it is ("a FIFO", "a socket", "a device").
  std::string detail;
};

// One sentence about `entry` for a note or warning, paths quoted as
// messages quote them.
std::string DescribeSkippedEntry(const SkippedEntry& entry);

struct WalkOptions {
  struct LeftOut {
    FileId id;
    std::string reason;  // copied into SkippedEntry::detail
  };
  // Files never taken as inputs, by identity: the outputs of this run, so
  // that `covmerge -o p/merged.out p` does not merge its last result in.
  std::vector<LeftOut> leave_out;
};

// What a directory input holds: text profiles and GOCOVERDIRs (`dir` itself
// or directories below it), each list in byte order of path, and what was
// skipped on the way, in the order met. A GOCOVERDIR is searched for text
// profiles too.
struct DirectoryInputs {
  std::vector<std::string> profiles;
  std::vector<std::string> go_cover_dirs;
  std::vector<SkippedEntry> skipped;
};
// Errors name the directory that could not be read.
absl::StatusOr<DirectoryInputs> FindInputsInDirectory(const std::string& dir, const WalkOptions& options = {});

// Lists the profile files under `dir`, recursively, in byte order of their
// paths, as FindInputsInDirectory finds them (GOCOVERDIRs and skipped
// entries aside). Errors name the directory that could not be read.
absl::StatusOr<std::vector<std::string>> FindProfilesInDirectory(const std::string& dir);

// Whether `dir` is a GOCOVERDIR: a directory holding a file named
// "covmeta.<hash>" or "covcounters.<hash>.<pid>.<nanos>", as a binary built
// with `go build -cover` (Go 1.20+) writes; counter files without their
// meta file make the merge fail, naming the directory. Only the name is
// looked at; the magic bytes are checked when the merge decodes it
// (Merger::AddGoCoverDir). False for anything unreadable.
bool IsGoCoverDir(const std::string& dir);

// Reads one path per line from `list_path` ("-" for stdin); blank lines
// and a trailing '\r' are ignored. A NUL byte is an InvalidArgument error
// naming the list and line, with a hint to use ReadNulPathList
// (--files0-from): such a list came from `find -print0`.
absl::StatusOr<std::vector<std::string>> ReadPathList(const std::string& list_path);

// Reads NUL-terminated paths from `list_path` ("-" for stdin), the
// convention of GNU du and wc --files0-from: a path may hold any byte but
// NUL (newlines included), and the last NUL is optional. An empty name is an
// InvalidArgument error naming the list and the entry's number.
absl::StatusOr<std::vector<std::string>> ReadNulPathList(const std::string& list_path);

}  // namespace covmerge

#endif  // COVMERGE_INPUTS_H_
