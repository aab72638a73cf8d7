// SPDX-License-Identifier: Apache-2.0
// The JSON summary, schema "covmerge-summary" version 1, described in
// docs/json-summary.md. One package or file per line, so that two summaries
// diff well; streamed a megabyte at a time.
#include <string>

#include "base/str_cat.h"
#include "covmerge/exports.h"
#include "covmerge/status_macros.h"
#include "emit/json_string.h"

namespace covmerge {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

// `"key": "s"`, and when `s` is not valid UTF-8 (AppendJsonString then
// writes U+FFFD for some bytes), also `, "key_bytes": "..."` with every byte
// (EscapeBytes), for readers that need the exact name back: the baseline.
void AppendName(std::string* out, std::string_view key, std::string_view s) {
  internal::Append(out, "\"", key, "\": ");
  internal::AppendJsonString(out, s);
  if (internal::IsValidUtf8(s)) return;
  internal::Append(out, ", \"", key, "_bytes\": ");
  internal::AppendJsonString(out, internal::EscapeBytes(s));
}

void AppendCounts(std::string* out, const Coverage& statements, const LineTotals& lines) {
  internal::Append(out, "\"statements\": ", statements.statements, ", \"covered\": ", statements.covered,
                   ", \"percent\": ", FormatPercent(statements.Percent()), ", \"lines\": ", lines.lines,
                   ", \"lines_covered\": ", lines.covered);
}

// The "patch" member (docs/json-summary.md), before the closing brace.
void AppendPatch(std::string* out, const PatchCoverage& patch) {
  internal::Append(out, ",\n  \"patch\": {\"statements\": ", patch.total.statements, ", \"covered\": ",
                   patch.total.covered, ", \"percent\": ", FormatPercent(patch.total.Percent()),
                   ", \"changed_lines\": ", patch.changed_lines, ", \"files\": [");
  const char* separator = "\n    ";
  for (const PatchFile& file : patch.files) {
    internal::Append(out, separator, "{");
    AppendName(out, "path", file.path);
    internal::Append(out, ", \"statements\": ", file.statements.statements, ", \"covered\": ",
                     file.statements.covered, ", \"percent\": ", FormatPercent(file.statements.Percent()),
                     ", \"uncovered\": [");
    for (size_t i = 0; i < file.uncovered.size(); ++i) {
      const auto& [first, last] = file.uncovered[i];
      internal::Append(out, i ? ", " : "", "[", first, ", ", last, "]");
    }
    *out += "]}";
    separator = ",\n    ";
  }
  *out += patch.files.empty() ? "], \"unmeasured\": [" : "\n  ], \"unmeasured\": [";
  for (size_t i = 0; i < patch.unmeasured.size(); ++i) {
    if (i) *out += ", ";
    internal::AppendJsonString(out, patch.unmeasured[i]);
  }
  *out += "]}";
}

}  // namespace

absl::Status WriteJsonSummary(const CoverageSummary& summary, const ByteSink& sink) {
  return WriteJsonSummary(summary, nullptr, sink);
}

absl::Status WriteJsonSummary(const CoverageSummary& summary, const PatchCoverage* patch, const ByteSink& sink) {
  std::string out;
  internal::Append(&out, "{\n  \"format\": \"covmerge-summary\",\n  \"version\": 1,\n  \"mode\": \"",
                   ModeName(summary.mode), "\",\n  \"total\": {");
  AppendCounts(&out, summary.total, summary.total_lines);
  internal::Append(&out, "},\n  \"inputs\": {\"merged\": ", summary.inputs_merged,
                   ", \"skipped\": ", summary.inputs_skipped, "},\n  \"excluded_files\": ",
                   summary.excluded_files, ",\n  \"packages\": [");
  const char* separator = "\n    ";
  for (const PackageSummary& package : summary.packages) {
    internal::Append(&out, separator, "{");
    AppendName(&out, "name", package.name);
    out += ", ";
    AppendCounts(&out, package.statements, package.lines);
    internal::Append(&out, ", \"files\": ", package.file_count, "}");
    separator = ",\n    ";
    if (out.size() >= kFlushBytes) {
      COVMERGE_RETURN_IF_ERROR(sink(out));
      out.clear();
    }
  }
  out += summary.packages.empty() ? "],\n  \"files\": [" : "\n  ],\n  \"files\": [";
  separator = "\n    ";
  for (const FileSummary& file : summary.files) {
    internal::Append(&out, separator, "{");
    AppendName(&out, "path", file.path);
    out += ", ";
    AppendName(&out, "package", file.package);
    out += ", ";
    AppendCounts(&out, file.statements, file.lines);
    out += "}";
    separator = ",\n    ";
    if (out.size() >= kFlushBytes) {
      COVMERGE_RETURN_IF_ERROR(sink(out));
      out.clear();
    }
  }
  out += summary.files.empty() ? "]" : "\n  ]";
  if (patch != nullptr) AppendPatch(&out, *patch);
  out += "\n}\n";
  return sink(out);
}

}  // namespace covmerge
