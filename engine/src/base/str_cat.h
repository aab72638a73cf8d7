// SPDX-License-Identifier: Apache-2.0
// Cat(...): concatenates strings, characters and integers into a std::string.
// Debian's Abseil is built with its own absl::string_view (not
// std::string_view), so absl::StrCat does not take std::string_view pieces;
// this small helper does, and keeps messages easy to write.
#ifndef COVMERGE_BASE_STR_CAT_H_
#define COVMERGE_BASE_STR_CAT_H_

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace covmerge::internal {

inline void AppendPiece(std::string* out, std::string_view piece) { out->append(piece); }
inline void AppendPiece(std::string* out, const char* piece) { out->append(piece); }
inline void AppendPiece(std::string* out, const std::string& piece) { out->append(piece); }
inline void AppendPiece(std::string* out, absl::string_view piece) {
  out->append(piece.data(), piece.size());
}
inline void AppendPiece(std::string* out, char c) { out->push_back(c); }
template <std::integral T>
  requires(!std::same_as<T, char> && !std::same_as<T, bool>)
void AppendPiece(std::string* out, T value) {
  char digits[24];
  out->append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

// absl::Status::message() is an absl::string_view.
inline std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }

template <typename... Pieces>
std::string Cat(const Pieces&... pieces) {
  std::string out;
  (AppendPiece(&out, pieces), ...);
  return out;
}

template <typename... Pieces>
void Append(std::string* out, const Pieces&... pieces) {
  (AppendPiece(out, pieces), ...);
}

}  // namespace covmerge::internal

#endif  // COVMERGE_BASE_STR_CAT_H_
