// SPDX-License-Identifier: Apache-2.0
// The merged-profile writer: formats lines into a buffer of about 256 KB
// per worker and hands each full buffer to the sink.
#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/format_decimal.h"
#include "base/str_cat.h"
#include "absl/strings/str_format.h"
#include "covmerge/status_macros.h"
#include "covmerge/writer.h"
#include "io/compressor.h"
#include "io/scratch_buffer.h"
#include "base/worker_pool.h"
#include "io/output_file.h"

namespace covmerge {
namespace {

using internal::FormatDecimal;

// How much text a piece holds: a 64th of the output, at least 256 KB and
// at most 1 MB. PERF: a piece per worker is held at once, and 1 MB pieces
// made the peak RSS at -j2 a megabyte above that at -j1 on small outputs
// (bench: e2e cp1b); on large ones a quarter of the turns between workers
// took distinct at -j2 from 0.217 to 0.203 s (bench: e2e distinct, 168 MB).
size_t PieceBytes(size_t output_bytes) {
  return std::clamp<size_t>(output_bytes / 64, 256 << 10, 1 << 20);
}

// The bytes a line of `path` takes, about: the path and some 30 bytes.
inline size_t LineBytes(const std::string& path) { return path.size() + 32; }

// The most one block line of `path` takes: the path, six numbers of up to
// 20 digits and their seven separators.
inline size_t MaxLineBytes(const std::string& path) { return path.size() + 6 * 20 + 8; }

// Writes one block line at `out`, which has room for MaxLineBytes; returns
// its end.
inline char* FormatLine(const std::string& path, const Block& b, char* out) {
  out = std::copy(path.begin(), path.end(), out);
  *out++ = ':';
  out = FormatDecimal(out, b.start_line);
  *out++ = '.';
  out = FormatDecimal(out, b.start_col);
  *out++ = ',';
  out = FormatDecimal(out, b.end_line);
  *out++ = '.';
  out = FormatDecimal(out, b.end_col);
  *out++ = ' ';
  out = FormatDecimal(out, b.num_stmt);
  *out++ = ' ';
  out = FormatDecimal(out, b.count);
  *out++ = '\n';
  return out;
}

// A worker's piece of text: a reused buffer and the bytes written to it.
// PERF: formatted through a pointer; a std::string resized per line
// zero-filled each line's room first (bench: e2e distinct, memset in perf).
struct PieceText {
  internal::ScratchBuffer buffer;
  size_t size = 0;
  size_t piece_bytes = 0;

  // Where the next `bytes` go; a piece and a margin from the first call.
  char* Room(size_t bytes) {
    return buffer.Reserve(std::max(size + bytes, piece_bytes + (64 << 10)), size) + size;
  }
  void Append(std::string_view text) {
    std::memcpy(Room(text.size()), text.data(), text.size());
    size += text.size();
  }
  std::string_view text() { return {buffer.data(), size}; }
};

// Where a piece of the output starts: a block of a file.
struct PieceStart {
  size_t file = 0;
  size_t block = 0;
};

// Cuts the output into pieces of about `piece_bytes`, a file's blocks split
// between pieces where needed; the last entry is the end.
std::vector<PieceStart> CutIntoPieces(const MergedProfile& profile, size_t piece_bytes) {
  std::vector<PieceStart> starts{{0, 0}};
  size_t bytes = 0;
  for (size_t f = 0; f < profile.files.size(); ++f) {
    const FileProfile& file = profile.files[f];
    const size_t line_bytes = LineBytes(file.path);
    for (size_t b = 0; b < file.blocks.size();) {
      const size_t fit = std::max<size_t>(1, (piece_bytes - bytes) / line_bytes);
      const size_t take = std::min(fit, file.blocks.size() - b);
      b += take;
      bytes += take * line_bytes;
      if (bytes >= piece_bytes) {
        starts.push_back({f, b});
        bytes = 0;
      }
    }
  }
  if (starts.back().file != profile.files.size()) starts.push_back({profile.files.size(), 0});
  return starts;
}

void FormatPiece(const MergedProfile& profile, PieceStart from, PieceStart to, PieceText* piece) {
  for (size_t f = from.file; f < profile.files.size() && f <= to.file; ++f) {
    const FileProfile& file = profile.files[f];
    const size_t first = f == from.file ? from.block : 0;
    const size_t last = f == to.file ? to.block : file.blocks.size();
    const size_t line_room = MaxLineBytes(file.path);
    for (size_t b = first; b < last; ++b) {
      char* out = piece->Room(line_room);
      piece->size = static_cast<size_t>(FormatLine(file.path, file.blocks[b], out) - piece->buffer.data());
    }
  }
}

// Workers take turns in the order of their pieces.
class Turns {
 public:
  // Waits for `piece`'s turn, and on leaving the scope passes it on,
  // whatever happened meanwhile: the pieces after it would wait forever.
  class Turn {
   public:
    Turn(Turns* turns, size_t piece) : turns_(turns), piece_(piece) {}
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn() {
      if (!taken_) Take();
      turns_->Pass();
    }
    void Take() {
      std::unique_lock<std::mutex> lock(turns_->mutex_);
      turns_->changed_.wait(lock, [&] { return turns_->next_ == piece_; });
      taken_ = true;
    }

