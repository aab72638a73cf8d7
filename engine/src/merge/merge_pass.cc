// SPDX-License-Identifier: Apache-2.0
#include "merge/merge_pass.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "base/bytes_equal.h"
#include "base/count_rule.h"
#include "base/worker_pool.h"
#include "merge/input_scan.h"
#include "parse/block_tail.h"
#include "table/tail_memo.h"

namespace covmerge::internal {
namespace {

// Where the tail starts when the line names `file` ("PATH:"), or nullptr.
inline const char* AfterPath(const BlockStore::File* file, const char* line, const char* limit) {
  const size_t n = file->path.size();
  if (static_cast<size_t>(limit - line) <= n || line[n] != ':' || !BytesEqual(line, file->path.data(), n)) {
    return nullptr;
  }
  return line + n + 1;
}

// Records that `input` gives block `index` of `file` other statements
// than its first input did. Out of line: it grows a vector, and the hot
// path must not carry that code (bench: e2e cp1, callgrind).
[[gnu::noinline]] void NoteConflict(BlockStore::File* file, uint32_t index, uint32_t input, uint32_t num_stmt,
                                    WorkerState* state) {
  const FileBlocks& file_blocks = file->blocks;
  const Block& block = file_blocks.blocks()[index];
  // One entry per pair of inputs is enough to name them; a whole file of
  // conflicting lines must not grow the list without bound.
  const uint32_t first_input = file_blocks.first_input(index);
  if (state->conflicts.empty() || state->conflicts.back().input_a != first_input ||
      state->conflicts.back().input_b != input) {
    state->conflicts.push_back({file, PositionOf(block), first_input, block.num_stmt, input, num_stmt});
  }
}

// Merges a block line of `input` into `file`; `*predicted` is the block to
// try first, and becomes the one after the block found.
inline void MergeIntoFile(BlockStore::File* file, uint32_t* predicted, const BlockPosition& position,
                          uint32_t num_stmt, uint64_t count, uint32_t input, bool set_mode, WorkerState* state) {
  bool inserted;
  FileBlocks& file_blocks = file->blocks;
  const uint32_t index = file_blocks.FindOrInsert(position, *predicted, input, &inserted);
  *predicted = index + 1;
  Block& block = file_blocks.block(index);
  if (inserted) {
    block.num_stmt = num_stmt;
    block.count = count;
    return;
  }
  if (block.num_stmt != num_stmt) [[unlikely]] NoteConflict(file, index, input, num_stmt, state);
  // Workers meet inputs out of order: the lowest input is the canonical side.
  file_blocks.NoteInput(index, input);
  block.count = CombineCounts(set_mode, block.count, count, &state->saturations);
}

// A block line of an interleaved input, parsed, on its way to the worker
// that merges its file.
struct RoutedLine {
  BlockStore::File* file;
  BlockPosition position;
  uint32_t num_stmt;
  uint64_t count;
};

// The lines of one chunk for one worker. A cache line each: the worker
// that parses the chunk appends to all of its routes, line after line.
struct alignas(64) Route {
  std::vector<RoutedLine> lines;
};

// Merges each scanned block line into the shared store. A line is first
// matched against the path of the file the previous line named, or of a
// file guessed to come next, and its numbers read left to right: no
// hashing, no search for the line end. Only a line of another file takes
// the full parse and a lookup of its path. The file's lock is held for the
// run of lines that name it, unless the pass has one worker.
//
// PERF: a lock is an atomic exchange, which waits for every store before
// it to reach the cache: on a profile whose every line names another file
// it was a third of the time at -j1 (bench: e2e distinct).
//
// PERF: nearly every line is known by its file's path and the hint into
// the file's blocks. But Go writes a profile's files in no fixed order (Go
// 1.19: map order), so the first line of each run names a file whose
// struct, path and blocks are cold in a table of hundreds of MB: a chain
// of cache misses, most of the time on the large shapes. So the sink looks
// ahead: when a run starts, it reads the path of the line where the next
// run probably starts (as far ahead as the run was long last time) and
// fetches that file in stages while this run is merged. Runs of one line
// (every line another file) are left to File::next (bench: e2e pp2, cp4s,
// distinct; RESULTS.md).
//
// PERF: profiles of one build repeat each line but its count. From a
// file's second run on, the text of each block's line before the count is
// kept (TailMemo, within a budget); while the lines follow the order seen
// before, a line whose text is that of the predicted block is merged by
// reading only its count (bench: e2e cp1, callgrind: 785M → 527M
// instructions for 30 profiles).
//
// The chunks of an interleaved input (input_set.h) are instead parsed into
// routes, one per worker, by file (RoutedLine); see RunMergePass.
struct TableSink {
  WorkerState* state;
  BlockStore* store;
  const std::optional<Mode>* mode;  // set by the mode line before any block
  uint32_t input;
  bool locking;  // other workers may merge into the same files
  // When set, lines are not merged but appended to routes[spread % route_count].
  Route* routes = nullptr;
  uint32_t route_count = 0;
  uint64_t blocks = 0;  // block lines merged or routed
  BlockStore::File* file = nullptr;  // of the last line; locked while set
  std::unique_lock<SpinLock> lock{};
  uint32_t predicted = 0;  // the block after the last one, in `file`
  uint32_t run_lines = 0;  // lines of `file` merged in this run
  uint32_t run_missed = 0;  // of them, lines the memo knew and did not match
  uint32_t last_run = 0;   // the length of the run before
  bool run_began_empty = false;  // `file` had no blocks when this run began
  // The last line's block was the one predicted: the lines follow an order
  // seen before, and the memo is worth asking (never while routing).
  bool following = false;
  // The look-ahead: the hash of the path glimpsed ahead (0: none), and once
  // its index slot has arrived, the file it probably names. Each stage
  // waits a third of the expected run: a miss takes many lines to arrive.
  uint64_t ahead_hash = 0;
  BlockStore::File* ahead = nullptr;
  uint32_t ahead_run = 0;         // the lines this run probably has
  uint32_t fetch_file_at = 0;     // run_lines at which to read the slot
  uint32_t fetch_blocks_at = 0;  // and the file's path and blocks
  uint32_t stage_at = 0;         // the next of the two, 0 when none is due
  static constexpr uint32_t kMinLookaheadRun = 6;
  static constexpr uint32_t kMinMemoRun = 8;  // shorter runs say little of a memo's worth
  static constexpr size_t kMaxPrefetchBlocks = 128;

