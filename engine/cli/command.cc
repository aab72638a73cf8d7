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

#include "base/quote_path.h"
#include "base/str_cat.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/progress_display.h"
#include "cli/report_command.h"
#include "covmerge/error.h"
#include "covmerge/inputs.h"
#include "covmerge/merger.h"
#include "covmerge/path_filter.h"
#include "covmerge/writer.h"
#include "io/output_file.h"

#ifndef COVMERGE_VERSION
#define COVMERGE_VERSION "unknown"
#endif

namespace covmerge::cli {
namespace {

using ::covmerge::internal::Cat;
using ::covmerge::internal::QuotePath;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitGateFailed = 3;

// Where this run writes: set by Main() for the run on its thread.
thread_local Streams streams;

void PrintLine(std::string_view kind, std::string_view message) {
  (void)WriteAll(streams.err, Cat("covmerge: ", kind, message, "\n"));
}

int Fail(const absl::Status& status) {
  PrintLine("error: ", ::covmerge::internal::ToStd(status.message()));
  return kExitFailure;
}

// One output of this run: the option that names it and its path.
struct Output {
  std::string_view option;
  std::string path;
};

std::vector<Output> OutputsOf(const CommandLine& cl) {
  std::vector<Output> outputs;
  const std::pair<std::string_view, const std::optional<std::string>*> options[] = {
      {"-o", &cl.output}, {"--json", &cl.json}, {"--lcov", &cl.lcov}, {"--cobertura", &cl.cobertura},
      {"--html", &cl.html}, {"--markdown", &cl.markdown}};
  for (const auto& [option, value] : options) {
    if (value->has_value()) outputs.push_back({option, **value});
  }
  return outputs;
}

// Two outputs naming one file would replace each other: a usage error.
// Standard output ('-') takes one output too.
std::optional<std::string> FindOutputConflict(const std::vector<Output>& outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    for (size_t j = i + 1; j < outputs.size(); ++j) {
      if (!NameSameFile(outputs[i].path, outputs[j].path)) continue;
      if (outputs[i].path == "-" && outputs[j].path == "-") {
        return Cat("options ", outputs[i].option, " and ", outputs[j].option,
                   " both write to standard output ('-'); only one output can go there, name files for the others");
      }
      return Cat("options ", outputs[i].option, " ", QuotePath(outputs[i].path), " and ", outputs[j].option, " ",
                 QuotePath(outputs[j].path), " name the same file; give each output its own file");
    }
  }
  return std::nullopt;
}

// Adds one named input: a directory is searched, "-" is stdin.
absl::Status AddInput(const std::string& name, const WalkOptions& walk, Merger* merger, bool quiet) {
  if (name == "-") {
    merger->AddStdin();
    return absl::OkStatus();
  }
  struct stat st;
  if (::stat(name.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    // Text profiles and GOCOVERDIRs (Go 1.20+ binary coverage data) below
    // `name`, added in byte order of path.
    absl::StatusOr<DirectoryInputs> found = FindInputsInDirectory(name, walk);
    if (!found.ok()) return found.status();
    if (!quiet) {
      for (const SkippedEntry& skipped : found->skipped) {
        const bool expected = skipped.kind == SkippedEntry::Kind::kLeftOut ||
                              skipped.kind == SkippedEntry::Kind::kSymlinkedDirectory;
        PrintLine(expected ? "note: " : "warning: ", DescribeSkippedEntry(skipped));
      }
    }
    if (found->profiles.empty() && found->go_cover_dirs.empty()) {
      // A CI job whose profiles went elsewhere must not pass with an empty merge.
      return absl::NotFoundError(Cat(
          "directory ", QuotePath(name), " holds no profile: expected files named *.out, *.cov, *.coverprofile or ",
          "coverage.txt (also with .zst or .gz), or a GOCOVERDIR", found->skipped.empty() ? "" : ", besides those skipped",
          "; check the path, or that the tests wrote their profiles there"));
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
absl::Status CheckOutputIsNotInput(const Output& output, const std::vector<std::string>& inputs) {
  const std::optional<FileId> out = IdentifyFile(output.path);
  if (!out) return absl::OkStatus();
  for (const std::string& input : inputs) {
    if (input != "-" && IdentifyFile(input) == out) {
      return absl::InvalidArgumentError(Cat("output file ", QuotePath(output.path), " (", output.option,
                                            ") is also the input ", QuotePath(input),
                                            "; write it to another file"));
    }
  }
  return absl::OkStatus();
}

int UsageError(const CommandLine& cl, std::string_view message) {
  PrintLine("", Cat(message, "\nTry 'covmerge", cl.command == Command::kReport ? " report" : "",
                    " --help' for more information."));
  return kExitUsage;
}

int Run(int argc, char** argv) {
  absl::StatusOr<CommandLine> parsed = ParseCommandLine(argc, argv);
  if (!parsed.ok()) {
    CommandLine shape;
    if (argc > 1 && std::string_view(argv[1]) == "report") shape.command = Command::kReport;
    return UsageError(shape, ::covmerge::internal::ToStd(parsed.status().message()));
  }
  const CommandLine& cl = *parsed;
  if (cl.help) {
    (void)WriteAll(streams.out, UsageText(cl.command));
    return kExitOk;
  }
  if (cl.version) {
    (void)WriteAll(streams.out, Cat("covmerge ", COVMERGE_VERSION, "\n"));
    return kExitOk;
  }

  const std::vector<Output> outputs = OutputsOf(cl);
  if (std::optional<std::string> conflict = FindOutputConflict(outputs)) return UsageError(cl, *conflict);

  // An invalid pattern is a usage error, found before any input is read.
  PathFilter filter;
  for (const std::string& pattern : cl.includes) {
    if (absl::Status status = filter.AddInclude(pattern); !status.ok()) {
      return UsageError(cl, ::covmerge::internal::ToStd(status.message()));
    }
  }
  for (const std::string& pattern : cl.excludes) {
    if (absl::Status status = filter.AddExclude(pattern); !status.ok()) {
      return UsageError(cl, ::covmerge::internal::ToStd(status.message()));
    }
  }

  std::vector<std::string> names = cl.inputs;
  for (const InputList& list : cl.input_lists) {
    absl::StatusOr<std::vector<std::string>> listed =
        list.nul_separated ? ReadNulPathList(list.path) : ReadPathList(list.path);
    if (!listed.ok()) return Fail(listed.status());
    if (listed->empty()) {
      // `find ... | covmerge --files-from -` that found nothing must not pass.
      return Fail(absl::NotFoundError(Cat("input list ", list.path == "-" ? "<stdin>" : QuotePath(list.path), " (",
                                          list.option(), ") names no input; check the command that wrote it")));
    }
    names.insert(names.end(), listed->begin(), listed->end());
  }

  // The report checks its own arguments (the baseline above all) before
  // the merge, which may take minutes.
  std::optional<ReportCommand> report;
  if (cl.command == Command::kReport) {
    if (names.empty()) {
      return UsageError(cl, "covmerge report needs at least one INPUT: a profile, a directory of profiles or '-'");
    }
    absl::StatusOr<ReportCommand> prepared = ReportCommand::Prepare(cl, streams);
    if (!prepared.ok()) {
      // A threshold pattern that does not compile is a usage error, as an
      // --include pattern is.
      const std::optional<Error> error = ErrorOf(prepared.status());
      if (error && error->kind == ErrorKind::kInvalidArgument) {
        return UsageError(cl, ::covmerge::internal::ToStd(prepared.status().message()));
      }
      return Fail(prepared.status());
    }
    report.emplace(std::move(*prepared));
  }

  // The outputs of this run, if they exist from an earlier one, are never
  // read back by a directory walk (`covmerge -o p/merged.out p`).
  WalkOptions walk;
  for (const Output& output : outputs) {
    if (output.path == "-") continue;
    if (std::optional<FileId> id = IdentifyFile(output.path)) {
      walk.leave_out.push_back({*id, Cat("it is an output of this run (", output.option, ")")});
    }
  }

  MergeOptions options;
  options.threads = cl.threads;
  options.keep_going = cl.keep_going;
  options.use_mmap = cl.use_mmap;
  if (!filter.empty() || cl.exclude_generated) {
    options.keep_file = [&filter, &report](std::string_view path) {
      return filter.Keep(path) && !(report && report->IsGenerated(path));
    };
  }
  Merger merger(options);
  for (const std::string& name : names) {
    if (absl::Status status = AddInput(name, walk, &merger, cl.quiet); !status.ok()) return Fail(status);
  }
  for (const Output& output : outputs) {
    if (output.path == "-") continue;
    if (absl::Status status = CheckOutputIsNotInput(output, names); !status.ok()) return Fail(status);
  }

  MergeProgress progress;
  absl::StatusOr<MergeResult> result;
  {
    ProgressDisplay display(&progress, streams.err, !cl.quiet && ::isatty(streams.err));
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
      absl::Status written = to_stdout ? WriteProfileToDescriptor(result->profile, streams.out, "<stdout>", cl.threads)
                                       : WriteProfileFile(result->profile, *cl.output, cl.threads);
      if (!written.ok() && !absl::IsAborted(written)) return Fail(written);
    }
    absl::StatusOr<bool> passed = report->Run(*result);
    if (!passed.ok()) return Fail(passed.status());
    return *passed ? kExitOk : kExitGateFailed;
  }

  absl::Status written = to_stdout ? WriteProfileToDescriptor(result->profile, streams.out, "<stdout>", cl.threads)
                                   : WriteProfileFile(result->profile, *cl.output, cl.threads);
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
    (void)WriteAll(streams.err, Cat(line, "\n"));
  }
  return kExitOk;
}

}  // namespace

int Main(int argc, char** argv, const Streams& run_streams) {
  streams = run_streams;
  // A closed output pipe must give EPIPE on write, not kill us silently.
  std::signal(SIGPIPE, SIG_IGN);
  // SIGINT, SIGTERM and SIGHUP remove the temporary output files and end the
  // process with the signal (exit status 128+signal).
  ::covmerge::internal::TemporaryOutputCleanup cleanup;
  try {
    return Run(argc, argv);
  } catch (const std::bad_alloc&) {
    // Outside the merge itself (which reports this as a status): a message
    // that needs no memory to print.
    static const char kMessage[] =
        "covmerge: error: out of memory; raise the memory limit (ulimit -v) or merge the inputs in smaller batches\n";
    (void)!::write(streams.err, kMessage, sizeof kMessage - 1);
    return 1;
  } catch (const std::exception& e) {
    PrintLine("error: ", e.what());
    return 1;
  }
}

}  // namespace covmerge::cli
