#include "tests/bench/sample_events.h"

#include <utility>

namespace cse::bench {
namespace {

// About 1 KB of English: go-live context, an outage (the critical event),
// a deadline and a request for a call.
constexpr char kEnglishBody[] =
    "Hi Daniel,\n\n"
    "Since this morning around 07:30 the payroll export to our finance "
    "system is down. Every run stops with \"connection refused\" after a "
    "few minutes and the batch is left half processed. This is our first "
    "month after go-live, and the payroll run for 1,200 employees has to "
    "reach the bank by Thursday 14:00 at the latest, so we are under real "
    "time pressure here.\n\n"
    "What we have tried so far: restarted the connector service, checked "
    "the certificates (valid until 2027) and re-entered the API key. Our "
    "IT manager, Priya, also confirmed the firewall rules did not change "
    "over the weekend. The import into the HR module still works; only "
    "the outbound export fails.\n\n"
    "Could someone from your side look at this today and give us a call "
    "as soon as you know more? If there is a manual workaround (a CSV "
    "export we can upload by hand) please send instructions, because we "
    "need a fallback before Wednesday evening.\n\n"
    "The rest of the implementation has gone smoothly so far, so I hope "
    "this is a small configuration issue.\n\n"
    "Kind regards,\n"
    "Marloes Jansen\n"
    "Payroll coordinator, Northwind Logistics";

// About 1 KB of Dutch (with accents, which the normaliser folds).
constexpr char kDutchBody[] =
    "Beste Jeroen,\n\n"
    "Sinds vanochtend is er een storing in de koppeling met ons "
    "salarispakket. De export naar de bank loopt vast na ongeveer vijf "
    "minuten en de medewerkers krijgen een foutmelding bij het inloggen "
    "op het portaal. Dit is onze eerste maand na de livegang en de "
    "salarisrun voor 850 medewerkers moet uiterlijk donderdag om 14:00 "
    "bij de bank zijn.\n\n"
    "Wat we al geprobeerd hebben: de connector opnieuw gestart, de "
    "certificaten gecontroleerd en de API-sleutel opnieuw ingevoerd. "
    "Onze IT-coördinator heeft bevestigd dat er in het weekend niets aan "
    "de firewall is veranderd. De import in de HR-module werkt nog wel; "
    "alleen de uitgaande export faalt.\n\n"
    "Kunnen jullie hier vandaag naar kijken en ons bellen zodra er meer "
    "bekend is? Als er een handmatige omweg is (een CSV-export die we zelf "
    "kunnen uploaden) dan horen we dat graag, want we hebben vóór "
    "woensdagavond een terugvaloptie nodig.\n\n"
    "De rest van de implementatie is tot nu toe goed verlopen, dus ik "
    "hoop dat het om een kleine instelling gaat.\n\n"
    "Met vriendelijke groet,\n"
    "Sanne de Boer\n"
    "Salarisadministratie, Gemeente Veldhuizen";

// About 4 KB: a quarterly business review note, with a renewal discussion
// (opportunity), a missing decision maker and several phase signals.
constexpr char kMeetingNotes[] =
    "Quarterly business review with Altura Housing Association, held on "
    "site in Leeds. Attendees from Altura: Gareth Evans (Head of Housing "
    "Services), Fiona Clarke (repairs planning lead) and two schedulers. "
    "Their finance director, Mark Holloway, was invited but did not "
    "attend; Gareth said he was pulled into a board preparation session "
    "at the last minute.\n\n"
    "Where they are\n"
    "- Nine months after go-live the repairs scheduling module is used by "
    "all 38 operatives. First-time fix rate went from 71% to 82%, and "
    "the average time to complete a responsive repair dropped from 9.4 "
    "to 6.1 working days.\n"
    "- The operatives' mobile app is well adopted. Two older operatives "
    "still phone the office for every job; Fiona is coaching them and "
    "does not want us to intervene yet.\n"
    "- Tenant satisfaction with repairs rose from 68% to 77% in the last "
    "survey. Gareth wants to present this to the board in March.\n"
    "- Open issues: the integration with their asset management system "
    "still duplicates some addresses (ticket 48213, workaround in place), "
    "and the weekly planning report is slow to load on Monday mornings "
    "when everyone opens it at the same time.\n"
    "- Their IT manager asked for the roadmap of the tenant portal: they "
    "want tenants to book repair appointments themselves and see the "
    "operative's arrival window, which today causes many phone calls to "
    "the contact centre. We showed the current beta and they would like "
    "to join the pilot group in the autumn if the data protection review "
    "allows it.\n\n"
    "What they asked\n"
    "- Gareth raised the renewal of the contract, which ends on 30 June. "
    "He would like to renew for three years and extend to the planned "
    "maintenance team (about 20 more users), but needs a business case "
    "for the board that shows the savings so far and what the extension "
    "would cost. He asked for a proposal with two options before the end "
    "of February.\n"
    "- Fiona asked whether we could run a short training for the planned "
    "maintenance team in April, before they start, so that they do not "
    "build their own spreadsheets in the meantime.\n"
    "- They would welcome a reference visit to another housing "
    "association that already uses planned maintenance scheduling, "
    "ideally one with a similar stock size (about 9,000 homes).\n"
    "- Gareth mentioned that a competitor approached their procurement "
    "team last month with a lower price for a combined repairs and asset "
    "management suite. He was clear that they are happy with us, but the "
    "board will ask whether they compared offers.\n\n"
    "Our read\n"
    "- Strong relationship with Gareth and Fiona; Gareth is our advocate "
    "and needs material to make the argument. The finance director is the "
    "real decision maker for the extension and we have not met him since "
    "the original negotiation. That is a risk for the renewal.\n"
    "- The address duplication is a small issue technically but it "
    "annoys the schedulers daily; fixing it before the board meeting "
    "would help the story.\n"
    "- The Monday morning slowness is probably the report query; our "
    "support team should look at it, no need to involve the customer "
    "until we know more.\n\n"
    "Action items\n"
    "- [Daniel] Draft the renewal proposal with two options (repairs "
    "only; repairs plus planned maintenance) and a one-page business case "
    "with their own figures. Share a draft with Gareth by 14 February.\n"
    "- [Daniel] Ask Gareth for a 30-minute slot with Mark Holloway before "
    "the board meeting, ideally together with our director.\n"
    "- [Sanne] Propose two dates for the planned maintenance training in "
    "April and send the outline.\n"
    "- [Sanne] Ask Riverside Homes whether they would host a reference "
    "visit in March.\n"
    "- [Support] Prioritise the address duplication fix (ticket 48213) "
    "and investigate the Monday report performance; report back within "
    "two weeks.\n"
    "- [Daniel] Prepare a short comparison of our roadmap for asset "
    "management against what the competitor offers, in case the board "
    "asks.\n\n"
    "Next review pencilled in for early May, after the board decision. "
    "Overall a positive meeting: the customer is satisfied and wants to "
    "grow with us, but we need to move quickly on the business case and "
    "get in front of the finance director.";

// Shorter variations for the load tool, each about 1 KB.
constexpr const char* kLoadBodies[][2] = {
    {"Question about approval workflows before we sign",
     "Hello,\n\nWe are comparing three vendors for our leave and absence "
     "process and your demo last week left a good impression on the team. "
     "Before we take this to our management board, could you tell us how "
     "approval workflows work for managers who are responsible for more "
     "than one location? Today a regional manager approves requests for "
     "four sites, and we want to avoid that requests get stuck when she is "
     "on holiday. We would also like to know whether delegation can be set "
     "up by the managers themselves or only by an administrator.\n\nA "
     "second question is about pricing: is the price per employee or per "
     "active user, and is there a discount for a three-year contract? Our "
     "procurement department asks for a written offer including "
     "implementation costs and training.\n\nIf it is easier to discuss this "
     "in a short call, I am available on Tuesday or Thursday afternoon. "
     "Thank you in advance for your help.\n\nBest regards,\nTom Verhoeven\n"
     "HR manager"},
    {"Dashboard shows wrong totals since the update",
     "Hi support team,\n\nSince the update of last Friday the absence "
     "dashboard shows wrong totals for the sales department: the sick leave "
     "percentage jumped from 4% to 19%, while the individual records look "
     "correct. Other departments seem fine. Our HR director uses this "
     "dashboard every Monday in the management meeting, so she was quite "
     "surprised this morning and asked me to find out what happened before "
     "next week.\n\nI checked whether someone changed the department "
     "structure, but nothing was modified since March. I also exported the "
     "raw data to Excel and there the totals are correct, so it looks like "
     "a calculation problem in the dashboard itself.\n\nCould you please "
     "investigate and let us know when a fix is expected? If there is a "
     "known issue, a short note that we can forward to our director would "
     "already help a lot.\n\nThanks,\nEmma de Wit\nHR business partner"},
    {"Uitbreiding naar de tweede vestiging",
     "Beste Jeroen,\n\nDe eerste maanden met het roostersysteem zijn goed "
     "bevallen en de teamleiders zijn enthousiast. We willen daarom graag "
     "bespreken of we de vestiging in Apeldoorn ook kunnen aansluiten, met "
     "ongeveer 120 extra medewerkers. Onze directeur vroeg of de huidige "
     "contractvoorwaarden dan blijven gelden of dat er een nieuwe offerte "
     "nodig is.\n\nDaarnaast hebben we een vraag over de koppeling met het "
     "salarispakket: in Apeldoorn gebruiken ze nog een ander pakket. Is die "
     "koppeling beschikbaar, en wat zou de implementatie daarvan kosten?\n\n"
     "Kunnen we hiervoor volgende week een afspraak plannen? Dinsdag en "
     "donderdag komen ons het beste uit. Ik neem dan ook onze "
     "projectleider mee, zodat we meteen een planning kunnen maken.\n\n"
     "Met vriendelijke groet,\nPetra Smits\nManager P&O"},
    {"Complaint: third time the same problem",
     "Hello,\n\nThis is the third time in two months that the nightly "
     "synchronisation with our time clocks fails and nobody informed us. "
     "We only find out when employees complain that their hours are "
     "missing on their payslip preview. I have to say I am disappointed: "
     "after the last incident we were promised a monitoring alert and a "
     "call from your side if it happened again.\n\nToday 240 employees are "
     "affected and our payroll deadline is on Friday. I expect a root cause "
     "analysis this time, not only a restart of the service, and I would "
     "like to speak with someone who can make decisions about preventing "
     "this. If this continues we will have to escalate this to our "
     "director and reconsider the contract at renewal.\n\nPlease call me "
     "today.\n\nRegards,\nMark Peters\nOperations manager"},
};

}  // namespace

cse::v1::TicketEvent EnglishTicket1K() {
  cse::v1::TicketEvent t;
  t.set_source("zendesk");
  t.set_event_id("zd-evt-100001");
  t.set_ticket_id("82701");
  t.mutable_account()->set_id("360007374001");
  t.mutable_account()->set_name("Northwind Logistics");
  t.mutable_account()->set_segment("mid-market");
  t.set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  t.set_subject("Payroll export down since this morning - urgent");
  t.set_body(kEnglishBody);
  t.set_channel("email");
  t.set_status("open");
  t.set_priority("urgent");
  t.set_type("incident");
  t.add_tags("payroll");
  t.add_tags("export");
  (*t.mutable_custom_fields())["product"] = "payroll-connector";
  t.mutable_requester()->set_name("Marloes Jansen");
  t.mutable_requester()->set_email("m.jansen@northwind.example");
  t.mutable_requester()->set_role("payroll coordinator");
  t.mutable_occurred_at()->set_seconds(1770000000);
  return t;
}

cse::v1::TicketEvent DutchTicket1K() {
  cse::v1::TicketEvent t;
  t.set_source("zendesk");
  t.set_event_id("zd-evt-100002");
  t.set_ticket_id("82702");
  t.mutable_account()->set_id("360007374966");
  t.mutable_account()->set_name("Gemeente Veldhuizen");
  t.mutable_account()->set_segment("public");
  t.set_kind(cse::v1::TICKET_EVENT_KIND_CREATED);
  t.set_subject("Storing koppeling salarisadministratie");
  t.set_body(kDutchBody);
  t.set_channel("email");
  t.set_status("open");
  t.set_priority("high");
  t.set_type("incident");
  t.mutable_requester()->set_name("Sanne de Boer");
  t.mutable_requester()->set_role("salarisadministrateur");
  t.mutable_occurred_at()->set_seconds(1770000100);
  return t;
}

cse::v1::MeetingEvent MeetingNote4K() {
  cse::v1::MeetingEvent m;
  m.set_source("hubspot");
  m.set_event_id("hs-mtg-300001");
  m.set_meeting_id("48211903999");
  m.mutable_account()->set_id("hs-co-7730555");
  m.mutable_account()->set_name("Altura Housing Association");
  m.mutable_account()->set_segment("mid-market");
  m.set_title("QBR Q1 - renewal and extension to planned maintenance");
  m.set_notes(kMeetingNotes);
  m.set_meeting_type(cse::v1::MEETING_TYPE_REVIEW);
  m.set_deal_stage("renewal");
  auto add = [&m](const char* name, const char* role, cse::v1::Side side,
                  bool attended, bool key) {
    cse::v1::Attendee* a = m.add_attendees();
    a->mutable_person()->set_name(name);
    a->mutable_person()->set_role(role);
    a->set_side(side);
    a->set_planned(true);
    a->set_attended(attended);
    a->set_key_person(key);
  };
  add("Gareth Evans", "Head of Housing Services", cse::v1::SIDE_CUSTOMER, true,
      true);
  add("Fiona Clarke", "repairs planning lead", cse::v1::SIDE_CUSTOMER, true,
      false);
  add("Mark Holloway", "finance director", cse::v1::SIDE_CUSTOMER, false, true);
  add("Daniel Moss", "account manager", cse::v1::SIDE_PROVIDER, true, false);
  add("Sanne de Vries", "customer success manager", cse::v1::SIDE_PROVIDER,
      true, false);
  m.mutable_occurred_at()->set_seconds(1770000200);
  return m;
}

std::vector<cse::v1::TicketEvent> LoadTickets() {
  std::vector<cse::v1::TicketEvent> out;
  out.push_back(EnglishTicket1K());
  out.push_back(DutchTicket1K());
  int n = 0;
  for (const auto& [subject, body] : kLoadBodies) {
    cse::v1::TicketEvent t = EnglishTicket1K();
    t.set_subject(subject);
    t.set_body(body);
    t.set_ticket_id("8280" + std::to_string(n));
    t.mutable_account()->set_id("360007375" + std::to_string(100 + n));
    t.set_priority(n % 2 == 0 ? "normal" : "high");
    t.set_type(n % 2 == 0 ? "question" : "problem");
    t.set_sla_breached(false);
    t.clear_tags();
    out.push_back(std::move(t));
    ++n;
  }
  return out;
}

}  // namespace cse::bench