  const char* TryKnownLine(const char* line, const char* limit) {
    if (file == nullptr) return nullptr;
    BlockStore::File* target = file;
    const char* tail = AfterPath(file, line, limit);
    if (tail == nullptr) {
      target = ahead;
      if (target == nullptr || (tail = AfterPath(target, line, limit)) == nullptr) {
        target = file->next.load(std::memory_order_acquire);
        if (target == nullptr || (tail = AfterPath(target, line, limit)) == nullptr) return nullptr;
      }
    }
    if (target == file && following) {
      if (const char* next = TryRemembered(tail, limit)) return next;
    }
    BlockLine parsed;  // the numbers; the path is `target`'s
    const char* next = ParseBlockTail(tail, limit, &parsed);
    if (next == nullptr) return nullptr;
    if (target != file) {
      SwitchTo(target, line, static_cast<size_t>(next - line), limit);
    } else {
      Advance();
    }
    const uint32_t hint = predicted;
    Take({parsed.start_line, parsed.start_col, parsed.end_line, parsed.end_col}, parsed.num_stmt, parsed.count);
    if (routes == nullptr && file->memo.allocated()) {  // a router holds no lock
      following = predicted == hint + 1;
      const uint32_t index = predicted - 1;
      if (index < file->memo.size()) {
        if (file->memo.remembered(index)) {
          ++run_missed;  // the memo knew the block, and the line missed it
        } else {
          Remember(index, tail, next, parsed.num_stmt);
        }
      }
    }
    return next;
  }

