// SPDX-License-Identifier: Apache-2.0
// covmerge-docgen man|bash|zsh: writes the man page or a shell completion
// of the covmerge command from its option table, for the build to install.
#include <cstdio>
#include <string>
#include <string_view>

#include "cli/docs_writer.h"

#ifndef COVMERGE_VERSION
#define COVMERGE_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  const std::string_view what = argc == 2 ? argv[1] : "";
  std::string text;
  if (what == "man") {
    text = covmerge::cli::ManPage(COVMERGE_VERSION);
  } else if (what == "bash") {
    text = covmerge::cli::BashCompletion();
  } else if (what == "zsh") {
    text = covmerge::cli::ZshCompletion();
  } else {
    std::fputs("usage: covmerge-docgen man|bash|zsh\n", stderr);
    return 2;
  }
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0 ? 0 : 1;
}
