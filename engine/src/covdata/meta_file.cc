// SPDX-License-Identifier: Apache-2.0
// Decoding of covmeta files; the layout is in covdata_format.h. Every count
// read from the file is checked against the bytes left before it sizes a
// vector or a loop, so a damaged file costs at most its own size in memory
// and time.
#include "covdata/meta_file.h"

#include <limits>

#include "absl/container/flat_hash_map.h"
#include "base/str_cat.h"
#include "covmerge/error.h"
#include "covdata/byte_reader.h"

namespace covmerge::internal {
namespace {

// The first bytes of `bytes` as "7a 7a 7a 7a", for a magic number message.
std::string HexPrefix(std::string_view bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n && i < bytes.size(); ++i) {
    if (i > 0) out += ' ';
    const auto b = static_cast<unsigned char>(bytes[i]);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out.empty() ? "nothing (an empty file)" : out;
}

class MetaDecoder {
 public:
  MetaDecoder(std::string_view name, std::string_view bytes) : name_(name), bytes_(bytes) {}

  absl::StatusOr<MetaFile> Decode() {
    if (bytes_.substr(0, 4) != kMetaMagic) {
      return Error(Cat("expected a Go coverage meta-data file starting with the bytes 00 63 76 6d, found ",
                       HexPrefix(bytes_, 4), "; is it a covmeta file written by a Go 1.20+ binary?"));
    }
    ByteReader r(bytes_);
    r.Skip(4, "the magic number");
    const uint32_t version = r.U32("the version");
    const uint64_t total_length = r.U64("the total length");
    const uint64_t entries = r.U64("the package count");
    std::string_view hash = r.Bytes(16, "the meta-data hash");
    const uint32_t strtab_offset = r.U32("the string table offset");
    const uint32_t strtab_length = r.U32("the string table length");
    const uint8_t mode = r.U8("the counter mode");
    const uint8_t granularity = r.U8("the counter granularity");
    r.Skip(6, "the header padding");
    if (!r.ok()) return Error(Cat(r.error(), "; the file is truncated"));
    if (version == 0 || version > kMetaFileVersion) {
      return Error(Cat("expected meta-data format version ", kMetaFileVersion, ", found version ", version,
                       "; it was written by a newer Go than this covmerge reads"));
    }
    if (total_length != bytes_.size()) {
      return Error(Cat("the header gives a length of ", total_length, " bytes, but the file has ", bytes_.size(),
                       total_length > bytes_.size() ? "; the file is truncated" : "; the file is damaged"));
    }
    switch (static_cast<CounterMode>(mode)) {
      case CounterMode::kSet: out_.mode = Mode::kSet; break;
      case CounterMode::kCount: out_.mode = Mode::kCount; break;
      case CounterMode::kAtomic: out_.mode = Mode::kAtomic; break;
      default:
        return Error(Cat("expected counter mode 1 (set), 2 (count) or 3 (atomic) at byte ", kMetaModeOffset,
                         ", found ", mode));
    }
    if (granularity == static_cast<uint8_t>(CounterGranularity::kPerFunction)) {
      return Error(
          "the binary was built with per-function counter granularity, which counts functions, not blocks; "
          "covmerge reads per-block data only (the default of go build -cover)");
    }
    if (granularity != static_cast<uint8_t>(CounterGranularity::kPerBlock)) {
      return Error(Cat("expected counter granularity 1 (per block) at byte ", kMetaGranularityOffset, ", found ",
                       granularity));
    }
    if (entries > (bytes_.size() - kMetaFileHeaderSize) / 16) {
      return Error(Cat("the header gives ", entries, " packages at byte ", kMetaEntriesOffset,
                       ", more than the file has room for; the file is damaged"));
    }
    if (uint64_t{strtab_offset} + strtab_length > bytes_.size()) {
      return Error(Cat("the string table (", strtab_length, " bytes at byte ", strtab_offset,
                       ") reaches past the end of the file at byte ", bytes_.size(), "; the file is damaged"));
    }
    std::copy(hash.begin(), hash.end(), out_.hash.begin());

    std::vector<uint64_t> offsets(static_cast<size_t>(entries));
    std::vector<uint64_t> lengths(static_cast<size_t>(entries));
    for (uint64_t& o : offsets) o = r.U64("a package offset");
    for (uint64_t& l : lengths) l = r.U64("a package length");
    if (!r.ok()) return Error(r.error());
    out_.packages.reserve(offsets.size());
    for (size_t i = 0; i < offsets.size(); ++i) {
      if (offsets[i] > bytes_.size() || lengths[i] > bytes_.size() - offsets[i]) {
        return Error(Cat("package ", i, " (", lengths[i], " bytes at byte ", offsets[i],
                         ") reaches past the end of the file at byte ", bytes_.size(), "; the file is damaged"));
      }
      if (absl::Status s = DecodePackage(i, offsets[i], lengths[i]); !s.ok()) return s;
    }
    return std::move(out_);
  }

 private:
  absl::Status Error(std::string_view what) const {
    return MalformedError(name_, std::string(what));
  }