  // The line whose tail at `tail` is the text the predicted block was last
  // read from: only its count is read. The next line's start, or nullptr.
  const char* TryRemembered(const char* tail, const char* limit) {
    const TailMemo& memo = file->memo;
    if (predicted >= memo.size() || static_cast<size_t>(limit - tail) < TailMemo::kMaxWidth) return nullptr;
    const size_t text = memo.Match(predicted, tail);
    if (text == 0) return nullptr;
    uint64_t count;
    const char* next = ParseCountTail(tail + text, limit, &count);
    if (next == nullptr) return nullptr;
    Advance();
    ++blocks;
    const uint32_t index = predicted++;
    FileBlocks& file_blocks = file->blocks;
    file_blocks.NoteInput(index, input);
    Block& block = file_blocks.block(index);
    block.count = CombineCounts(**mode == Mode::kSet, block.count, count, &state->saturations);
    return next;
  }

  // Remembers the text before the count of the line just merged into block
  // `index`, whose tail is [tail, next): unless the block had other
  // statements (a conflict, which the full path records).
  [[gnu::noinline]] void Remember(uint32_t index, const char* tail, const char* next, uint32_t num_stmt) {
    if (file->blocks.block(index).num_stmt != num_stmt) return;
    const char* count = next;
    if (count > tail && count[-1] == '\n') --count;
    if (count > tail && count[-1] == '\r') --count;
    while (count > tail && static_cast<unsigned>(count[-1] - '0') <= 9) --count;
    file->memo.Remember(index, tail, static_cast<size_t>(count - tail));
  }

  LineParseResult OnLine(std::string_view text, const char* limit) {
    BlockLine line;
    LineParseResult result = ParseBlockLine(text, &line);
    if (result.error != LineError::kNone) return result;
    if (file == nullptr || file->path.size() != line.path.size() ||
        !BytesEqual(file->path.data(), line.path.data(), line.path.size())) {
      SwitchTo(store->Intern(line.path), text.data(), text.size() + 1, limit);
    } else {
      Advance();
    }
    Take({line.start_line, line.start_col, line.end_line, line.end_col}, line.num_stmt, line.count);
    return {};
  }

  // A block line of `file`: merged, or routed to the worker that merges it.
  // PERF: inline, with the route's growth out of line (bench: e2e cp1,
  // callgrind: a call with the growth's prologue cost 20 instructions a line).
  void Take(const BlockPosition& position, uint32_t num_stmt, uint64_t count) {
    ++blocks;
    if (routes != nullptr) [[unlikely]] {
      RouteLine(position, num_stmt, count);
      return;
    }
    MergeIntoFile(file, &predicted, position, num_stmt, count, input, **mode == Mode::kSet, state);
  }

  [[gnu::noinline]] void RouteLine(const BlockPosition& position, uint32_t num_stmt, uint64_t count) {
    routes[file->spread % route_count].lines.push_back({file, position, num_stmt, count});
  }

  // Makes `to` the current file, locked, for the line at `line` of
  // `line_bytes` bytes; the file before remembers it as its successor and
  // the length of its run. A routing sink only keeps the successors.
  void SwitchTo(BlockStore::File* to, const char* line, size_t line_bytes, const char* limit) {
    if (file != nullptr) {
      // PERF: stored only when it changes: workers that route one input
      // meet the same successions, and a store each would move the line
      // between their caches on every line (bench: e2e distinct).
      if (file->next.load(std::memory_order_relaxed) != to) {
        file->next.store(to, std::memory_order_release);  // with `to` built, for other workers
      }
      Leave();
    }
    file = to;
    run_lines = 1;
    run_missed = 0;
    ahead = nullptr;
    ahead_hash = 0;
    stage_at = 0;
    if (routes != nullptr) return;
    if (locking) lock = std::unique_lock<SpinLock>(to->mutex);
    run_began_empty = to->blocks.size() == 0;
    // A second run of the file: its blocks are (nearly) all known, and
    // from now on their text is remembered, while the budget lasts.
    if (!run_began_empty && !to->memo.allocated() && !to->memo.given_up()) {
      const uint32_t known = static_cast<uint32_t>(to->blocks.size());
      const size_t width = TailMemo::WidthFor(to->blocks.blocks());
      if (store->ReserveMemo(size_t{known} * width)) to->memo.Allocate(known, width);
    }
    following = to->memo.allocated();
    predicted = 0;
    const uint32_t run = to->last_run != 0 ? to->last_run : last_run;
    if (run >= kMinLookaheadRun) LookAhead(line, line_bytes, limit, run);
  }

