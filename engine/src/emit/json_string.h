// SPDX-License-Identifier: Apache-2.0
// JSON string literals for the exports. Paths may hold any byte but NUL and
// newline, and need not be UTF-8; JSON must be UTF-8, so each byte that is
// not part of a valid UTF-8 sequence becomes U+FFFD. '<', '>' and '&' are
// escaped too, so a literal is also safe inside an HTML <script> element.
//
// U+FFFD loses the byte, so the JSON summary also writes the exact bytes of
// such a string, percent-escaped (EscapeBytes), in a "*_bytes" field that
// the baseline reader decodes (UnescapeBytes): the rule is documented in
// docs/json-summary.md. (simdjson refuses lone surrogates such as "\udcff",
// so the bytes cannot travel as JSON escapes.)
#ifndef COVMERGE_EMIT_JSON_STRING_H_
#define COVMERGE_EMIT_JSON_STRING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace covmerge::internal {

// Length of the valid UTF-8 sequence at the start of `s`, or 0.
inline size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const auto continuation = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  const uint8_t b = byte(0);
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return continuation(1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (b == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (b == 0xED && byte(1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (b == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// True when all of `s` is valid UTF-8.
inline bool IsValidUtf8(std::string_view s) {
  while (!s.empty()) {
    const size_t length = static_cast<uint8_t>(s[0]) < 0x80 ? 1 : Utf8SequenceLength(s);
    if (length == 0) return false;
    s.remove_prefix(length);
  }
  return true;
}

// `s` as valid UTF-8 that keeps every byte: each '%' and each byte that is
// not part of a valid UTF-8 sequence becomes "%XX" (upper-case hex); all
// else is kept. "a\xffb%" -> "a%FFb%25".
inline std::string EscapeBytes(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  while (!s.empty()) {
    const uint8_t c = static_cast<uint8_t>(s[0]);
    size_t length = c < 0x80 ? 1 : Utf8SequenceLength(s);
    if (c == '%' || length == 0) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
      length = 1;
    } else {
      out.append(s.substr(0, length));
    }
    s.remove_prefix(length);
  }
  return out;
}

// The inverse of EscapeBytes; nullopt when a '%' is not followed by two hex
// digits.
inline std::optional<std::string> UnescapeBytes(std::string_view s) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int high = hex(s[i + 1]), low = hex(s[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// Appends `s` as a quoted JSON string.
inline void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  while (!s.empty()) {
    const uint8_t c = static_cast<uint8_t>(s[0]);
    size_t length = 1;
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7F) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else if ((length = Utf8SequenceLength(s)) > 0) {
      out->append(s.substr(0, length));
    } else {
      out->append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
      length = 1;
    }
    s.remove_prefix(length);
  }
  out->push_back('"');
}

}  // namespace covmerge::internal

#endif  // COVMERGE_EMIT_JSON_STRING_H_
