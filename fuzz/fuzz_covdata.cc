// SPDX-License-Identifier: Apache-2.0
// The GOCOVERDIR decoders on arbitrary bytes. The input is a meta file and
// a counter file: a 4-byte little-endian length, that many bytes of meta
// file, and the rest as the counter file (too short for the length: all of
// it is tried as both). Checks: no crash or out-of-bounds read in
// DecodeMetaFile or DecodeCounterFile; a decoded meta file is consistent
// (every function's blocks and file inside the arrays); AddCounters either
// fails without changing a count or adds them; the rendered text has one
// line per block and the merge engine takes it or names the problem.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "covdata/counter_file.h"
#include "covdata/coverdir.h"
#include "covdata/meta_file.h"
#include "covmerge/merger.h"
#include "fuzz_check.h"

namespace {

using covmerge::internal::AddCounters;
using covmerge::internal::CounterData;
using covmerge::internal::DecodeCounterFile;
using covmerge::internal::DecodeMetaFile;
using covmerge::internal::MetaFile;
using covmerge::internal::RenderTextProfile;

void CheckMeta(const MetaFile& meta) {
  size_t functions = 0;
  for (const auto& p : meta.packages) {
    FUZZ_CHECK(p.first_function == functions, "package functions out of order");
    functions += p.function_count;
  }
  FUZZ_CHECK(functions == meta.functions.size(), "functions %zu != %zu", functions, meta.functions.size());
  size_t blocks = 0;
  for (const auto& f : meta.functions) {
    FUZZ_CHECK(f.file < meta.files.size(), "file index %u of %zu", f.file, meta.files.size());
    FUZZ_CHECK(f.first_block == blocks, "function blocks out of order");
    blocks += f.block_count;
  }
  FUZZ_CHECK(blocks == meta.blocks.size(), "blocks %zu != %zu", blocks, meta.blocks.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  std::string_view meta_bytes = all;
  std::string_view counter_bytes = all;
  if (size >= 4) {
    uint32_t meta_length = 0;
    std::memcpy(&meta_length, data, 4);
    if (meta_length <= size - 4) {
      meta_bytes = all.substr(4, meta_length);
      counter_bytes = all.substr(4 + meta_length);
    }
  }

  absl::StatusOr<MetaFile> meta = DecodeMetaFile("meta", meta_bytes);
  CounterData counters;
  const absl::Status decoded = DecodeCounterFile("counters", counter_bytes, &counters);
  if (!decoded.ok()) FUZZ_CHECK(decoded.code() == absl::StatusCode::kInvalidArgument, "counter error code");
  if (!meta.ok()) {
    FUZZ_CHECK(meta.status().code() == absl::StatusCode::kInvalidArgument, "meta error code");
    return 0;
  }
  CheckMeta(*meta);

  std::vector<uint64_t> counts(meta->blocks.size(), 0);
  if (decoded.ok()) {
    const absl::Status added = AddCounters("counters", *meta, counters, counts);
    if (!added.ok()) {
      for (uint64_t c : counts) FUZZ_CHECK(c == 0, "a failed AddCounters changed a count");
    }
  }
  const std::string text = RenderTextProfile(*meta, counts);
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  FUZZ_CHECK(lines == meta->blocks.size() + 1, "%zu lines for %zu blocks", lines, meta->blocks.size());

  covmerge::MergeOptions options;
  options.threads = 1;
  covmerge::Merger merger(options);
  merger.AddBuffer("decoded", text);
  absl::StatusOr<covmerge::MergeResult> merged = merger.Finish();
  if (!merged.ok()) {
    const absl::StatusCode code = merged.status().code();
    FUZZ_CHECK(code == absl::StatusCode::kInvalidArgument || code == absl::StatusCode::kFailedPrecondition,
               "merge error code %d", static_cast<int>(code));
  }
  return 0;
}
