// SPDX-License-Identifier: Apache-2.0
// AppendXmlEscaped: writes arbitrary bytes (a Go file path may hold almost
// any byte but NUL and newline) as XML 1.0 character data that is always
// well-formed, inside an attribute value or between tags. Header-only so
// that each writer that needs it (Cobertura now) can include it without a
// build change; the HTML writer keeps its own escaper because HTML has
// different rules (no &apos; in HTML 4, no need to avoid control bytes).
#ifndef COVMERGE_EMIT_XML_ESCAPE_H_
#define COVMERGE_EMIT_XML_ESCAPE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace covmerge::internal {

// U+FFFD REPLACEMENT CHARACTER in UTF-8.
inline constexpr std::string_view kXmlReplacement = "\xEF\xBF\xBD";

// The length of the well-formed UTF-8 sequence that starts at text[i] and
// encodes a character XML 1.0 allows (Char, section 2.2), or 0 when there
// is none. Rejects overlong forms, surrogates, U+FFFE/U+FFFF and code
// points past U+10FFFF; C0 controls are handled by the caller.
inline size_t XmlCharLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[i + k]); };
  const auto continuation = [&](size_t k) { return i + k < text.size() && (byte(k) & 0xC0) == 0x80; };
  const uint8_t b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return continuation(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    const uint32_t cp = (uint32_t{b0} & 0x0F) << 12 | (uint32_t{byte(1)} & 0x3F) << 6 | (byte(2) & 0x3F);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    const uint32_t cp = (uint32_t{b0} & 0x07) << 18 | (uint32_t{byte(1)} & 0x3F) << 12 |
                        (uint32_t{byte(2)} & 0x3F) << 6 | (byte(3) & 0x3F);
    if (cp < 0x10000 || cp > 0x10FFFF) return 0;
    return 4;
  }
  return 0;  // a stray continuation byte, 0xC0, 0xC1 or 0xF5..0xFF
}

// The reference that stands for `c` in escaped text, or "" for a byte
// that stands for itself or needs the UTF-8 check.
inline std::string_view XmlEntity(char c) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&apos;";
    case '\t': return "&#9;";
    case '\n': return "&#10;";
    case '\r': return "&#13;";
    default: return {};
  }
}

// Appends `text` escaped for XML 1.0, valid both as attribute value (in
// either quote) and as element content:
//  - & < > " ' become the predefined entities.
//  - Tab, LF and CR become &#9; &#10; &#13;: a parser would otherwise turn
//    them into spaces in an attribute (attribute-value normalization) and
//    CR into LF anywhere (end-of-line handling), changing the path.
//  - Every other byte below 0x20 is replaced by U+FFFD, because XML 1.0
//    forbids those characters even as character references (&#1; is not
//    well-formed). So is each byte that does not start a well-formed UTF-8
//    sequence of an allowed character (the document has no encoding
//    declaration, so it is UTF-8). Such a path then differs from the file's
//    real name, but the document stays readable by every XML parser rather
//    than being rejected whole; LCOV, which has no escaping, keeps the
//    bytes.
inline void AppendXmlEscaped(std::string* out, std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // Copy the run of bytes that need nothing in one append.
    size_t run = i;
    while (run < text.size()) {
      const uint8_t c = static_cast<uint8_t>(text[run]);
      if (c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') break;
      ++run;
    }
    out->append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    const char c = text[i];
    if (const std::string_view entity = XmlEntity(c); !entity.empty()) {
      out->append(entity);
      ++i;
      continue;
    }
    const size_t length = static_cast<uint8_t>(c) < 0x20 ? 0 : XmlCharLength(text, i);
    if (length == 0) {
      out->append(kXmlReplacement);
      ++i;
    } else {
      out->append(text.data() + i, length);
      i += length;
    }
  }
}

}  // namespace covmerge::internal

#endif  // COVMERGE_EMIT_XML_ESCAPE_H_
