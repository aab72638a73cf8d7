// SPDX-License-Identifier: Apache-2.0
#include "io/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "base/str_cat.h"
#include "io/os_error.h"

namespace covmerge::internal {

OutputFile::OutputFile(int fd, std::string name, std::string temp_path, bool owns_fd)
    : fd_(fd), name_(std::move(name)), temp_path_(std::move(temp_path)), owns_fd_(owns_fd) {}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      name_(std::move(other.name_)),
      temp_path_(std::exchange(other.temp_path_, {})),
      owns_fd_(std::exchange(other.owns_fd_, false)),
      committed_(std::exchange(other.committed_, true)) {}

absl::StatusOr<OutputFile> OutputFile::CreateAtomic(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) return absl::InvalidArgumentError(internal::Cat("output path ", path, " names a directory"));
  // A device or pipe (/dev/stdout, /dev/full, a FIFO) is written in place:
  // renaming a temporary file over it would replace the device node.
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) return absl::InvalidArgumentError(internal::Cat("output path ", path, " is a directory"));
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return OsError(errno, "cannot open output", path);
    return OutputFile(fd, path, "", /*owns_fd=*/true);
  }
  std::string temp = internal::Cat(dir, ".", base, ".covmerge-XXXXXX");
  std::vector<char> temp_buffer(temp.begin(), temp.end());
  temp_buffer.push_back('\0');
  int fd = ::mkostemp(temp_buffer.data(), O_CLOEXEC);
  if (fd < 0) return OsError(errno, "cannot create output", path);
  // mkstemp creates the file 0600; give it the mode a plain open would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  return OutputFile(fd, path, std::string(temp_buffer.data()), /*owns_fd=*/true);
}

OutputFile OutputFile::FromDescriptor(int fd, std::string name) {
  return OutputFile(fd, std::move(name), "", /*owns_fd=*/false);
}

OutputFile::~OutputFile() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

absl::Status OutputFile::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) return absl::AbortedError(internal::Cat("output ", name_, " was closed"));
      return OsError(errno, "cannot write", name_);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status OutputFile::Commit() {
  if (temp_path_.empty()) {
    committed_ = true;
    if (owns_fd_ && ::close(std::exchange(fd_, -1)) != 0) return OsError(errno, "cannot write", name_);
    return absl::OkStatus();
  }
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return OsError(errno, "cannot write", name_);
  if (::rename(temp_path_.c_str(), name_.c_str()) != 0) return OsError(errno, "cannot create output", name_);
  committed_ = true;
  return absl::OkStatus();
}

}  // namespace covmerge::internal
