// SPDX-License-Identifier: Apache-2.0
#include "cli/docs_writer.h"

#include "base/str_cat.h"
#include "cli/command_line.h"
#include "cli/option_table.h"

namespace covmerge::cli {
namespace {

using ::covmerge::internal::Append;
using ::covmerge::internal::Cat;

// Text for roff: a backslash doubled, a '-' that is a hyphen-minus as \-,
// and a line starting with '.' or '\'' escaped.
std::string Roff(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

void AppendManOptions(std::string* out, unsigned scope) {
  for (const Option& option : Options()) {
    if ((option.scope & scope) == 0 || (scope == kReportScope && option.scope == kBothScopes)) continue;
    out->append(".TP\n");
    if (option.short_name != '\0') Append(out, "\\fB\\-", std::string(1, option.short_name), "\\fR, ");
    Append(out, "\\fB\\-\\-", Roff(option.long_name), "\\fR");
    if (!option.metavar.empty()) Append(out, " \\fI", Roff(option.metavar), "\\fR");
    Append(out, "\n", Roff(scope == kReportScope && !option.report_help.empty() ? option.report_help : option.help),
           "\n");
  }
}

// Single quotes for a shell word.
std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

std::string OptionWords(unsigned scope) {
  std::string words;
  for (const Option& option : Options()) {
    if ((option.scope & scope) == 0) continue;
    if (option.short_name != '\0') Append(&words, words.empty() ? "" : " ", "-", std::string(1, option.short_name));
    Append(&words, words.empty() ? "" : " ", "--", option.long_name);
  }
  return words;
}

}  // namespace

std::string ManPage(std::string_view version) {
  std::string out = Cat(
      ".\\\" SPDX-License-Identifier: Apache-2.0\n"
      ".\\\" Written by covmerge-docgen from engine/cli/option_table.cc; do not edit.\n"
      ".TH COVMERGE 1 \"\" \"covmerge ", Roff(version), "\" \"User Commands\"\n"
      ".SH NAME\ncovmerge \\- merge Go coverage profiles, report coverage and gate pull requests\n"
      ".SH SYNOPSIS\n.B covmerge\n[\\fIOPTION\\fR]... \\fIINPUT\\fR...\n.br\n.B covmerge report\n"
      "[\\fIOPTION\\fR]... \\fIINPUT\\fR...\n"
      ".SH DESCRIPTION\n"
      "\\fBcovmerge\\fR merges the coverage profiles that \\fBgo test \\-coverprofile\\fR writes, and the binary "
      "coverage data (GOCOVERDIR) of Go 1.20+ binaries built with \\fB\\-cover\\fR, into one profile, byte for "
      "byte as gocovmerge does, on all cores. Counts of the same block are added (set mode: or'ed).\n"
      ".PP\n"
      "\\fBcovmerge report\\fR merges the same way, prints the statement coverage per package and in total (the "
      "formula of \\fBgo test \\-cover\\fR), writes the JSON summary, LCOV, Cobertura, HTML and Markdown, and "
      "fails when coverage is below a minimum, fell against a baseline, or the lines a change touched were not "
      "tested.\n"
      ".PP\n"
      "An \\fIINPUT\\fR is a profile file, \\fB\\-\\fR for standard input, or a directory searched recursively "
      "for files named *.out, *.cov, *.coverprofile or coverage.txt (also compressed, with .zst or .gz added) and "
      "for GOCOVERDIRs. Short options bundle (\\fB\\-kq\\fR), a value follows its option (\\fB\\-j4\\fR, "
      "\\fB\\-o\\fR \\fIFILE\\fR, \\fB\\-\\-output\\fR=\\fIFILE\\fR), and \\fB\\-\\-\\fR ends the options.\n"
      ".SH OPTIONS\n");
  AppendManOptions(&out, kMergeScope);
  out += ".SH REPORT OPTIONS\nThese are for \\fBcovmerge report\\fR, besides the options above (but "
         "\\fB\\-\\-summary\\fR).\n";
  AppendManOptions(&out, kReportScope);
  out +=
      ".SH EXIT STATUS\n"
      ".TP\n0\nmerged (and, for report, the gate passed)\n"
      ".TP\n1\nan input or an output failed; the message names the file, line and column, and both sides of a "
      "conflict\n"
      ".TP\n2\na usage error\n"
      ".TP\n3\n\\fBcovmerge report\\fR: the gate failed (every output is still written)\n"
      ".TP\n128+\\fIN\\fR\nended by signal \\fIN\\fR; temporary outputs are removed\n"
      ".SH EXAMPLES\n"
      ".nf\n"
      "covmerge \\-o merged.out unit.out integration/\n"
      "git diff \\-U0 origin/main...HEAD > pr.diff\n"
      "covmerge report profiles/ \\-\\-source\\-root . \\-\\-baseline main.json \\-\\-max\\-drop 0.1 \\e\n"
      "    \\-\\-diff pr.diff \\-\\-fail\\-under\\-patch 80 \\-\\-markdown summary.md \\-\\-html coverage.html\n"
      ".fi\n"
      ".SH SEE ALSO\n\\fBgo\\fR(1); the README and docs/json-summary.md of covmerge.\n";
  return out;
}

std::string BashCompletion() {
  std::string out = Cat(
      "# SPDX-License-Identifier: Apache-2.0\n"
      "# bash completion for covmerge; written by covmerge-docgen from engine/cli/option_table.cc.\n"
      "_covmerge() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} report=0\n"
      "  [[ ${COMP_WORDS[1]} == report ]] && report=1\n"
      "  case $prev in\n");
  for (const Option& option : Options()) {
    if (option.metavar.empty()) continue;
    std::string names = Cat("--", option.long_name);
    if (option.short_name != '\0') names = Cat("-", std::string(1, option.short_name), "|", names);
    switch (option.completion) {
      case Completion::kFile:
        Append(&out, "    ", names, ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n");
        break;
      case Completion::kDirectory:
        Append(&out, "    ", names, ") COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n");
        break;
      case Completion::kWords:
        Append(&out, "    ", names, ") COMPREPLY=($(compgen -W ", ShellQuote(option.words), " -- \"$cur\")); return ;;\n");
        break;
      case Completion::kNone:
        Append(&out, "    ", names, ") return ;;\n");
        break;
    }
  }
  Append(&out,
         "  esac\n"
         "  if [[ $cur == -* ]]; then\n"
         "    if ((report)); then\n"
         "      COMPREPLY=($(compgen -W ", ShellQuote(OptionWords(kReportScope)), " -- \"$cur\"))\n"
         "    else\n"
         "      COMPREPLY=($(compgen -W ", ShellQuote(OptionWords(kMergeScope)), " -- \"$cur\"))\n"
         "    fi\n"
         "    return\n"
         "  fi\n"
         "  if ((COMP_CWORD == 1)); then\n"
         "    COMPREPLY=($(compgen -W report -- \"$cur\") $(compgen -f -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -o filenames -F _covmerge covmerge\n");
  return out;
}

std::string ZshCompletion() {
  auto specs = [](unsigned scope) {
    std::string out;
    for (const Option& option : Options()) {
      if ((option.scope & scope) == 0) continue;
      std::string help(option.help.substr(0, option.help.find_first_of(";:(")));
      for (char& c : help) {
        if (c == '[' || c == ']' || c == '\'') c = ' ';
      }
      std::string action;
      if (!option.metavar.empty()) {
        switch (option.completion) {
          case Completion::kFile: action = Cat(":", option.metavar, ":_files"); break;
          case Completion::kDirectory: action = Cat(":", option.metavar, ":_files -/"); break;
          case Completion::kWords: action = Cat(":", option.metavar, ":(", option.words, ")"); break;
          case Completion::kNone: action = Cat(":", option.metavar, ": "); break;
        }
      }
      const bool repeatable = option.long_name == "include" || option.long_name == "exclude" ||
                              option.long_name == "strip-prefix" || option.long_name == "path-map" ||
                              option.long_name == "threshold" || option.long_name == "file-threshold" ||
                              option.long_name == "files-from" || option.long_name == "files0-from";
      const std::string eq = option.metavar.empty() ? "" : "=";
      if (option.short_name != '\0') {
        Append(&out, "    '(-", std::string(1, option.short_name), " --", option.long_name, ")'{-",
               std::string(1, option.short_name), ",--", option.long_name, eq, "}'[", help, "]", action, "'\n");
      } else {
        Append(&out, "    '", repeatable ? "*" : "", "--", option.long_name, eq, "[", help, "]", action, "'\n");
      }
    }
    return out;
  };
  return Cat(
      "#compdef covmerge\n"
      "# SPDX-License-Identifier: Apache-2.0\n"
      "# zsh completion for covmerge; written by covmerge-docgen from engine/cli/option_table.cc.\n"
      "if [[ ${words[2]} == report ]]; then\n"
      "  words=(${words[1]} ${words[3,-1]})\n"
      "  (( CURRENT-- ))\n"
      "  _arguments -s -S \\\n",
      specs(kReportScope),
      "    '*:input:_files'\n"
      "else\n"
      "  _arguments -s -S \\\n",
      specs(kMergeScope),
      "    '1:input or subcommand:(report)' \\\n"
      "    '*:input:_files'\n"
      "fi\n");
}

}  // namespace covmerge::cli
