// HTML to text for HubSpot's rich-text properties, Markdown to HTML for
// notes, the note marker and multiple checkboxes values.
#include "adapters/hubspot/text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cse::adapters::hubspot {
namespace {

using ::testing::ElementsAre;

TEST(HtmlToText, DropsTagsKeepsLinesDecodesEntities) {
  EXPECT_EQ(
      HtmlToText("<div><p>Hello &amp; welcome</p><p>Line<br>two</p></div>"),
      "Hello & welcome\nLine\ntwo");
  EXPECT_EQ(HtmlToText("plain text, 3 &lt; 4"), "plain text, 3 < 4");
  EXPECT_EQ(HtmlToText("<p>a</p>\n\n\n<p>b</p>"), "a\n\nb");
  EXPECT_EQ(HtmlToText(""), "");
}

TEST(MarkdownToHtml, ParagraphsListsBoldAndEscaping) {
  EXPECT_EQ(MarkdownToHtml("# Suggestion\n\n**Do** this <now>\nand that\n\n"
                           "- one\n- two & three"),
            "<p><strong>Suggestion</strong></p><p><strong>Do</strong> this "
            "&lt;now&gt;<br>and that</p><ul><li>one</li><li>two &amp; "
            "three</li></ul>");
}

TEST(NoteMarker, RoundTripsThroughTheBody) {
  const std::string body = NoteBodyWithMarker("hi", "cse:hubspot:1<2");
  EXPECT_TRUE(NoteHasMarker(body, "cse:hubspot:1<2"));
  EXPECT_FALSE(NoteHasMarker(body, "cse:hubspot:1"));
  EXPECT_FALSE(NoteHasMarker("<p>hi</p>", "cse:hubspot:1<2"));
}

TEST(SplitMultiValue, SplitsOnSemicolonsAndDropsBlanks) {
  EXPECT_THAT(SplitMultiValue("a; b;;c ;"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(SplitMultiValue(""), ElementsAre());
}

}  // namespace
}  // namespace cse::adapters::hubspot
