// SPDX-License-Identifier: Apache-2.0
#include "io/input_region.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include "base/str_cat.h"
#include "covmerge/status_macros.h"

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

char* ScratchBuffer::Reserve(size_t size, size_t keep) {
  if (size > capacity_) {
    const size_t capacity = std::max(size, capacity_ + capacity_ / 2);
    LargeBytes bigger = MakeLargeBytes(capacity);
    if (keep > 0) std::memcpy(bigger.get(), data_.get(), keep);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }
  return data_.get();
}

absl::StatusOr<InputRegion> InputRegion::Open(const std::string& path, uint64_t offset,
                                              uint64_t length, InputAccess access,
                                              ScratchBuffer* buffer) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OsError(errno, "cannot open", path);
  FdCloser closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) return OsError(errno, "cannot open", path);
  if (S_ISDIR(st.st_mode)) return OsError(EISDIR, "cannot read", path);
  const uint64_t size = static_cast<uint64_t>(st.st_size);

  if (!S_ISREG(st.st_mode)) {
    if (offset != 0) return absl::InternalError(Cat("chunked read of the stream ", path));
    std::string* whole = new std::string;  // streams are rare: no reuse needed
    std::unique_ptr<std::string> owner(whole);
    COVMERGE_RETURN_IF_ERROR(ReadAll(fd, path, whole));
    char* out = buffer->Reserve(whole->size());
    std::memcpy(out, whole->data(), whole->size());
    return FromMemory(std::string_view(out, whole->size()));
  }
  if (offset >= size) return FromMemory({});

  if (access == InputAccess::kMap) {
    const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    const uint64_t map_offset = offset - offset % page;
    const size_t map_length = static_cast<size_t>(size - map_offset);
    void* base = ::mmap(nullptr, map_length, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(map_offset));
    if (base != MAP_FAILED) {
      ::madvise(base, std::min<size_t>(map_length, length + (offset - map_offset)), MADV_WILLNEED);
      InputRegion region;
      region.map_base_ = base;
      region.map_length_ = map_length;
      region.bytes_ = std::string_view(static_cast<const char*>(base) + (offset - map_offset),
                                       static_cast<size_t>(size - offset));
      return region;
    }
    // Mapping can fail (a file system without mmap): read instead.
  }

  // Read `length` bytes, then on in steps until the line of the last one ends.
  uint64_t want = std::max<uint64_t>(1, std::min(length, size - offset));
  size_t search_from = static_cast<size_t>(want - 1);
  size_t used = 0;
  char* data = buffer->Reserve(static_cast<size_t>(want));
  for (;;) {
    while (used < want) {
      ssize_t n = ::pread(fd, data + used, static_cast<size_t>(want - used), static_cast<off_t>(offset + used));
      if (n == 0) break;  // the file shrank while we read it
      if (n < 0) {
        if (errno == EINTR) continue;
        return OsError(errno, "cannot read", path);
      }
      used += static_cast<size_t>(n);
    }
    if (used < want || offset + used >= size) break;  // at the end of the file
    if (std::memchr(data + search_from, '\n', used - search_from) != nullptr) break;
    search_from = used;
    want = std::min<uint64_t>(size - offset, want + std::max<uint64_t>(65536, want / 4));
    data = buffer->Reserve(static_cast<size_t>(want), used);
  }
  return FromMemory(std::string_view(data, used));
}

}  // namespace covmerge::internal
