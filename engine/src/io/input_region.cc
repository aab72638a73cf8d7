// SPDX-License-Identifier: Apache-2.0
#include "io/input_region.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "io/os_error.h"

namespace covmerge::internal {
namespace {

// Closes a descriptor when the scope ends.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

// Reads until end of file, appending to *buffer.
absl::Status ReadAll(int fd, std::string_view name, std::string* buffer) {
  size_t used = buffer->size();
  for (;;) {
    if (buffer->size() - used < 65536) buffer->resize(std::max<size_t>(buffer->size() * 2, used + 65536));
    ssize_t n = ::read(fd, buffer->data() + used, buffer->size() - used);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return OsError(errno, "cannot read", name);
    }
    used += static_cast<size_t>(n);
  }
  buffer->resize(used);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FileStat> StatFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return OsError(errno, "cannot open", path);
  FileStat result;
  result.size = static_cast<uint64_t>(st.st_size);
  result.regular = S_ISREG(st.st_mode);
  result.device = static_cast<uint64_t>(st.st_dev);
  result.inode = static_cast<uint64_t>(st.st_ino);
  return result;
}

InputRegion::InputRegion(InputRegion&& other) noexcept
    : bytes_(std::exchange(other.bytes_, {})),
      map_base_(std::exchange(other.map_base_, nullptr)),
      map_length_(std::exchange(other.map_length_, 0)) {}

InputRegion& InputRegion::operator=(InputRegion&& other) noexcept {
  if (this != &other) {
    Release();
    bytes_ = std::exchange(other.bytes_, {});
    map_base_ = std::exchange(other.map_base_, nullptr);
    map_length_ = std::exchange(other.map_length_, 0);
  }
  return *this;
}

InputRegion::~InputRegion() { Release(); }

void InputRegion::Release() {
  if (map_base_ != nullptr) ::munmap(map_base_, map_length_);
  map_base_ = nullptr;
  map_length_ = 0;
  bytes_ = {};
}

InputRegion InputRegion::FromMemory(std::string_view bytes) {
  InputRegion region;
  region.bytes_ = bytes;
  return region;
}

absl::StatusOr<InputRegion> InputRegion::ReadStream(int fd, std::string_view name,
                                                    std::string* buffer) {
  buffer->clear();
  if (absl::Status status = ReadAll(fd, name, buffer); !status.ok()) return status;
  return FromMemory(*buffer);
}

absl::StatusOr<InputRegion> InputRegion::Open(const std::string& path, uint64_t offset,
                                              uint64_t hint_bytes, std::string* buffer) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OsError(errno, "cannot open", path);
  FdCloser closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) return OsError(errno, "cannot open", path);
  if (S_ISDIR(st.st_mode)) return OsError(EISDIR, "cannot read", path);
  const uint64_t size = static_cast<uint64_t>(st.st_size);

  if (S_ISREG(st.st_mode) && size >= kMapThreshold && offset < size) {
    const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    const uint64_t map_offset = offset - offset % page;
    const size_t length = static_cast<size_t>(size - map_offset);
    void* base = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(map_offset));
    if (base != MAP_FAILED) {
      // PERF: read-ahead of the chunk we are about to scan (bench: e2e monorepo).
      const uint64_t advise = std::min<uint64_t>(length, hint_bytes + (offset - map_offset));
      ::madvise(base, static_cast<size_t>(advise), MADV_WILLNEED);
      InputRegion region;
      region.map_base_ = base;
      region.map_length_ = length;
      region.bytes_ = std::string_view(static_cast<const char*>(base) + (offset - map_offset),
                                       static_cast<size_t>(size - offset));
      return region;
    }
    // Mapping can fail (e.g. a file system without mmap): read instead.
  }

  buffer->clear();
  if (S_ISREG(st.st_mode)) {
    if (offset >= size) return FromMemory({});
    buffer->resize(static_cast<size_t>(size - offset));
    size_t used = 0;
    while (used < buffer->size()) {
      ssize_t n = ::pread(fd, buffer->data() + used, buffer->size() - used,
                          static_cast<off_t>(offset + used));
      if (n == 0) break;  // the file shrank while we read it
      if (n < 0) {
        if (errno == EINTR) continue;
        return OsError(errno, "cannot read", path);
      }
      used += static_cast<size_t>(n);
    }
    buffer->resize(used);
    return FromMemory(*buffer);
  }
  if (offset != 0) return absl::InternalError("chunked read of a stream " + path);
  return ReadStream(fd, path, buffer);
}

}  // namespace covmerge::internal
