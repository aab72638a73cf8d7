// SPDX-License-Identifier: Apache-2.0
#include "table/line_cache.h"

#include <algorithm>

namespace covmerge::internal {
namespace {
constexpr uint32_t kInitialSlotBits = 10;
constexpr size_t kArenaBlock = kHugePageBytes;
}  // namespace

LineCache::LineCache(size_t max_text_bytes)
    : max_text_bytes_(max_text_bytes), slots_(size_t{1} << kInitialSlotBits, 0), shift_(64 - kInitialSlotBits) {}

uint64_t LineCache::Hash(std::string_view text) {
  // Word-at-a-time multiply-xor: the text is short and the quality needed
  // is that of a hash table, not of a checksum.
  uint64_t h = 0x9E3779B97F4A7C15ull ^ text.size();
  const char* p = text.data();
  size_t n = text.size();
  uint64_t w;
  for (; n >= 8; p += 8, n -= 8) {
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
  }
  if (n > 0) {
    w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
  }
  return h * 0x9E3779B97F4A7C15ull;
}

LineCache::Entry* LineCache::FindSlow(std::string_view prefix) {
  const size_t mask = slots_.size() - 1;
  for (size_t slot = static_cast<size_t>(Hash(prefix) >> shift_);; slot = (slot + 1) & mask) {
    const uint32_t entry = slots_[slot];
    if (entry == 0) return nullptr;
    Entry& e = entries_[entry - 1];
    if (e.length == prefix.size() && BytesEqual(e.text, prefix.data(), prefix.size())) {
      predicted_ = entry;  // the entry after this one
      return &e;
    }
  }
}

void LineCache::Insert(std::string_view prefix, BlockStore::File* file, uint32_t record) {
  if (text_bytes_ + prefix.size() > max_text_bytes_ || prefix.size() > UINT32_MAX) return;
  if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
  if (arena_.empty() || arena_used_ + prefix.size() > arena_block_size_) {
    arena_block_size_ = std::max(kArenaBlock, prefix.size());
    arena_.push_back(MakeLargeBytes(arena_block_size_));
    arena_used_ = 0;
  }
  char* text = arena_.back().get() + arena_used_;
  std::memcpy(text, prefix.data(), prefix.size());
  arena_used_ += prefix.size();
  text_bytes_ += prefix.size();
  entries_.push_back({text, static_cast<uint32_t>(prefix.size()), record, 0, file});
  const size_t mask = slots_.size() - 1;
  size_t slot = static_cast<size_t>(Hash(prefix) >> shift_);
  while (slots_[slot] != 0) slot = (slot + 1) & mask;
  slots_[slot] = static_cast<uint32_t>(entries_.size());
  predicted_ = static_cast<uint32_t>(entries_.size());
}

void LineCache::Grow() {
  LargeVector<uint32_t> bigger(slots_.size() * 2, 0);
  --shift_;
  const size_t mask = bigger.size() - 1;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    size_t slot = static_cast<size_t>(Hash({entries_[i].text, entries_[i].length}) >> shift_);
    while (bigger[slot] != 0) slot = (slot + 1) & mask;
    bigger[slot] = i + 1;
  }
  slots_.swap(bigger);
}

}  // namespace covmerge::internal
