// Page sizes of the list RPCs, and the page tokens of ListAccountsAtRisk:
// the decimal offset of the next page, opaque to callers. The at-risk list
// is a ranking recomputed on every call (a new critical event moves an
// account up), so no cursor would hold its place either; ListDeadLetters,
// an ordered list that admins shrink while paging it, has a cursor
// (writeback_conversion.h).
#ifndef CSE_SIDECAR_API_PAGING_H_
#define CSE_SIDECAR_API_PAGING_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace cse::api {

struct Page {
  int limit = 0;
  int offset = 0;
};

// page_size 0 means `default_size`; above `max_size` is INVALID_ARGUMENT.
// An empty token is the first page; one this server did not hand out is
// INVALID_ARGUMENT naming page_token.
inline absl::StatusOr<Page> ParsePage(uint32_t page_size,
                                      absl::string_view page_token,
                                      int default_size, int max_size) {
  Page page;
  if (page_size > static_cast<uint32_t>(max_size)) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: at most ", max_size));
  }
  page.limit = page_size == 0 ? default_size : static_cast<int>(page_size);
  if (!page_token.empty() &&
      (!absl::SimpleAtoi(page_token, &page.offset) || page.offset < 0)) {
    return absl::InvalidArgumentError(
        "page_token: not a token from a previous response");
  }
  return page;
}

// The token for the page after `page` when `got` items came back for a
// request of limit + 1 (one more than the page, to know whether another
// page exists); empty on the last page.
inline std::string NextPageToken(const Page& page, size_t got) {
  if (got <= static_cast<size_t>(page.limit)) return "";
  return absl::StrCat(page.offset + page.limit);
}

}  // namespace cse::api

#endif  // CSE_SIDECAR_API_PAGING_H_
