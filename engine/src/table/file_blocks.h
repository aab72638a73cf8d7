// SPDX-License-Identifier: Apache-2.0
// The blocks of one file: a record for each distinct block position, in the
// order first seen, and an index from position to record once the file has
// more than a few blocks. Not thread-safe: BlockStore gives each file a
// mutex, which a worker holds for a run of lines of that file.
//
// PERF: profiles of one build repeat a file's blocks in the same order, so
// the caller passes the record after the one it found last as a hint and
// the lookup searches only when that guess is wrong. While blocks arrive in
// increasing position (Go writes them in source order), the records stay
// sorted: a block past the last one is appended with no lookup at all, and
// others are found by binary search; only a file whose blocks came out of
// order gets a hash index, its own, not a table of millions (bench: e2e
// distinct, cp4s, pp2, block_store_bench).
#ifndef COVMERGE_TABLE_FILE_BLOCKS_H_
#define COVMERGE_TABLE_FILE_BLOCKS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace covmerge::internal {

struct BlockPosition {
  uint32_t start_line = 0;
  uint32_t start_col = 0;
  uint32_t end_line = 0;
  uint32_t end_col = 0;
  friend bool operator==(const BlockPosition&, const BlockPosition&) = default;
  friend auto operator<=>(const BlockPosition&, const BlockPosition&) = default;
};

// 32 bytes: the position, the statements, the lowest input that had the
// block (the canonical side of a conflict), and the merged count.
struct BlockRecord {
  BlockPosition position;
  uint32_t num_stmt = 0;
  uint32_t first_input = 0;
  uint64_t count = 0;
};
static_assert(sizeof(BlockRecord) == 32);

class FileBlocks {
 public:
  // The index of the record at `position`; a new zeroed record, with
  // *inserted set, when there is none. `hint` is the index to try first.
  uint32_t FindOrInsert(const BlockPosition& position, uint32_t hint, bool* inserted) {
    if (hint < records_.size() && records_[hint].position == position) [[likely]] {
      *inserted = false;
      return hint;
    }
    return FindOrInsertSlow(position, inserted);
  }

  BlockRecord& record(uint32_t index) { return records_[index]; }
  std::vector<BlockRecord>& records() { return records_; }
  const std::vector<BlockRecord>& records() const { return records_; }
  size_t size() const { return records_.size(); }

  // Frees the index (the records stay): after the pass, before sorting.
  void DropIndex();

  // Where the records are, readable without the file's lock: an address to
  // prefetch before the lock is taken. Stale at worst, never unsafe.
  const void* records_address() const { return records_address_.load(std::memory_order_relaxed); }

 private:
  uint32_t FindOrInsertSlow(const BlockPosition& position, bool* inserted);
  uint32_t Append(const BlockPosition& position, bool* inserted);
  void Rehash(size_t slot_count);

  std::vector<BlockRecord> records_;
  bool sorted_ = true;           // records_ in increasing position; no index needed
  std::vector<uint32_t> slots_;  // once unsorted: record index + 1; 0 marks an empty slot
  std::atomic<const void*> records_address_{nullptr};  // records_.data(), published as it moves
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TABLE_FILE_BLOCKS_H_
