// Realistic CRM events for the engine benchmark and the gRPC load tool.
//
// The texts are written like the tickets and meeting notes a B2B software
// provider receives (see tests/eval/data for the labelled set): polite
// prose with a few phase signals and one critical event each, so the
// benchmark exercises the same paths as production traffic rather than an
// empty scan.
//
// Example:
//   cse::v1::TicketEvent t = cse::bench::EnglishTicket1K();
//   cse::v1::MeetingEvent m = cse::bench::MeetingNote4K();
#ifndef CSE_TESTS_BENCH_SAMPLE_EVENTS_H_
#define CSE_TESTS_BENCH_SAMPLE_EVENTS_H_

#include <string>
#include <vector>

#include "cse/v1/events.pb.h"

namespace cse::bench {

// An English incident ticket, body about 1 KB: an export outage during
// go-live (critical event: breakdown), urgent.
cse::v1::TicketEvent EnglishTicket1K();

// A Dutch ticket, body about 1 KB: a "storing" (outage) after go-live.
cse::v1::TicketEvent DutchTicket1K();

// A meeting note, notes about 4 KB: a quarterly review with a renewal
// discussion and an absent key person.
cse::v1::MeetingEvent MeetingNote4K();

// A handful of different ~1 KB tickets (English and Dutch, several
// phases) for the load tool, so requests are not all identical.
std::vector<cse::v1::TicketEvent> LoadTickets();

}  // namespace cse::bench

#endif  // CSE_TESTS_BENCH_SAMPLE_EVENTS_H_
