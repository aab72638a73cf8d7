// SPDX-License-Identifier: Apache-2.0
// The parser and --help of the covmerge command, both from the option table
// (option_table.h), with getopt_long's conventions: short options bundle
// (-kq, -qj4), a value follows its option (-o FILE, -oFILE, --output FILE,
// --output=FILE), a long option may be abbreviated to any prefix that names
// only it (--jso), "--" ends the options, and "-" is an input (standard
// input).
#include "cli/command_line.h"

#include <algorithm>
#include <string_view>
#include <thread>
#include <vector>

#include "base/str_cat.h"
#include "cli/option_table.h"

namespace covmerge::cli {
namespace {

using ::covmerge::internal::Append;
using ::covmerge::internal::Cat;

constexpr std::string_view kInputHelp =
    "INPUT is a profile file, '-' for standard input, or a directory searched\n"
    "recursively for files named *.out, *.cov, *.coverprofile or coverage.txt\n"
    "and for GOCOVERDIRs (Go 1.20+ binary coverage data). Inputs compressed with\n"
    "zstd or gzip are read as such, whatever their name (*.zst, *.gz in\n"
    "directories).\n"
    "A directory walk descends into subdirectories and reads the regular files\n"
    "with those names, and symbolic links to regular files. It skips names\n"
    "starting with '.'; with a note, the outputs of this run (by device and\n"
    "inode) and symbolic links to directories (not followed: they could loop);\n"
    "with a warning, dangling links, FIFOs, sockets and devices with those\n"
    "names. A directory or input list that yields no input is an error.\n";

constexpr size_t kHelpWidth = 80;
constexpr size_t kHelpColumn = 25;  // where the help text starts

bool InScope(const Option& option, Command command) {
  return (option.scope & (command == Command::kReport ? kReportScope : kMergeScope)) != 0;
}

// The section an option is listed under for `command`: an option of both
// shapes is one of the merge's "Options".
std::string_view SectionOf(const Option& option, Command command) {
  return command == Command::kMerge ? std::string_view("Options") : option.section;
}

// `text` wrapped at kHelpWidth, every line but the first indented to
// kHelpColumn; the first continues at `column`.
void AppendWrapped(std::string* out, std::string_view text, size_t column) {
  while (!text.empty()) {
    const size_t room = kHelpWidth > column ? kHelpWidth - column : 20;
    size_t cut = text.size();
    if (cut > room) {
      cut = text.rfind(' ', room);
      if (cut == std::string_view::npos || cut == 0) cut = std::min(text.find(' '), text.size());
    }
    Append(out, text.substr(0, cut), "\n");
    text.remove_prefix(std::min(cut + 1, text.size()));
    if (!text.empty()) out->append(kHelpColumn, ' ');
    column = kHelpColumn;
  }
}

void AppendOptionHelp(std::string* out, const Option& option, Command command) {
  std::string names = option.short_name != '\0' ? Cat("  -", std::string(1, option.short_name), ", ") : "      ";
  Append(&names, "--", option.long_name);
  if (!option.metavar.empty()) Append(&names, " ", option.metavar);
  std::string help(command == Command::kReport && !option.report_help.empty() ? option.report_help : option.help);
  // What "one per core" means on this machine.
  if (option.long_name == "jobs") {
    help = Cat("use N worker threads, 0 for one per core (the default; here ",
               std::max(1u, std::thread::hardware_concurrency()), ")");
  }
  out->append(names);
  if (names.size() + 2 > kHelpColumn) {
    out->append("  ");
    AppendWrapped(out, help, names.size() + 2);
  } else {
    out->append(kHelpColumn - names.size(), ' ');
    AppendWrapped(out, help, kHelpColumn);
  }
}

void AppendSections(std::string* out, Command command) {
  for (std::string_view section : Sections(command)) {
    Append(out, "\n", section, ":\n");
    for (const Option& option : Options()) {
      if (InScope(option, command) && SectionOf(option, command) == section) AppendOptionHelp(out, option, command);
    }
  }
}

std::string MergeUsage() {
  std::string out = Cat(
      "Usage: covmerge [OPTION]... INPUT...\n"
      "       covmerge report [OPTION]... INPUT...   (see covmerge report --help)\n"
      "Merge Go coverage profiles into one, byte for byte as gocovmerge does.\n"
      "\n",
      kInputHelp);
  AppendSections(&out, Command::kMerge);
  out +=
      "\n"
      "Short options bundle (-kq), a value follows its option (-j4, -o FILE,\n"
      "--output=FILE), a long option may be shortened to a prefix that names only\n"
      "it, and '--' ends the options.\n"
      "Counts of the same block are added (set mode: or'ed) and saturate at\n"
      "9223372036854775807. With no inputs, or inputs without blocks, nothing is\n"
      "written, as gocovmerge does.\n"
      "\n"
      "Exit status: 0 on success, 1 when an input or the output failed (the message\n"
      "names the file and line), 2 for a usage error. SIGINT, SIGTERM or SIGHUP\n"
      "removes the temporary output file and ends covmerge by that signal (128+N).\n";
  return out;
}

std::string ReportUsage() {
  std::string out = Cat(
      "Usage: covmerge report [OPTION]... INPUT...\n"
      "Merge Go coverage profiles, print the statement coverage per package and in\n"
      "total (the formula of go test -cover), write reports for coverage services,\n"
      "and fail when coverage is too low or fell against a baseline.\n"
      "\n",
      kInputHelp);
  AppendSections(&out, Command::kReport);
  out +=
      "\n"
      "Exit status: 0 on success, 1 when an input or an output failed, 2 for a usage\n"
      "error (two outputs naming one file among them), 3 when the gate failed (the\n"
      "outputs are still written). SIGINT, SIGTERM or SIGHUP removes the temporary\n"
      "output files and ends covmerge by that signal (128+N).\n";
  return out;
}

// The option named `name`, or the one option of `command` it begins
// (getopt_long's abbreviations: --jso for --json); an error when it begins
// several or none.
absl::StatusOr<const Option*> FindLong(std::string_view name, Command command) {
  for (const Option& option : Options()) {
    if (option.long_name == name) return &option;
  }
  std::vector<const Option*> candidates;
  for (const Option& option : Options()) {
    if (!name.empty() && option.long_name.starts_with(name) && InScope(option, command)) candidates.push_back(&option);
  }
  if (candidates.size() == 1) return candidates.front();
  if (candidates.empty()) return absl::InvalidArgumentError(Cat("unknown option --", name));
  std::string names;
  for (const Option* option : candidates) Append(&names, names.empty() ? "" : ", ", "--", option->long_name);
  return absl::InvalidArgumentError(Cat("option --", name, " is ambiguous: ", names));
}

const Option* FindShort(char name) {
  for (const Option& option : Options()) {
    if (option.short_name == name) return &option;
  }
  return nullptr;
}

absl::Status Misplaced(const Option& option, std::string_view name, Command command) {
  if (command == Command::kMerge) {
    return absl::InvalidArgumentError(Cat("option ", name, " belongs to 'covmerge report': covmerge report ", name,
                                          " ... INPUT..."));
  }
  if (option.long_name == "summary") {
    return absl::InvalidArgumentError("option --summary is for the merge; covmerge report prints the total anyway");
  }
  return absl::InvalidArgumentError(Cat("option ", name, " is for the merge (covmerge without 'report')"));
}

// Checks that hold between options, once all are read.
absl::Status CheckTogether(const CommandLine& cl) {
  if (cl.max_drop && !cl.baseline) {
    return absl::InvalidArgumentError("option --max-drop needs --baseline FILE to compare with");
  }
  if (cl.fail_under_patch && !cl.diff) {
    return absl::InvalidArgumentError("option --fail-under-patch needs --diff FILE, the change to measure");
  }
  if (cl.exclude_generated && !cl.source_root) {
    return absl::InvalidArgumentError("option --exclude-generated needs --source-root DIR to read the sources");
  }
  if (cl.diff && *cl.diff == "-") {
    for (const std::string& input : cl.inputs) {
      if (input == "-") return absl::InvalidArgumentError("--diff - and the input '-' cannot both read standard input");
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string UsageText(Command command) { return command == Command::kReport ? ReportUsage() : MergeUsage(); }

absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv) {
  CommandLine cl;
  int first = 1;
  // "report" selects the subcommand; a profile named "report" is "./report".
  if (argc > 1 && std::string_view(argv[1]) == "report") {
    cl.command = Command::kReport;
    first = 2;
  }
  bool options_done = false;
  // Applies `option` (written `name`) with the value attached to it, or
  // else the next argument when it takes one.
  auto apply = [&](const Option& option, std::string_view name, std::optional<std::string_view> attached,
                   int* i) -> absl::Status {
    if (!InScope(option, cl.command)) return Misplaced(option, name, cl.command);
    std::string_view value;
    if (option.metavar.empty()) {
      if (attached) return absl::InvalidArgumentError(Cat("option ", name, " takes no value"));
    } else if (attached) {
      value = *attached;
    } else if (*i + 1 < argc) {
      value = argv[++*i];
    } else {
      return absl::InvalidArgumentError(Cat("option ", name, " needs a value"));
    }
    return option.apply(&cl, name, value);
  };
  for (int i = first; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (options_done || arg == "-" || arg.empty() || arg[0] != '-') {
      cl.inputs.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg.starts_with("--")) {
      const size_t eq = arg.find('=');
      const std::string_view name = arg.substr(0, eq);
      absl::StatusOr<const Option*> option = FindLong(name.substr(2), cl.command);
      if (!option.ok()) return option.status();
      std::optional<std::string_view> attached;
      if (eq != std::string_view::npos) attached = arg.substr(eq + 1);
      // Messages name the option in full, however it was abbreviated.
      const std::string full = Cat("--", (*option)->long_name);
      if (absl::Status status = apply(**option, full, attached, &i); !status.ok()) return status;
      continue;
    }
    // Short options, bundled: flags one after another, then at most one
    // that takes a value, which is the rest of the argument or the next.
    for (size_t k = 1; k < arg.size(); ++k) {
      const std::string name = Cat("-", std::string(1, arg[k]));
      const Option* option = FindShort(arg[k]);
      if (option == nullptr) return absl::InvalidArgumentError(Cat("unknown option ", name));
      std::optional<std::string_view> attached;
      if (!option->metavar.empty() && k + 1 < arg.size()) attached = arg.substr(k + 1);
      if (absl::Status status = apply(*option, name, attached, &i); !status.ok()) return status;
      if (!option->metavar.empty()) break;
    }
  }
  if (absl::Status status = CheckTogether(cl); !status.ok()) return status;
  return cl;
}

}  // namespace covmerge::cli
