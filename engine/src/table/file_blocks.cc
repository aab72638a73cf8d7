// SPDX-License-Identifier: Apache-2.0
#include "table/file_blocks.h"

#include <algorithm>

namespace covmerge::internal {
namespace {

// The index takes the low bits: the product's entropy is in its high bits,
// so they are folded down (murmur3's finalizer). PERF: without it, blocks
// that differ only in their lines (columns alike) fell into a few long
// probe chains (bench: e2e distinct, 80% of the time in the lookup).
inline uint64_t HashPosition(const BlockPosition& p) {
  uint64_t h = ((uint64_t{p.start_line} << 32) | p.start_col) * 0x9E3779B97F4A7C15ull;
  h ^= ((uint64_t{p.end_line} << 32) | p.end_col) * 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 33);
}

}  // namespace

uint32_t FileBlocks::Append(const BlockPosition& position, bool* inserted) {
  records_.push_back(BlockRecord{position, 0, 0, 0});
  if (records_.data() != records_address()) records_address_.store(records_.data(), std::memory_order_relaxed);
  // PERF: the next records go to lines no one has read; fetching one a few
  // records ahead overlaps that miss with other files' lines (bench: e2e
  // distinct, where 500 files grow by turns, too many streams for the
  // hardware prefetcher).
  if (records_.size() + 4 <= records_.capacity()) __builtin_prefetch(records_.data() + records_.size() + 3, 1);
  *inserted = true;
  return static_cast<uint32_t>(records_.size() - 1);
}

uint32_t FileBlocks::FindOrInsertSlow(const BlockPosition& position, bool* inserted) {
  if (sorted_) {
    if (records_.empty() || records_.back().position < position) return Append(position, inserted);
    auto it = std::lower_bound(records_.begin(), records_.end(), position,
                               [](const BlockRecord& r, const BlockPosition& p) { return r.position < p; });
    if (it->position == position) {
      *inserted = false;
      return static_cast<uint32_t>(it - records_.begin());
    }
    // Out of order: from now on a hash index finds the records.
    sorted_ = false;
    size_t slots = 64;
    while (slots < (records_.size() + 1) * 2) slots *= 2;
    Rehash(slots);
  }
  const size_t mask = slots_.size() - 1;
  size_t slot = static_cast<size_t>(HashPosition(position)) & mask;
  for (; slots_[slot] != 0; slot = (slot + 1) & mask) {
    const uint32_t index = slots_[slot] - 1;
    if (records_[index].position == position) {
      *inserted = false;
      return index;
    }
  }
  if ((records_.size() + 1) * 2 > slots_.size()) {
    const uint32_t index = Append(position, inserted);
    Rehash(slots_.size() * 2);
    return index;
  }
  slots_[slot] = static_cast<uint32_t>(records_.size()) + 1;
  return Append(position, inserted);
}

void FileBlocks::Rehash(size_t slot_count) {
  slots_.assign(slot_count, 0);
  const size_t mask = slot_count - 1;
  for (uint32_t i = 0; i < records_.size(); ++i) {
    size_t slot = static_cast<size_t>(HashPosition(records_[i].position)) & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = i + 1;
  }
}

void FileBlocks::DropIndex() { std::vector<uint32_t>().swap(slots_); }

}  // namespace covmerge::internal