   private:
    Turns* turns_;
    size_t piece_;
    bool taken_ = false;
  };

 private:
  void Pass() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++next_;
    }
    changed_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  size_t next_ = 0;
};

}  // namespace

// PERF: formatting a large profile takes about as long as writing it
// (bench: e2e cp4s, 280 MB of output). Workers format pieces at once; each
// waits for the one before to be written, so the sink sees them in order
// and one at a time, and memory is a piece per worker.
absl::Status WriteProfile(const MergedProfile& profile, const ByteSink& sink, int threads) {
  if (profile.empty()) return absl::OkStatus();
  size_t output_bytes = 0;
  for (const FileProfile& file : profile.files) output_bytes += file.blocks.size() * LineBytes(file.path);
  const size_t piece_bytes = PieceBytes(output_bytes);
  const std::vector<PieceStart> starts = CutIntoPieces(profile, piece_bytes);
  const size_t pieces = starts.size() - 1;
  const int workers = std::max(1, std::min<int>(internal::WorkerCount(threads), static_cast<int>(pieces)));
  // PERF: a cache line each. Side by side, the workers' strings shared one,
  // and every line formatted moved it between the cores: formatting took
  // three times the CPU at -j2 that it took at -j1 (bench: e2e distinct).
  struct alignas(64) PieceBuffer {
    PieceText piece;
  };
  std::vector<PieceBuffer> buffers(static_cast<size_t>(workers));
  Turns turns;
  absl::Status written;  // touched only by the piece whose turn it is
  absl::Status formatted = internal::ForEachOnWorkers(pieces, workers, [&](size_t piece, int worker) {
    Turns::Turn turn(&turns, piece);
    PieceText& text = buffers[static_cast<size_t>(worker)].piece;
    text.size = 0;
    text.piece_bytes = piece_bytes;
    if (piece == 0) text.Append(internal::Cat("mode: ", ModeName(profile.mode), "\n"));
    FormatPiece(profile, starts[piece], starts[piece + 1], &text);
    turn.Take();
    if (written.ok()) written = sink(text.text());
  });
  if (!formatted.ok()) return formatted;
  return written;
}

absl::Status WriteProfileFile(const MergedProfile& profile, const std::string& path, int threads) {
  COVMERGE_ASSIGN_OR_RETURN(internal::OutputFile output, internal::OutputFile::CreateAtomic(path));
  auto to_file = [&](std::string_view bytes) { return output.Write(bytes); };
  std::unique_ptr<internal::Compressor> compressor =
      internal::Compressor::Create(internal::CompressionForName(path), to_file);
  if (compressor == nullptr) {
    COVMERGE_RETURN_IF_ERROR(WriteProfile(profile, to_file, threads));
  } else {
    COVMERGE_RETURN_IF_ERROR(
        WriteProfile(profile, [&](std::string_view bytes) { return compressor->Write(bytes); }, threads));
    COVMERGE_RETURN_IF_ERROR(compressor->Finish());
  }
  return output.Commit();
}

absl::Status WriteProfileToDescriptor(const MergedProfile& profile, int fd, std::string_view name, int threads) {
  internal::OutputFile output = internal::OutputFile::FromDescriptor(fd, std::string(name));
  COVMERGE_RETURN_IF_ERROR(
      WriteProfile(profile, [&](std::string_view bytes) { return output.Write(bytes); }, threads));
  return output.Commit();
}

std::string CoverageLine(const Coverage& coverage) {
  if (coverage.statements == 0) return "coverage: [no statements]";
  return absl::StrFormat("coverage: %.1f%% of statements", coverage.Percent());
}

}  // namespace covmerge
