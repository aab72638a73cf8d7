// SPDX-License-Identifier: Apache-2.0
// An allocator for the engine's large arrays (read windows and buffers)
// that asks the kernel for transparent 2 MB pages. Each fresh
// 4 KB page costs a page fault on first touch; on the virtual machines we
// measured, faults took a third of a 560 MB merge, and 2 MB pages cut their
// number by ~25x (bench/RESULTS.md). Small requests go to operator new.
#ifndef COVMERGE_IO_HUGE_PAGE_ALLOCATOR_H_
#define COVMERGE_IO_HUGE_PAGE_ALLOCATOR_H_

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace covmerge::internal {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Returns at least `bytes` bytes, 2 MB aligned when bytes >= kHugePageBytes.
// Throws std::bad_alloc when memory is exhausted.
void* AllocateLarge(size_t bytes);
// Frees memory from AllocateLarge; `bytes` must be the size asked for.
void FreeLarge(void* p, size_t bytes) noexcept;

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(AllocateLarge(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept { FreeLarge(p, n * sizeof(T)); }

  template <typename U>
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator<U>&) { return true; }
};

// A std::vector of large, long-lived contents.
template <typename T>
using LargeVector = std::vector<T, HugePageAllocator<T>>;

// Owns a byte block from AllocateLarge.
struct LargeFree {
  size_t bytes = 0;
  void operator()(char* p) const noexcept { FreeLarge(p, bytes); }
};
using LargeBytes = std::unique_ptr<char[], LargeFree>;

inline LargeBytes MakeLargeBytes(size_t bytes) {
  return LargeBytes(static_cast<char*>(AllocateLarge(bytes)), LargeFree{bytes});
}

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_HUGE_PAGE_ALLOCATOR_H_
