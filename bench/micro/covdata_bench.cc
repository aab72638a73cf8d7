// SPDX-License-Identifier: Apache-2.0
// The GOCOVERDIR decoders (covdata/), per byte of input, to compare with
// line_scanner_bench (the text path): DecodeCounterFile over the sample's
// counter files (ULEB128, as Go writes them), DecodeCounterFile + AddCounters
// (decode and sum into the meta file's counts), and DecodeMetaFile over the
// sample's meta file. Results are checked before timing. Needs the sample:
// COVMERGE_GOCOVERDIR_SAMPLE points at data/gocoverdir-sample.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "covdata/counter_file.h"
#include "covdata/coverdir.h"
#include "covdata/meta_file.h"

namespace covmerge::bench {
namespace {

using internal::CounterData;
using internal::MetaFile;

constexpr char kDir[] = COVMERGE_GOCOVERDIR_SAMPLE "/gocoverdir/";
constexpr char kHash[] = "8e5490b131e4584a4bf93cc9f45c3fed";

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Sample {
  std::string meta_bytes;
  MetaFile meta;
  std::vector<std::string> runs;
  uint64_t run_bytes = 0;
};

const Sample& GetSample() {
  static const Sample* sample = [] {
    auto* s = new Sample;
    s->meta_bytes = Read(std::string(kDir) + "covmeta." + kHash);
    s->meta = *internal::DecodeMetaFile("meta", s->meta_bytes);
    for (int pid = 4242; pid <= 4251; ++pid) {
      const uint64_t nanos = 1700000000000000000ull + uint64_t(pid - 4242) * 1000003ull;
      s->runs.push_back(Read(std::string(kDir) + "covcounters." + kHash + "." + std::to_string(pid) + "." +
                             std::to_string(nanos)));
      s->run_bytes += s->runs.back().size();
    }
    return s;
  }();
  return *sample;
}

void BM_DecodeCounterFiles(benchmark::State& state) {
  const Sample& s = GetSample();
  CounterData data;
  uint64_t entries = 0;
  for (const std::string& run : s.runs) {
    if (!internal::DecodeCounterFile("run", run, &data).ok()) state.SkipWithError("decode failed");
    entries += data.entries.size();
  }
  if (entries == 0) state.SkipWithError("no entries decoded");
  for (auto _ : state) {
    for (const std::string& run : s.runs) {
      benchmark::DoNotOptimize(internal::DecodeCounterFile("run", run, &data));
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.run_bytes));
}
BENCHMARK(BM_DecodeCounterFiles);

void BM_DecodeAndSumCounterFiles(benchmark::State& state) {
  const Sample& s = GetSample();
  CounterData data;
  std::vector<uint64_t> counts(s.meta.blocks.size());
  for (auto _ : state) {
    for (const std::string& run : s.runs) {
      if (!internal::DecodeCounterFile("run", run, &data).ok() ||
          !internal::AddCounters("run", s.meta, data, counts).ok()) {
        state.SkipWithError("decode failed");
      }
    }
  }
  benchmark::DoNotOptimize(counts.data());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.run_bytes));
}
BENCHMARK(BM_DecodeAndSumCounterFiles);

void BM_DecodeMetaFile(benchmark::State& state) {
  const Sample& s = GetSample();
  if (s.meta.blocks.size() != 12801) state.SkipWithError("the sample should have 12801 blocks");
  for (auto _ : state) benchmark::DoNotOptimize(internal::DecodeMetaFile("meta", s.meta_bytes));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * s.meta_bytes.size()));
}
BENCHMARK(BM_DecodeMetaFile);

}  // namespace
}  // namespace covmerge::bench
