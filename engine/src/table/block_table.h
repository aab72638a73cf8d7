// SPDX-License-Identifier: Apache-2.0
// A hash table of blocks keyed by (file id, start, end), owned by one worker
// thread, so inserting takes no lock. Records live in a vector in the order
// they were first seen; the index is open addressing with linear probing
// over record numbers.
//
// PERF: profiles repeat the block order of earlier profiles (Go writes the
// blocks of a file in the same counter order each time), so the table first
// checks the record after the one it returned last, and hashes only when that
// guess is wrong (bench: block_table_bench, BM_InsertRepeatedOrder).
#ifndef COVMERGE_TABLE_BLOCK_TABLE_H_
#define COVMERGE_TABLE_BLOCK_TABLE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "io/huge_page_allocator.h"

namespace covmerge::internal {

struct BlockKey {
  uint32_t file = 0;
  uint32_t start_line = 0;
  uint32_t start_col = 0;
  uint32_t end_line = 0;
  uint32_t end_col = 0;

  friend bool operator==(const BlockKey&, const BlockKey&) = default;
};

inline uint64_t HashBlockKey(const BlockKey& key) {
  uint64_t h = ((uint64_t{key.file} << 32) | key.start_line) * 0x9E3779B97F4A7C15ull;
  h ^= ((uint64_t{key.start_col} << 32) | key.end_line) * 0xC2B2AE3D27D4EB4Full;
  h ^= uint64_t{key.end_col} * 0x165667B19E3779F9ull;
  h ^= h >> 32;
  return h * 0xD6E8FEB86659FD93ull;
}

// 40 bytes: the key, the statements, the merged count, and the lowest input
// number that contributed the block (to name it in conflict messages and to
// decide which side of a conflict is the odd one out).
struct BlockRecord {
  BlockKey key;
  uint32_t num_stmt = 0;
  uint64_t count = 0;
  uint32_t first_input = 0;
};

class BlockTable {
 public:
  BlockTable();

  // Returns the record for `key`, appending a zeroed one with *inserted set
  // when the key is new. The pointer is valid until the next call.
  BlockRecord* FindOrInsert(const BlockKey& key, bool* inserted) {
    if (predicted_ < records_.size() && records_[predicted_].key == key) [[likely]] {
      *inserted = false;
      return &records_[predicted_++];
    }
    return FindOrInsertSlow(key, inserted);
  }

  BlockRecord& record(uint32_t index) { return records_[index]; }
  uint32_t IndexOf(const BlockRecord* record) const { return static_cast<uint32_t>(record - records_.data()); }
  std::span<BlockRecord> records() { return records_; }
  std::span<const BlockRecord> records() const { return records_; }
  size_t size() const { return records_.size(); }
  // Drops every record but keeps the memory, for reuse.
  void Clear();

 private:
  BlockRecord* FindOrInsertSlow(const BlockKey& key, bool* inserted);
  void Grow();

  LargeVector<BlockRecord> records_;
  LargeVector<uint32_t> slots_;  // record index + 1; 0 marks an empty slot
  uint32_t shift_ = 0;           // 64 - log2(slots_.size())
  uint32_t predicted_ = 0;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TABLE_BLOCK_TABLE_H_
