// SPDX-License-Identifier: Apache-2.0
#include "parse/line_scanner.h"

namespace covmerge::internal {

std::string ExpectedModeMessage(std::string_view line) {
  return internal::Cat("expected \"mode: set\", \"mode: count\" or \"mode: atomic\", found ",
                      QuoteExcerpt(line, 0));
}

std::string LineTooLongMessage() {
  return internal::Cat("expected a line of at most ", kMaxLineBytes,
                       " bytes, found a longer one; a Go coverage profile line is a few hundred bytes: "
                       "is this file a profile?");
}

std::string StrayZeroMessage() {
  return "expected a block line, found \"0\"; a lone \"0\" line is accepted only at the end of a profile, "
         "where parallel `go test -coverprofile` can write one (golang/go#70441)";
}

}  // namespace covmerge::internal
