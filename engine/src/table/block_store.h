// SPDX-License-Identifier: Apache-2.0
// The one block table of a merge, shared by every worker: each distinct
// file path is stored once, with that file's blocks (FileBlocks), so each
// distinct block is learned once and memory does not grow with the thread
// count. Paths are spread over shards, each with its own mutex; a file's
// blocks have a mutex of their own, which a worker takes once per run of
// lines of that file (consecutive lines nearly always name one file).
#ifndef COVMERGE_TABLE_BLOCK_STORE_H_
#define COVMERGE_TABLE_BLOCK_STORE_H_

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/spin_lock.h"
#include "table/file_blocks.h"

namespace covmerge::internal {

class BlockStore {
 public:
  struct File {
    explicit File(std::string_view p) : path(p) {}
    const std::string path;
    SpinLock mutex;     // guards blocks and next
    FileBlocks blocks;
    // The file whose line came after this file's last line, the last time:
    // the first guess when a run of this file's lines ends.
    File* next = nullptr;
  };

  BlockStore() = default;
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;

  // The file named `path`, added on first sight. Thread-safe; the pointer
  // stays valid for the store's lifetime.
  File* Intern(std::string_view path);

  // Every file, in no particular order. Call once no thread is interning.
  std::vector<File*> Files();

 private:
  static constexpr uint32_t kShards = 64;
  struct Shard {
    std::mutex mutex;
    std::deque<File> files;  // stable addresses
    absl::flat_hash_map<std::string_view, File*> by_path;
  };
  Shard shards_[kShards];
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TABLE_BLOCK_STORE_H_
