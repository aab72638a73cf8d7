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

uint32_t FileBlocks::Append(const BlockPosition& position, uint32_t input, bool* inserted) {
  // PERF: one number for the file while every block came first from one
  // input: 32 bytes a block, not 36 (bench: e2e cp4s).
  if (blocks_.empty()) {
    first_input_of_all_ = input;
  } else if (first_inputs_.empty() && input != first_input_of_all_) {
    first_inputs_.assign(blocks_.size(), first_input_of_all_);
  }
  if (!first_inputs_.empty()) first_inputs_.push_back(input);
  blocks_.push_back(Block{position.start_line, position.start_col, position.end_line, position.end_col, 0, 0});
  if (input > highest_first_input_) highest_first_input_ = input;
  if (blocks_.data() != blocks_address()) blocks_address_.store(blocks_.data(), std::memory_order_relaxed);
  // PERF: the next blocks go to lines no one has read; fetching one a few
  // blocks ahead overlaps that miss with other files' lines (bench: e2e
  // distinct, where 500 files grow by turns, too many streams for the
  // hardware prefetcher).
  if (blocks_.size() + 4 <= blocks_.capacity()) __builtin_prefetch(blocks_.data() + blocks_.size() + 3, 1);
  *inserted = true;
  return static_cast<uint32_t>(blocks_.size() - 1);
}

uint32_t FileBlocks::FindOrInsertSlow(const BlockPosition& position, uint32_t input, bool* inserted) {
  if (sorted_) {
    if (blocks_.empty() || PositionOf(blocks_.back()) < position) return Append(position, input, inserted);
    auto it = std::lower_bound(blocks_.begin(), blocks_.end(), position,
                               [](const Block& b, const BlockPosition& p) { return PositionOf(b) < p; });
    if (AtPosition(*it, position)) {
      *inserted = false;
      return static_cast<uint32_t>(it - blocks_.begin());
    }
    // Out of order: from now on a hash index finds the blocks.
    sorted_ = false;
    size_t slots = 64;
    while (slots < (blocks_.size() + 1) * 2) slots *= 2;
    Rehash(slots);
  }
  const size_t mask = slot_count_ - 1;
  size_t slot = static_cast<size_t>(HashPosition(position)) & mask;
  for (; slots_[slot] != 0; slot = (slot + 1) & mask) {
    const uint32_t index = slots_[slot] - 1;
    if (AtPosition(blocks_[index], position)) {
      *inserted = false;
      return index;
    }
  }
  if ((blocks_.size() + 1) * 2 > slot_count_) {
    const uint32_t index = Append(position, input, inserted);
    Rehash(size_t{slot_count_} * 2);
    return index;
  }
  slots_[slot] = static_cast<uint32_t>(blocks_.size()) + 1;
  return Append(position, input, inserted);
}

void FileBlocks::Rehash(size_t slot_count) {
  slots_.reset(new uint32_t[slot_count]());
  slot_count_ = static_cast<uint32_t>(slot_count);
  const size_t mask = slot_count - 1;
  for (uint32_t i = 0; i < blocks_.size(); ++i) {
    size_t slot = static_cast<size_t>(HashPosition(PositionOf(blocks_[i]))) & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = i + 1;
  }
}

void FileBlocks::LowerFirstInput(uint32_t index, uint32_t input) {
  if (first_inputs_.empty()) first_inputs_.assign(blocks_.size(), first_input_of_all_);
  first_inputs_[index] = input;
}

void FileBlocks::Trim() {
  if (blocks_.capacity() - blocks_.size() <= blocks_.size() / 8) return;
  blocks_.shrink_to_fit();
  first_inputs_.shrink_to_fit();
  blocks_address_.store(blocks_.data(), std::memory_order_relaxed);
}

std::vector<Block> FileBlocks::TakeSorted(FirstInputs* first_inputs) {
  slots_.reset();
  slot_count_ = 0;
  // Each position is held once, so the order is strict. Most files arrive
  // in order (Go writes blocks in source order) and need no sort.
  auto before = [](const Block& a, const Block& b) { return PositionOf(a) < PositionOf(b); };
  if (!sorted_ && !std::is_sorted(blocks_.begin(), blocks_.end(), before)) {
    std::vector<uint32_t> order(blocks_.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return before(blocks_[a], blocks_[b]); });
    std::vector<Block> blocks(blocks_.size());
    for (size_t i = 0; i < order.size(); ++i) blocks[i] = blocks_[order[i]];
    blocks_.swap(blocks);
    if (!first_inputs_.empty()) {
      std::vector<uint32_t> inputs(first_inputs_.size());
      for (size_t i = 0; i < order.size(); ++i) inputs[i] = first_inputs_[order[i]];
      first_inputs_.swap(inputs);
    }
  }
  sorted_ = true;
  highest_first_input_ = 0;
  blocks_address_.store(nullptr, std::memory_order_relaxed);
  first_inputs->all = first_input_of_all_;
  first_inputs->each = std::move(first_inputs_);
  first_inputs_.clear();
  first_input_of_all_ = 0;
  std::vector<Block> taken = std::move(blocks_);
  blocks_.clear();
  return taken;
}

}  // namespace covmerge::internal
