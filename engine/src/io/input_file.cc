// SPDX-License-Identifier: Apache-2.0
#include "io/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "base/str_cat.h"
#include "covmerge/error.h"

namespace covmerge::internal {
namespace {

FileIdentity IdentityOf(const struct stat& st) {
  FileIdentity id;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  id.size = static_cast<uint64_t>(st.st_size);
  id.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return id;
}

// Where streams are copied: $TMPDIR, else /tmp.
const char* TemporaryDirectory() {
  const char* dir = std::getenv("TMPDIR");
  return dir == nullptr || *dir == '\0' ? "/tmp" : dir;
}

// An unlinked temporary file: it disappears with its descriptor, whatever
// ends the process.
absl::StatusOr<int> CreateTemporaryFile(std::string_view stream_name) {
  const char* dir = TemporaryDirectory();
  int fd = ::open(dir, O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // File systems without O_TMPFILE: create, then unlink at once.
  std::string pattern = Cat(dir, "/covmerge-stream-XXXXXX");
  fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) return OsErrorStatus(errno, Cat("cannot copy the stream ", stream_name, " to a temporary file in"), dir);
  ::unlink(pattern.c_str());
  return fd;
}

absl::Status WriteAll(int fd, const char* data, size_t size, std::string_view name, std::string_view dir) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      // "cannot copy the stream <stdin> to a temporary file in /tmp: No space left on device"
      return OsErrorStatus(errno, Cat("cannot copy the stream ", name, " to a temporary file in"), dir);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::shared_ptr<InputFile>> InputFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OsErrorStatus(errno, "cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return OsErrorStatus(error, "cannot open", path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return OsErrorStatus(S_ISDIR(st.st_mode) ? EISDIR : EINVAL, "cannot read", path);
  }
  return std::shared_ptr<InputFile>(new InputFile(fd, path, IdentityOf(st)));
}

absl::StatusOr<std::shared_ptr<InputFile>> InputFile::Spool(int fd, std::string_view name,
                                                            size_t max_line_bytes) {
  absl::StatusOr<int> spool = CreateTemporaryFile(name);
  if (!spool.ok()) return spool.status();
  std::shared_ptr<InputFile> file(new InputFile(*spool, std::string(name), FileIdentity{}));
  std::vector<char> buffer(size_t{256} << 10);
  uint64_t total = 0;
  uint64_t since_newline = 0;  // bytes of the line being copied
  bool compressed = false;
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return OsErrorStatus(errno, "cannot read", name);
    }
    if (n == 0) break;
    const size_t got = static_cast<size_t>(n);
    if (total == 0 && got >= 2) {
      compressed = std::memcmp(buffer.data(), "\x28\xB5", 2) == 0 || std::memcmp(buffer.data(), "\x1F\x8B", 2) == 0;
    }
    absl::Status written = WriteAll(*spool, buffer.data(), got, name, TemporaryDirectory());
    if (!written.ok()) return written;
    total += got;
    if (compressed) continue;
    const void* last = ::memrchr(buffer.data(), '\n', got);
    since_newline = last == nullptr ? since_newline + got
                                    : got - static_cast<size_t>(static_cast<const char*>(last) - buffer.data()) - 1;
    if (since_newline > max_line_bytes) break;  // the scan names this line
  }
  file->identity_.size = total;
  return file;
}

absl::StatusOr<size_t> InputFile::ReadAt(uint64_t offset, char* out, size_t capacity) const {
  for (;;) {
    ssize_t n = ::pread(fd_, out, capacity, static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return OsErrorStatus(errno, "cannot read", name_);
  }
}

absl::StatusOr<PathStat> StatPath(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return OsErrorStatus(errno, "cannot open", path);
  PathStat result;
  result.identity = IdentityOf(st);
  result.regular = S_ISREG(st.st_mode);
  result.directory = S_ISDIR(st.st_mode);
  return result;
}

absl::StatusOr<int> OpenStream(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OsErrorStatus(errno, "cannot open", path);
  return fd;
}

void CloseStream(int fd) {
  if (fd > STDERR_FILENO) ::close(fd);
}

absl::StatusOr<std::string_view> ReadWholeFile(const std::string& path, ScratchBuffer* buffer) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OsErrorStatus(errno, "cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    const int error = S_ISDIR(st.st_mode) ? EISDIR : errno;
    ::close(fd);
    return OsErrorStatus(error, "cannot read", path);
  }
  size_t capacity = S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) + 1 : size_t{65536};
  size_t used = 0;
  char* data = buffer->Reserve(capacity);
  for (;;) {
    if (used == capacity) {
      capacity *= 2;
      data = buffer->Reserve(capacity, used);
    }
    ssize_t n = ::read(fd, data + used, capacity - used);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      return OsErrorStatus(error, "cannot read", path);
    }
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  return std::string_view(data, used);
}

}  // namespace covmerge::internal
