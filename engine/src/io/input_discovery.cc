// SPDX-License-Identifier: Apache-2.0
// Directory walking, path lists and file identity for the inputs of a merge.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/quote_path.h"
#include "base/str_cat.h"
#include "covmerge/inputs.h"
#include "covmerge/status_macros.h"
#include "io/directory_listing.h"
#include "covmerge/error.h"

namespace covmerge {
namespace {

using internal::Cat;
using internal::QuotePath;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Go's coverage data files. A directory with counter files but no meta file
// counts too, so that the merge says the meta file is missing instead of
// leaving those runs out with only a warning.
bool IsCoverDataFileName(std::string_view name) {
  for (std::string_view prefix : {"covmeta.", "covcounters."}) {
    if (name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// What a file that is neither regular nor a directory is, for messages.
const char* KindOfSpecialFile(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

const WalkOptions::LeftOut* FindLeftOut(const WalkOptions& options, const struct stat& st) {
  const FileId id{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
  for (const WalkOptions::LeftOut& left_out : options.leave_out) {
    if (left_out.id == id) return &left_out;
  }
  return nullptr;
}

// Appends what is below `dir` to `found`; GOCOVERDIRs only when
// `want_cover_dirs`. Only lstat/stat are called on entries, never open, so
// that a FIFO cannot block the walk.
absl::Status Walk(const std::string& dir, const WalkOptions& options, bool want_cover_dirs, DirectoryInputs* found) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return OsErrorStatus(errno, "cannot read directory", dir);
  std::vector<std::string> subdirs;
  bool is_cover_dir = false;
  for (;;) {
    errno = 0;  // readdir signals an error only through errno
    struct dirent* entry = ::readdir(handle);
    if (entry == nullptr) break;
    std::string_view name = entry->d_name;
    if (name.empty() || name[0] == '.') continue;  // hidden, our temporary outputs included
    std::string path = internal::JoinPath(dir, std::string(name));
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) continue;  // vanished while we listed
    const bool is_link = S_ISLNK(st.st_mode);
    const bool profile_name = IsProfileFileName(name);
    if (is_link && ::stat(path.c_str(), &st) != 0) {
      if (profile_name) found->skipped.push_back({SkippedEntry::Kind::kDanglingLink, std::move(path), ""});
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      if (is_link) {
        found->skipped.push_back({SkippedEntry::Kind::kSymlinkedDirectory, std::move(path), ""});
      } else {
        subdirs.push_back(std::move(path));
      }
    } else if (profile_name) {
      if (!S_ISREG(st.st_mode)) {
        found->skipped.push_back({SkippedEntry::Kind::kNotAFile, std::move(path), KindOfSpecialFile(st.st_mode)});
      } else if (const WalkOptions::LeftOut* left_out = FindLeftOut(options, st); left_out != nullptr) {
        found->skipped.push_back({SkippedEntry::Kind::kLeftOut, std::move(path), left_out->reason});
      } else {
        found->profiles.push_back(std::move(path));
      }
    } else if (IsCoverDataFileName(name) && S_ISREG(st.st_mode)) {
      is_cover_dir = true;
    }
  }
  const int read_errno = errno;
  ::closedir(handle);
  if (read_errno != 0) return OsErrorStatus(read_errno, "cannot read directory", dir);
  if (is_cover_dir && want_cover_dirs) found->go_cover_dirs.push_back(dir);
  for (const std::string& sub : subdirs) COVMERGE_RETURN_IF_ERROR(Walk(sub, options, want_cover_dirs, found));
  return absl::OkStatus();
}

// The whole of a path list, and the name its messages use. A list is read
// as a stream whatever it is (a file, `<(find ...)`, a FIFO): lists are
// small, and a pipe cannot be mapped or read at an offset.
struct ListBytes {
  std::string name;
  std::string bytes;
};

absl::Status ReadAll(int fd, const std::string& name, std::string* bytes) {
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n == 0) return absl::OkStatus();
    if (n < 0) {
      if (errno == EINTR) continue;
      return OsErrorStatus(errno, "cannot read", name);
    }
    bytes->append(chunk, static_cast<size_t>(n));
  }
}

absl::Status ReadList(const std::string& list_path, ListBytes* list) {
  list->name = list_path == "-" ? "<stdin>" : list_path;
  if (list_path == "-") return ReadAll(STDIN_FILENO, list->name, &list->bytes);
  const int fd = ::open(list_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OsErrorStatus(errno, "cannot open", list_path);
  absl::Status status = ReadAll(fd, list_path, &list->bytes);
  ::close(fd);
  return status;
}

}  // namespace

bool IsProfileFileName(std::string_view name) {
  if (name.empty() || name[0] == '.') return false;
  // Compressed profiles keep their name with ".zst" or ".gz" added.
  for (std::string_view suffix : {".zst", ".gz"}) {
    if (EndsWith(name, suffix)) {
      name.remove_suffix(suffix.size());
      break;
    }
  }
  return EndsWith(name, ".out") || EndsWith(name, ".cov") || EndsWith(name, ".coverprofile") ||
         name == "coverage.txt";
}

std::optional<FileId> IdentifyFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

bool NameSameFile(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a == "-" || b == "-") return false;
  const std::optional<FileId> file_a = IdentifyFile(a);
  const std::optional<FileId> file_b = IdentifyFile(b);
  if (file_a || file_b) return file_a == file_b;
  // Neither exists yet: the same name in the same directory.
  auto split = [](const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) return std::pair<std::string, std::string>(".", path);
    return std::pair<std::string, std::string>(slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1));
  };
  const auto [dir_a, base_a] = split(a);
  const auto [dir_b, base_b] = split(b);
  if (base_a != base_b || base_a.empty()) return false;
  const std::optional<FileId> parent_a = IdentifyFile(dir_a);
  return parent_a.has_value() && parent_a == IdentifyFile(dir_b);
}

