// SPDX-License-Identifier: Apache-2.0
// The one block table of a merge, shared by every worker: each distinct
// file path is stored once, with that file's blocks (FileBlocks), so each
// distinct block is learned once and memory does not grow with the thread
// count. A file's blocks have a lock of their own, which a worker takes
// once per run of lines of that file (consecutive lines nearly always name
// one file).
//
// Paths are found through an open-addressing index per shard that readers
// probe without a lock; only adding a file takes the shard's mutex. A
// lookup of a file met before (the common case) therefore writes nothing
// shared, and a worker can ask which file a path it has only glimpsed
// probably is (Candidate) to prefetch it.
#ifndef COVMERGE_TABLE_BLOCK_STORE_H_
#define COVMERGE_TABLE_BLOCK_STORE_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/spin_lock.h"
#include "table/file_blocks.h"
#include "table/tail_memo.h"

namespace covmerge::internal {

class BlockStore {
 public:
  // Two cache lines, which the look-ahead prefetches (merge_pass.cc).
  struct alignas(64) File {
    File(std::string_view p, uint8_t spread) : path(p), spread(spread) {}
    // Immutable, read without the lock; the bytes are the shard's.
    const std::string_view path;
    SpinLock mutex;          // guards the fields below, but `next`
    // A byte of the path's hash, immutable: which worker merges the file's
    // lines of an interleaved input (merge_pass.cc).
    const uint8_t spread;
    uint32_t last_run = 0;   // lines in this file's last run: where the next file starts
    FileBlocks blocks;
    // The file whose line came after this file's last line, the last time:
    // the first guess when a run of this file's lines ends. Written under
    // the lock, or by workers that only route lines; read without it by
    // those (released, acquired: the file it names was built by another).
    std::atomic<File*> next{nullptr};
    // The text each block was read from, once a second run of the file's
    // lines has begun and while the memos' budget lasts.
    TailMemo memo;
  };

  BlockStore();
  ~BlockStore();
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;

  static uint64_t Hash(std::string_view path);

  // The file named `path` (whose Hash is `hash`), added on first sight.
  // Thread-safe; the pointer stays valid for the store's lifetime.
  File* Intern(std::string_view path, uint64_t hash);
  File* Intern(std::string_view path) { return Intern(path, Hash(path)); }

  // For a pipeline of prefetches, lock-free, no path compared: fetches the
  // index slot of `hash` into the cache, and later returns the file
  // probably named by it (nullptr if none), for the caller to check.
  void PrefetchSlot(uint64_t hash) const;
  File* Candidate(uint64_t hash) const;

  // Takes `bytes` of the memos' budget; false when it is spent. The
  // memos are a cache: bounded, whatever the number of blocks. PERF: a
  // spent budget is only read, not written, by every run that asks.
  bool ReserveMemo(size_t bytes) {
    const auto want = static_cast<int64_t>(bytes);
    int64_t left = memo_bytes_left_.load(std::memory_order_relaxed);
    while (left >= want) {
      if (memo_bytes_left_.compare_exchange_weak(left, left - want, std::memory_order_relaxed)) return true;
    }
    return false;  // a request refused takes nothing of what is left
  }
  static constexpr int64_t kMemoBudgetBytes = int64_t{16} << 20;

  // Every file, in no particular order. Call once no thread is interning.
  std::vector<File*> Files();

 private:
  struct Slot {
    std::atomic<uint64_t> hash{0};  // 0: empty; published after file
    std::atomic<File*> file{nullptr};
  };
  struct Index {
    explicit Index(size_t n) : slots(new Slot[n]), mask(n - 1) {}
    std::unique_ptr<Slot[]> slots;
    size_t mask;
  };
  struct Shard {
    std::atomic<Index*> index{nullptr};
    std::mutex mutex;                          // guards what follows; taken to add a file
    std::deque<File> files;                    // stable addresses
    // The files' paths, in chunks that never move. PERF: a view is 16
    // bytes where a string is 32, which keeps File at two cache lines.
    std::vector<std::unique_ptr<char[]>> path_chunks;
    char* path_next = nullptr;
    size_t path_room = 0;                      // bytes left at path_next
    size_t used = 0;                           // slots holding a file
    std::vector<std::unique_ptr<Index>> indexes;  // the current one last; older ones
                                                  // stay for readers still probing them
  };
  static constexpr uint32_t kShards = 64;
  static constexpr size_t kFirstSlots = 64;

  Shard& ShardOf(uint64_t hash) { return shards_[hash >> 58]; }
  const Shard& ShardOf(uint64_t hash) const { return shards_[hash >> 58]; }
  static File* Find(const Index& index, std::string_view path, uint64_t hash);
  static void Place(Index* index, uint64_t hash, File* file);
  void Grow(Shard* shard);
  static std::string_view CopyPath(Shard* shard, std::string_view path);

  Shard shards_[kShards];
  std::atomic<int64_t> memo_bytes_left_{kMemoBudgetBytes};
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TABLE_BLOCK_STORE_H_
