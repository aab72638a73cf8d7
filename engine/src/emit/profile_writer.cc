// SPDX-License-Identifier: Apache-2.0
// The merged-profile writer: formats lines with std::to_chars into a buffer
// of about a megabyte and hands each full buffer to the sink.
#include <charconv>
#include <memory>
#include <string>

#include "base/str_cat.h"
#include "absl/strings/str_format.h"
#include "covmerge/status_macros.h"
#include "covmerge/writer.h"
#include "io/compressor.h"
#include "io/output_file.h"

namespace covmerge {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

inline char* AppendNumber(char* out, uint64_t value) {
  return std::to_chars(out, out + 20, value).ptr;
}

}  // namespace

absl::Status WriteProfile(const MergedProfile& profile, const ByteSink& sink) {
  if (profile.empty()) return absl::OkStatus();
  std::string buffer;
  buffer.reserve(kFlushBytes + 4096);
  internal::Append(&buffer, "mode: ", ModeName(profile.mode), "\n");
  for (const FileProfile& file : profile.files) {
    for (const Block& b : file.blocks) {
      // Path, then at most 6 numbers of 20 digits and 7 separators.
      const size_t used = buffer.size();
      buffer.resize(used + file.path.size() + 6 * 20 + 8);
      char* out = buffer.data() + used;
      out = std::copy(file.path.begin(), file.path.end(), out);
      *out++ = ':';
      out = AppendNumber(out, b.start_line);
      *out++ = '.';
      out = AppendNumber(out, b.start_col);
      *out++ = ',';
      out = AppendNumber(out, b.end_line);
      *out++ = '.';
      out = AppendNumber(out, b.end_col);
      *out++ = ' ';
      out = AppendNumber(out, b.num_stmt);
      *out++ = ' ';
      out = AppendNumber(out, b.count);
      *out++ = '\n';
      buffer.resize(static_cast<size_t>(out - buffer.data()));
      if (buffer.size() >= kFlushBytes) {
        COVMERGE_RETURN_IF_ERROR(sink(buffer));
        buffer.clear();
      }
    }
  }
  if (!buffer.empty()) COVMERGE_RETURN_IF_ERROR(sink(buffer));
  return absl::OkStatus();
}

absl::Status WriteProfileFile(const MergedProfile& profile, const std::string& path) {
  COVMERGE_ASSIGN_OR_RETURN(internal::OutputFile output, internal::OutputFile::CreateAtomic(path));
  auto to_file = [&](std::string_view bytes) { return output.Write(bytes); };
  std::unique_ptr<internal::Compressor> compressor =
      internal::Compressor::Create(internal::CompressionForName(path), to_file);
  if (compressor == nullptr) {
    COVMERGE_RETURN_IF_ERROR(WriteProfile(profile, to_file));
  } else {
    COVMERGE_RETURN_IF_ERROR(WriteProfile(profile, [&](std::string_view bytes) { return compressor->Write(bytes); }));
    COVMERGE_RETURN_IF_ERROR(compressor->Finish());
  }
  return output.Commit();
}

absl::Status WriteProfileToDescriptor(const MergedProfile& profile, int fd, std::string_view name) {
  internal::OutputFile output = internal::OutputFile::FromDescriptor(fd, std::string(name));
  COVMERGE_RETURN_IF_ERROR(WriteProfile(profile, [&](std::string_view bytes) { return output.Write(bytes); }));
  return output.Commit();
}

std::string CoverageLine(const Coverage& coverage) {
  if (coverage.statements == 0) return "coverage: [no statements]";
  return absl::StrFormat("coverage: %.1f%% of statements", coverage.Percent());
}

}  // namespace covmerge
