// RtWriteback: performs the sidecar's writeback jobs on RT tickets.
//
//   note   an internal comment (POST /ticket/:id/comment, never a reply to
//          the requestor) whose Subject carries the job's marker; the
//          ticket history is searched for the marker first, so a job
//          performed twice leaves one comment;
//   tags   the multi-value custom field (default "CSE Tags"): current
//          values ∪ the job's tags, written only when something is missing;
//   phase  the single-value custom field (default "Journey Phase"),
//          overwritten with the phase's display name.
// REST2 answers 200 even when it refused a custom-field value (the reason
// is in the message list, e.g. "Invalid value for custom field"), so every
// custom-field write is read back and a value that did not stick is a
// permanent failure carrying RT's messages.
#ifndef CSE_ADAPTERS_REQUEST_TRACKER_RT_WRITEBACK_H_
#define CSE_ADAPTERS_REQUEST_TRACKER_RT_WRITEBACK_H_

#include <string>

#include "adapters/crm_adapter.h"
#include "adapters/request_tracker/rt_session.h"

namespace cse::adapters::request_tracker {

struct WritebackFields {
  std::string phase_field = "Journey Phase";
  std::string tags_field = "CSE Tags";
};

class RtWriteback {
 public:
  RtWriteback(RtSession* session, WritebackFields fields);

  WritebackOutcome Perform(const cse::v1::WritebackJob& job);

 private:
  WritebackOutcome Note(const cse::v1::WritebackJob& job);
  WritebackOutcome Tags(const cse::v1::WritebackJob& job);
  WritebackOutcome Phase(const cse::v1::WritebackJob& job);

  RtSession* session_;
  WritebackFields fields_;
};

// The comment subject for a note: "CSE suggestions [<marker>]".
std::string NoteSubject(absl::string_view marker);

}  // namespace cse::adapters::request_tracker

#endif  // CSE_ADAPTERS_REQUEST_TRACKER_RT_WRITEBACK_H_
