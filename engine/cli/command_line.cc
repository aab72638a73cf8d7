// SPDX-License-Identifier: Apache-2.0
#include "cli/command_line.h"

#include <charconv>
#include <string_view>
#include <thread>

#include "base/str_cat.h"

namespace covmerge::cli {
namespace {

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

std::string CommonOptions() {
  return Cat(
      "  -j, --jobs N           use N worker threads, 0 for one per core (the\n"
      "                         default; here ",
      std::max(1u, std::thread::hardware_concurrency()),
      ")\n"
      "      --files-from FILE  also read input paths from FILE, one per line\n"
      "                         ('-' reads them from standard input)\n"
      "      --files0-from FILE  ... or NUL-terminated, as find -print0 writes\n"
      "                         them (the last NUL is optional)\n"
      "      --exclude REGEX    leave out files whose path (as the profiles name it)\n"
      "                         matches REGEX, in Go's regexp syntax (RE2), e.g.\n"
      "                         '_mock\\.go$', '/v\\d+/' or '(?i)/vendor/'; repeatable\n"
      "      --include REGEX    keep only files whose path matches REGEX; repeatable\n"
      "  -k, --keep-going       skip a damaged input, or one that conflicts with the\n"
      "                         others, with a warning, and merge the rest\n"
      "  -q, --quiet            no progress display, notes or warnings\n"
      "      --mmap             no effect (inputs are always read); kept for scripts\n"
      "                         (reading measured faster; see bench/RESULTS.md)\n"
      "  -h, --help             show this help and exit\n"
      "  -V, --version          show the version and exit\n");
}

std::string MergeUsage() {
  return Cat(
      "Usage: covmerge [OPTION]... INPUT...\n"
      "       covmerge report [OPTION]... INPUT...   (see covmerge report --help)\n"
      "Merge Go coverage profiles into one, byte for byte as gocovmerge does.\n"
      "\n",
      kInputHelp,
      "\n"
      "Options:\n"
      "  -o, --output FILE      write the merged profile to FILE instead of standard\n"
      "                         output ('-'); FILE is replaced only once the merge\n"
      "                         succeeded; a name ending in .zst or .gz is written\n"
      "                         compressed\n",
      CommonOptions(),
      "      --summary          print the total statement coverage to standard error,\n"
      "                         as go test does: \"coverage: 54.8% of statements\"\n"
      "\n"
      "Counts of the same block are added (set mode: or'ed) and saturate at\n"
      "9223372036854775807. With no inputs, or inputs without blocks, nothing is\n"
      "written, as gocovmerge does.\n"
      "\n"
      "Exit status: 0 on success, 1 when an input or the output failed (the message\n"
      "names the file and line), 2 for a usage error. SIGINT, SIGTERM or SIGHUP\n"
      "removes the temporary output file and ends covmerge by that signal (128+N).\n");
}

std::string ReportUsage() {
  return Cat(
      "Usage: covmerge report [OPTION]... INPUT...\n"
      "Merge Go coverage profiles, print the statement coverage per package and in\n"
      "total (the formula of go test -cover), write reports for coverage services,\n"
      "and fail when coverage is too low or fell against a baseline.\n"
      "\n",
      kInputHelp,
      "\n"
      "Table (standard output):\n"
      "      --by-file          also list every file\n"
      "      --sort ORDER       'name' (default) or 'coverage' (lowest first)\n"
      "\n"
      "Outputs (each FILE is replaced only once it is complete; '-' is stdout):\n"
      "  -o, --output FILE      the merged profile, as covmerge without 'report'\n"
      "      --json FILE        the summary as JSON (docs/json-summary.md); keep it\n"
      "                         as the next run's --baseline\n"
      "      --lcov FILE        an LCOV tracefile\n"
      "      --cobertura FILE   Cobertura XML\n"
      "      --html FILE        a self-contained HTML report\n"
      "      --markdown FILE    a summary for a pull request comment or GitHub's job\n"
      "                         summary: the verdict, total, change, patch coverage,\n"
      "                         packages that fell, changed lines no test ran\n"
      "      --strip-prefix P   in the table and outputs (not -o), remove the path\n"
      "                         prefix P, e.g. the module path; repeatable\n"
      "      --path-map FROM=TO   ... or replace the prefix FROM by TO; repeatable,\n"
      "                         the first rule that matches a path applies\n"
      "      --module PATH      strip the Go module path PATH (after the rules above),\n"
      "                         so that paths are the repository's, as in a diff\n"
      "      --source-root DIR  the module's source tree: its go.mod gives --module\n"
      "      --exclude-generated  leave out files whose source (under --source-root)\n"
      "                         has Go's '// Code generated ... DO NOT EDIT.' line\n"
      "\n"
      "Gate:\n"
      "      --fail-under PCT   fail when the total is below PCT percent\n"
      "      --baseline FILE    compare with an earlier --json summary (or merged\n"
      "                         profile): list each package that fell, is new or is\n"
      "                         gone, and fail when the total fell by more than\n"
      "      --max-drop PCT     percentage points (default 0)\n"
      "      --baseline-missing ok|fail  when the --baseline file does not exist (the\n"
      "                         first run of a branch): pass with a note, or fail\n"
      "                         (the default)\n"
      "      --diff FILE        report patch coverage: the statements of the blocks\n"
      "                         that the added lines of this unified diff (git diff;\n"
      "                         '-' reads standard input) touch, and the changed\n"
      "                         lines no test ran; paths after the rules above\n"
      "      --fail-under-patch PCT  fail when patch coverage is below PCT\n"
      "      --threshold REGEX=PCT  fail when a package whose name matches REGEX is\n"
      "                         below PCT; repeatable, the last match applies\n"
      "      --file-threshold REGEX=PCT  ... the same for files\n"
      "\n"
      "Other options:\n",
      CommonOptions(),
      "\n"
      "Exit status: 0 on success, 1 when an input or an output failed, 2 for a usage\n"
      "error (two outputs naming one file among them), 3 when the gate failed (the\n"
      "outputs are still written). SIGINT, SIGTERM or SIGHUP removes the temporary\n"
      "output files and ends covmerge by that signal (128+N).\n");
}

absl::StatusOr<double> ParsePercent(std::string_view name, std::string_view text) {
  std::string_view digits = text;
  if (digits.ends_with('%')) digits.remove_suffix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || !(value >= 0) ||
      value > 100) {
    return absl::InvalidArgumentError(Cat("option ", name, " expects a percentage from 0 to 100, got \"", text, "\""));
  }
  return value;
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
  const bool report = cl.command == Command::kReport;
  bool options_done = false;
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (options_done || arg == "-" || arg.empty() || arg[0] != '-') {
      cl.inputs.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    // Split "--name=value" and "-jN" / "-oFILE".
    std::string_view name = arg;
    std::optional<std::string_view> attached;
    if (arg.starts_with("--")) {
      if (size_t eq = arg.find('='); eq != std::string_view::npos) {
        name = arg.substr(0, eq);
        attached = arg.substr(eq + 1);
      }
    } else if (arg.size() > 2) {
      name = arg.substr(0, 2);
      attached = arg.substr(2);
    }
    auto value = [&]() -> absl::StatusOr<std::string> {
      if (attached) return std::string(*attached);
      if (i + 1 >= argc) return absl::InvalidArgumentError(Cat("option ", name, " needs a value"));
      return std::string(argv[++i]);
    };
    auto flag = [&](bool* field) -> absl::Status {
      if (attached) return absl::InvalidArgumentError(Cat("option ", name, " takes no value"));
      *field = true;
      return absl::OkStatus();
    };
    auto text = [&](std::optional<std::string>* field) -> absl::Status {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      *field = std::move(*v);
      return absl::OkStatus();
    };
    auto percent = [&](std::optional<double>* field) -> absl::Status {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      absl::StatusOr<double> p = ParsePercent(name, *v);
      if (!p.ok()) return p.status();
      *field = *p;
      return absl::OkStatus();
    };
    auto pattern = [&](std::vector<std::string>* list) -> absl::Status {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      list->push_back(std::move(*v));
      return absl::OkStatus();
    };
    // Options of `covmerge report` only.
    const bool report_option =
        name == "--by-file" || name == "--sort" || name == "--json" || name == "--lcov" || name == "--cobertura" ||
        name == "--html" || name == "--fail-under" || name == "--baseline" || name == "--max-drop" ||
        name == "--strip-prefix" || name == "--path-map" || name == "--markdown" || name == "--diff" ||
        name == "--fail-under-patch" || name == "--module" || name == "--source-root" ||
        name == "--exclude-generated" || name == "--baseline-missing" || name == "--threshold" ||
        name == "--file-threshold";
    if (report_option && !report) {
      return absl::InvalidArgumentError(Cat("option ", name, " belongs to 'covmerge report': covmerge report ",
                                            name, " ... INPUT..."));
    }
    absl::Status status;
    if (name == "-o" || name == "--output") {
      status = text(&cl.output);
    } else if (name == "-j" || name == "--jobs") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      int threads = 0;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), threads);
      if (ec != std::errc() || end != v->data() + v->size() || threads < 0 || threads > 1024) {
        return absl::InvalidArgumentError(Cat("option ", name,
                                              " expects a number of threads from 1 to 1024, or 0 for one per core, "
                                              "got \"", *v, "\""));
      }
      cl.threads = threads;
    } else if (name == "--files-from" || name == "--files0-from") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      cl.input_lists.push_back({std::move(*v), name == "--files0-from"});
    } else if (name == "--include") {
      status = pattern(&cl.includes);
    } else if (name == "--exclude") {
      status = pattern(&cl.excludes);
    } else if (name == "--summary" && !report) {
      status = flag(&cl.summary);
    } else if (name == "-k" || name == "--keep-going") {
      status = flag(&cl.keep_going);
    } else if (name == "--mmap") {
      status = flag(&cl.use_mmap);
    } else if (name == "-q" || name == "--quiet") {
      status = flag(&cl.quiet);
    } else if (name == "-h" || name == "--help") {
      status = flag(&cl.help);
    } else if (name == "-V" || name == "--version") {
      status = flag(&cl.version);
    } else if (name == "--by-file") {
      status = flag(&cl.by_file);
    } else if (name == "--sort") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      if (*v != "name" && *v != "coverage") {
        return absl::InvalidArgumentError(Cat("option --sort expects 'name' or 'coverage', got \"", *v, "\""));
      }
      cl.sort_by_coverage = *v == "coverage";
    } else if (name == "--json") {
      status = text(&cl.json);
    } else if (name == "--lcov") {
      status = text(&cl.lcov);
    } else if (name == "--cobertura") {
      status = text(&cl.cobertura);
    } else if (name == "--html") {
      status = text(&cl.html);
    } else if (name == "--fail-under") {
      status = percent(&cl.fail_under);
    } else if (name == "--baseline") {
      status = text(&cl.baseline);
    } else if (name == "--max-drop") {
      status = percent(&cl.max_drop);
    } else if (name == "--strip-prefix") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      if (v->empty()) return absl::InvalidArgumentError("option --strip-prefix needs a non-empty prefix");
      cl.path_rules.emplace_back(std::move(*v), "");
    } else if (name == "--path-map") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      const size_t eq = v->find('=');
      if (eq == std::string::npos || eq == 0) {
        return absl::InvalidArgumentError(
            Cat("option --path-map expects FROM=TO, e.g. example.com/mod=services/mod, got \"", *v, "\""));
      }
      cl.path_rules.emplace_back(v->substr(0, eq), v->substr(eq + 1));
    } else if (name == "--markdown") {
      status = text(&cl.markdown);
    } else if (name == "--diff") {
      status = text(&cl.diff);
    } else if (name == "--fail-under-patch") {
      status = percent(&cl.fail_under_patch);
    } else if (name == "--module") {
      status = text(&cl.module);
      if (status.ok() && cl.module->empty()) return absl::InvalidArgumentError("option --module needs a module path");
    } else if (name == "--source-root") {
      status = text(&cl.source_root);
    } else if (name == "--exclude-generated") {
      status = flag(&cl.exclude_generated);
    } else if (name == "--baseline-missing") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      if (*v != "ok" && *v != "fail") {
        return absl::InvalidArgumentError(Cat("option --baseline-missing expects 'ok' or 'fail', got \"", *v, "\""));
      }
      cl.baseline_missing_ok = *v == "ok";
    } else if (name == "--threshold") {
      status = pattern(&cl.thresholds);
    } else if (name == "--file-threshold") {
      status = pattern(&cl.file_thresholds);
    } else if (name == "--summary") {
      return absl::InvalidArgumentError("option --summary is for the merge; covmerge report prints the total anyway");
    } else {
      return absl::InvalidArgumentError(Cat("unknown option ", name));
    }
    if (!status.ok()) return status;
  }
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
  return cl;
}

}  // namespace covmerge::cli
