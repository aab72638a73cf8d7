// SPDX-License-Identifier: Apache-2.0
#include "merge/input_set.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/quote_path.h"
#include "base/str_cat.h"
#include "covmerge/error.h"
#include "covmerge/status_macros.h"
#include "parse/line_scanner.h"

namespace covmerge::internal {
namespace {

absl::Status Changed(const Input& input) {
  return ErrorStatus({.kind = ErrorKind::kIo, .path = input.name,
                      .detail = "the file changed while covmerge read it (it was replaced, or its size or "
                                "modification time changed); merge again once it is complete"});
}

// The bytes after the mode line that decide whether an input is interleaved.
constexpr size_t kSampleBytes = 65536;

// Whether most of the block lines in `sample` (after the mode line) name
// another file than the line before. Too short a sample says no.
bool MostLinesChangeFile(std::string_view sample) {
  constexpr size_t kMinLines = 32;
  // PERF: enough to tell; the whole sample (1,500 lines) took 60 us an
  // input, before the pass (bench: e2e cp1, gostd).
  constexpr size_t kMaxLines = 256;
  size_t lines = 0;
  size_t changes = 0;
  std::string_view previous;
  for (size_t nl; lines < kMaxLines && (nl = sample.find('\n')) != std::string_view::npos;
       sample.remove_prefix(nl + 1)) {
    const std::string_view line = sample.substr(0, nl);
    const size_t colon = line.rfind(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view path = line.substr(0, colon);
    ++lines;
    changes += path != previous;
    previous = path;
  }
  return lines >= kMinLines && changes * 2 > lines;
}

// The mode of the first line of `text` (the first non-blank line), and
// whether the lines after it are interleaved.
void ReadHead(Input* input, std::string_view text) {
  const size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  bool is_mode_line = false;
  input->mode_hint = ParseModeLine(line, &is_mode_line);
  if (nl != std::string_view::npos) input->interleaved = MostLinesChangeFile(text.substr(nl + 1));
}

// The offset of the first non-blank line of a file input, that line, and a
// sample of the lines after it.
absl::Status ReadModeHint(Input* input, const InputFile& file) {
  constexpr size_t kWindow = 65536;
  std::string carried;
  std::vector<char> window(kWindow);
  uint64_t offset = 0;
  for (;;) {
    absl::StatusOr<size_t> n = file.ReadAt(offset, window.data(), kWindow);
    if (!n.ok()) return n.status();
    if (*n == 0) return absl::OkStatus();  // blank to the end: the scan reports it
    const std::string_view bytes(window.data(), *n);
    if (!input->first_line) {
      const size_t i = bytes.find_first_not_of("\r\n");
      if (i != std::string_view::npos) {
        // A '\r' not followed by '\n' is not blank; back up to include it.
        size_t start = i;
        while (start > 0 && bytes[start - 1] == '\r') --start;
        input->first_line = offset + start;
        carried.assign(bytes.substr(start));
      }
    } else {
      carried.append(bytes);
    }
    offset += *n;
    const size_t nl = carried.find('\n');
    if (input->first_line && (nl != std::string::npos || carried.size() > kMaxLineBytes)) {
      const size_t sample_end =
          nl == std::string::npos ? carried.size() : std::min(carried.size(), nl + 1 + kSampleBytes);
      ReadHead(input, std::string_view(carried).substr(0, sample_end));
      return absl::OkStatus();
    }
  }
}

}  // namespace

absl::Status PrepareInput(Input* input, uint64_t chunk_bytes) {
  std::shared_ptr<InputFile> file;
  if (input->in_memory) {
    input->size = input->contents.size();
    input->compression = DetectCompression(input->contents);
  } else if (input->from_stdin) {
    absl::StatusOr<std::shared_ptr<InputFile>> spool = InputFile::Spool(STDIN_FILENO, input->name, kMaxLineBytes);
    if (!spool.ok()) return spool.status();
    input->spool = *spool;
  } else {
    absl::StatusOr<PathStat> stat = StatPath(input->name);
    if (!stat.ok()) return stat.status();
    if (stat->directory) {
      return ErrorStatus({.kind = ErrorKind::kIo, .path = input->name, .os_error = EISDIR, .action = "cannot read",
                          .detail = "it is a directory"});
    }
    if (stat->regular) {
      input->identity = stat->identity;
    } else {
      // A pipe, FIFO or terminal: read once, as standard input is.
      absl::StatusOr<int> fd = OpenStream(input->name);
      if (!fd.ok()) return fd.status();
      absl::StatusOr<std::shared_ptr<InputFile>> spool = InputFile::Spool(*fd, input->name, kMaxLineBytes);
      CloseStream(*fd);
      if (!spool.ok()) return spool.status();
      input->spool = *spool;
    }
  }
  if (!input->in_memory) {
    input->size = input->spool ? input->spool->size() : input->identity.size;
    if (input->size <= chunk_bytes) return absl::OkStatus();  // the pass looks at it
    absl::StatusOr<std::shared_ptr<InputFile>> opened = OpenInputFile(*input);
    if (!opened.ok()) return opened.status();
    file = *opened;
    char head[4] = {};
    absl::StatusOr<size_t> got = file->ReadAt(0, head, sizeof head);
    if (!got.ok()) return got.status();
    input->compression = DetectCompression(std::string_view(head, *got));
  }
  if (input->size <= chunk_bytes || input->compression != Compression::kNone) return absl::OkStatus();
  // Cut into chunks: every chunk must know the mode to combine counts, and
  // chunk 0 must reach the mode line however many blank lines precede it.
  if (input->in_memory) {
    const std::string_view bytes(input->contents);
    const size_t i = bytes.find_first_not_of("\r\n");
    if (i == std::string_view::npos) return absl::OkStatus();
    size_t start = i;
    while (start > 0 && bytes[start - 1] == '\r') --start;
    input->first_line = start;
    const size_t nl = bytes.find('\n', start);
    const size_t head = nl == std::string_view::npos ? bytes.size() - start : nl + 1 - start + kSampleBytes;
    ReadHead(input, bytes.substr(start, head));  // the whole mode line, however long
    return absl::OkStatus();
  }
  return ReadModeHint(input, *file);
}

namespace {

// Where chunk `c` of `chunks` chunks of `size` bytes begins: the first
// size % chunks of them a byte longer than the others.
uint64_t ChunkBound(uint64_t size, uint64_t chunks, uint64_t c) {
  return c * (size / chunks) + std::min(c, size % chunks);
}

}  // namespace

std::vector<WorkItem> PlanWork(const std::vector<Input>& inputs, const std::vector<bool>& included,
                               uint64_t chunk_bytes, int threads) {
  std::vector<WorkItem> items;
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    if (!included[i]) continue;
    // A compressed stream cannot be cut: one item, read as a stream.
    const uint64_t size = inputs[i].size;
    if (inputs[i].compression != Compression::kNone) {
      items.push_back({i, 0, size});
      continue;
    }
    const bool routed = inputs[i].interleaved && threads > 1;
    // Chunks of one size, none larger than chunk_bytes. PERF: cut at
    // multiples of it, an input a little larger ended in a sliver, a
    // second item for a few lines (bench: e2e gostd, 1.07 MB profiles).
    const uint64_t chunks = std::max<uint64_t>(1, (size + chunk_bytes - 1) / chunk_bytes);
    for (uint64_t c = 0; c < chunks; ++c) {
      items.push_back({i, ChunkBound(size, chunks, c), ChunkBound(size, chunks, c + 1), routed});
    }
  }
  return items;
}

absl::StatusOr<std::shared_ptr<InputFile>> OpenInputFile(const Input& input) {
  if (input.spool) return input.spool;
  absl::StatusOr<std::shared_ptr<InputFile>> file = InputFile::Open(input.name);
  if (!file.ok()) return file.status();
  if ((*file)->identity() != input.identity) return Changed(input);
  return file;
}

absl::StatusOr<size_t> InputReader::Read(char* out, size_t capacity) {
  // Past the chunk's end only the rest of its last line is needed: read
  // small pieces first, then larger ones, for a line of any length.
  const size_t want = pos_ < end_ ? static_cast<size_t>(std::min<uint64_t>(capacity, end_ - pos_))
                                  : static_cast<size_t>(std::min<uint64_t>(capacity, std::max<uint64_t>(4096, pos_ - end_)));
  if (file_ == nullptr) {
    const std::string_view all(input_.contents);
    const size_t n = pos_ >= all.size() ? 0 : std::min<size_t>(want, all.size() - pos_);
    std::memcpy(out, all.data() + pos_, n);
    pos_ += n;
    return n;
  }
  absl::StatusOr<size_t> n = file_->ReadAt(pos_, out, want);
  if (!n.ok()) return n.status();
  // The size is the one PrepareInput saw: a file that ends sooner or goes
  // on is being written or truncated by someone else.
  if ((*n == 0 && pos_ < input_.size && want > 0) || (*n > 0 && pos_ + *n > input_.size)) return Changed(input_);
  pos_ += *n;
  return *n;
}

}  // namespace covmerge::internal
