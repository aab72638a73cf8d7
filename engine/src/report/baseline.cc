// SPDX-License-Identifier: Apache-2.0
// Loads the gate's baseline. A JSON summary is checked field by field, so a
// truncated download or another tool's JSON is an error that names the
// field, never a baseline of zero that lets every change pass.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "simdjson.h"

#include "base/str_cat.h"
#include "covmerge/gate.h"
#include "covmerge/merger.h"
#include "covmerge/status_macros.h"
#include "emit/json_string.h"
#include "io/input_file.h"
#include "covmerge/error.h"

namespace covmerge {
namespace {

using internal::Cat;

absl::Status Malformed(const std::string& path, std::string_view field, std::string_view expected) {
  return ErrorStatus({.kind = ErrorKind::kMalformed,
                      .path = path,
                      .action = "baseline",
                      .detail = Cat(field, ": expected ", expected,
                                    "; give a summary written by covmerge report --json, or a merged profile")});
}

absl::StatusOr<uint64_t> Count(const std::string& path, simdjson::dom::object object, std::string_view key,
                               std::string_view where) {
  uint64_t value = 0;
  if (object[std::string_view(key)].get(value) != simdjson::SUCCESS) {
    return Malformed(path, Cat(where, ".", key), "an integer of 0 or more");
  }
  return value;
}

absl::StatusOr<Coverage> ReadCoverage(const std::string& path, simdjson::dom::object object,
                                      std::string_view where) {
  Coverage coverage;
  COVMERGE_ASSIGN_OR_RETURN(coverage.statements, Count(path, object, "statements", where));
  COVMERGE_ASSIGN_OR_RETURN(coverage.covered, Count(path, object, "covered", where));
  if (coverage.covered > coverage.statements) {
    return Malformed(path, Cat(where, ".covered"), Cat("at most statements (", coverage.statements, ")"));
  }
  return coverage;
}

absl::StatusOr<Baseline> LoadJsonSummary(const std::string& path, const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (simdjson::error_code error = parser.parse(text).get(root); error != simdjson::SUCCESS) {
    return MalformedError("", Cat("baseline ", path, " is not valid JSON (", simdjson::error_message(error),
                                          "); was it cut short?"));
  }
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) return Malformed(path, "the document", "a JSON object");
  std::string_view format;
  if (object["format"].get(format) != simdjson::SUCCESS || format != "covmerge-summary") {
    return Malformed(path, "format", "\"covmerge-summary\"");
  }
  uint64_t version = 0;
  if (object["version"].get(version) != simdjson::SUCCESS) return Malformed(path, "version", "an integer");
  if (version != 1) {
    return MalformedError("", Cat("baseline ", path, " is a summary of version ", version,
                                          ", and this covmerge reads version 1; use the covmerge that wrote it, "
                                          "or write the baseline again"));
  }
  Baseline baseline;
  baseline.name = path;
  simdjson::dom::object total;
  if (object["total"].get(total) != simdjson::SUCCESS) return Malformed(path, "total", "an object");
  COVMERGE_ASSIGN_OR_RETURN(baseline.total, ReadCoverage(path, total, "total"));
  simdjson::dom::array packages;
  if (object["packages"].get(packages) != simdjson::SUCCESS) return Malformed(path, "packages", "an array");
  size_t index = 0;
  for (simdjson::dom::element element : packages) {
    const std::string where = Cat("packages[", index++, "]");
    simdjson::dom::object package;
    if (element.get(package) != simdjson::SUCCESS) return Malformed(path, where, "an object");
    std::string_view name;
    if (package["name"].get(name) != simdjson::SUCCESS) return Malformed(path, Cat(where, ".name"), "a string");
    // A name that is not UTF-8 comes back whole from name_bytes (see
    // emit/json_string.h), so that it matches the profile's own name.
    std::optional<std::string> exact;
    simdjson::dom::element bytes;
    if (package["name_bytes"].get(bytes) == simdjson::SUCCESS) {
      std::string_view escaped;
      if (bytes.get(escaped) != simdjson::SUCCESS || !(exact = internal::UnescapeBytes(escaped))) {
        return Malformed(path, Cat(where, ".name_bytes"), "a string with '%' only before two hex digits");
      }
    }
    COVMERGE_ASSIGN_OR_RETURN(Coverage coverage, ReadCoverage(path, package, where));
    baseline.packages.emplace_back(exact ? *std::move(exact) : std::string(name), coverage);
  }
  std::sort(baseline.packages.begin(), baseline.packages.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 1; i < baseline.packages.size(); ++i) {
    if (baseline.packages[i].first == baseline.packages[i - 1].first) {
      return Malformed(path, "packages", Cat("each name once, but \"", baseline.packages[i].first, "\" repeats"));
    }
  }
  return baseline;
}

absl::StatusOr<Baseline> LoadProfile(const std::string& path, std::string_view text, const PathRewriter& rewriter) {
  MergeOptions options;
  options.threads = 1;
  Merger merger(options);
  merger.AddBuffer(path, std::string(text));
  COVMERGE_ASSIGN_OR_RETURN(MergeResult merged, merger.Finish());
  const CoverageSummary summary = Summarize(merged.profile, rewriter);
  Baseline baseline;
  baseline.name = path;
  baseline.total = summary.total;
  for (const PackageSummary& package : summary.packages) baseline.packages.emplace_back(package.name, package.statements);
  return baseline;
}

}  // namespace

absl::StatusOr<Baseline> ParseBaseline(const std::string& name, std::string_view text, const PathRewriter& rewriter) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
    return LoadJsonSummary(name, std::string(text));
  }
  if (text.starts_with("mode:")) return LoadProfile(name, text, rewriter);
  return MalformedError(
      "", Cat("baseline ", name, " is ", text.empty() ? "empty" : "neither a JSON summary nor a coverage profile",
              "; expected a summary written by covmerge report --json, or a merged profile starting with \"mode:\""));
}

absl::StatusOr<Baseline> LoadBaseline(const std::string& path, const PathRewriter& rewriter) {
  // Read through io/ (a directory, a FIFO and an unreadable file are errors
  // that name the path; a std::ifstream threw libstdc++'s own message).
  internal::ScratchBuffer buffer;
  absl::StatusOr<std::string_view> region = internal::ReadWholeFile(path, &buffer);
  if (!region.ok()) {
    // "cannot read baseline PATH: No such file or directory; expected ..."
    Error error = ErrorOrDescribe(region.status());
    error.action = "cannot read baseline";
    error.path = path;
    error.detail = Cat(error.detail.empty() && error.os_error != 0 ? std::strerror(error.os_error) : error.detail,
                       "; expected the JSON summary of an earlier run (covmerge report --json FILE) or a merged "
                       "profile");
    return ErrorStatus(error);
  }
  return ParseBaseline(path, *region, rewriter);
}

}  // namespace covmerge
