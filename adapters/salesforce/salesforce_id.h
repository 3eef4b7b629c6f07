// Salesforce record ids: the 15-character case-sensitive form and the
// 18-character case-insensitive form.
//
// Salesforce ids are 15 case-sensitive alphanumeric characters; the API
// returns them with a 3-character suffix that encodes the case of the 15
// (ID field type,
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/field_types.htm,
// and the outbound message WSDL's ent:ID type, "[a-zA-Z0-9]{18}",
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm).
// The suffix algorithm is not spelled out on those pages; this is the one
// Salesforce's CASESAFEID() formula produces and that the community
// converters implement (e.g. https://gist.github.com/jbaylor-rpx/2691624,
// https://gist.github.com/marz619/674d36bb90f1cb91a72486741c6d692c): for
// each 5-character chunk, bit i is set when character i is an upper-case
// letter, and the 5-bit value indexes "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".
// The tests pin vectors published with those converters.
#ifndef CSE_ADAPTERS_SALESFORCE_SALESFORCE_ID_H_
#define CSE_ADAPTERS_SALESFORCE_SALESFORCE_ID_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cse::adapters::salesforce {

// True for 15 or 18 ASCII letters and digits.
bool LooksLikeSalesforceId(absl::string_view id);

// The canonical 18-character form of `id`:
//   15 characters: the id plus its case suffix;
//   18 characters: the case of the first 15 restored from the suffix
//     (so an id whose case was lost, e.g. upper-cased by a spreadsheet,
//     still compares equal), with an upper-case suffix.
// INVALID_ARGUMENT when `id` is not 15/18 alphanumerics or an 18-character
// suffix contradicts its first 15 characters.
absl::StatusOr<std::string> CanonicalId18(absl::string_view id);

}  // namespace cse::adapters::salesforce

#endif  // CSE_ADAPTERS_SALESFORCE_SALESFORCE_ID_H_
