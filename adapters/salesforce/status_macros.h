// Early-return helpers for absl::Status / absl::StatusOr in this adapter.
//
// Debian's Abseil (20220623) has no ABSL_RETURN_IF_ERROR and the project
// has no shared copy yet, so the adapter keeps these two local.
#ifndef CSE_ADAPTERS_SALESFORCE_STATUS_MACROS_H_
#define CSE_ADAPTERS_SALESFORCE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"

#define CSE_SF_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    const absl::Status cse_sf_status_ = (expr);      \
    if (!cse_sf_status_.ok()) return cse_sf_status_; \
  } while (0)

#define CSE_SF_CONCAT_INNER(a, b) a##b
#define CSE_SF_CONCAT(a, b) CSE_SF_CONCAT_INNER(a, b)
#define CSE_SF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(*tmp)
// `lhs = *expr` when expr (a StatusOr) is OK; returns its status otherwise.
#define CSE_SF_ASSIGN_OR_RETURN(lhs, expr) \
  CSE_SF_ASSIGN_OR_RETURN_IMPL(CSE_SF_CONCAT(cse_sf_or_, __LINE__), lhs, expr)

#endif  // CSE_ADAPTERS_SALESFORCE_STATUS_MACROS_H_
