// A small mapping used by the engine tests, in protobuf text format so the
// engine is tested without the YAML loader. Every expectation in the tests
// follows from the rules written here.
#ifndef CSE_TESTS_UNIT_ENGINE_TEST_MAPPING_H_
#define CSE_TESTS_UNIT_ENGINE_TEST_MAPPING_H_

#include <memory>
#include <string>

#include "cse/config/v1/mapping.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "sidecar/engine/compiled_mapping.h"

namespace cse::engine::testing {

inline constexpr char kTestMapping[] = R"pb(
  version: "test-1"
  phase_model {
    id: "five"
    phases {
      id: "trigger"
      name: "Trigger"
      signals { id: "t.struggle" pattern: "\\bstruggling with\\b" weight: 2 }
      practice_priors { key: "P1" value: 0.8 }
      practice_priors { key: "P3" value: 0.9 }
      default_engagement: ENGAGEMENT_REACTIVE
    }
    phases {
      id: "orientation"
      name: "Orientation"
      signals { id: "o.demo" pattern: "\\bdemo\\b" weight: 1.5 }
      signals { id: "o.pricing" pattern: "\\bpricing\\b" weight: 1 }
      practice_priors { key: "P2" value: 1.0 }
      default_engagement: ENGAGEMENT_PROACTIVE
    }
    phases {
      id: "implementation"
      name: "Implementation and usage"
      signals { id: "i.golive" pattern: "\\bgo-?live\\b" weight: 2 }
      signals {
        id: "i.error"
        pattern: "\\berror\\b"
        weight: 1
        fields: [ TEXT_FIELD_BODY ]
      }
      signals {
        id: "i.nl.storing"
        pattern: "\\bstoring\\b"
        weight: 2
        language: "nl"
      }
      practice_priors { key: "P10" value: 0.6 }
      practice_priors { key: "P4" value: 0.5 }
      default_engagement: ENGAGEMENT_REACTIVE
    }
  }
  field_rules {
    id: "stage.closedwon"
    phase: "implementation"
    priority: 30
    when { fields { field: "custom_fields.dealstage" any_of: "closedwon" } }
  }
  field_rules {
    id: "meeting.demo"
    phase: "orientation"
    priority: 20
    when {
      fields { field: "event" any_of: "meeting" }
      fields { field: "meeting_type" any_of: "demo" }
    }
  }
  field_rules {
    id: "type.question"
    phase: "trigger"
    priority: 10
    when { fields { field: "type" any_of: "Question" } }
  }
  field_rules {
    id: "tag.onboarding"
    phase: "implementation"
    priority: 10
    when { fields { field: "tags" any_of: "onboarding" } }
  }
  critical_events {
    id: "breakdown"
    name: "Breakdown"
    polarity: POLARITY_NEGATIVE
    patterns { id: "ce.down" pattern: "\\b(is|are|went) down\\b" weight: 2 }
    patterns { id: "ce.nl.storing" pattern: "\\bstoring\\b" }
    conditions {
      priorities: "urgent"
      fields { field: "type" any_of: "incident" }
    }
    practice_affinity { key: "P10" value: 3 }
    practice_affinity { key: "P4" value: 2 }
  }
  critical_events {
    id: "escalation"
    name: "Escalation"
    polarity: POLARITY_NEGATIVE
    patterns { id: "ce.escalate" pattern: "\\bescalat" }
    conditions { require_sla_breached: true }
    require_text_and_condition: true
    practice_affinity { key: "P7" value: 2 }
  }
  critical_events {
    id: "praise"
    name: "Praise"
    polarity: POLARITY_OPPORTUNITY
    patterns { id: "ce.thanks" pattern: "\\b(great job|thank you so much)\\b" }
    conditions { min_satisfaction_ratio: 0.9 }
    practice_affinity { key: "P6" value: 2 }
    practice_affinity { key: "P2" value: 1 }
  }
  critical_events {
    id: "absent_key_person"
    name: "Absent key person"
    polarity: POLARITY_NEGATIVE
    conditions { require_key_attendee_absent: true }
    practice_affinity { key: "P6" value: 1 }
  }
  critical_events {
    id: "renewal"
    name: "Renewal discussion"
    polarity: POLARITY_OPPORTUNITY
    patterns { id: "ce.renew" pattern: "\\brenew" }
    phases: "implementation"
    practice_affinity { key: "P6" value: 3 }
  }
  practices { id: "P1" name: "Provide constructive advice" }
  practices { id: "P2" name: "Tailor the value promise" }
  practices { id: "P3" name: "Analyse the problem thoroughly" }
  practices { id: "P4" name: "Solve problems ad hoc" }
  practices { id: "P5" name: "Steer toward solutions" }
  practices { id: "P6" name: "Manage the relationship strategically" }
  practices { id: "P7" name: "Take decisive action" }
  practices { id: "P8" name: "Manage expectations" }
  practices { id: "P9" name: "Empathise with the customer" }
  practices { id: "P10" name: "Stabilise the situation" }
  playbooks {
    id: "pb.incident"
    practice: "P10"
    name: "Major incident"
    url: "https://wiki.example.com/incident"
    critical_events: "breakdown"
  }
  anti_patterns {
    id: "no_proactive_information"
    name: "No proactive information"
    advice: "Tell the customer before they find out."
    requires_events: "breakdown"
    patterns { id: "ap.nobody" pattern: "\\bnobody told us\\b" }
  }
  anti_patterns {
    id: "unanswered_requests"
    name: "Avoiding customer requests"
    advice: "Answer."
    patterns { id: "ap.waiting" pattern: "\\bstill waiting\\b" }
    conditions { min_reopen_count: 2 }
  }
  tagging { prefix: "cse" }
  suggestions {
    top_n: 3
    default_prior: 0.2
    routine_factor: 1.5
    max_note_bytes: 1500
  }
  limits { max_text_bytes: 4096 }
)pb";

inline cse::config::v1::MappingConfig TestConfig() {
  cse::config::v1::MappingConfig c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kTestMapping, &c));
  return c;
}

inline std::shared_ptr<const CompiledMapping> TestMapping() {
  auto m = CompiledMapping::Compile(TestConfig(), "test-1@abc");
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *m : nullptr;
}

}  // namespace cse::engine::testing

#endif  // CSE_TESTS_UNIT_ENGINE_TEST_MAPPING_H_
