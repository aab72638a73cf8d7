// SPDX-License-Identifier: Apache-2.0
// ListFileNames over opendir/readdir; see directory_listing.h.
#include "io/directory_listing.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "covmerge/error.h"

namespace covmerge::internal {

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

absl::StatusOr<std::vector<std::string>> ListFileNames(const std::string& dir) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return OsErrorStatus(errno, "cannot read directory", dir);
  std::vector<std::string> names;
  for (;;) {
    errno = 0;  // readdir signals an error only through errno
    struct dirent* entry = ::readdir(handle);
    if (entry == nullptr) break;
    std::string_view name = entry->d_name;
    if (name.empty() || name[0] == '.') continue;
    struct stat st;
    if (::stat(JoinPath(dir, std::string(name)).c_str(), &st) != 0) continue;  // vanished, or a dangling link
    if (S_ISREG(st.st_mode)) names.emplace_back(name);
  }
  const int read_errno = errno;
  ::closedir(handle);
  if (read_errno != 0) return OsErrorStatus(read_errno, "cannot read directory", dir);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace covmerge::internal
