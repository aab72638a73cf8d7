// SPDX-License-Identifier: Apache-2.0
#include "merge/input_set.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "covmerge/status_macros.h"
#include "parse/line_scanner.h"

namespace covmerge::internal {
std::optional<uint64_t> FindFirstLine(const Input& input) {
  ScratchBuffer buffer;
  // A compressed input is read whole by OpenInput: one window is all of it.
  const uint64_t kWindow = input.compression == Compression::kNone ? 65536 : UINT64_MAX;
  for (uint64_t offset = 0; offset < input.size; offset += kWindow) {
    absl::StatusOr<InputRegion> region = OpenInput(input, offset, kWindow, InputAccess::kRead, &buffer);
    if (!region.ok()) return std::nullopt;
    std::string_view bytes = region->bytes().substr(0, kWindow);
    if (bytes.empty()) break;
    for (size_t i = 0; i < bytes.size(); ++i) {
      if (bytes[i] != '\n' && bytes[i] != '\r') {
        // A '\r' not followed by '\n' is not blank; back up to include it.
        size_t start = i;
        while (start > 0 && bytes[start - 1] == '\r') --start;
        return offset + start;
      }
    }
  }
  return std::nullopt;
}

absl::Status PrepareInput(Input* input, uint64_t chunk_bytes) {
  if (input->from_stdin && !input->in_memory) {
    std::string buffer;
    absl::StatusOr<InputRegion> region = InputRegion::ReadStream(STDIN_FILENO, input->name, &buffer);
    if (!region.ok()) return region.status();
    input->contents = std::move(buffer);
    input->in_memory = true;
  }
  if (input->in_memory) {
    input->size = input->contents.size();
  } else {
    absl::StatusOr<FileStat> stat = StatFile(input->name);
    if (!stat.ok()) return stat.status();
    input->size = stat->size;
  }
  if (input->in_memory) input->compression = DetectCompression(input->contents);
  if (input->size <= chunk_bytes && !input->in_memory) return absl::OkStatus();
  if (!input->in_memory) {
    ScratchBuffer head;
    absl::StatusOr<InputRegion> region = InputRegion::Open(input->name, 0, 4, InputAccess::kRead, &head);
    if (!region.ok()) return region.status();
    input->compression = DetectCompression(region->bytes());
  }
  if (input->size <= chunk_bytes || input->compression != Compression::kNone) return absl::OkStatus();
  // Cut into chunks: every chunk must know the mode to combine counts, and
  // chunk 0 must reach the mode line however many blank lines precede it.
  input->first_line = FindFirstLine(*input);
  if (input->first_line) {
    ScratchBuffer buffer;
    absl::StatusOr<InputRegion> region = OpenInput(*input, *input->first_line, 1, InputAccess::kRead, &buffer);
    if (!region.ok()) return region.status();
    std::string_view line = region->bytes().substr(0, region->bytes().find('\n'));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool is_mode_line = false;
    input->mode_hint = ParseModeLine(line, &is_mode_line);
  }
  return absl::OkStatus();
}

std::vector<WorkItem> PlanWork(const std::vector<Input>& inputs, const std::vector<bool>& included,
                               uint64_t chunk_bytes) {
  std::vector<WorkItem> items;
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    if (!included[i]) continue;
    // A compressed stream cannot be cut: one item, read as a stream.
    const uint64_t size = inputs[i].size;
    if (inputs[i].compression != Compression::kNone) {
      items.push_back({i, 0, size});
      continue;
    }
    // Memory inputs are cut too: a large stdin is parsed in parallel as well.
    uint64_t begin = 0;
    do {
      const uint64_t end = size - begin > chunk_bytes ? begin + chunk_bytes : size;
      items.push_back({i, begin, end});
      begin = end;
    } while (begin < size);
  }
  return items;
}

absl::StatusOr<InputRegion> OpenInput(const Input& input, uint64_t offset, uint64_t length,
                                      InputAccess access, ScratchBuffer* buffer) {
  if (input.compression != Compression::kNone) {
    std::string all;
    COVMERGE_RETURN_IF_ERROR(DecompressAll(input.compression, input.name,
                                           input.in_memory ? std::string_view(input.contents) : std::string_view(),
                                           &all));
    all.erase(0, std::min<uint64_t>(offset, all.size()));
    char* out = buffer->Reserve(all.size());
    std::memcpy(out, all.data(), all.size());
    return InputRegion::FromMemory(std::string_view(out, all.size()));
  }
  if (input.in_memory) {
    std::string_view all(input.contents);
    return InputRegion::FromMemory(all.substr(std::min<uint64_t>(offset, all.size())));
  }
  return InputRegion::Open(input.name, offset, length, access, buffer);
}

uint64_t LineNumberAt(const Input& input, uint64_t offset) {
  ScratchBuffer buffer;
  absl::StatusOr<InputRegion> region = OpenInput(input, 0, offset, InputAccess::kRead, &buffer);
  if (!region.ok()) return 0;
  std::string_view bytes = region->bytes().substr(0, offset);
  return 1 + static_cast<uint64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
}

std::optional<uint64_t> FindBlockLine(const Input& input, std::string_view path,
                                      const BlockLine& position) {
  struct Finder {
    std::string_view path;
    const BlockLine& want;
    std::optional<uint64_t> found;
    void OnBlock(const BlockLine& b, uint64_t offset) {
      if (!found && b.start_line == want.start_line && b.start_col == want.start_col &&
          b.end_line == want.end_line && b.end_col == want.end_col && b.path == path) {
        found = offset;
      }
    }
  } finder{path, position, std::nullopt};
  ScratchBuffer buffer;
  absl::StatusOr<InputRegion> region = OpenInput(input, 0, input.size, InputAccess::kRead, &buffer);
  if (!region.ok()) return std::nullopt;
  std::optional<Mode> mode;
  ScanError error;
  // A damaged line later in the file stops the search; whatever was found
  // before it is still the answer.
  (void)ScanLines(region->bytes(), 0, region->bytes().size(), true, &mode, finder, &error);
  return finder.found;
}

}  // namespace covmerge::internal
