// SPDX-License-Identifier: Apache-2.0
#include "parse/line_scanner.h"

namespace covmerge::internal {

std::string ExpectedModeMessage(std::string_view line) {
  return internal::Cat("expected \"mode: set\", \"mode: count\" or \"mode: atomic\", found ",
                      QuoteExcerpt(line, 0));
}

}  // namespace covmerge::internal