  // Ends the run of the current file; call once more after the last line.
  void Leave() {
    if (file == nullptr || routes != nullptr) return;
    file->last_run = run_lines;
    last_run = run_lines;
    // A file's first run brought (nearly) all the blocks it will have.
    if (run_began_empty) file->blocks.Trim();
    // A memo that missed most of a run of blocks it knew will not pay: the
    // lines come in another order, or are too long for the slots.
    if (file->memo.allocated() && run_lines >= kMinMemoRun && run_missed * 2 > run_lines) file->memo.GiveUp();
    if (locking) lock.unlock();
  }

  // The next line of the current run. PERF: one compare a line; the
  // look-ahead's stages are out of the way (bench: e2e cp1, callgrind).
  void Advance() {
    if (++run_lines == stage_at) [[unlikely]] Stage();
  }

  // The look-ahead's later stages: the file, then its path and blocks.
  void Stage() {
    if (ahead_hash == 0) return;  // run_lines wrapped around to 0 in a run of 2^32 lines
    if (run_lines == fetch_file_at) {
      stage_at = fetch_blocks_at;
      ahead = store->Candidate(ahead_hash);
      if (ahead != nullptr) {
        static_assert(sizeof(BlockStore::File) == 128);
        __builtin_prefetch(ahead);
        __builtin_prefetch(reinterpret_cast<const char*>(ahead) + 64);
      }
    } else {
      stage_at = 0;
      if (ahead == nullptr) return;
      // The path is immutable and the blocks' address atomic. All the
      // blocks a run reads: too few for the hardware to find the stream.
      __builtin_prefetch(ahead->path.data());
      const char* blocks = static_cast<const char*>(ahead->blocks.blocks_address());
      const size_t bytes = std::min<size_t>(ahead_run, kMaxPrefetchBlocks) * sizeof(Block);
      for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(blocks + offset, 1);
    }
  }

  // Reads the path of the first line past this run, guessing that the run
  // has `run` lines of `line_bytes`, and fetches that path's index slot.
  // Scans a few lines at most; a guess past `limit` is given up.
  void LookAhead(const char* line, size_t line_bytes, const char* limit, uint32_t run) {
    const size_t distance = run * line_bytes - line_bytes / 2;
    if (distance >= static_cast<size_t>(limit - line)) return;
    const char* p = static_cast<const char*>(memchr(line + distance, '\n', static_cast<size_t>(limit - line - distance)));
    // A guess that falls short lands on this file's lines: try a few more.
    for (int tries = 0;; ++tries) {
      if (p == nullptr || ++p >= limit) return;
      const char* end = static_cast<const char*>(memchr(p, '\n', static_cast<size_t>(limit - p)));
      if (end == nullptr) return;
      if (AfterPath(file, p, end) == nullptr) {
        const char* colon = static_cast<const char*>(memrchr(p, ':', static_cast<size_t>(end - p)));
        if (colon == nullptr) return;
        ahead_hash = BlockStore::Hash(std::string_view(p, static_cast<size_t>(colon - p)));
        store->PrefetchSlot(ahead_hash);
        fetch_file_at = run / 3;
        fetch_blocks_at = run * 2 / 3;
        stage_at = fetch_file_at;
        ahead_run = run;
        return;
      }
      if (tries == 3) return;
      p = end;
    }
  }
};

// Opens each input when its first item needs it and closes it after its
// last, so that every chunk of an input reads one open file (a file
// replaced meanwhile is not mixed in) and the pass holds about one
// descriptor per worker, however many inputs there are.
class OpenFiles {
 public:
  OpenFiles(const std::vector<Input>& inputs, const std::vector<WorkItem>& items)
      : inputs_(inputs), slots_(inputs.size()) {
    for (const WorkItem& item : items) ++slots_[item.input].pending;
  }

