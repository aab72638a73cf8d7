// SPDX-License-Identifier: Apache-2.0
// The text that a file's blocks were last read from, between the path's
// ':' and the count ("7.21,8.22 8 "), one 16-byte slot a block. Profiles of
// one build repeat each line but its count, byte for byte: a line whose
// text there equals the slot of the block predicted next is that block,
// with the statements it had, and only its count is left to read.
//
// Exact: a slot holds bytes that the full parse accepted for that block
// (with the block's own statement count), and the same bytes parse to the
// same numbers. Not thread-safe: guarded by the file's lock, as its blocks.
//
// PERF: the five numbers' digit loops were 40% of the instructions of a
// merge of cp1; a slot compare is one 16-byte load (bench: e2e cp1,
// callgrind, RESULTS.md).
#ifndef COVMERGE_TABLE_TAIL_MEMO_H_
#define COVMERGE_TABLE_TAIL_MEMO_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace covmerge::internal {

class TailMemo {
 public:
  // The longest text a slot holds; a longer one is not remembered.
  static constexpr size_t kSlotBytes = 16;

  // Room for the first `blocks` blocks of the file, all empty.
  void Allocate(uint32_t blocks) {
    slots_.reset(new Slot[blocks]());
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

  // The length of block `index`'s text when the bytes at `p` (of which
  // kSlotBytes must be readable) begin with it; 0 when they do not, or
  // the slot holds none. `index` < size().
  size_t Match(uint32_t index, const char* p) const {
    const Slot& slot = slots_[index];
#if defined(__SSE2__)
    // Past its text a slot holds NULs, which no text holds (digits and
    // separators).
    const __m128i have = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i want = _mm_load_si128(reinterpret_cast<const __m128i*>(slot.text));
    const unsigned equal = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(have, want)));
    const unsigned padding = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(want, _mm_setzero_si128())));
    const unsigned size = static_cast<unsigned>(__builtin_ctz(padding | 0x10000u));
    const unsigned needed = (1u << size) - 1;
    return size != 0 && (equal & needed) == needed ? size : 0;
#else
    const size_t size = strnlen(slot.text, kSlotBytes);
    return size != 0 && std::memcmp(p, slot.text, size) == 0 ? size : 0;
#endif
  }

  // Whether block `index` < size() had its text remembered, or refused.
  bool remembered(uint32_t index) const {
    const Slot& slot = slots_[index];
    return slot.text[0] != 0 || slot.text[kSlotBytes - 1] != 0;
  }

  // Remembers `text` for block `index` < size(), once. A text too long for
  // a slot is refused, once: the slot's last byte is set, its first left
  // NUL, so it holds a text of no bytes, which Match never takes.
  void Remember(uint32_t index, const char* text, size_t size) {
    Slot& slot = slots_[index];
    if (size == 0 || size > kSlotBytes) {
      slot.text[kSlotBytes - 1] = 1;
    } else {
      std::memcpy(slot.text, text, size);
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
  std::unique_ptr<Slot[]> slots_;
  uint32_t size_ = 0;
  bool given_up_ = false;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TABLE_TAIL_MEMO_H_
