// SPDX-License-Identifier: Apache-2.0
// The man page and the shell completions of the covmerge command, written
// from the option table (option_table.h) by covmerge-docgen at build time
// and installed with the command.
#ifndef COVMERGE_CLI_DOCS_WRITER_H_
#define COVMERGE_CLI_DOCS_WRITER_H_

#include <string>
#include <string_view>

namespace covmerge::cli {

// covmerge(1) in roff (man -l covmerge.1); `version` goes in its footer.
std::string ManPage(std::string_view version);

// A bash completion (bash-completion's completions/covmerge): options by
// command, files, directories and the words an option takes.
std::string BashCompletion();

// A zsh completion (_covmerge, for a directory in $fpath).
std::string ZshCompletion();

}  // namespace covmerge::cli

#endif  // COVMERGE_CLI_DOCS_WRITER_H_
