// SPDX-License-Identifier: Apache-2.0
#include "partial.h"

#include "base/str_cat.h"
#include "emit/json_string.h"
#include "simdjson.h"

namespace covmerge::internal {
namespace {

constexpr std::string_view kMagic = "covmerge-partial 1\n";
constexpr std::string_view kMagicPrefix = "covmerge-partial ";

void AppendString(std::string* out, std::string_view s) { AppendJsonString(out, EscapeBytes(s)); }

template <typename T>
void AppendOptional(std::string* out, const std::optional<T>& value) {
  if (!value) {
    *out += "null";
  } else if constexpr (std::is_same_v<T, std::string>) {
    AppendString(out, *value);
  } else {
    Append(out, *value);
  }
}

absl::Status Damaged(std::string_view what) {
  return MalformedError("", Cat("damaged covmerge partial: its header is not what version 1 writes (", what, ")"));
}

// simdjson accessors that name the field that is wrong.
absl::StatusOr<std::string> String(simdjson::simdjson_result<simdjson::dom::element> e, std::string_view field) {
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS) return Damaged(Cat(field, " is not a string"));
  std::optional<std::string> bytes = UnescapeBytes(text);
  if (!bytes) return Damaged(Cat(field, " has a '%' without two hex digits"));
  return *bytes;
}

absl::StatusOr<std::optional<std::string>> OptionalString(simdjson::dom::object o, std::string_view field) {
  simdjson::dom::element e;
  if (o[field].get(e) != simdjson::SUCCESS || e.is_null()) return std::optional<std::string>();
  absl::StatusOr<std::string> s = String(simdjson::simdjson_result<simdjson::dom::element>(simdjson::dom::element(e)), field);
  if (!s.ok()) return s.status();
  return std::optional<std::string>(*std::move(s));
}

absl::StatusOr<uint64_t> Unsigned(simdjson::dom::object o, std::string_view field) {
  uint64_t value;
  if (o[field].get(value) != simdjson::SUCCESS) return Damaged(Cat(field, " is not a whole number"));
  return value;
}

absl::StatusOr<std::optional<uint64_t>> OptionalUnsigned(simdjson::dom::object o, std::string_view field) {
  simdjson::dom::element e;
  if (o[field].get(e) != simdjson::SUCCESS || e.is_null()) return std::optional<uint64_t>();
  uint64_t value;
  if (e.get(value) != simdjson::SUCCESS) return Damaged(Cat(field, " is not a whole number"));
  return std::optional<uint64_t>(value);
}

bool Bool(simdjson::dom::object o, std::string_view field) {
  bool value = false;
  return o[field].get(value) == simdjson::SUCCESS && value;
}

#define COVMERGE_ASSIGN(lhs, expr)           \
  do {                                       \
    auto value_or = (expr);                  \
    if (!value_or.ok()) return value_or.status(); \
    lhs = *std::move(value_or);              \
  } while (false)

absl::StatusOr<PartialError> DecodeError(simdjson::dom::object e) {
  PartialError error;
  COVMERGE_ASSIGN(error.type, String(e["type"], "error.type"));
  COVMERGE_ASSIGN(error.message, String(e["message"], "error.message"));
  COVMERGE_ASSIGN(error.path, OptionalString(e, "path"));
  COVMERGE_ASSIGN(error.line, OptionalUnsigned(e, "line"));
  COVMERGE_ASSIGN(error.column, OptionalUnsigned(e, "column"));
  error.conflict = Bool(e, "conflict");
  int64_t number;
  if (e["errno"].get(number) == simdjson::SUCCESS) error.errno_value = number;
  COVMERGE_ASSIGN(error.strerror, OptionalString(e, "strerror"));
  COVMERGE_ASSIGN(error.index, Unsigned(e, "index"));
  uint64_t stage;
  COVMERGE_ASSIGN(stage, Unsigned(e, "stage"));
  error.stage = static_cast<int>(stage);
  COVMERGE_ASSIGN(error.kind, OptionalString(e, "kind"));
  return error;
}

}  // namespace

Error ErrorOfPartial(const PartialError& e) {
  Error error;
  error.kind = ErrorKind::kIo;
  bool known = false;
  if (e.kind) {
    for (int k = 0; k <= static_cast<int>(ErrorKind::kInternal); ++k) {
      if (*e.kind == ErrorKindName(static_cast<ErrorKind>(k))) {
        error.kind = static_cast<ErrorKind>(k);
        known = true;
      }
    }
  }
  if (!known) {
    // A partial written before errors had kinds: the Python exception says.
    error.kind = e.type == "ProfileError" || e.type == "ConflictError"
                     ? (e.conflict || e.type == "ConflictError" ? ErrorKind::kConflict : ErrorKind::kMalformed)
                 : e.type == "MemoryError" ? ErrorKind::kOutOfMemory
                                           : ErrorKind::kIo;
  }
  error.path = e.path.value_or("");
  error.input_index = e.index;
  error.line = e.line.value_or(0);
  error.column = e.column.value_or(0);
  error.os_error = static_cast<int>(e.errno_value.value_or(0));
  error.detail = e.message;
  return error;
}