  // The input's file, or null for an input in memory.
  absl::StatusOr<std::shared_ptr<InputFile>> Acquire(uint32_t input) {
    if (inputs_[input].in_memory) return std::shared_ptr<InputFile>();
    Slot& slot = slots_[input];
    std::lock_guard<std::mutex> lock(slot.mutex);
    if (!slot.file && slot.status.ok()) {
      absl::StatusOr<std::shared_ptr<InputFile>> file = OpenInputFile(inputs_[input]);
      if (file.ok()) {
        slot.file = std::move(*file);
      } else {
        slot.status = file.status();
      }
    }
    if (!slot.status.ok()) return slot.status;
    return slot.file;
  }

  void Release(uint32_t input) {
    Slot& slot = slots_[input];
    std::lock_guard<std::mutex> lock(slot.mutex);
    if (--slot.pending == 0) slot.file.reset();
  }

 private:
  struct Slot {
    std::mutex mutex;
    std::shared_ptr<InputFile> file;
    absl::Status status;
    uint32_t pending = 0;  // items not yet done
  };
  const std::vector<Input>& inputs_;
  std::vector<Slot> slots_;
};

}  // namespace

PassResult RunMergePass(const std::vector<Input>& inputs, const std::vector<WorkItem>& items,
                        int threads, BlockStore* store, MergeProgress* progress,
                        const std::function<bool()>& cancelled) {
  PassResult result;
  result.workers.resize(static_cast<size_t>(threads));
  std::vector<ItemOutcome> item_outcomes(items.size());
  std::vector<uint64_t> item_blocks(items.size(), 0);
  std::vector<ScratchBuffer> buffers(static_cast<size_t>(threads));
  OpenFiles files(inputs, items);

  // Each item is scanned into its sink: merged into the store, or with
  // `routes`, parsed into one route per worker.
  auto scan = [&](size_t i, int worker, bool locking, Route* routes) {
    const WorkItem& item = items[i];
    absl::StatusOr<std::shared_ptr<InputFile>> file = files.Acquire(item.input);
    if (file.ok()) {
      TableSink sink{&result.workers[worker], store, nullptr, item.input, locking, routes,
                     static_cast<uint32_t>(threads)};
      ScanItem(inputs[item.input], item, file->get(), sink, &buffers[worker], &item_outcomes[i]);
      sink.Leave();
      item_blocks[i] = sink.blocks;
    } else {
      item_outcomes[i].read_error = file.status();
    }
    files.Release(item.input);
    if (progress != nullptr) {
      progress->bytes_done.fetch_add(item.end - item.begin, std::memory_order_relaxed);
      if (item.end == inputs[item.input].size) progress->inputs_done.fetch_add(1, std::memory_order_relaxed);
    }
  };

  std::vector<size_t> direct;  // items merged as they are scanned
  std::vector<size_t> routed;  // chunks of interleaved inputs, in order
  for (size_t i = 0; i < items.size(); ++i) (items[i].routed ? routed : direct).push_back(i);
  result.failure = ForEachOnWorkers(direct.size(), threads, [&](size_t k, int worker) {
    scan(direct[k], worker, threads > 1, nullptr);
  }, cancelled);

  // Interleaved inputs, in rounds, by a gang: in round r worker w parses
  // chunk r*threads+w, routing every line to the worker that owns its file
  // (by a byte of its path's hash); after the gang's barrier, each worker
  // merges its routes from the round's chunks in chunk order. A file is so
  // merged by one worker, in input order, with no lock, and each line is
  // parsed once. The routes of two rounds alternate, so a worker that has
  // merged its share parses the next chunk while the others still merge:
  // one barrier a round.
  //
  // PERF: the same workers for every round: a pool started per step made
  // each owner's files change cores (and malloc arenas) and cost the
  // start-up of two threads a step: the merge step took as long with two
  // owners as with one (bench: e2e distinct). Memory: the parsed lines of
  // two rounds, two chunks a worker.
  if (!routed.empty() && result.failure.ok()) {
    const size_t gang = static_cast<size_t>(threads);
    const size_t rounds = (routed.size() + gang - 1) / gang;
    // routes[round % 2][chunk of the round][owner]
    std::vector<std::vector<std::vector<Route>>> routes(
        2, std::vector<std::vector<Route>>(gang, std::vector<Route>(gang)));
    result.failure = RunGang(threads, [&](int worker, GangBarrier& barrier) {
      const size_t w = static_cast<size_t>(worker);
      for (size_t round = 0; round <= rounds; ++round) {
        // Merge this worker's lines of the round before: every chunk of it
        // was parsed before the last wait.
        if (round > 0) {
          const size_t done = round - 1;
          for (size_t k = 0; k < gang && done * gang + k < routed.size(); ++k) {
            const uint32_t input = items[routed[done * gang + k]].input;
            const bool set_mode = inputs[input].mode_hint == Mode::kSet;
            for (const RoutedLine& line : routes[done % 2][k][w].lines) {
              uint32_t no_hint = UINT32_MAX;
              MergeIntoFile(line.file, &no_hint, line.position, line.num_stmt, line.count, input, set_mode,
                            &result.workers[w]);
            }
          }
        }
        if (round == rounds) break;
        // Then parse this round's chunk, if any, into the other routes: the
        // round before them was merged by every worker before the last wait.
        if (round * gang + w < routed.size()) {
          std::vector<Route>& chunk_routes = routes[round % 2][w];
          for (Route& route : chunk_routes) route.lines.clear();
          scan(routed[round * gang + w], worker, false, chunk_routes.data());
        }
        if (!barrier.Wait()) return;
      }
    }, cancelled);
  }

  // Fold the items' outcomes into their inputs, in order: the first error
  // kept is the one nearest the start of the input, and line indexes add
  // up over the items.
  result.outcomes.resize(inputs.size());
  std::vector<uint64_t> lines_before(inputs.size(), 0);
  for (size_t i = 0; i < items.size(); ++i) {
    const uint32_t input = items[i].input;
    InputOutcome& outcome = result.outcomes[input];
    ItemOutcome& item = item_outcomes[i];
    if (item.compression != Compression::kNone) outcome.compression = item.compression;
    if (!outcome.read_error.ok() || outcome.error) continue;  // nothing after the first failure counts
    if (!item.read_error.ok()) {
      outcome.read_error = std::move(item.read_error);
      continue;
    }
    const uint64_t base = lines_before[input];
    const ScanCounters& counters = item.counters;
    // A "0" line is accepted only as the last non-blank line of the input.
    const bool more_lines = counters.lines > counters.blank_lines || item.error;
    if (outcome.stray_zero && more_lines) {
      outcome.error = ScanError{std::nullopt, *outcome.stray_zero, 0, StrayZeroMessage()};
      continue;
    }
    if (items[i].begin == 0) {
      outcome.mode = item.mode;
      if (counters.mode_line) outcome.mode_line = base + *counters.mode_line;
    }
    if (item.error) {
      item.error->line_index += base;
      outcome.error = std::move(item.error);
      continue;
    }
    if (counters.stray_zero) outcome.stray_zero = base + *counters.stray_zero;
    outcome.blocks += item_blocks[i];
    lines_before[input] = base + counters.lines;
  }
  return result;
}

}  // namespace covmerge::internal
