// SPDX-License-Identifier: Apache-2.0
// Writes a merged profile in the text format gocovmerge writes:
//   mode: MODE
//   PATH:L1.C1,L2.C2 NUMSTMT COUNT     (files by path, blocks by position)
// An empty profile writes nothing at all, as gocovmerge does.
#ifndef COVMERGE_WRITER_H_
#define COVMERGE_WRITER_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "covmerge/profile.h"

namespace covmerge {

// Receives the output in pieces of up to about 256 KB.
using ByteSink = std::function<absl::Status(std::string_view)>;

// Formats `profile` into `sink`; returns the first error the sink returns.
// `threads` workers (0: one per core) format pieces at once while another
// is written; the sink is called by one at a time, with the pieces in
// order, and after its first error no more.
absl::Status WriteProfile(const MergedProfile& profile, const ByteSink& sink, int threads = 1);

// Writes `profile` to `path` through a temporary file in the same directory
// that is renamed into place, so the file at `path` is either the previous
// one or the complete new one, never a partial write. A name ending in
// ".zst" or ".gz" is written compressed with zstd or gzip.
absl::Status WriteProfileFile(const MergedProfile& profile, const std::string& path, int threads = 1);

// Writes `profile` to an open descriptor such as 1 (stdout). A closed pipe
// returns an Aborted status.
absl::Status WriteProfileToDescriptor(const MergedProfile& profile, int fd, std::string_view name,
                                      int threads = 1);

// The line `go test -cover` prints, e.g. "coverage: 54.8% of statements",
// or "coverage: [no statements]".
std::string CoverageLine(const Coverage& coverage);

}  // namespace covmerge

#endif  // COVMERGE_WRITER_H_
