// SPDX-License-Identifier: Apache-2.0
// Decoding of covcounters files; the layout is in covdata_format.h.
//
// Go's reader finds the segment count in the footer at the end of the file
// first; a file cut short has none there, which is the clearest sign of a
// program killed while writing. The segments are then read from the front.
// Counters start right after the string table and the args of a segment:
// Go's writer counts the padding to a multiple of 4 in the args length.
#include "covdata/counter_file.h"

#include <limits>

#include "base/str_cat.h"
#include "covmerge/error.h"
#include "covdata/byte_reader.h"

namespace covmerge::internal {
namespace {

std::string HexBytes(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) out += ' ';
    const auto b = static_cast<unsigned char>(bytes[i]);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out.empty() ? "nothing (an empty file)" : out;
}

constexpr std::string_view kTruncatedHint =
    "; the file is truncated (was the program killed while writing it?) or damaged";

// Reads one value of the file's flavor.
template <CounterFlavor kFlavor, bool kBigEndian>
inline uint32_t ReadValue(ByteReader& r, std::string_view what) {
  if constexpr (kFlavor == CounterFlavor::kUleb128) {
    return r.Uleb128U32(what);
  } else if constexpr (kBigEndian) {
    return r.U32BigEndian(what);
  } else {
    return r.U32(what);
  }
}

template <CounterFlavor kFlavor, bool kBigEndian>
absl::Status DecodeSegments(std::string_view name, ByteReader& r, uint32_t num_segments, CounterData* out) {
  auto error = [&](std::string_view what) { return MalformedError(name, std::string(what)); };
  // The fewest bytes one value takes, to bound counts before looping.
  constexpr uint64_t kMinValueBytes = kFlavor == CounterFlavor::kUleb128 ? 1 : 4;
  for (uint32_t s = 0; s < num_segments; ++s) {
    const uint64_t segment_start = r.file_offset();
    const uint64_t entries = r.U64("the function entry count of a segment header");
    const uint32_t strtab_length = r.U32("the string table length of a segment header");
    const uint32_t args_length = r.U32("the args length of a segment header");
    r.Skip(strtab_length, "the segment string table");
    r.Skip(args_length, "the segment args");
    if (!r.ok()) return error(Cat("segment ", s + 1, " (at byte ", segment_start, "): ", r.error(), kTruncatedHint));
    if (entries > r.remaining() / (3 * kMinValueBytes)) {
      return error(Cat("segment ", s + 1, " (at byte ", segment_start, ") gives ", entries,
                       " function entries, more than the ", r.remaining(), " bytes left can hold",
                       kTruncatedHint));
    }
    for (uint64_t e = 0; e < entries; ++e) {
      CounterEntry entry;
      const uint32_t count = ReadValue<kFlavor, kBigEndian>(r, "a counter count");
      entry.package = ReadValue<kFlavor, kBigEndian>(r, "a package index");
      entry.function = ReadValue<kFlavor, kBigEndian>(r, "a function index");
      if (!r.ok()) break;
      if (count > r.remaining() / kMinValueBytes ||
          out->counters.size() + count > std::numeric_limits<uint32_t>::max()) {
        return error(Cat("segment ", s + 1, ", function entry ", e, " (at byte ", r.file_offset(), ") gives ",
                         count, " counters, more than the ", r.remaining(), " bytes left can hold", kTruncatedHint));
      }
      entry.first_counter = static_cast<uint32_t>(out->counters.size());
      entry.counter_count = count;
      // PERF: resize once, then store (covdata_bench).
      out->counters.resize(out->counters.size() + count);
      uint32_t* values = out->counters.data() + entry.first_counter;
      if constexpr (kFlavor == CounterFlavor::kUleb128) {
        r.Uleb128U32Array(values, count, "a counter");
      } else {
        for (uint32_t i = 0; i < count; ++i) values[i] = ReadValue<kFlavor, kBigEndian>(r, "a counter");
      }
      if (!r.ok()) break;
      out->entries.push_back(entry);
    }
    if (!r.ok()) return error(Cat("segment ", s + 1, " (at byte ", segment_start, "): ", r.error(), kTruncatedHint));
    const uint64_t footer_at = r.file_offset();
    std::string_view magic = r.Bytes(4, "a segment footer");
    if (r.ok() && magic != kCounterMagic) {
      return error(Cat("expected the footer of segment ", s + 1, " (bytes 00 63 77 6d) at byte ", footer_at,
                       ", found ", HexBytes(magic), "; the file is damaged"));
    }
    r.Skip(kCounterFooterSize - 4, "a segment footer");
    if (!r.ok()) return error(Cat("segment ", s + 1, ": ", r.error(), kTruncatedHint));
    out->segments = s + 1;
  }
  if (r.remaining() != 0) {
    return error(Cat("found ", r.remaining(), " bytes after the last of the ", num_segments,
                     " segments that the footer gives, at byte ", r.file_offset(), "; the file is damaged"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DecodeCounterFile(std::string_view name, std::string_view bytes, CounterData* out) {
  out->segments = 0;
  out->entries.clear();
  out->counters.clear();
  auto error = [&](std::string_view what) { return MalformedError(name, std::string(what)); };
  if (bytes.substr(0, 4) != kCounterMagic) {
    return error(Cat("expected a Go coverage counter file starting with the bytes 00 63 77 6d, found ",
                     HexBytes(bytes.substr(0, 4)), "; is it a covcounters file written by a Go 1.20+ binary?"));
  }
  ByteReader r(bytes);
  r.Skip(4, "the magic number");
  const uint32_t version = r.U32("the version");
  std::string_view hash = r.Bytes(16, "the meta-data hash");
  const uint8_t flavor = r.U8("the counter flavor");
  const uint8_t big_endian = r.U8("the byte order flag");
  r.Skip(6, "the header padding");
  if (!r.ok()) return error(Cat(r.error(), kTruncatedHint));
  if (version == 0 || version > kCounterFileVersion) {
    return error(Cat("expected counter format version ", kCounterFileVersion, ", found version ", version,
                     "; it was written by a newer Go than this covmerge reads"));
  }
  if (flavor != static_cast<uint8_t>(CounterFlavor::kRaw) && flavor != static_cast<uint8_t>(CounterFlavor::kUleb128)) {
    return error(Cat("expected counter flavor 1 (raw) or 2 (ULEB128) at byte ", kCounterFlavorOffset, ", found ",
                     flavor));
  }
  std::copy(hash.begin(), hash.end(), out->meta_hash.begin());

  if (bytes.size() < kCounterFileHeaderSize + kSegmentHeaderSize + kCounterFooterSize) {
    return error(Cat("expected at least one segment and a footer after the header, but the file ends at byte ",
                     bytes.size(), kTruncatedHint));
  }
  const std::string_view footer = bytes.substr(bytes.size() - kCounterFooterSize);
  if (footer.substr(0, 4) != kCounterMagic) {
    return error(Cat("expected the footer (bytes 00 63 77 6d) at byte ", bytes.size() - kCounterFooterSize,
                     ", 16 bytes before the end, found ", HexBytes(footer.substr(0, 4)), kTruncatedHint));
  }
  ByteReader footer_reader(footer.substr(kFooterSegmentsOffset), bytes.size() - kCounterFooterSize + 8);
  const uint32_t num_segments = footer_reader.U32("the segment count");
  if (num_segments == 0) return error("the footer gives 0 segments; expected at least one");

  if (flavor == static_cast<uint8_t>(CounterFlavor::kUleb128)) {
    return DecodeSegments<CounterFlavor::kUleb128, false>(name, r, num_segments, out);
  }
  if (big_endian != 0) return DecodeSegments<CounterFlavor::kRaw, true>(name, r, num_segments, out);
  return DecodeSegments<CounterFlavor::kRaw, false>(name, r, num_segments, out);
}

}  // namespace covmerge::internal
