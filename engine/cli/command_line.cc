// SPDX-License-Identifier: Apache-2.0
#include "cli/command_line.h"

#include <charconv>
#include <string_view>
#include <thread>

#include "base/str_cat.h"

namespace covmerge::cli {

std::string UsageText() {
  return ::covmerge::internal::Cat(
      "Usage: covmerge [OPTION]... INPUT...\n"
      "Merge Go coverage profiles into one, byte for byte as gocovmerge does.\n"
      "\n"
      "INPUT is a profile file, '-' for standard input, or a directory searched\n"
      "recursively for files named *.out, *.cov, *.coverprofile or coverage.txt\n"
      "(names starting with '.' are skipped). Inputs compressed with zstd or gzip\n"
      "are read as such, whatever their name (*.zst, *.gz in directories).\n"
      "\n"
      "Options:\n"
      "  -o, --output FILE      write the merged profile to FILE instead of standard\n"
      "                         output; FILE is replaced only once the merge succeeded;\n"
      "                         a name ending in .zst or .gz is written compressed\n"
      "  -j, --jobs N           use N worker threads (default: one per core, here ",
      std::max(1u, std::thread::hardware_concurrency()),
      ")\n"
      "      --files-from FILE  also read input paths from FILE, one per line\n"
      "                         ('-' reads them from standard input)\n"
      "      --summary          print the total statement coverage to standard error,\n"
      "                         as go test does: \"coverage: 54.8% of statements\"\n"
      "  -k, --keep-going       skip a damaged input, or one that conflicts with the\n"
      "                         others, with a warning, and merge the rest\n"
      "  -q, --quiet            no progress display and no warnings\n"
      "      --mmap             map input files instead of reading them in chunks\n"
      "                         (reading measured faster; see bench/RESULTS.md)\n"
      "  -h, --help             show this help and exit\n"
      "  -V, --version          show the version and exit\n"
      "\n"
      "Counts of the same block are added (set mode: or'ed) and saturate at\n"
      "9223372036854775807. With no inputs, or inputs without blocks, nothing is\n"
      "written, as gocovmerge does.\n"
      "\n"
      "Exit status: 0 on success, 1 when an input or the output failed (the message\n"
      "names the file and line), 2 for a usage error.\n");
}

absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv) {
  CommandLine cl;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
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
      if (i + 1 >= argc) return absl::InvalidArgumentError(::covmerge::internal::Cat("option ", name, " needs a value"));
      return std::string(argv[++i]);
    };
    auto flag = [&](bool* field) -> absl::Status {
      if (attached) return absl::InvalidArgumentError(::covmerge::internal::Cat("option ", name, " takes no value"));
      *field = true;
      return absl::OkStatus();
    };
    absl::Status status;
    if (name == "-o" || name == "--output") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      cl.output = *v;
    } else if (name == "-j" || name == "--jobs") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      int threads = 0;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), threads);
      if (ec != std::errc() || end != v->data() + v->size() || threads < 1 || threads > 1024) {
        return absl::InvalidArgumentError(
            ::covmerge::internal::Cat("option ", name, " expects a number of threads from 1 to 1024, got \"", *v, "\""));
      }
      cl.threads = threads;
    } else if (name == "--files-from") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      cl.files_from.push_back(*v);
    } else if (name == "--summary") {
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
    } else {
      return absl::InvalidArgumentError(::covmerge::internal::Cat("unknown option ", name));
    }
    if (!status.ok()) return status;
  }
  return cl;
}

}  // namespace covmerge::cli