  absl::Status DecodePackage(size_t index, uint64_t offset, uint64_t length) {
    ByteReader r(bytes_.substr(static_cast<size_t>(offset), static_cast<size_t>(length)), offset);
    const std::string where = Cat("package ", index, " (at byte ", offset, ")");
    const uint32_t blob_length = r.U32("the package length");
    r.U32("the package name index");
    const uint32_t path_index = r.U32("the package path index");
    r.Skip(4 + 16 + 4 + 4, "the package header");
    const uint32_t num_funcs = r.U32("the function count");
    if (!r.ok()) return Error(Cat(where, ": ", r.error()));
    if (blob_length > length) {
      return Error(Cat(where, ": the package header gives a length of ", blob_length, " bytes, but the file gives ",
                       length));
    }
    if (uint64_t{num_funcs} * 4 > r.remaining()) {
      return Error(Cat(where, ": the package header gives ", num_funcs,
                       " functions, more than the package has room for; the file is damaged"));
    }
    // The package's string table follows the function offsets.
    r.Seek(kMetaPackageHeaderSize + uint64_t{num_funcs} * 4, "the package string table");
    const uint64_t num_strings = r.Uleb128("the string count");
    if (r.ok() && num_strings > r.remaining()) {
      return Error(Cat(where, ": the string table gives ", num_strings,
                       " strings, more than the package has room for; the file is damaged"));
    }
    strings_.clear();
    for (uint64_t i = 0; i < num_strings && r.ok(); ++i) {
      const uint64_t n = r.Uleb128("a string length");
      strings_.push_back(r.Bytes(n, "the bytes of a string"));
    }
    if (!r.ok()) return Error(Cat(where, ": ", r.error()));
    if (path_index >= strings_.size()) {
      return Error(Cat(where, ": expected a package path index below ", strings_.size(), ", found ", path_index));
    }

    MetaPackage package;
    package.path = std::string(strings_[path_index]);
    package.first_function = static_cast<uint32_t>(out_.functions.size());
    package.function_count = num_funcs;
    for (uint32_t f = 0; f < num_funcs; ++f) {
      r.Seek(kMetaPackageHeaderSize + uint64_t{f} * 4, "a function offset");
      const uint32_t func_offset = r.U32("a function offset");
      r.Seek(func_offset, "the function that its offset points to");
      const uint64_t num_units = r.Uleb128("the unit count");
      const uint32_t name_index = r.Uleb128U32("the function name index");
      const uint32_t file_index = r.Uleb128U32("the file name index");
      if (!r.ok()) return Error(Cat(where, ", function ", f, ": ", r.error()));
      if (name_index >= strings_.size() || file_index >= strings_.size()) {
        return Error(Cat(where, ", function ", f, ": expected string indices below ", strings_.size(), ", found ",
                         name_index, " (name) and ", file_index, " (file)"));
      }
      // Each unit takes at least 5 bytes.
      if (num_units > r.remaining() / 5 ||
          out_.blocks.size() + num_units > std::numeric_limits<uint32_t>::max()) {
        return Error(Cat(where, ", function ", f, ": the function gives ", num_units,
                         " blocks, more than the package has room for; the file is damaged"));
      }
      MetaFunction function;
      function.file = InternFile(strings_[file_index]);
      if (function.file == kBadFile) {
        return Error(Cat(where, ", function ", f, ": the source file name holds a line break or a NUL byte"));
      }
      function.first_block = static_cast<uint32_t>(out_.blocks.size());
      function.block_count = static_cast<uint32_t>(num_units);
      for (uint64_t u = 0; u < num_units; ++u) {
        MetaBlock b;
        b.start_line = r.Uleb128U32("a start line");
        b.start_col = r.Uleb128U32("a start column");
        b.end_line = r.Uleb128U32("an end line");
        b.end_col = r.Uleb128U32("an end column");
        b.num_stmt = r.Uleb128U32("a statement count");
        out_.blocks.push_back(b);
      }
      r.Uleb128("the function literal flag");
      if (!r.ok()) return Error(Cat(where, ", function ", f, ": ", r.error()));
      out_.functions.push_back(function);
    }
    out_.packages.push_back(std::move(package));
    return absl::OkStatus();
  }

  static constexpr uint32_t kBadFile = std::numeric_limits<uint32_t>::max();

  // The index of `path` in out_.files, adding it the first time.
  uint32_t InternFile(std::string_view path) {
    auto [it, added] = file_ids_.try_emplace(path, static_cast<uint32_t>(out_.files.size()));
    if (added) {
      if (path.find_first_of(std::string_view("\n\r\0", 3)) != std::string_view::npos) {
        file_ids_.erase(it);
        return kBadFile;
      }
      out_.files.emplace_back(path);
    }
    return it->second;
  }

  std::string_view name_;
  std::string_view bytes_;
  MetaFile out_;
  std::vector<std::string_view> strings_;  // of the package being decoded
  absl::flat_hash_map<std::string_view, uint32_t> file_ids_;  // views into bytes_
};

}  // namespace

absl::StatusOr<MetaFile> DecodeMetaFile(std::string_view name, std::string_view bytes) {
  return MetaDecoder(name, bytes).Decode();
}

std::string HashHex(const MetaHash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : hash) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace covmerge::internal