std::string DescribeSkippedEntry(const SkippedEntry& entry) {
  const std::string path = QuotePath(entry.path);
  switch (entry.kind) {
    case SkippedEntry::Kind::kLeftOut:
      return Cat("left out ", path, ": ", entry.detail);
    case SkippedEntry::Kind::kSymlinkedDirectory:
      return Cat("did not search ", path, ": a symbolic link to a directory is not followed; name it as an input");
    case SkippedEntry::Kind::kDanglingLink:
      return Cat("skipped ", path, ": a symbolic link whose target does not exist");
    case SkippedEntry::Kind::kNotAFile:
      return Cat("skipped ", path, ": ", entry.detail,
                 ", not a regular file; a directory walk reads only regular files (name it as an input to read it)");
  }
  return Cat("skipped ", path);
}

absl::StatusOr<DirectoryInputs> FindInputsInDirectory(const std::string& dir, const WalkOptions& options) {
  DirectoryInputs found;
  COVMERGE_RETURN_IF_ERROR(Walk(dir, options, /*want_cover_dirs=*/true, &found));
  std::sort(found.profiles.begin(), found.profiles.end());
  std::sort(found.go_cover_dirs.begin(), found.go_cover_dirs.end());
  // readdir's order is the file system's: sort, so messages never change.
  std::sort(found.skipped.begin(), found.skipped.end(),
            [](const SkippedEntry& a, const SkippedEntry& b) { return a.path < b.path; });
  return found;
}

absl::StatusOr<std::vector<std::string>> FindProfilesInDirectory(const std::string& dir) {
  DirectoryInputs found;
  COVMERGE_RETURN_IF_ERROR(Walk(dir, {}, /*want_cover_dirs=*/false, &found));
  std::sort(found.profiles.begin(), found.profiles.end());
  return std::move(found.profiles);
}

bool IsGoCoverDir(const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names = internal::ListFileNames(dir);
  return names.ok() && std::any_of(names->begin(), names->end(), IsCoverDataFileName);
}

absl::StatusOr<std::vector<std::string>> ReadPathList(const std::string& list_path) {
  ListBytes list;
  COVMERGE_RETURN_IF_ERROR(ReadList(list_path, &list));
  std::vector<std::string> paths;
  std::string_view bytes = list.bytes;
  for (uint64_t line_number = 1; !bytes.empty(); ++line_number) {
    size_t nl = bytes.find('\n');
    std::string_view line = bytes.substr(0, nl);
    bytes.remove_prefix(nl == std::string_view::npos ? bytes.size() : nl + 1);
    if (std::memchr(line.data(), '\0', line.size()) != nullptr) {
      return ErrorStatus({.kind = ErrorKind::kMalformed,
                          .path = list.name,
                          .line = line_number,
                          .detail = "expected one path per line, found a NUL byte; for a NUL-separated list "
                                    "(find -print0) use --files0-from"});
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) paths.emplace_back(line);
  }
  return paths;
}

absl::StatusOr<std::vector<std::string>> ReadNulPathList(const std::string& list_path) {
  ListBytes list;
  COVMERGE_RETURN_IF_ERROR(ReadList(list_path, &list));
  std::vector<std::string> paths;
  std::string_view bytes = list.bytes;
  for (uint64_t entry = 1; !bytes.empty(); ++entry) {
    const size_t nul = bytes.find('\0');
    std::string_view name = bytes.substr(0, nul);
    bytes.remove_prefix(nul == std::string_view::npos ? bytes.size() : nul + 1);
    if (name.empty()) {
      return MalformedError(
          list.name, Cat("entry ", entry,
              " is an empty name; expected paths each ended by a NUL byte, as find -print0 writes them"));
    }
    paths.emplace_back(name);
  }
  return paths;
}

}  // namespace covmerge
