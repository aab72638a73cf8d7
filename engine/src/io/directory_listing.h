// SPDX-License-Identifier: Apache-2.0
// ListFileNames: the names of the files directly inside one directory,
// for readers of directories with a fixed layout (a GOCOVERDIR) rather
// than a tree searched by file name (input_discovery.cc).
#ifndef COVMERGE_IO_DIRECTORY_LISTING_H_
#define COVMERGE_IO_DIRECTORY_LISTING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace covmerge::internal {

// The names (not paths) of the regular files in `dir`, symbolic links to
// regular files included, in byte order; names starting with '.' are left
// out. Errors name the directory (NotFound, PermissionDenied, ...).
absl::StatusOr<std::vector<std::string>> ListFileNames(const std::string& dir);

// `dir` joined with `name`, with one '/' between them.
std::string JoinPath(const std::string& dir, const std::string& name);

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_DIRECTORY_LISTING_H_
