// absl::Time and absl::Duration to and from google.protobuf.Timestamp and
// Duration, as the journey and writeback conversions need them.
//
// The stores mark "never" with absl::InfinitePast() / InfiniteFuture(); those
// convert to an unset message field, and an unset field to InfinitePast().
#ifndef CSE_SIDECAR_API_PROTO_TIME_H_
#define CSE_SIDECAR_API_PROTO_TIME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace cse::api {

inline bool IsSet(const google::protobuf::Timestamp& ts) {
  return ts.seconds() != 0 || ts.nanos() != 0;
}

// InfinitePast for an unset timestamp.
inline absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  if (!IsSet(ts)) return absl::InfinitePast();
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

// Sets `*out` from a finite time; clears it for an infinite one.
inline void ToProto(absl::Time t, google::protobuf::Timestamp* out) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
    out->Clear();
    return;
  }
  const int64_t seconds = absl::ToUnixSeconds(t);
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
}

// Sets the field only for a finite time, so "never" stays absent.
template <typename SetFn>
void SetTime(absl::Time t, SetFn mutable_field) {
  if (t != absl::InfinitePast() && t != absl::InfiniteFuture()) {
    ToProto(t, mutable_field());
  }
}

// INVALID_ARGUMENT naming `field` for a negative duration or one whose
// seconds and nanos disagree in sign or overflow.
inline absl::StatusOr<absl::Duration> FromProto(
    const google::protobuf::Duration& d, absl::string_view field) {
  if (d.nanos() <= -1000000000 || d.nanos() >= 1000000000 ||
      (d.seconds() > 0 && d.nanos() < 0) ||
      (d.seconds() < 0 && d.nanos() > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a valid duration"));
  }
  const absl::Duration out =
      absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
  if (out < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be negative"));
  }
  return out;
}

// "3600s", "1.5s": how the bounds are named in error messages.
inline std::string SecondsText(absl::Duration d) {
  return absl::StrCat(absl::ToDoubleSeconds(d), "s");
}

}  // namespace cse::api

#endif  // CSE_SIDECAR_API_PROTO_TIME_H_
