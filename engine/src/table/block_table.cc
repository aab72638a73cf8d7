// SPDX-License-Identifier: Apache-2.0
#include "table/block_table.h"

#include <algorithm>

namespace covmerge::internal {
namespace {
constexpr uint32_t kInitialSlotBits = 10;
}  // namespace

BlockTable::BlockTable() : slots_(size_t{1} << kInitialSlotBits, 0), shift_(64 - kInitialSlotBits) {}

void BlockTable::Clear() {
  records_.clear();
  std::fill(slots_.begin(), slots_.end(), 0);
  predicted_ = 0;
}

BlockRecord* BlockTable::FindOrInsertSlow(const BlockKey& key, bool* inserted) {
  const size_t mask = slots_.size() - 1;
  size_t slot = static_cast<size_t>(HashBlockKey(key) >> shift_);
  for (;;) {
    const uint32_t entry = slots_[slot];
    if (entry == 0) break;
    if (records_[entry - 1].key == key) {
      *inserted = false;
      predicted_ = entry;  // the record after this one
      return &records_[entry - 1];
    }
    slot = (slot + 1) & mask;
  }
  // Keep the load at most one half, so probes stay short.
  if ((records_.size() + 1) * 2 > slots_.size()) {
    Grow();
    return FindOrInsertSlow(key, inserted);
  }
  records_.push_back(BlockRecord{key, 0, 0, 0});
  slots_[slot] = static_cast<uint32_t>(records_.size());
  predicted_ = static_cast<uint32_t>(records_.size());
  *inserted = true;
  return &records_.back();
}

void BlockTable::Grow() {
  LargeVector<uint32_t> bigger(slots_.size() * 2, 0);
  --shift_;
  const size_t mask = bigger.size() - 1;
  for (uint32_t i = 0; i < records_.size(); ++i) {
    size_t slot = static_cast<size_t>(HashBlockKey(records_[i].key) >> shift_);
    while (bigger[slot] != 0) slot = (slot + 1) & mask;
    bigger[slot] = i + 1;
  }
  slots_.swap(bigger);
}

}  // namespace covmerge::internal
