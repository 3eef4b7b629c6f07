// Early-return helpers for absl::Status / absl::StatusOr, shared by the
// adapters.
//
// Debian's Abseil (20220623) has no ABSL_RETURN_IF_ERROR (style.md, point
// 7), so the project keeps this one small copy.
//
// Example:
//   CSE_RETURN_IF_ERROR(CheckSignature(delivery));
//   CSE_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(delivery));
#ifndef CSE_ADAPTERS_COMMON_STATUS_MACROS_H_
#define CSE_ADAPTERS_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"

#define CSE_RETURN_IF_ERROR(expr)              \
  do {                                         \
    const absl::Status cse_status_ = (expr);   \
    if (!cse_status_.ok()) return cse_status_; \
  } while (0)

#define CSE_STATUS_MACROS_CONCAT_INNER(a, b) a##b
#define CSE_STATUS_MACROS_CONCAT(a, b) CSE_STATUS_MACROS_CONCAT_INNER(a, b)
#define CSE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(*tmp)
// `lhs = *expr` when expr (a StatusOr) is OK; returns its status otherwise.
#define CSE_ASSIGN_OR_RETURN(lhs, expr) \
  CSE_ASSIGN_OR_RETURN_IMPL(            \
      CSE_STATUS_MACROS_CONCAT(cse_status_or_, __LINE__), lhs, expr)

#endif  // CSE_ADAPTERS_COMMON_STATUS_MACROS_H_
