// SPDX-License-Identifier: Apache-2.0
// DecodeCounterFile: a covcounters.<hash>.<pid>.<nanos> file
// (covdata_format.h) decoded into the function entries of all its segments:
// (package index, function index, counters). It knows nothing of the meta
// file; coverdir.cc checks the indices against it. The decoder fills a
// caller-owned CounterData so that a worker decoding thousands of files
// reuses the same vectors.
#ifndef COVMERGE_COVDATA_COUNTER_FILE_H_
#define COVMERGE_COVDATA_COUNTER_FILE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "covdata/covdata_format.h"

namespace covmerge::internal {

struct CounterEntry {
  uint32_t package = 0;
  uint32_t function = 0;
  uint32_t first_counter = 0;  // index into CounterData::counters
  uint32_t counter_count = 0;
};

struct CounterData {
  MetaHash meta_hash{};
  uint32_t segments = 0;
  std::vector<CounterEntry> entries;  // of every segment, in file order
  std::vector<uint32_t> counters;

  std::span<const uint32_t> CountersOf(const CounterEntry& e) const {
    return std::span<const uint32_t>(counters).subspan(e.first_counter, e.counter_count);
  }
};

// Decodes the bytes of the counter file `name` (used in messages) into
// `*out`, which is cleared first. Errors (InvalidArgument, naming the file,
// the byte offset and what was expected): a bad magic number, version or
// counter flavor; a file cut short (no footer at its end: the program was
// killed while writing it); a length or count that points past the end;
// bytes after the last segment. On error `*out` holds a part of the file.
absl::Status DecodeCounterFile(std::string_view name, std::string_view bytes, CounterData* out);

}  // namespace covmerge::internal

#endif  // COVMERGE_COVDATA_COUNTER_FILE_H_
