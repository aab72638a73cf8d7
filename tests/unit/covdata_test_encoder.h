// SPDX-License-Identifier: Apache-2.0
// A small encoder of Go's binary coverage files (covmeta, covcounters) for
// the covdata tests, written from the layout in covdata_format.h. The
// real files of data/gocoverdir-sample check the decoders against Go's own
// encoders; this one builds what those files lack: raw counters in both
// byte orders, several segments, set mode, per-function granularity, and
// damage at chosen places.
#ifndef COVMERGE_TESTS_UNIT_COVDATA_TEST_ENCODER_H_
#define COVMERGE_TESTS_UNIT_COVDATA_TEST_ENCODER_H_

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "covdata/covdata_format.h"
#include "covdata/meta_file.h"

namespace covmerge::testing {

using internal::MetaBlock;
using internal::MetaHash;

struct TestFunction {
  std::string name;
  std::string file;
  std::vector<MetaBlock> units;
};

struct TestPackage {
  std::string path;
  std::vector<TestFunction> functions;
};

struct TestEntry {
  uint32_t package = 0;
  uint32_t function = 0;
  std::vector<uint32_t> counters;
};

inline void PutU32(std::string* out, uint32_t v, bool big_endian = false) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(big_endian ? v >> (24 - 8 * i) : v >> (8 * i)));
}
inline void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
inline void PutUleb(std::string* out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out->push_back(static_cast<char>(b));
  } while (v != 0);
}
inline void PutHash(std::string* out, const MetaHash& h) { out->append(reinterpret_cast<const char*>(h.data()), 16); }
inline void SetU32(std::string* out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*out)[at + i] = static_cast<char>(v >> (8 * i));
}

inline MetaHash HashOf(uint8_t first) {
  MetaHash h{};
  for (size_t i = 0; i < h.size(); ++i) h[i] = static_cast<uint8_t>(first + i);
  return h;
}

inline std::string EncodePackage(const TestPackage& p) {
  std::vector<std::string> strings = {"", p.path};
  auto index = [&](const std::string& s) {
    for (size_t i = 0; i < strings.size(); ++i) {
      if (strings[i] == s) return static_cast<uint32_t>(i);
    }
    strings.push_back(s);
    return static_cast<uint32_t>(strings.size() - 1);
  };
  std::vector<std::string> bodies;
  for (const TestFunction& f : p.functions) {
    std::string body;
    PutUleb(&body, f.units.size());
    PutUleb(&body, index(f.name));
    PutUleb(&body, index(f.file));
    for (const MetaBlock& u : f.units) {
      for (uint32_t v : {u.start_line, u.start_col, u.end_line, u.end_col, u.num_stmt}) PutUleb(&body, v);
    }
    PutUleb(&body, 0);
    bodies.push_back(body);
  }
  std::string table;
  PutUleb(&table, strings.size());
  for (const std::string& s : strings) {
    PutUleb(&table, s.size());
    table += s;
  }
  std::string blob;
  const size_t functions_at = internal::kMetaPackageHeaderSize;
  uint32_t offset = static_cast<uint32_t>(functions_at + 4 * bodies.size() + table.size());
  std::string offsets;
  for (const std::string& b : bodies) {
    PutU32(&offsets, offset);
    offset += static_cast<uint32_t>(b.size());
  }
  PutU32(&blob, offset);  // length
  PutU32(&blob, 1);       // package name: the path will do
  PutU32(&blob, 1);       // package path
  PutU32(&blob, 0);       // module path
  PutHash(&blob, HashOf(0x40));
  PutU32(&blob, 0);
  PutU32(&blob, static_cast<uint32_t>(strings.size()));
  PutU32(&blob, static_cast<uint32_t>(bodies.size()));
  blob += offsets;
  blob += table;
  for (const std::string& b : bodies) blob += b;
  return blob;
}

// mode: 1 set, 2 count, 3 atomic; granularity 1 per block, 2 per function.
inline std::string EncodeMeta(const std::vector<TestPackage>& packages, const MetaHash& hash, uint8_t mode = 2,
                              uint8_t granularity = 1) {
  std::vector<std::string> blobs;
  for (const TestPackage& p : packages) blobs.push_back(EncodePackage(p));
  const std::string table = std::string("\x01\x00", 2);
  const uint64_t table_at = internal::kMetaFileHeaderSize + 16 * blobs.size();
  uint64_t total = table_at + table.size();
  for (const std::string& b : blobs) total += b.size();
  std::string out(internal::kMetaMagic);
  PutU32(&out, 1);
  PutU64(&out, total);
  PutU64(&out, blobs.size());
  PutHash(&out, hash);
  PutU32(&out, static_cast<uint32_t>(table_at));
  PutU32(&out, static_cast<uint32_t>(table.size()));
  out.push_back(static_cast<char>(mode));
  out.push_back(static_cast<char>(granularity));
  out.append(6, '\0');
  uint64_t offset = table_at + table.size();
  for (const std::string& b : blobs) {
    PutU64(&out, offset);
    offset += b.size();
  }
  for (const std::string& b : blobs) PutU64(&out, b.size());
  out += table;
  for (const std::string& b : blobs) out += b;
  return out;
}

// flavor: 1 raw, 2 ULEB128. One segment per element of `segments`.
inline std::string EncodeCounters(const MetaHash& hash, const std::vector<std::vector<TestEntry>>& segments,
                                  uint8_t flavor = 2, bool big_endian = false) {
  std::string out(internal::kCounterMagic);
  PutU32(&out, 1);
  PutHash(&out, hash);
  out.push_back(static_cast<char>(flavor));
  out.push_back(static_cast<char>(big_endian ? 1 : 0));
  out.append(6, '\0');
  auto value = [&](std::string* s, uint32_t v) {
    if (flavor == 1) {
      PutU32(s, v, big_endian);
    } else {
      PutUleb(s, v);
    }
  };
  uint32_t count = 0;
  for (const std::vector<TestEntry>& entries : segments) {
    std::string seg;
    PutU64(&seg, entries.size());
    const std::string table = std::string("\x02\x00\x04" "argc", 7);
    PutU32(&seg, static_cast<uint32_t>(table.size()));
    std::string args = std::string("\x01\x01\x00", 3);
    while ((internal::kSegmentHeaderSize + table.size() + args.size()) % 4 != 0) args.push_back('\0');
    PutU32(&seg, static_cast<uint32_t>(args.size()));
    seg += table;
    seg += args;
    for (const TestEntry& e : entries) {
      value(&seg, static_cast<uint32_t>(e.counters.size()));
      value(&seg, e.package);
      value(&seg, e.function);
      for (uint32_t c : e.counters) value(&seg, c);
    }
    out += seg;
    out += internal::kCounterMagic;
    PutU32(&out, 0);
    PutU32(&out, ++count);
    PutU32(&out, 0);
  }
  return out;
}

// A module of two packages: p/a.go (two functions) and q/b.go (one).
inline std::vector<TestPackage> SmallModule() {
  return {
      {"example.com/p",
       {{"F", "example.com/p/a.go", {{3, 10, 5, 2, 2}, {5, 2, 7, 3, 1}}}, {"G", "example.com/p/a.go", {{9, 1, 11, 2, 1}}}}},
      {"example.com/q", {{"H", "example.com/q/b.go", {{1, 1, 2, 2, 4}}}}},
  };
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteWholeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace covmerge::testing

#endif  // COVMERGE_TESTS_UNIT_COVDATA_TEST_ENCODER_H_
