// SPDX-License-Identifier: Apache-2.0
// Differential fuzzing of the merge (as simdjson's fuzz_implementations):
// the input is one byte that sets the chunk size, then 1 to 3 profiles
// separated by "|||". covmerge::Merger merges them at 1 and at 3 threads with
// that small chunk size, and a plain std::map model below, which follows
// README.md "Semantics" line by line, merges them too. Both engine runs must
// agree exactly; the engine and the model must both fail, or give the same
// profile.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "covmerge/merger.h"
#include "covmerge/profile.h"
#include "fuzz_check.h"

namespace {

using covmerge::Block;
using covmerge::MergedProfile;
using covmerge::Mode;

// ---- The model ------------------------------------------------------------

struct ModelBlock {
  uint32_t num_stmt;
  uint64_t count;
  size_t first_input;
};
// file -> (start line, start col, end line, end col) -> block
using Key = std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>;
using ModelProfile = std::map<std::string, std::map<Key, ModelBlock>>;

enum class Verdict { kOk, kMalformed, kConflict };

struct ModelResult {
  Verdict verdict = Verdict::kOk;
  std::optional<Mode> mode;
  ModelProfile files;
};

// Decimal digits, with one optional leading '+' as Go's strconv.Atoi takes
// (covmerge refuses any '-', even "-0").
std::optional<uint64_t> Number(std::string_view s, uint64_t max) {
  if (s.starts_with('+')) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (max - static_cast<uint64_t>(c - '0')) / 10) return std::nullopt;  // above max
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// "PATH:L1.C1,L2.C2 NUMSTMT COUNT", split at the last of each separator.
struct ParsedLine {
  std::string path;
  uint64_t fields[6];  // start line, start col, end line, end col, num_stmt, count
};
std::optional<ParsedLine> ParseLine(std::string_view line) {
  static constexpr char kSeparators[6] = {':', '.', ',', '.', ' ', ' '};
  ParsedLine out;
  for (int i = 5; i >= 0; --i) {
    const size_t at = line.rfind(kSeparators[i]);
    if (at == std::string_view::npos) return std::nullopt;
    const auto n = Number(line.substr(at + 1), i == 5 ? 9223372036854775807ull : 4294967295ull);
    if (!n) return std::nullopt;
    out.fields[i] = *n;
    line = line.substr(0, at);
  }
  if (line.empty()) return std::nullopt;
  if (line.find('\0') != std::string_view::npos) return std::nullopt;  // paths are C strings
  out.path = std::string(line);
  return out;
}

std::optional<Mode> ModeOf(std::string_view line) {
  if (line == "mode: set") return Mode::kSet;
  if (line == "mode: count") return Mode::kCount;
  if (line == "mode: atomic") return Mode::kAtomic;
  return std::nullopt;
}

struct ParsedInput {
  bool ok = false;
  Mode mode = Mode::kSet;
  std::vector<ParsedLine> blocks;
};

ParsedInput ParseInput(std::string_view text) {
  ParsedInput in;
  bool have_mode = false;
  bool stray_zero = false;  // a lone "0" line: fine only as the last non-blank line
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (stray_zero) return in;
    const std::optional<Mode> mode = ModeOf(line);
    if (!have_mode) {
      if (!mode) return in;
      in.mode = *mode;
      have_mode = true;
      continue;
    }
    if (mode) {
      if (*mode != in.mode) return in;
      continue;
    }
    if (line == "0") {
      stray_zero = true;
      continue;
    }
    // After the first line, "mode: ..." that is no mode line may be a block.
    std::optional<ParsedLine> block = ParseLine(line);
    if (!block) return in;
    in.blocks.push_back(std::move(*block));
  }
  in.ok = have_mode;
  return in;
}

ModelResult ModelMerge(const std::vector<std::string>& inputs) {
  ModelResult r;
  std::vector<ParsedInput> parsed;
  for (const std::string& text : inputs) {
    parsed.push_back(ParseInput(text));
    if (!parsed.back().ok) {
      r.verdict = Verdict::kMalformed;
      return r;
    }
  }
  for (size_t i = 0; i < parsed.size(); ++i) {
    if (parsed[i].blocks.empty()) continue;  // no part in the mode check
    if (!r.mode) r.mode = parsed[i].mode;
    if (parsed[i].mode != *r.mode) r.verdict = Verdict::kConflict;
    for (const ParsedLine& b : parsed[i].blocks) {
      const Key key{static_cast<uint32_t>(b.fields[0]), static_cast<uint32_t>(b.fields[1]),
                    static_cast<uint32_t>(b.fields[2]), static_cast<uint32_t>(b.fields[3])};
      const auto num_stmt = static_cast<uint32_t>(b.fields[4]);
      const uint64_t count = b.fields[5];
      auto [it, inserted] = r.files[b.path].try_emplace(key, ModelBlock{num_stmt, count, i});
      if (inserted) continue;
      if (it->second.num_stmt != num_stmt) r.verdict = Verdict::kConflict;
      if (*r.mode == Mode::kSet) {
        it->second.count |= count;
      } else {
        it->second.count = std::min<uint64_t>(it->second.count + count, covmerge::kMaxCount);
      }
    }
  }
  // One start with several ends: fine when the first input that has any of
  // them has them all.
  for (const auto& [path, blocks] : r.files) {
    for (auto it = blocks.begin(); it != blocks.end();) {
      auto end = it;
      size_t first = it->second.first_input;
      for (; end != blocks.end() && std::get<0>(end->first) == std::get<0>(it->first) &&
             std::get<1>(end->first) == std::get<1>(it->first);
           ++end) {
        first = std::min(first, end->second.first_input);
      }
      for (auto k = it; k != end; ++k) {
        if (k->second.first_input != first) r.verdict = Verdict::kConflict;
      }
      it = end;
    }
    // A block strictly inside a block of another input (starting before it
    // and ending after it) cannot come from the same build.
    for (const auto& [outer, a] : blocks) {
      for (const auto& [inner, b] : blocks) {
        const bool starts_after = std::tie(std::get<0>(inner), std::get<1>(inner)) >
                                  std::tie(std::get<0>(outer), std::get<1>(outer));
        const bool ends_before = std::tie(std::get<2>(inner), std::get<3>(inner)) <
                                 std::tie(std::get<2>(outer), std::get<3>(outer));
        if (starts_after && ends_before && a.first_input != b.first_input) r.verdict = Verdict::kConflict;
      }
    }
  }
  return r;
}

