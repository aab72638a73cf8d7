// SPDX-License-Identifier: Apache-2.0
// ReadGoCoverDir: a GOCOVERDIR turned into text profiles, one per meta file
// (one per instrumented binary), that the merge pass then reads like any
// other input. Going through text keeps one merge for both kinds of input:
// the same table, conflict checks, keep-going, output and summaries; the
// text is generated once per meta file, whatever the number of runs.
//
// The steps: list the directory; decode each covmeta.* file; decode the
// covcounters.* files on `threads` workers, each summing its files into its
// own array of counts per meta file (matched by the meta hash in the
// counter file's header); add the workers' arrays; write every block of
// every meta file, with count 0 for functions no run executed, as
// `go tool covdata textfmt` does. Counts combine by the count rule
// (base/count_rule.h): saturated at kMaxCount (count, atomic), each
// saturation counted for the merge's warning, or ORed (set).
//
// Memory: the decoded meta files, and per worker one count per block of
// each meta file that its counter files refer to.
#ifndef COVMERGE_COVDATA_COVERDIR_H_
#define COVMERGE_COVDATA_COVERDIR_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "covdata/counter_file.h"
#include "covdata/meta_file.h"
#include "covmerge/merger.h"

namespace covmerge::internal {

// A meta file's blocks and summed counts as a text profile.
struct DecodedProfile {
  std::string name;  // the meta file's path
  std::string text;  // "mode: ...\n" and one line per block
  uint64_t runs = 0;  // counter files summed into it
};

struct CoverDirContents {
  // In byte order of meta file name; empty only under keep_going when every
  // counter file was left out (each is in `skipped`).
  std::vector<DecodedProfile> profiles;
  std::vector<SkippedInput> skipped;  // only with keep_going
  // Additions of counts that saturated at kMaxCount (CombineCounts), over
  // every counter file and worker: the merge warns when it is not 0.
  uint64_t saturations = 0;
};

// Reads the GOCOVERDIR `dir`. Files whose names start with neither
// "covmeta." nor "covcounters." are ignored. Errors (InvalidArgument unless
// reading failed), each naming the file: a damaged meta or counter file
// (meta_file.h, counter_file.h), a counter file whose meta hash matches no
// meta file, a counter entry that names a package or function the meta
// file lacks or has another number of blocks, a directory without a meta
// file, a directory without a counter file (no run: nothing to merge). A
// meta file without runs next to one with runs gives count 0 to all its
// blocks, as `go tool covdata textfmt` does. With keep_going, a damaged
// counter file is left out and listed in `skipped`, and so are a damaged
// meta file and its counter files; the first error in file name order is
// returned otherwise, whatever `threads`.
absl::StatusOr<CoverDirContents> ReadGoCoverDir(const std::string& dir, int threads, bool keep_going);

// Checks the entries of `data` against `meta` (all of them, before any
// count changes) and then adds their counters to `counts` (one per block of
// `meta`) by the count rule. `name` is the counter file's, for messages.
// Adds the number of sums that saturated to `*saturations` unless it is null.
absl::Status AddCounters(std::string_view name, const MetaFile& meta, const CounterData& data,
                         std::span<uint64_t> counts, uint64_t* saturations = nullptr);

// The text profile of `meta` with `counts` (one per block).
std::string RenderTextProfile(const MetaFile& meta, std::span<const uint64_t> counts);

}  // namespace covmerge::internal

#endif  // COVMERGE_COVDATA_COVERDIR_H_
