// SPDX-License-Identifier: Apache-2.0
#include "table/file_blocks.h"

namespace covmerge::internal {
namespace {

inline uint64_t HashPosition(const BlockPosition& p) {
  uint64_t h = ((uint64_t{p.start_line} << 32) | p.start_col) * 0x9E3779B97F4A7C15ull;
  h ^= ((uint64_t{p.end_line} << 32) | p.end_col) * 0xC2B2AE3D27D4EB4Full;
  return h ^ (h >> 29);
}

}  // namespace

uint32_t FileBlocks::FindOrInsertSlow(const BlockPosition& position, bool* inserted) {
  if (slots_.empty()) {
    for (uint32_t i = 0; i < records_.size(); ++i) {
      if (records_[i].position == position) {
        *inserted = false;
        return i;
      }
    }
  } else {
    const size_t mask = slots_.size() - 1;
    size_t slot = static_cast<size_t>(HashPosition(position)) & mask;
    for (; slots_[slot] != 0; slot = (slot + 1) & mask) {
      const uint32_t index = slots_[slot] - 1;
      if (records_[index].position == position) {
        *inserted = false;
        return index;
      }
    }
    // Not there: the new record takes this empty slot, unless the table
    // must grow first.
    if ((records_.size() + 1) * 2 <= slots_.size()) {
      slots_[slot] = static_cast<uint32_t>(records_.size()) + 1;
      records_.push_back(BlockRecord{position, 0, 0, 0});
      *inserted = true;
      return static_cast<uint32_t>(records_.size() - 1);
    }
  }
  records_.push_back(BlockRecord{position, 0, 0, 0});
  *inserted = true;
  if (records_.size() > kLinearLimit) Rehash(slots_.empty() ? 64 : slots_.size() * 2);
  return static_cast<uint32_t>(records_.size() - 1);
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
