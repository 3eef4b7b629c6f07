// Early-return helpers for absl::Status / absl::StatusOr in this adapter.
//
// Debian's Abseil (20220623) has no ABSL_RETURN_IF_ERROR and the project
// has no shared copy yet, so the adapter keeps these two local.
#ifndef CSE_ADAPTERS_HUBSPOT_STATUS_MACROS_H_
#define CSE_ADAPTERS_HUBSPOT_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"

#define CSE_HS_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    const absl::Status cse_hs_status_ = (expr);      \
    if (!cse_hs_status_.ok()) return cse_hs_status_; \
  } while (0)

#define CSE_HS_CONCAT_INNER(a, b) a##b
#define CSE_HS_CONCAT(a, b) CSE_HS_CONCAT_INNER(a, b)
#define CSE_HS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(*tmp)
// `lhs = *expr` when expr (a StatusOr) is OK; returns its status otherwise.
#define CSE_HS_ASSIGN_OR_RETURN(lhs, expr) \
  CSE_HS_ASSIGN_OR_RETURN_IMPL(CSE_HS_CONCAT(cse_hs_or_, __LINE__), lhs, expr)

#endif  // CSE_ADAPTERS_HUBSPOT_STATUS_MACROS_H_