std::string EncodePartial(const PartialHeader& h, std::string_view payload) {
  std::string json;
  Append(&json, "{\"first\":", h.first, ",\"count\":", h.count, ",\"merged\":", h.merged, ",\"mode\":");
  AppendOptional(&json, h.mode);
  json += ",\"skipped\":[";
  for (size_t i = 0; i < h.skipped.size(); ++i) {
    const PartialSkipped& s = h.skipped[i];
    Append(&json, i == 0 ? "[" : ",[", s.stage, ",", s.index, ",");
    AppendString(&json, s.name);
    json += ",";
    AppendString(&json, s.reason);
    json += "]";
  }
  json += "],\"warnings\":[";
  for (size_t i = 0; i < h.warnings.size(); ++i) {
    if (i > 0) json += ",";
    AppendString(&json, h.warnings[i]);
  }
  Append(&json, "],\"whole\":", h.whole ? "true" : "false", ",\"error\":");
  if (!h.error) {
    json += "null";
  } else {
    const PartialError& e = *h.error;
    json += "{\"type\":";
    AppendString(&json, e.type);
    json += ",\"message\":";
    AppendString(&json, e.message);
    json += ",\"path\":";
    AppendOptional(&json, e.path);
    json += ",\"line\":";
    AppendOptional(&json, e.line);
    json += ",\"column\":";
    AppendOptional(&json, e.column);
    Append(&json, ",\"conflict\":", e.conflict ? "true" : "false", ",\"errno\":");
    AppendOptional(&json, e.errno_value);
    json += ",\"strerror\":";
    AppendOptional(&json, e.strerror);
    Append(&json, ",\"index\":", e.index, ",\"stage\":", e.stage);
    if (e.kind) {
      json += ",\"kind\":";
      AppendOptional(&json, e.kind);
    }
    json += "}";
  }
  json += "}";
  std::string out;
  out.reserve(kMagic.size() + 24 + json.size() + payload.size());
  Append(&out, kMagic, json.size(), "\n", json, payload);
  return out;
}

absl::StatusOr<std::pair<PartialHeader, std::string_view>> DecodePartial(std::string_view data) {
  if (data.substr(0, kMagic.size()) != kMagic) {
    if (data.substr(0, kMagicPrefix.size()) == kMagicPrefix) {
      std::string_view version = data.substr(kMagicPrefix.size());
      version = version.substr(0, std::min(version.find('\n'), size_t{20}));
      return MalformedError("", 
          Cat("a covmerge partial of version ", version, "; this covmerge reads version 1"));
    }
    return MalformedError("", "not a covmerge partial: it does not start with \"covmerge-partial 1\"");
  }
  std::string_view rest = data.substr(kMagic.size());
  const size_t newline = rest.find('\n');
  uint64_t length = 0;
  bool digits = newline != std::string_view::npos && newline > 0 && newline <= 12;
  for (size_t i = 0; digits && i < newline; ++i) {
    if (rest[i] < '0' || rest[i] > '9') digits = false;
    length = length * 10 + static_cast<uint64_t>(rest[i] - '0');
  }
  if (!digits || length > rest.size() - newline - 1) {
    return MalformedError("", 
        "damaged covmerge partial: the header length on its second line is missing or too large");
  }
  const std::string_view json = rest.substr(newline + 1, length);
  const std::string_view payload = rest.substr(newline + 1 + length);

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (simdjson::error_code error = parser.parse(json.data(), json.size()).get(root); error != simdjson::SUCCESS) {
    return Damaged(simdjson::error_message(error));
  }
  simdjson::dom::object o;
  if (root.get(o) != simdjson::SUCCESS) return Damaged("not a JSON object");
  PartialHeader h;
  COVMERGE_ASSIGN(h.first, Unsigned(o, "first"));
  COVMERGE_ASSIGN(h.count, Unsigned(o, "count"));
  COVMERGE_ASSIGN(h.merged, Unsigned(o, "merged"));
  COVMERGE_ASSIGN(h.mode, OptionalString(o, "mode"));
  simdjson::dom::array skipped;
  if (o["skipped"].get(skipped) != simdjson::SUCCESS) return Damaged("skipped is not a list");
  for (simdjson::dom::element entry : skipped) {
    simdjson::dom::array fields;
    uint64_t stage, index;
    if (entry.get(fields) != simdjson::SUCCESS || fields.size() != 4 || fields.at(0).get(stage) != simdjson::SUCCESS ||
        fields.at(1).get(index) != simdjson::SUCCESS) {
      return Damaged("an entry of skipped is not [stage, index, name, reason]");
    }
    PartialSkipped s{static_cast<int>(stage), index, "", ""};
    COVMERGE_ASSIGN(s.name, String(fields.at(2), "skipped name"));
    COVMERGE_ASSIGN(s.reason, String(fields.at(3), "skipped reason"));
    h.skipped.push_back(std::move(s));
  }
  simdjson::dom::array warnings;
  if (o["warnings"].get(warnings) != simdjson::SUCCESS) return Damaged("warnings is not a list");
  for (simdjson::dom::element w : warnings) {
    std::string text;
    COVMERGE_ASSIGN(text, String(simdjson::simdjson_result<simdjson::dom::element>(simdjson::dom::element(w)), "a warning"));
    h.warnings.push_back(std::move(text));
  }
  h.whole = Bool(o, "whole");
  simdjson::dom::element error;
  if (o["error"].get(error) == simdjson::SUCCESS && !error.is_null()) {
    simdjson::dom::object e;
    if (error.get(e) != simdjson::SUCCESS) return Damaged("error is not an object");
    PartialError decoded;
    COVMERGE_ASSIGN(decoded, DecodeError(e));
    h.error = std::move(decoded);
  }
  return std::make_pair(std::move(h), payload);
}

#undef COVMERGE_ASSIGN

}  // namespace covmerge::internal
