// A tiny mapping the CLI and evaluation tests write to disk: two phases,
// one field rule, one detector, two practices, so every figure can be
// worked out by hand.
//
//   buying: signal "quote" (2); priors P1 1.0, P2 0.5
//   using:  signal "broken" (2); priors P1 0.2, P2 1.0
//   field rule type=contract -> buying (priority 10)
//   detector outage ("down"), negative, affinity P2 +2
#ifndef CSE_TESTS_CLI_TINY_MAPPING_H_
#define CSE_TESTS_CLI_TINY_MAPPING_H_

namespace cse::testing {

inline constexpr char kTinyMappingYaml[] = R"yaml(version: tiny-1
description: Two phases for the CLI tests.
phase_model:
  id: tiny
  name: Tiny model
  phases:
    - id: buying
      name: Buying
      signals:
        - id: sig_quote
          pattern: '\bquote\b'
          weight: 2
      practice_priors:
        P1: 1.0
        P2: 0.5
    - id: using
      name: Using
      signals:
        - id: sig_broken
          pattern: '\bbroken\b'
          weight: 2
      practice_priors:
        P1: 0.2
        P2: 1.0
field_rules:
  - id: rule_contract
    description: Contract tickets are about buying.
    phase: buying
    priority: 10
    when:
      fields:
        - field: type
          any_of: [contract]
critical_events:
  - id: outage
    name: Outage
    polarity: negative
    patterns:
      - id: ce_down
        pattern: '\bdown\b'
    practice_affinity:
      P2: 2
practices:
  - id: P1
    name: Provide constructive advice
  - id: P2
    name: Stabilise the situation
)yaml";

// The same file with an unknown key on line 5 (`nmae`).
inline constexpr char kBrokenMappingYaml[] = R"yaml(version: broken-1
description: An unknown key and a bad reference.
phase_model:
  id: tiny
  nmae: Tiny model
  phases:
    - id: buying
      name: Buying
practices:
  - id: P1
    name: Provide constructive advice
)yaml";

}  // namespace cse::testing

#endif  // CSE_TESTS_CLI_TINY_MAPPING_H_
