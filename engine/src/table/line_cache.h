// SPDX-License-Identifier: Apache-2.0
// A worker's cache from the text of a block line, everything before its
// count ("path:12.3,14.5 2 "), to the block's record in the worker's
// BlockTable. A line whose text was seen before needs no number parsing, no
// path interning and no key hashing: only its count is read.
//
// PERF: profiles of one repository repeat the same lines in the same order
// (Go writes a file's blocks in counter order, and -coverpkg=./... repeats
// every block in every profile), so the cache first compares the line with
// the entry after the one it returned last, and hashes only when that guess
// is wrong (bench: e2e monorepo; the full parse cost 5x more instructions
// per line under callgrind).
//
// Only text that parsed cleanly is cached, so a hit is a valid line. Memory
// is capped; past the cap, new lines take the full-parse path.
#ifndef COVMERGE_TABLE_LINE_CACHE_H_
#define COVMERGE_TABLE_LINE_CACHE_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace covmerge::internal {

class LineCache {
 public:
  static constexpr uint32_t kMiss = UINT32_MAX;
  // Text kept at most, per worker: about a million distinct blocks.
  static constexpr size_t kDefaultMaxTextBytes = size_t{64} << 20;

  explicit LineCache(size_t max_text_bytes = kDefaultMaxTextBytes);

  // The record number cached for `prefix`, or kMiss.
  uint32_t Find(std::string_view prefix) {
    if (predicted_ < entries_.size()) [[likely]] {
      const Entry& e = entries_[predicted_];
      if (e.length == prefix.size() && SameBytes(e.text, prefix.data(), prefix.size())) {
        ++predicted_;
        return e.record;
      }
    }
    return FindSlow(prefix);
  }

  // Caches `prefix` (which Find just missed) for `record`.
  void Insert(std::string_view prefix, uint32_t record);

  size_t size() const { return entries_.size(); }
  size_t text_bytes() const { return text_bytes_; }

 private:
  struct Entry {
    const char* text;
    uint32_t length;
    uint32_t record;
  };

  static bool SameBytes(const char* a, const char* b, size_t n) {
    if (n < 8) return std::memcmp(a, b, n) == 0;
    uint64_t x, y;
    for (size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    std::memcpy(&x, a + n - 8, 8);  // the last 8 bytes, overlapping
    std::memcpy(&y, b + n - 8, 8);
    return x == y;
  }

  static uint64_t Hash(std::string_view text);
  uint32_t FindSlow(std::string_view prefix);
  void Grow();

  size_t max_text_bytes_;
  size_t text_bytes_ = 0;
  std::vector<std::unique_ptr<char[]>> arena_;  // blocks of text, never moved
  size_t arena_used_ = 0;                       // in the last block
  size_t arena_block_size_ = 0;
  std::vector<Entry> entries_;   // in insertion order, for prediction
  std::vector<uint32_t> slots_;  // entry index + 1; 0 marks an empty slot
  uint32_t shift_;
  uint32_t predicted_ = 0;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TABLE_LINE_CACHE_H_