// ---- Comparison -----------------------------------------------------------

bool SameProfile(const MergedProfile& a, const MergedProfile& b) {
  if (a.mode != b.mode || a.files.size() != b.files.size()) return false;
  for (size_t i = 0; i < a.files.size(); ++i) {
    if (a.files[i].path != b.files[i].path || a.files[i].blocks != b.files[i].blocks) return false;
  }
  return true;
}

// Whether the engine's profile is the model's: same files in byte order,
// same blocks by position, same mode when there is a block.
std::string ModelDifference(const MergedProfile& engine, const ModelResult& model) {
  if (engine.files.size() != model.files.size()) {
    return "files: engine " + std::to_string(engine.files.size()) + ", model " +
           std::to_string(model.files.size());
  }
  if (!engine.files.empty() && engine.mode != *model.mode) return "mode differs";
  size_t f = 0;
  for (const auto& [path, blocks] : model.files) {
    const covmerge::FileProfile& file = engine.files[f++];
    if (file.path != path) return "path \"" + file.path + "\" where the model has \"" + path + "\"";
    if (file.blocks.size() != blocks.size()) return "block count differs in " + path;
    size_t b = 0;
    for (const auto& [key, block] : blocks) {
      const Block want{std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key),
                       block.num_stmt,   block.count};
      if (file.blocks[b] != want) return "block " + std::to_string(b) + " of " + path + " differs";
      ++b;
    }
  }
  return "";
}

bool LooksCompressed(std::string_view s) {
  return s.starts_with("\x28\xB5\x2F\xFD") || s.starts_with("\x1F\x8B");
}

absl::StatusOr<covmerge::MergeResult> EngineMerge(const std::vector<std::string>& inputs, int threads,
                                                  uint64_t chunk_bytes) {
  covmerge::MergeOptions options;
  options.threads = threads;
  options.chunk_bytes = chunk_bytes;
  covmerge::Merger merger(options);
  for (size_t i = 0; i < inputs.size(); ++i) merger.AddBuffer("input" + std::to_string(i), inputs[i]);
  return merger.Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 64 * 1024) return 0;
  const uint64_t chunk_bytes = 1 + data[0];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string> inputs;
  for (int i = 0; i < 2; ++i) {
    const size_t at = rest.find("|||");
    if (at == std::string_view::npos) break;
    inputs.emplace_back(rest.substr(0, at));
    rest.remove_prefix(at + 3);
  }
  inputs.emplace_back(rest);

  const auto one = EngineMerge(inputs, 1, chunk_bytes);
  const auto three = EngineMerge(inputs, 3, chunk_bytes);
  FUZZ_CHECK(one.ok() == three.ok(), "1 thread: %s; 3 threads: %s", one.status().ToString().c_str(),
             three.status().ToString().c_str());
  if (one.ok()) {
    FUZZ_CHECK(SameProfile(one->profile, three->profile), "1 and 3 threads give different profiles");
  } else {
    FUZZ_CHECK(one.status() == three.status(), "1 thread: %s; 3 threads: %s", one.status().ToString().c_str(),
               three.status().ToString().c_str());
  }

  // The model reads no compressed data: those inputs are only run above.
  for (const std::string& in : inputs) {
    if (LooksCompressed(in)) return 0;
  }
  const ModelResult model = ModelMerge(inputs);
  if (!one.ok()) {
    FUZZ_CHECK(model.verdict != Verdict::kOk, "the engine fails (%s), the model merges",
               one.status().ToString().c_str());
    const absl::StatusCode code = one.status().code();
    if (model.verdict == Verdict::kMalformed) {
      FUZZ_CHECK(code == absl::StatusCode::kInvalidArgument || code == absl::StatusCode::kFailedPrecondition,
                 "a malformed input gives %s", one.status().ToString().c_str());
    } else {
      FUZZ_CHECK(code == absl::StatusCode::kFailedPrecondition, "a conflict gives %s",
                 one.status().ToString().c_str());
    }
    return 0;
  }
  FUZZ_CHECK(model.verdict == Verdict::kOk, "the engine merges, the model finds the inputs %s",
             model.verdict == Verdict::kMalformed ? "malformed" : "conflicting");
  const std::string difference = ModelDifference(one->profile, model);
  FUZZ_CHECK(difference.empty(), "engine and model differ: %s", difference.c_str());
  return 0;
}
