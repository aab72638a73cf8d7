// SPDX-License-Identifier: Apache-2.0
// Synthetic profile data shared by the micro-benchmarks: a fake monorepo of
// files and blocks laid out as bench/gen_corpus.py lays it out (paths like
// example.com/mono/svc003/pkg17/file4.go, non-overlapping blocks, counts
// mostly 0 with a heavy tail, as `go test -coverpkg=./...` writes them), so
// the per-stage numbers compare with the end-to-end ones. Deterministic for
// a seed. Every benchmark counts as "bytes processed" the profile text its
// lines occupy, so each stage's MB/s reads against the e2e input MB/s.
#ifndef COVMERGE_BENCH_MICRO_SYNTHETIC_PROFILE_H_
#define COVMERGE_BENCH_MICRO_SYNTHETIC_PROFILE_H_

#include <charconv>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace covmerge::bench {

// One block line's fields, the ground truth the benchmarks verify against.
struct SyntheticBlock {
  uint32_t file = 0;  // index into SyntheticRepo::paths
  uint32_t start_line = 0;
  uint32_t start_col = 0;
  uint32_t end_line = 0;
  uint32_t end_col = 0;
  uint32_t num_stmt = 0;
};

struct SyntheticRepo {
  std::vector<std::string> paths;
  std::vector<std::vector<SyntheticBlock>> blocks;  // per file, in source order
};

// `files` files of `blocks_per_file` blocks. A few paths are long
// (vendored, generated code) and a few hold ':' or a space, which the
// right-to-left parser must keep in the path.
inline SyntheticRepo MakeRepo(uint32_t files, uint32_t blocks_per_file, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  auto uniform = [&rng](uint32_t lo, uint32_t hi) {
    return static_cast<uint32_t>(std::uniform_int_distribution<uint32_t>(lo, hi)(rng));
  };
  SyntheticRepo repo;
  repo.paths.reserve(files);
  repo.blocks.reserve(files);
  for (uint32_t f = 0; f < files; ++f) {
    const uint32_t pkg = f / 6;
    std::string path = "example.com/mono/svc" + std::to_string(1000 + pkg / 40).substr(1) + "/pkg" +
                       std::to_string(100 + pkg % 40).substr(1) + "/file" + std::to_string(f % 6) + ".go";
    const uint32_t kind = uniform(0, 99);
    if (kind < 5) {
      path = "github.com/some-org/a-rather-long-repository-name/internal/vendor/" + path;
    } else if (kind == 5) {
      path = "C:/work/mono/" + path;  // a ':' the parser must not split at
    } else if (kind == 6) {
      path.insert(path.size() - 3, " copy");
    }
    repo.paths.push_back(std::move(path));
    std::vector<SyntheticBlock> blocks;
    blocks.reserve(blocks_per_file);
    uint32_t line = uniform(3, 20);
    static constexpr uint32_t kSpans[] = {0, 0, 1, 1, 2, 3, 4, 6, 9, 15};
    for (uint32_t b = 0; b < blocks_per_file; ++b) {
      SyntheticBlock block;
      block.file = f;
      block.start_line = line;
      block.start_col = uniform(2, 60);
      const uint32_t span = kSpans[uniform(0, 9)];
      block.end_line = line + span;
      block.end_col = span == 0 ? block.start_col + uniform(2, 40) : uniform(2, 40);
      block.num_stmt = uniform(0, 49) == 0 ? 0 : uniform(1, 8);
      blocks.push_back(block);
      line = block.end_line + uniform(1, 4);
    }
    repo.blocks.push_back(std::move(blocks));
  }
  return repo;
}

// A count as a -coverpkg=./... profile has them: about 80% zero, then
// mostly small, with a tail up to about 10^7 and the odd 19-digit one.
inline uint64_t DrawCount(std::mt19937_64& rng) {
  const uint32_t r = static_cast<uint32_t>(rng() % 1000);
  if (r < 800) return 0;
  if (r < 880) return 1;
  if (r < 990) return 2 + rng() % 199;
  if (r < 999) return 200 + rng() % 10'000'000;
  return 1'000'000'000'000'000'000ull + rng() % 1'000'000'000'000'000ull;
}

// Appends "PATH:SL.SC,EL.EC NUMSTMT COUNT\n".
inline void AppendLine(std::string* out, std::string_view path, const SyntheticBlock& b,
                       uint64_t count) {
  char digits[24];
  auto number = [&](uint64_t v) {
    out->append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
  };
  out->append(path);
  out->push_back(':');
  number(b.start_line);
  out->push_back('.');
  number(b.start_col);
  out->push_back(',');
  number(b.end_line);
  out->push_back('.');
  number(b.end_col);
  out->push_back(' ');
  number(b.num_stmt);
  out->push_back(' ');
  number(count);
  out->push_back('\n');
}

inline size_t DecimalDigits(uint64_t v) {
  size_t n = 1;
  for (; v >= 10; v /= 10) ++n;
  return n;
}

// The length of that line, newline included.
inline size_t LineBytes(std::string_view path, const SyntheticBlock& b, uint64_t count) {
  return path.size() + DecimalDigits(b.start_line) + DecimalDigits(b.start_col) +
         DecimalDigits(b.end_line) + DecimalDigits(b.end_col) + DecimalDigits(b.num_stmt) +
         DecimalDigits(count) + 7;  // ':' '.' ',' '.' ' ' ' ' '\n'
}

}  // namespace covmerge::bench

#endif  // COVMERGE_BENCH_MICRO_SYNTHETIC_PROFILE_H_
