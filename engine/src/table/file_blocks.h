// SPDX-License-Identifier: Apache-2.0
// The blocks of one file: each distinct block position once, in the order
// first seen, with the lowest input that had it, and an index from position
// to block once they arrive out of order. Not thread-safe: BlockStore gives
// each file a mutex, which a worker holds for a run of lines of that file.
//
// PERF: profiles of one build repeat a file's blocks in the same order, so
// the caller passes the block after the one it found last as a hint and
// the lookup searches only when that guess is wrong. While blocks arrive in
// increasing position (Go writes them in source order), the blocks stay
// sorted: a block past the last one is appended with no lookup at all, and
// others are found by binary search; only a file whose blocks came out of
// order gets a hash index, its own, not a table of millions (bench: e2e
// distinct, cp4s, pp2, block_store_bench).
#ifndef COVMERGE_TABLE_FILE_BLOCKS_H_
#define COVMERGE_TABLE_FILE_BLOCKS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "covmerge/profile.h"

namespace covmerge::internal {

struct BlockPosition {
  uint32_t start_line = 0;
  uint32_t start_col = 0;
  uint32_t end_line = 0;
  uint32_t end_col = 0;
  friend bool operator==(const BlockPosition&, const BlockPosition&) = default;
  friend auto operator<=>(const BlockPosition&, const BlockPosition&) = default;
};

inline BlockPosition PositionOf(const Block& b) { return {b.start_line, b.start_col, b.end_line, b.end_col}; }
// PERF: the four numbers lie side by side in both structs, and are compared
// as two 64-bit words: every line of the hot loop and every probe of a
// search asks this (bench: e2e cp1, callgrind: 302M → 289M instructions).
inline bool AtPosition(const Block& b, const BlockPosition& p) {
  static_assert(offsetof(Block, start_line) == 0 && offsetof(Block, end_col) == 12);
  static_assert(offsetof(BlockPosition, start_line) == 0 && offsetof(BlockPosition, end_col) == 12);
  uint64_t b_start, b_end, p_start, p_end;
  std::memcpy(&b_start, &b.start_line, 8);
  std::memcpy(&b_end, &b.end_line, 8);
  std::memcpy(&p_start, &p.start_line, 8);
  std::memcpy(&p_end, &p.end_line, 8);
  return ((b_start ^ p_start) | (b_end ^ p_end)) == 0;
}

// The lowest input that had each block of a file: one number while all
// came first from one input (the usual case: one build's profiles hold a
// file's blocks alike), else one per block.
struct FirstInputs {
  uint32_t all = 0;           // when `each` is empty
  std::vector<uint32_t> each;  // beside the blocks
  uint32_t operator[](size_t block) const { return each.empty() ? all : each[block]; }
};

class FileBlocks {
 public:
  // The index of the block at `position`; a new one (no statements, count
  // 0, first seen in `input`), with *inserted set, when there is none.
  // `hint` is the index to try first.
  uint32_t FindOrInsert(const BlockPosition& position, uint32_t hint, uint32_t input, bool* inserted) {
    if (hint < blocks_.size() && AtPosition(blocks_[hint], position)) [[likely]] {
      *inserted = false;
      return hint;
    }
    return FindOrInsertSlow(position, input, inserted);
  }

  Block& block(uint32_t index) { return blocks_[index]; }
  const std::vector<Block>& blocks() const { return blocks_; }
  size_t size() const { return blocks_.size(); }

  // The lowest input that had the block (the canonical side of a conflict).
  uint32_t first_input(uint32_t index) const {
    return first_inputs_.empty() ? first_input_of_all_ : first_inputs_[index];
  }
  // Notes that `input` has block `index` too. PERF: inputs nearly always
  // arrive in order, so nothing is read unless one comes late.
  void NoteInput(uint32_t index, uint32_t input) {
    if (input < highest_first_input_ && input < first_input(index)) LowerFirstInput(index, input);
  }

  // Gives back what growing left unused, when that is more than an eighth.
  // PERF: called after a file's first run, which brings nearly all its
  // blocks: growth by doubling left a quarter of the memory unused on the
  // large shapes (bench: e2e cp4s, 50 blocks in room for 64).
  void Trim();

  // Moves the blocks out, sorted by position, with their first inputs; the
  // file is left empty. PERF: the merged profile is the table's own memory,
  // not a copy of it (bench: e2e cp4s, where the copy's allocations in two
  // threads' malloc arenas raised the peak RSS at -j2 by a third).
  std::vector<Block> TakeSorted(FirstInputs* first_inputs);

  // Where the blocks are, readable without the file's lock: an address to
  // prefetch before the lock is taken. Stale at worst, never unsafe.
  const void* blocks_address() const { return blocks_address_.load(std::memory_order_relaxed); }

 private:
  uint32_t FindOrInsertSlow(const BlockPosition& position, uint32_t input, bool* inserted);
  uint32_t Append(const BlockPosition& position, uint32_t input, bool* inserted);
  void LowerFirstInput(uint32_t index, uint32_t input);
  void Rehash(size_t slot_count);

  // Sized to keep BlockStore::File at two cache lines.
  std::vector<Block> blocks_;
  std::vector<uint32_t> first_inputs_;  // beside blocks_, once the first inputs differ
  // Once the blocks arrive out of order, a hash index: block index + 1, 0
  // for an empty slot; slot_count_ is a power of two.
  std::unique_ptr<uint32_t[]> slots_;
  std::atomic<const void*> blocks_address_{nullptr};  // blocks_.data(), published as it moves
  uint32_t slot_count_ = 0;
  uint32_t highest_first_input_ = 0;  // no first input is higher
  uint32_t first_input_of_all_ = 0;   // while first_inputs_ is empty
  bool sorted_ = true;                // blocks_ in increasing position; no index needed
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TABLE_FILE_BLOCKS_H_
