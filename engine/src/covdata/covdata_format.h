// SPDX-License-Identifier: Apache-2.0
// The layout of the binary coverage data that Go 1.20 and later write into
// GOCOVERDIR, as Go's src/internal/coverage (defs.go, decodemeta,
// decodecounter) defines it, checked against files written by Go's own
// encoders (data/gocoverdir-sample). Everything is little-endian.
//
// covmeta.<hash>: the blocks of every instrumented package of one binary.
//   header (56 bytes): magic "\0cvm", version u32 (1), total length u64,
//     package count u64, meta hash [16], string table offset u32 and length
//     u32 (a file-level table, unused by the blocks), counter mode u8
//     (1 set, 2 count, 3 atomic), granularity u8 (1 per block, 2 per
//     function), 6 bytes of padding;
//   package offsets u64[count], package lengths u64[count] (from the file
//     start); then each package's blob, which stands alone:
//     header (44 bytes): length u32, package name u32, package path u32,
//       module path u32 (string indices), hash [16], 4 unused bytes, file
//       count u32, function count u32;
//     function offsets u32[function count] (from the blob start);
//     string table: ULEB128 count, then count strings, each a ULEB128
//       length and the bytes;
//     each function: ULEB128 unit count, name index, file index, then per
//       unit start line, start column, end line, end column, statements,
//       then a ULEB128 "is a function literal" flag.
//   The file index names the source file as the text profile does, by its
//   import path ("errors/wrap.go"), so a unit becomes a profile line as is.
//
// covcounters.<hash>.<pid>.<nanos>: the counters of one run.
//   header (32 bytes): magic "\0cwm", version u32 (1), meta hash [16] (the
//     covmeta file it counts), flavor u8 (1 raw u32, 2 ULEB128), big-endian
//     u8 (raw flavor only), 6 bytes of padding;
//   then segments, each followed by a footer:
//     segment header (16 bytes): function entries u64, string table length
//       u32, args length u32; then the string table and the args (os.Args
//       and GOOS/GOARCH as key/value indices, padded so that the segment's
//       preamble is a multiple of 4 bytes long: the padding counts in the
//       args length); then per function entry: counter count, package
//       index, function index, counters, each a u32 or a ULEB128;
//     footer (16 bytes): magic "\0cwm", 4 bytes padding, segments so far
//       u32, 4 bytes padding. The last footer holds the segment count.
#ifndef COVMERGE_COVDATA_COVDATA_FORMAT_H_
#define COVMERGE_COVDATA_COVDATA_FORMAT_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace covmerge::internal {

using MetaHash = std::array<uint8_t, 16>;

inline constexpr std::string_view kMetaMagic{"\x00\x63\x76\x6d", 4};     // "\0cvm"
inline constexpr std::string_view kCounterMagic{"\x00\x63\x77\x6d", 4};  // "\0cwm"
inline constexpr uint32_t kMetaFileVersion = 1;
inline constexpr uint32_t kCounterFileVersion = 1;

// File name prefixes: covmeta.<hash>, covcounters.<hash>.<pid>.<nanos>.
inline constexpr std::string_view kMetaFilePrefix = "covmeta.";
inline constexpr std::string_view kCounterFilePrefix = "covcounters.";

inline constexpr size_t kMetaFileHeaderSize = 56;
inline constexpr size_t kMetaPackageHeaderSize = 44;
inline constexpr size_t kCounterFileHeaderSize = 32;
inline constexpr size_t kSegmentHeaderSize = 16;
inline constexpr size_t kCounterFooterSize = 16;

// Offsets of the fields of the headers above.
inline constexpr size_t kMetaTotalLengthOffset = 8;
inline constexpr size_t kMetaEntriesOffset = 16;
inline constexpr size_t kMetaHashOffset = 24;
inline constexpr size_t kMetaModeOffset = 48;
inline constexpr size_t kMetaGranularityOffset = 49;
inline constexpr size_t kPackageNumFuncsOffset = 40;
inline constexpr size_t kCounterHashOffset = 8;
inline constexpr size_t kCounterFlavorOffset = 24;
inline constexpr size_t kCounterBigEndianOffset = 25;
inline constexpr size_t kFooterSegmentsOffset = 8;

enum class CounterMode : uint8_t { kInvalid = 0, kSet = 1, kCount = 2, kAtomic = 3 };
enum class CounterGranularity : uint8_t { kInvalid = 0, kPerBlock = 1, kPerFunction = 2 };
enum class CounterFlavor : uint8_t { kRaw = 1, kUleb128 = 2 };

}  // namespace covmerge::internal

#endif  // COVMERGE_COVDATA_COVDATA_FORMAT_H_
