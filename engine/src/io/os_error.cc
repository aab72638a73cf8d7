// SPDX-License-Identifier: Apache-2.0
#include "io/os_error.h"

#include <cerrno>
#include <cstring>

#include "base/str_cat.h"

namespace covmerge::internal {

absl::Status OsError(int error_number, std::string_view action, std::string_view path) {
  std::string message = internal::Cat(action, " ", path, ": ", std::strerror(error_number));
  switch (error_number) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case ENOMEM:
      return absl::ResourceExhaustedError(message);
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return absl::ResourceExhaustedError(message);
    case EISDIR:
    case EINVAL:
      return absl::InvalidArgumentError(message);
    default:
      return absl::UnknownError(message);
  }
}

}  // namespace covmerge::internal
