// SPDX-License-Identifier: Apache-2.0
// A growable byte buffer that is reused from input to input without being
// zero-filled, unlike std::string::resize, so that reading a window or a
// small file allocates nothing once the buffer is large enough.
#ifndef COVMERGE_IO_SCRATCH_BUFFER_H_
#define COVMERGE_IO_SCRATCH_BUFFER_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <utility>

#include "io/huge_page_allocator.h"

namespace covmerge::internal {

class ScratchBuffer {
 public:
  // Returns room for at least `size` bytes, keeping the first `keep` bytes.
  char* Reserve(size_t size, size_t keep = 0) {
    if (size > capacity_) {
      const size_t capacity = std::max(size, capacity_ + capacity_ / 2);
      LargeBytes bigger = MakeLargeBytes(capacity);
      if (keep > 0) std::memcpy(bigger.get(), data_.get(), keep);
      data_ = std::move(bigger);
      capacity_ = capacity;
    }
    return data_.get();
  }
  char* data() { return data_.get(); }

 private:
  LargeBytes data_;
  size_t capacity_ = 0;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_SCRATCH_BUFFER_H_
