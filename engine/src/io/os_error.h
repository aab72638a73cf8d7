// SPDX-License-Identifier: Apache-2.0
// Turns an errno value into an absl::Status whose message is a sentence
// naming what was being done and to which file.
#ifndef COVMERGE_IO_OS_ERROR_H_
#define COVMERGE_IO_OS_ERROR_H_

#include <string_view>

#include "absl/status/status.h"

namespace covmerge::internal {

// E.g. OsError(ENOENT, "cannot open", "a.out") ->
// NotFound("cannot open a.out: No such file or directory").
absl::Status OsError(int error_number, std::string_view action, std::string_view path);

}  // namespace covmerge::internal

#endif  // COVMERGE_IO_OS_ERROR_H_
