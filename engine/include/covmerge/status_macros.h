// SPDX-License-Identifier: Apache-2.0
// Early-return helpers for absl::Status. Debian's Abseil 20220623 has no
// public ABSL_RETURN_IF_ERROR, so the engine defines its own.
#ifndef COVMERGE_STATUS_MACROS_H_
#define COVMERGE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define COVMERGE_RETURN_IF_ERROR(expr)                \
  do {                                                \
    ::absl::Status covmerge_status_ = (expr);         \
    if (!covmerge_status_.ok()) return covmerge_status_; \
  } while (0)

#define COVMERGE_CONCAT_INNER_(a, b) a##b
#define COVMERGE_CONCAT_(a, b) COVMERGE_CONCAT_INNER_(a, b)

// COVMERGE_ASSIGN_OR_RETURN(auto x, FunctionReturningStatusOr());
#define COVMERGE_ASSIGN_OR_RETURN(lhs, expr) \
  COVMERGE_ASSIGN_OR_RETURN_IMPL_(COVMERGE_CONCAT_(covmerge_statusor_, __LINE__), lhs, expr)
#define COVMERGE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return std::move(tmp).status();        \
  lhs = std::move(tmp).value()

#endif  // COVMERGE_STATUS_MACROS_H_
