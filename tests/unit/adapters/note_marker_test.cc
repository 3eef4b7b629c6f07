#include "adapters/common/note_marker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace cse::adapters {
namespace {

using ::testing::EndsWith;
using ::testing::StartsWith;

TEST(NoteMarkerTest, TheMarkerLineEndsTheNote) {
  EXPECT_EQ(NoteWithMarker("**Stabilise** the situation\n\n", "cse:zd:e1"),
            "**Stabilise** the situation\n\ncse-marker: cse:zd:e1");
  EXPECT_EQ(NoteWithMarker("  \n", "cse:zd:e1"), "cse-marker: cse:zd:e1");
}

// A CRM field limit (Salesforce CaseComment: 4000 bytes) cuts the text, not
// the marker, and never inside a UTF-8 character.
TEST(NoteMarkerTest, ALongNoteIsCutBeforeTheMarkerAtACharacterBoundary) {
  const std::string markdown = std::string(30, 'a') + "\xC3\xA9t\xC3\xA9";
  const std::string note = NoteWithMarker(markdown, "m-1", 50);
  EXPECT_LE(note.size(), 50u);
  EXPECT_THAT(note, EndsWith("...\n\ncse-marker: m-1"));
  EXPECT_THAT(note, StartsWith(std::string(30, 'a')));
  // 50 - 3 ("...") - 2 - 15 ("cse-marker: m-1") = 30 bytes of text: the
  // cut falls on the first byte of "é", which is dropped whole.
  EXPECT_EQ(note.substr(0, note.find("...")), std::string(30, 'a'));
  const std::string room = NoteWithMarker(markdown, "m-1", 51);
  EXPECT_EQ(room.substr(0, room.find("...")), std::string(30, 'a'));
  const std::string fits =
      NoteWithMarker(markdown, "m-1", markdown.size() + 2 + 15);
  EXPECT_EQ(fits, markdown + "\n\ncse-marker: m-1");
  // No room for any text: the marker alone.
  EXPECT_EQ(NoteWithMarker(markdown, "m-1", 16), "cse-marker: m-1");
}

TEST(NoteMarkerTest, AMarkerIsFoundOnlyAsAWholeToken) {
  const std::string note = NoteWithMarker("text", "cse:zendesk:evt-12");
  EXPECT_TRUE(ContainsMarker(note, "cse:zendesk:evt-12"));
  EXPECT_FALSE(ContainsMarker(note, "cse:zendesk:evt-1"));
  EXPECT_FALSE(ContainsMarker(note, "zendesk:evt-12"));
  EXPECT_FALSE(ContainsMarker(note, ""));
  EXPECT_TRUE(
      ContainsMarker("(cse:zendesk:evt-1) and more", "cse:zendesk:evt-1"));
}

TEST(NoteMarkerTest, AnyMarkerLineMarksANoteAnAdapterWrote) {
  EXPECT_TRUE(HasMarkerLine(NoteWithMarker("x", "m")));
  EXPECT_FALSE(HasMarkerLine("a customer's reply mentioning cse-marker"));
}

}  // namespace
}  // namespace cse::adapters
