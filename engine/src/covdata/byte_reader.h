// SPDX-License-Identifier: Apache-2.0
// ByteReader: reads little-endian integers and ULEB128 numbers from a byte
// range and never past its end. Damaged files are expected (a service
// killed while writing its counters), so every read checks the bounds; the
// first read that fails records what it expected and where, and every later
// read returns 0 without moving, so that decoders check ok() once per loop
// instead of after every field. Offsets in messages count from the start of
// the file, also for a reader over a part of it.
#ifndef COVMERGE_COVDATA_BYTE_READER_H_
#define COVMERGE_COVDATA_BYTE_READER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/str_cat.h"

namespace covmerge::internal {

class ByteReader {
 public:
  // Reads `bytes`, which start at `base` bytes into their file.
  explicit ByteReader(std::string_view bytes, uint64_t base = 0) : bytes_(bytes), base_(base) {}

  bool ok() const { return error_.empty(); }
  // What the first failed read expected, e.g. "expected the counter count
  // at byte 40, but the data ends at byte 38"; empty while ok().
  const std::string& error() const { return error_; }
  // Records a failure found by the caller (a value out of range); the
  // first one wins.
  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

  size_t position() const { return pos_; }
  uint64_t file_offset() const { return base_ + pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  std::string_view bytes() const { return bytes_; }

  // Moves to `pos` (from the start of this reader's bytes).
  bool Seek(uint64_t pos, std::string_view what) {
    if (!ok()) return false;
    if (pos > bytes_.size()) {
      Fail(Cat("expected ", what, " at byte ", base_ + pos, ", but the data ends at byte ", base_ + bytes_.size()));
      return false;
    }
    pos_ = static_cast<size_t>(pos);
    return true;
  }
  bool Skip(uint64_t n, std::string_view what) {
    if (!ok()) return false;
    if (n > remaining()) return PastEnd(what, n);
    pos_ += static_cast<size_t>(n);
    return true;
  }
  std::string_view Bytes(uint64_t n, std::string_view what) {
    if (!ok()) return {};
    if (n > remaining()) {
      PastEnd(what, n);
      return {};
    }
    std::string_view out = bytes_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return out;
  }

  uint8_t U8(std::string_view what) { return static_cast<uint8_t>(Fixed(1, what)); }
  uint32_t U32(std::string_view what) { return static_cast<uint32_t>(Fixed(4, what)); }
  uint64_t U64(std::string_view what) { return Fixed(8, what); }
  uint32_t U32BigEndian(std::string_view what) {
    if (!ok()) return 0;
    if (remaining() < 4) {
      PastEnd(what, 4);
      return 0;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data() + pos_);
    pos_ += 4;
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  }

  // A ULEB128 number of at most 10 bytes (64 bits), as Go writes them.
  // PERF: one-byte numbers (most counters and positions) take the first
  // branch; covdata_bench measures the decode rate.
  uint64_t Uleb128(std::string_view what) {
    if (!ok()) return 0;
    if (pos_ < bytes_.size()) {
      const auto first = static_cast<unsigned char>(bytes_[pos_]);
      if (first < 0x80) {
        ++pos_;
        return first;
      }
    }
    uint64_t value = 0;
    for (size_t i = 0, shift = 0; i < 10; ++i, shift += 7) {
      if (pos_ + i >= bytes_.size()) {
        PastEnd(what, i + 1);
        return 0;
      }
      const auto byte = static_cast<unsigned char>(bytes_[pos_ + i]);
      if (i == 9 && byte > 1) break;  // more than 64 bits
      value |= uint64_t{byte & 0x7fu} << shift;
      if (byte < 0x80) {
        pos_ += i + 1;
        return value;
      }
    }
    Fail(Cat("expected ", what, " at byte ", file_offset(),
             " as a ULEB128 number of at most 64 bits, found a longer one"));
    return 0;
  }
  // Reads `n` ULEB128 numbers that must fit in 32 bits into `out`.
  // PERF: counters are mostly below 128, one byte each; 8 such bytes are
  // recognised at once (SWAR) and widened without a branch per value.
  // covdata_bench (BM_DecodeCounterFiles) measures the rate.
  void Uleb128U32Array(uint32_t* out, size_t n, std::string_view what) {
    size_t i = 0;
    while (i < n && ok()) {
      if (n - i >= 8 && remaining() >= 8) {
        uint64_t word;
        std::memcpy(&word, bytes_.data() + pos_, 8);
        if ((word & 0x8080808080808080ull) == 0) {
          const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data() + pos_);
          for (int k = 0; k < 8; ++k) out[i + k] = p[k];
          i += 8;
          pos_ += 8;
          continue;
        }
      }
      out[i++] = Uleb128U32(what);
    }
  }

  // A ULEB128 number that must fit in 32 bits (Go's positions, indices
  // and counters are uint32).
  uint32_t Uleb128U32(std::string_view what) {
    const uint64_t start = file_offset();
    const uint64_t value = Uleb128(what);
    if (value > UINT32_MAX) {
      Fail(Cat("expected ", what, " at byte ", start, " to fit in 32 bits, found ", value));
      return 0;
    }
    return static_cast<uint32_t>(value);
  }

 private:
  uint64_t Fixed(size_t n, std::string_view what) {
    if (!ok()) return 0;
    if (remaining() < n) {
      PastEnd(what, n);
      return 0;
    }
    unsigned char b[8] = {};
    std::memcpy(b, bytes_.data() + pos_, n);
    pos_ += n;
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;) v = (v << 8) | b[i];
    return v;
  }
  bool PastEnd(std::string_view what, uint64_t needed) {
    Fail(Cat("expected ", what, " (", needed, " byte", needed == 1 ? "" : "s", ") at byte ", file_offset(),
             ", but the data ends at byte ", base_ + bytes_.size()));
    return false;
  }

  std::string_view bytes_;
  uint64_t base_ = 0;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_COVDATA_BYTE_READER_H_
