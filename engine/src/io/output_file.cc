// SPDX-License-Identifier: Apache-2.0
#include "io/output_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "base/str_cat.h"
#include "covmerge/error.h"

namespace covmerge::internal {
namespace {

// The registry of temporary files for the signal handler. A fixed array,
// because a handler may not allocate or lock: each slot moves
//   kFree -> kFilling (reserved; the name is being written)
//         -> kActive  (the file exists) -> kFree (renamed or removed)
//                                       -> kClaimed (a handler removes it).
// A thread fills or frees a slot with the three signals blocked, so its own
// handler never sees a half-written slot; a handler on another thread waits
// until kFilling is over. More temporary files at once than slots (the
// command has at most five outputs) simply go unregistered.
constexpr int kSlots = 32;
constexpr size_t kMaxTempPath = 4096;  // PATH_MAX: longer names fail to open
enum SlotState : int { kFree, kFilling, kActive, kClaimed };
struct Slot {
  std::atomic<int> state{kFree};
  char path[kMaxTempPath];
};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");
Slot g_slots[kSlots];

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

sigset_t CleanupSignalSet() {
  sigset_t set;
  ::sigemptyset(&set);
  for (int sig : kCleanupSignals) ::sigaddset(&set, sig);
  return set;
}

// Blocks the cleanup signals in this thread while alive.
class BlockCleanupSignals {
 public:
  BlockCleanupSignals() {
    const sigset_t set = CleanupSignalSet();
    ::pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~BlockCleanupSignals() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  BlockCleanupSignals(const BlockCleanupSignals&) = delete;
  BlockCleanupSignals& operator=(const BlockCleanupSignals&) = delete;

 private:
  sigset_t old_;
};

// A free slot, now kFilling; -1 when none is free or `length` is too long.
int ReserveSlot(size_t length) {
  if (length >= kMaxTempPath) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (g_slots[i].state.compare_exchange_strong(expected, kFilling)) return i;
  }
  return -1;
}

void ReleaseSlot(int slot) {
  if (slot < 0) return;
  int expected = kActive;
  // Claimed by a handler on another thread: the process is ending; leave it.
  g_slots[slot].state.compare_exchange_strong(expected, kFree);
}

extern "C" void RemoveTemporaryOutputsAndReraise(int sig) {
  const int saved_errno = errno;
  RemoveTemporaryOutputs();
  // SA_RESETHAND restored the default action. The signal is blocked while
  // this handler runs, so it is delivered, and ends the process, when the
  // handler returns.
  ::raise(sig);
  errno = saved_errno;
}

}  // namespace

void RemoveTemporaryOutputs() noexcept {
  for (Slot& slot : g_slots) {
    int state = slot.state.load(std::memory_order_acquire);
    while (state == kFilling) state = slot.state.load(std::memory_order_acquire);  // another thread, mid-create
    if (state == kActive && slot.state.compare_exchange_strong(state, kClaimed)) ::unlink(slot.path);
  }
}

TemporaryOutputCleanup::TemporaryOutputCleanup() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = RemoveTemporaryOutputsAndReraise;
  action.sa_mask = CleanupSignalSet();  // one handler at a time
  action.sa_flags = SA_RESETHAND;
  for (int i = 0; i < kSignals; ++i) {
    if (::sigaction(kCleanupSignals[i], nullptr, &saved_[i]) != 0) continue;
    if (saved_[i].sa_handler == SIG_IGN && !(saved_[i].sa_flags & SA_SIGINFO)) continue;  // nohup: stay ignored
    installed_[i] = ::sigaction(kCleanupSignals[i], &action, nullptr) == 0;
  }
}

TemporaryOutputCleanup::~TemporaryOutputCleanup() {
  for (int i = 0; i < kSignals; ++i) {
    if (installed_[i]) ::sigaction(kCleanupSignals[i], &saved_[i], nullptr);
  }
}

OutputFile::OutputFile(int fd, std::string name, std::string temp_path, bool owns_fd, int slot)
    : fd_(fd), name_(std::move(name)), temp_path_(std::move(temp_path)), owns_fd_(owns_fd), slot_(slot) {}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      name_(std::move(other.name_)),
      temp_path_(std::exchange(other.temp_path_, {})),
      owns_fd_(std::exchange(other.owns_fd_, false)),
      committed_(std::exchange(other.committed_, true)),
      slot_(std::exchange(other.slot_, -1)) {}

absl::StatusOr<OutputFile> OutputFile::CreateAtomic(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) {
    return ErrorStatus({.kind = ErrorKind::kIo, .path = path, .os_error = EISDIR, .action = "cannot create output",
                        .detail = "the path names a directory"});
  }
  // A device or pipe (/dev/stdout, /dev/full, a FIFO) is written in place:
  // renaming a temporary file over it would replace the device node.
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      return ErrorStatus({.kind = ErrorKind::kIo, .path = path, .os_error = EISDIR, .action = "cannot create output",
                          .detail = "it is a directory"});
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return OsErrorStatus(errno, "cannot open output", path);
    return OutputFile(fd, path, "", /*owns_fd=*/true, /*slot=*/-1);
  }
  std::string temp = internal::Cat(dir, ".", base, ".covmerge-XXXXXX");
  std::vector<char> temp_buffer(temp.begin(), temp.end());
  temp_buffer.push_back('\0');
  int fd = -1;
  int slot = -1;
  {
    // Created and registered with no handler in between (see the registry).
    BlockCleanupSignals block;
    slot = ReserveSlot(temp.size());
    fd = ::mkostemp(temp_buffer.data(), O_CLOEXEC);
    const int create_errno = errno;
    if (slot >= 0) {
      if (fd >= 0) std::memcpy(g_slots[slot].path, temp_buffer.data(), temp_buffer.size());
      g_slots[slot].state.store(fd >= 0 ? kActive : kFree, std::memory_order_release);
    }
    errno = create_errno;
  }
  if (fd < 0) return OsErrorStatus(errno, "cannot create output", path);
  // mkstemp creates the file 0600; give it the mode a plain open would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  return OutputFile(fd, path, std::string(temp_buffer.data()), /*owns_fd=*/true, slot);
}

OutputFile OutputFile::FromDescriptor(int fd, std::string name) {
  return OutputFile(fd, std::move(name), "", /*owns_fd=*/false, /*slot=*/-1);
}

OutputFile::~OutputFile() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_path_.empty()) {
    BlockCleanupSignals block;
    ::unlink(temp_path_.c_str());
    ReleaseSlot(std::exchange(slot_, -1));
  }
}

absl::Status OutputFile::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return OsErrorStatus(errno, "cannot write", name_);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status OutputFile::Commit() {
  if (temp_path_.empty()) {
    committed_ = true;
    if (owns_fd_ && ::close(std::exchange(fd_, -1)) != 0) return OsErrorStatus(errno, "cannot write", name_);
    return absl::OkStatus();
  }
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return OsErrorStatus(errno, "cannot write", name_);
  {
    BlockCleanupSignals block;
    if (::rename(temp_path_.c_str(), name_.c_str()) != 0) return OsErrorStatus(errno, "cannot create output", name_);
    ReleaseSlot(std::exchange(slot_, -1));
  }
  committed_ = true;
  return absl::OkStatus();
}

}  // namespace covmerge::internal
