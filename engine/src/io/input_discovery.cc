// SPDX-License-Identifier: Apache-2.0
// Directory walking and path lists for the inputs of a merge.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "covmerge/inputs.h"
#include "covmerge/status_macros.h"
#include "io/directory_listing.h"
#include "io/input_region.h"
#include "io/os_error.h"

namespace covmerge {
namespace {

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

// Appends the profiles below `dir` to `out` and, when `cover_dirs` is not
// null, the directories holding Go coverage data files to `cover_dirs`.
absl::Status Walk(const std::string& dir, std::vector<std::string>* out, std::vector<std::string>* cover_dirs) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return internal::OsError(errno, "cannot read directory", dir);
  std::vector<std::string> subdirs;
  bool is_cover_dir = false;
  for (;;) {
    errno = 0;  // readdir signals an error only through errno
    struct dirent* entry = ::readdir(handle);
    if (entry == nullptr) break;
    std::string_view name = entry->d_name;
    if (name.empty() || name[0] == '.') continue;
    std::string path = internal::JoinPath(dir, std::string(name));
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) continue;  // vanished while we listed
    const bool is_link = S_ISLNK(st.st_mode);
    if (is_link && ::stat(path.c_str(), &st) != 0) continue;  // a dangling link
    if (S_ISDIR(st.st_mode)) {
      if (!is_link) subdirs.push_back(std::move(path));  // links to directories could loop
    } else if (IsProfileFileName(name)) {
      out->push_back(std::move(path));
    } else if (IsCoverDataFileName(name) && S_ISREG(st.st_mode)) {
      is_cover_dir = true;
    }
  }
  const int read_errno = errno;
  ::closedir(handle);
  if (read_errno != 0) return internal::OsError(read_errno, "cannot read directory", dir);
  if (is_cover_dir && cover_dirs != nullptr) cover_dirs->push_back(dir);
  for (const std::string& sub : subdirs) COVMERGE_RETURN_IF_ERROR(Walk(sub, out, cover_dirs));
  return absl::OkStatus();
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

absl::StatusOr<std::vector<std::string>> FindProfilesInDirectory(const std::string& dir) {
  std::vector<std::string> found;
  COVMERGE_RETURN_IF_ERROR(Walk(dir, &found, nullptr));
  std::sort(found.begin(), found.end());
  return found;
}

bool IsGoCoverDir(const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names = internal::ListFileNames(dir);
  return names.ok() && std::any_of(names->begin(), names->end(), IsCoverDataFileName);
}

absl::StatusOr<DirectoryInputs> FindInputsInDirectory(const std::string& dir) {
  DirectoryInputs found;
  COVMERGE_RETURN_IF_ERROR(Walk(dir, &found.profiles, &found.go_cover_dirs));
  std::sort(found.profiles.begin(), found.profiles.end());
  std::sort(found.go_cover_dirs.begin(), found.go_cover_dirs.end());
  return found;
}

absl::StatusOr<std::vector<std::string>> ReadPathList(const std::string& list_path) {
  std::string stream;
  internal::ScratchBuffer buffer;
  absl::StatusOr<internal::InputRegion> region =
      list_path == "-" ? internal::InputRegion::ReadStream(STDIN_FILENO, "<stdin>", &stream)
                       : internal::InputRegion::Open(list_path, 0, UINT64_MAX, internal::InputAccess::kRead, &buffer);
  if (!region.ok()) return region.status();
  std::vector<std::string> paths;
  std::string_view bytes = region->bytes();
  while (!bytes.empty()) {
    size_t nl = bytes.find('\n');
    std::string_view line = bytes.substr(0, nl);
    bytes.remove_prefix(nl == std::string_view::npos ? bytes.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) paths.emplace_back(line);
  }
  return paths;
}

}  // namespace covmerge
