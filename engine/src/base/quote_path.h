// SPDX-License-Identifier: Apache-2.0
// QuotePath: a path as messages print it. A path that holds spaces, quotes,
// backslashes or control characters is put in double quotes with C escapes
// (\n, \t, \", \\, \xNN), so that a message stays one line that a user can
// copy, and a terminal never receives raw control bytes from a file name.
// Other paths, UTF-8 ones included, are printed as they are, as compilers
// print them.
#ifndef COVMERGE_BASE_QUOTE_PATH_H_
#define COVMERGE_BASE_QUOTE_PATH_H_

#include <string>
#include <string_view>

namespace covmerge::internal {

// True when `path` can be printed as it is.
inline bool IsPlainPath(std::string_view path) {
  if (path.empty()) return false;
  for (char c : path) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '\'' || c == '\\') return false;
  }
  return true;
}

inline std::string QuotePath(std::string_view path) {
  if (IsPlainPath(path)) return std::string(path);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string quoted = "\"";
  for (char c : path) {
    const unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': quoted += "\\\""; break;
      case '\\': quoted += "\\\\"; break;
      case '\n': quoted += "\\n"; break;
      case '\t': quoted += "\\t"; break;
      case '\r': quoted += "\\r"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          quoted += "\\x";
          quoted += kHex[u >> 4];
          quoted += kHex[u & 15];
        } else {
          quoted += c;  // spaces, quotes and UTF-8 bytes print as they are
        }
    }
  }
  quoted += '"';
  return quoted;
}

}  // namespace covmerge::internal

#endif  // COVMERGE_BASE_QUOTE_PATH_H_
