// SPDX-License-Identifier: Apache-2.0
// The covmerge command: a drop-in for gocovmerge. Glue over the engine:
// it turns arguments into inputs, runs the merge, writes the result and
// turns every failure into one line on stderr and an exit status.
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "base/str_cat.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/progress_display.h"
#include "cli/report_command.h"
#include "covmerge/inputs.h"
#include "covmerge/merger.h"
#include "covmerge/path_filter.h"
#include "covmerge/writer.h"

#ifndef COVMERGE_VERSION
#define COVMERGE_VERSION "unknown"
#endif

namespace covmerge::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitGateFailed = 3;

void PrintLine(std::string_view kind, std::string_view message) {
  std::string line = ::covmerge::internal::Cat("covmerge: ", kind, message, "\n");
  std::fwrite(line.data(), 1, line.size(), stderr);
}

int Fail(const absl::Status& status) {
  PrintLine("error: ", ::covmerge::internal::ToStd(status.message()));
  return kExitFailure;
}

// Adds one named input: a directory is searched, "-" is stdin.
absl::Status AddInput(const std::string& name, Merger* merger, bool quiet) {
  if (name == "-") {
    merger->AddStdin();
    return absl::OkStatus();
  }
  struct stat st;
  if (::stat(name.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    // Text profiles and GOCOVERDIRs (Go 1.20+ binary coverage data) below
    // `name`, added in byte order of path.
    absl::StatusOr<DirectoryInputs> found = FindInputsInDirectory(name);
    if (!found.ok()) return found.status();
    if (found->profiles.empty() && found->go_cover_dirs.empty() && !quiet) {
      PrintLine("warning: ", ::covmerge::internal::Cat("no profiles (*.out, *.cov, *.coverprofile, coverage.txt) in directory ", name));
    }
    size_t p = 0;
    size_t d = 0;
    while (p < found->profiles.size() || d < found->go_cover_dirs.size()) {
      if (d == found->go_cover_dirs.size() || (p < found->profiles.size() && found->profiles[p] < found->go_cover_dirs[d])) {
        merger->AddFile(std::move(found->profiles[p++]));
      } else {
        merger->AddGoCoverDir(std::move(found->go_cover_dirs[d++]));
      }
    }
    return absl::OkStatus();
  }
  merger->AddFile(name);  // a missing file is reported by the merge, with its name
  return absl::OkStatus();
}

// The output must not be one of the inputs: the rename would replace a
// profile that the user may still need, and it is almost always a typo.
absl::Status CheckOutputIsNotInput(const std::string& output, const std::vector<std::string>& inputs) {
  struct stat out;
  if (::stat(output.c_str(), &out) != 0) return absl::OkStatus();
  for (const std::string& input : inputs) {
    struct stat in;
    if (input != "-" && ::stat(input.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
      return absl::InvalidArgumentError(::covmerge::internal::Cat(
          "output file ", output, " is also the input ", input, "; write the merged profile to another file"));
    }
  }
  return absl::OkStatus();
}

int Run(int argc, char** argv) {
  absl::StatusOr<CommandLine> parsed = ParseCommandLine(argc, argv);
  if (!parsed.ok()) {
    const bool report = argc > 1 && std::string_view(argv[1]) == "report";
    PrintLine("", ::covmerge::internal::Cat(parsed.status().message(), "\nTry 'covmerge", report ? " report" : "",
                                            " --help' for more information."));
    return kExitUsage;
  }
  const CommandLine& cl = *parsed;
  if (cl.help) {
    std::fputs(UsageText(cl.command).c_str(), stdout);
    return kExitOk;
  }
  if (cl.version) {
    std::printf("covmerge %s\n", COVMERGE_VERSION);
    return kExitOk;
  }

  std::vector<std::string> names = cl.inputs;
  for (const std::string& list : cl.files_from) {
    absl::StatusOr<std::vector<std::string>> listed = ReadPathList(list);
    if (!listed.ok()) return Fail(listed.status());
    names.insert(names.end(), listed->begin(), listed->end());
  }

  PathFilter filter;
  for (const std::string& pattern : cl.includes) {
    if (absl::Status status = filter.AddInclude(pattern); !status.ok()) return Fail(status);
  }
  for (const std::string& pattern : cl.excludes) {
    if (absl::Status status = filter.AddExclude(pattern); !status.ok()) return Fail(status);
  }

  // The report checks its own arguments (the baseline above all) before
  // the merge, which may take minutes.
  std::optional<ReportCommand> report;
  if (cl.command == Command::kReport) {
    if (names.empty()) {
      PrintLine("", "covmerge report needs at least one INPUT: a profile, a directory of profiles or '-'\n"
                    "Try 'covmerge report --help' for more information.");
      return kExitUsage;
    }
    absl::StatusOr<ReportCommand> prepared = ReportCommand::Prepare(cl);
    if (!prepared.ok()) return Fail(prepared.status());
    report.emplace(std::move(*prepared));
  }

  MergeOptions options;
  options.threads = cl.threads;
  options.keep_going = cl.keep_going;
  options.use_mmap = cl.use_mmap;
  if (!filter.empty()) options.keep_file = [&filter](std::string_view path) { return filter.Keep(path); };
  Merger merger(options);
  for (const std::string& name : names) {
    if (absl::Status status = AddInput(name, &merger, cl.quiet); !status.ok()) return Fail(status);
  }
  for (const std::optional<std::string>* output : {&cl.output, &cl.json, &cl.lcov, &cl.cobertura, &cl.html}) {
    if (!output->has_value() || **output == "-") continue;
    if (absl::Status status = CheckOutputIsNotInput(**output, names); !status.ok()) return Fail(status);
  }

  MergeProgress progress;
  absl::StatusOr<MergeResult> result;
  {
    ProgressDisplay display(&progress, !cl.quiet && ::isatty(STDERR_FILENO));
    result = merger.Finish(&progress);
  }
  if (!result.ok()) return Fail(result.status());
  const MergeReport& merge_report = result->report;
  if (!cl.quiet) {
    for (const SkippedInput& skipped : merge_report.skipped) PrintLine("warning: skipped input: ", skipped.reason);
    for (const std::string& warning : merge_report.warnings) PrintLine("warning: ", warning);
  }

  // "-o -" is standard output, as for every output of `covmerge report`.
  const bool to_stdout = !cl.output || *cl.output == "-";
  if (report) {
    if (cl.output) {
      absl::Status written = to_stdout ? WriteProfileToDescriptor(result->profile, STDOUT_FILENO, "<stdout>")
                                       : WriteProfileFile(result->profile, *cl.output);
      if (!written.ok() && !absl::IsAborted(written)) return Fail(written);
    }
    absl::StatusOr<bool> passed = report->Run(*result);
    if (!passed.ok()) return Fail(passed.status());
    return *passed ? kExitOk : kExitGateFailed;
  }

  absl::Status written = to_stdout ? WriteProfileToDescriptor(result->profile, STDOUT_FILENO, "<stdout>")
                                   : WriteProfileFile(result->profile, *cl.output);
  if (absl::IsAborted(written)) return kExitOk;  // the reader went away (`| head`): end quietly
  if (!written.ok()) return Fail(written);

  if (cl.summary) {
    std::string line = CoverageLine(result->profile.TotalCoverage());
    if (!merge_report.skipped.empty()) {
      ::covmerge::internal::Append(&line, " (", merge_report.inputs_merged, " inputs merged, ",
                                   merge_report.skipped.size(), " skipped)");
    }
    if (merge_report.excluded_files > 0) {
      ::covmerge::internal::Append(&line, " (", merge_report.excluded_files, " files left out by --include/--exclude)");
    }
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  return kExitOk;
}

}  // namespace

int Main(int argc, char** argv) {
  // A closed output pipe must give EPIPE on write, not kill us silently.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return Run(argc, argv);
  } catch (const std::bad_alloc&) {
    // Outside the merge itself (which reports this as a status): a message
    // that needs no memory to print.
    static const char kMessage[] =
        "covmerge: error: out of memory; raise the memory limit (ulimit -v) or merge the inputs in smaller batches\n";
    (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "covmerge: error: %s\n", e.what());
    return 1;
  }
}

}  // namespace covmerge::cli
