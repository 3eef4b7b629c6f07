// Small mappings for the integration tests, as YAML in the file format.
//
// Every expectation in the tests follows from the rules written here, not
// from the built-in mapping, so the tests keep passing when the defaults are
// tuned. Scores follow the ranker's formula:
//   score = phase prior * (1 + sum of event affinities) * routine factor.
#ifndef CSE_TESTS_INTEGRATION_TEST_MAPPINGS_H_
#define CSE_TESTS_INTEGRATION_TEST_MAPPINGS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace cse::testing {

// Three phases; "implementation" is reached by the go-live signal, by a
// closed-won deal stage and by a kick-off meeting.
//
// A ticket "The export is down since the go-live":
//   phase implementation (text signal i.golive), event breakdown;
//   P10 = 0.6 * (1 + 3) * 1.5 (playbook) = 3.6; P4 = 0.5 * (1 + 2) = 1.5;
//   P2 = P6 = 0.2 (default prior)  -> top 2: P10, P4.
// A kick-off meeting with a planned key person absent:
//   phase implementation (field rule meeting.kickoff), event
//   absent_key_person; P6 = 0.2 * (1 + 3) = 0.8; P10 = 0.6; P4 = 0.5
//   -> top 2: P6, P10.
inline constexpr char kTestMappingTemplate[] = R"yaml(version: "$LABEL"
description: Integration-test mapping
phase_model:
  id: itest
  name: Integration-test journey
  phases:
    - id: orientation
      name: Orientation
      signals:
        - id: o.demo
          pattern: '\bdemo\b'
          weight: 2
      practice_priors:
        P2: 1.0
      default_engagement: ENGAGEMENT_PROACTIVE
    - id: implementation
      name: "$IMPLEMENTATION_NAME"
      signals:
        - id: i.golive
          pattern: '\bgo-?live\b'
          weight: 2
      practice_priors:
        P10: 0.6
        P4: 0.5
      default_engagement: ENGAGEMENT_REACTIVE
    - id: renewal
      name: Renewal
      signals:
        - id: r.renew
          pattern: '\brenew'
          weight: 1
field_rules:
  - id: stage.closedwon
    phase: implementation
    priority: 30
    when:
      fields:
        - field: custom_fields.dealstage
          any_of: [closedwon]
  - id: meeting.kickoff
    phase: implementation
    priority: 20
    when:
      fields:
        - field: meeting_type
          any_of: [kick_off]
critical_events:
  - id: breakdown
    name: Breakdown
    polarity: POLARITY_NEGATIVE
    patterns:
      - id: ce.down
        pattern: '\b(is|are) down\b'
    practice_affinity:
      P10: 3
      P4: 2
  - id: absent_key_person
    name: Absent key person
    polarity: POLARITY_NEGATIVE
    conditions:
      - require_key_attendee_absent: true
    practice_affinity:
      P6: 3
practices:
  - id: P2
    name: Tailor the value promise
  - id: P4
    name: Solve problems ad hoc
  - id: P6
    name: Manage the relationship strategically
  - id: P10
    name: Stabilise the situation
playbooks:
  - id: pb.incident
    practice: P10
    name: Major incident
    url: https://wiki.example.com/incident
    critical_events: [breakdown]
suggestions:
  top_n: 2
  default_prior: 0.2
  routine_factor: 1.5
)yaml";

// The test mapping with its label and the implementation phase's display
// name replaced: variants for the reload tests, where the phase name tells
// which version produced an answer.
inline std::string TestMappingYaml(
    absl::string_view label = "itest-1",
    absl::string_view implementation_name = "Implementation and usage") {
  return absl::StrReplaceAll(
      kTestMappingTemplate,
      {{"$LABEL", label}, {"$IMPLEMENTATION_NAME", implementation_name}});
}

}  // namespace cse::testing

#endif  // CSE_TESTS_INTEGRATION_TEST_MAPPINGS_H_
