// SPDX-License-Identifier: Apache-2.0
// A worker's cache from the text of a block line, everything before its
// count ("path:12.3,14.5 2 "), to the block's record in the shared
// BlockStore. A line whose text was seen before needs no number parsing, no
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

#include "base/bytes_equal.h"
#include "io/huge_page_allocator.h"
#include "table/block_store.h"

namespace covmerge::internal {

class LineCache {
 public:
  // A cached line text, its record, and the counts merged through it.
  // PERF: the count lives here, not in the record, so a hit touches only
  // the entry and the text, both read in order (bench: e2e monorepo, where
  // the table memory read per line was twice the input's size); FoldCounts
  // moves the counts to the records at the end of a pass.
  struct Entry {
    const char* text;
    uint32_t length;
    uint32_t record;  // in file->blocks
    uint64_t count;
    BlockStore::File* file;
  };
  // Text kept at most, by all workers together (each gets its share):
  // about a million distinct blocks.
  static constexpr size_t kDefaultMaxTextBytes = size_t{64} << 20;

  explicit LineCache(size_t max_text_bytes = kDefaultMaxTextBytes);

  // The entry cached for `prefix`, or nullptr.
  Entry* Find(std::string_view prefix) {
    if (predicted_ < entries_.size()) [[likely]] {
      Entry& e = entries_[predicted_];
      if (e.length == prefix.size() && BytesEqual(e.text, prefix.data(), prefix.size())) {
        ++predicted_;
        return &e;
      }
    }
    return FindSlow(prefix);
  }

  // The fast path of the scanner: when the line at `line` begins with the
  // predicted entry's text and then holds only a count and a line end,
  // returns the entry's record, stores the count and the start of the next
  // line, and moves the prediction on. Otherwise returns nullptr and changes
  // nothing. Reads no byte at or past `limit`.
  Entry* MatchPredicted(const char* line, const char* limit, uint64_t* count, const char** next) {
    if (predicted_ >= entries_.size()) return nullptr;
    Entry& e = entries_[predicted_];
    if (static_cast<size_t>(limit - line) <= e.length || !BytesEqual(e.text, line, e.length)) return nullptr;
    const char* p = line + e.length;
    const char* digits = p;
    uint64_t value = 0;
    while (p < limit) {
      const unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
      if (d > 9) break;
      value = value * 10 + d;
      ++p;
    }
    // At most 18 digits: no overflow, and no count above kMaxCount.
    if (p == digits || p - digits > 18) return nullptr;
    if (p < limit) {
      if (*p == '\r') ++p;  // "\r\n", or a last line ending in '\r'
      if (p < limit) {
        if (*p != '\n') return nullptr;
        ++p;
      }
    }
    *count = value;
    *next = p;
    ++predicted_;
    // PERF: fetch the text of a line a few ahead; hits walk the entries in
    // order, but the text lives in another array (bench: e2e monorepo).
    if (predicted_ + 8 < entries_.size()) __builtin_prefetch(entries_[predicted_ + 8].text);
    return &e;
  }

  // Caches `prefix` (which Find just missed) for the record, with count 0.
  void Insert(std::string_view prefix, BlockStore::File* file, uint32_t record);

  // Calls fn(file, record, count) for each entry that merged a count, and
  // resets the counts.
  template <typename Fn>
  void FoldCounts(Fn fn) {
    for (Entry& e : entries_) {
      if (e.count != 0) fn(e.file, e.record, e.count);
      e.count = 0;
    }
  }

  size_t size() const { return entries_.size(); }
  size_t text_bytes() const { return text_bytes_; }

 private:
  static uint64_t Hash(std::string_view text);
  Entry* FindSlow(std::string_view prefix);
  void Grow();

  size_t max_text_bytes_;
  size_t text_bytes_ = 0;
  std::vector<LargeBytes> arena_;  // blocks of text, never moved
  size_t arena_used_ = 0;                       // in the last block
  size_t arena_block_size_ = 0;
  LargeVector<Entry> entries_;   // in insertion order, for prediction
  LargeVector<uint32_t> slots_;  // entry index + 1; 0 marks an empty slot
  uint32_t shift_;
  uint32_t predicted_ = 0;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TABLE_LINE_CACHE_H_
