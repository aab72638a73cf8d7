// SPDX-License-Identifier: Apache-2.0
#include "merge/input_set.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "parse/line_scanner.h"

namespace covmerge::internal {
namespace {

// The mode of the first non-blank line, if it is a valid mode line.
std::optional<Mode> ReadModeAhead(std::string_view head) {
  size_t pos = 0;
  while (pos < head.size()) {
    size_t nl = head.find('\n', pos);
    if (nl == std::string_view::npos) nl = head.size();
    std::string_view line = head.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) {
      bool is_mode_line = false;
      return ParseModeLine(line, &is_mode_line);
    }
    pos = nl + 1;
  }
  return std::nullopt;
}

}  // namespace

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
    return absl::OkStatus();
  }
  absl::StatusOr<FileStat> stat = StatFile(input->name);
  if (!stat.ok()) return stat.status();
  input->size = stat->size;
  if (input->size > chunk_bytes) {
    ScratchBuffer buffer;
    absl::StatusOr<InputRegion> region = InputRegion::Open(input->name, 0, 4096, InputAccess::kRead, &buffer);
    if (!region.ok()) return region.status();
    input->mode_hint = ReadModeAhead(region->bytes().substr(0, 65536));
  }
  return absl::OkStatus();
}

std::vector<WorkItem> PlanWork(const std::vector<Input>& inputs, const std::vector<bool>& included,
                               uint64_t chunk_bytes) {
  std::vector<WorkItem> items;
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    if (!included[i]) continue;
    const uint64_t size = inputs[i].size;
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
