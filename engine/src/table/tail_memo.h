// SPDX-License-Identifier: Apache-2.0
// The text that a file's blocks were last read from, between the path's
// ':' and the count ("7.21,8.22 8 "), one 16-byte slot a block, or two in
// a file where a block's text needs more ("1204.35,1210.4 12 "; a third of
// the lines of profiles of Go's own packages, whose files are long). Profiles of
// one build repeat each line but its count, byte for byte: a line whose
// text there equals the slot of the block predicted next is that block,
// with the statements it had, and only its count is left to read.
//
// Exact: a slot holds bytes that the full parse accepted for that block
// (with the block's own statement count), and the same bytes parse to the
// same numbers. Not thread-safe: guarded by the file's lock, as its blocks.
//
// PERF: the five numbers' digit loops were 40% of the instructions of a
// merge of cp1; a slot compare is one 16-byte load, two in a wide file
// (bench: e2e cp1, callgrind, RESULTS.md).
#ifndef COVMERGE_TABLE_TAIL_MEMO_H_
#define COVMERGE_TABLE_TAIL_MEMO_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "base/format_decimal.h"
#include "covmerge/profile.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace covmerge::internal {

class TailMemo {
 public:
  // A slot's bytes; a block has one or two. A longer text is not remembered.
  static constexpr size_t kSlotBytes = 16;
  // The most bytes Match reads at a line: two slots.
  static constexpr size_t kMaxWidth = 2 * kSlotBytes;

  // The bytes a block of each of `blocks` takes: one slot, or two when a
  // text as Go writes it ("L1.C1,L2.C2 NUMSTMT ") needs more than one.
  static size_t WidthFor(const std::vector<Block>& blocks) {
    auto digits = [](uint32_t v) { return v < 10 ? 1 : DecimalDigits(v); };
    for (const Block& b : blocks) {
      // PERF: most blocks are this small, and fit (bench: callgrind, cp1).
      if (b.start_line < 1000 && b.end_line < 1000 && b.start_col < 100 && b.end_col < 100 && b.num_stmt < 10) {
        continue;
      }
      const int text = digits(b.start_line) + digits(b.start_col) + digits(b.end_line) + digits(b.end_col) +
                       digits(b.num_stmt) + 5;  // and ".,. " and ' '
      if (static_cast<size_t>(text) > kSlotBytes) return kMaxWidth;
    }
    return kSlotBytes;
  }

  // Room for the first `blocks` blocks of the file, all empty, `width`
  // bytes each (WidthFor).
  void Allocate(uint32_t blocks, size_t width) {
    width_ = width > kSlotBytes ? kMaxWidth : kSlotBytes;
    slots_.reset(new Slot[size_t{blocks} * width_ / kSlotBytes]());
    size_ = blocks;
  }
  bool allocated() const { return slots_ != nullptr; }
  // Frees the slots for good: the file's lines do not follow one order,
  // and the memo would only cost (bench: e2e cp1b).
  void GiveUp() {
    Clear();
    given_up_ = true;
  }
  bool given_up() const { return given_up_; }
  uint32_t size() const { return size_; }
  // The bytes a block takes.
  size_t width() const { return width_; }

  // The length of block `index`'s text when the bytes at `p` (of which
  // kMaxWidth must be readable) begin with it; 0 when they do not, or the
  // slot holds none. `index` < size().
  size_t Match(uint32_t index, const char* p) const {
    // Bit i of each mask is byte i. Past its text a block's slots hold
    // NULs, which no text holds (digits and separators).
    // PERF: a file of narrow blocks pays one branch, not the 64-bit masks
    // (bench: e2e cp1, callgrind: 7% more instructions).
    if (width_ == kSlotBytes) [[likely]] {
      const Masks m = Compare(p, slots_[index]);
      const unsigned size = static_cast<unsigned>(__builtin_ctz(m.padding | (1u << kSlotBytes)));
      const unsigned needed = (1u << size) - 1;
      return size != 0 && (m.equal & needed) == needed ? size : 0;
    }
    const Slot* slot = &slots_[size_t{index} * 2];
    const Masks first = Compare(p, slot[0]);
    const Masks second = Compare(p + kSlotBytes, slot[1]);
    const uint64_t equal = first.equal | uint64_t{second.equal} << kSlotBytes;
    const uint64_t padding = first.padding | uint64_t{second.padding} << kSlotBytes | uint64_t{1} << kMaxWidth;
    const unsigned size = static_cast<unsigned>(__builtin_ctzll(padding));
    const uint64_t needed = (uint64_t{1} << size) - 1;
    return size != 0 && (equal & needed) == needed ? size : 0;
  }

  // Whether block `index` < size() had its text remembered, or refused.
  bool remembered(uint32_t index) const {
    const char* text = slots_[size_t{index} * width_ / kSlotBytes].text;
    return text[0] != 0 || text[width() - 1] != 0;
  }

  // Remembers `text` for block `index` < size(), once. A text too long for
  // the block's slots is refused, once: their last byte is set, their first
  // left NUL, so they hold a text of no bytes, which Match never takes.
  void Remember(uint32_t index, const char* text, size_t size) {
    char* slot = slots_[size_t{index} * width_ / kSlotBytes].text;
    if (size == 0 || size > width()) {
      slot[width() - 1] = 1;
    } else {
      std::memcpy(slot, text, size);
    }
  }

  // Frees the slots: the pass that wanted them is over.
  void Clear() {
    slots_.reset();
    size_ = 0;
  }

 private:
  struct alignas(16) Slot {
    char text[kSlotBytes];  // NUL-padded; the first NUL ends the text
  };

  // Which of the kSlotBytes bytes at `p` equal the slot's, and which of the
  // slot's are NUL.
  struct Masks {
    unsigned equal;
    unsigned padding;
  };
  static Masks Compare(const char* p, const Slot& slot) {
#if defined(__SSE2__)
    const __m128i have = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i want = _mm_load_si128(reinterpret_cast<const __m128i*>(slot.text));
    return {static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(have, want))),
            static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(want, _mm_setzero_si128())))};
#else
    Masks m{0, 0};
    for (size_t i = 0; i < kSlotBytes; ++i) {
      m.equal |= unsigned{p[i] == slot.text[i]} << i;
      m.padding |= unsigned{slot.text[i] == 0} << i;
    }
    return m;
#endif
  }

  std::unique_ptr<Slot[]> slots_;
  uint32_t size_ = 0;
  uint8_t width_ = kSlotBytes;  // a block's bytes: one slot or two
  bool given_up_ = false;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TABLE_TAIL_MEMO_H_
