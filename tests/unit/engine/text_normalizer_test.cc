#include "sidecar/engine/text_normalizer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cse::engine {
namespace {

using ::testing::HasSubstr;

std::string Norm(absl::string_view in) {
  std::string out;
  EXPECT_TRUE(AppendNormalized(in, &out, nullptr).ok());
  return out;
}

TEST(TextNormalizerTest, LowerCasesAndCollapsesWhitespace) {
  EXPECT_EQ(Norm("The  EXPORT\tis\r\n\n DOWN"), "the export is down");
}

TEST(TextNormalizerTest, RemovesAccentsFromPrecomposedLetters) {
  EXPECT_EQ(Norm("Wij zijn geïnteresseerd in één offerte"),
            "wij zijn geinteresseerd in een offerte");
  EXPECT_EQ(Norm("Ærø Straße ÇA"), "aero strasse ca");
}

TEST(TextNormalizerTest, DropsCombiningMarksOfDecomposedText) {
  // "e" + COMBINING ACUTE ACCENT, as NFD input arrives from some mail
  // clients, matches the precomposed form.
  EXPECT_EQ(Norm("cafe\xCC\x81"), Norm("caf\xC3\xA9"));
  EXPECT_EQ(Norm("cafe\xCC\x81"), "cafe");
}

TEST(TextNormalizerTest, FoldsQuotesDashesAndSpecialSpaces) {
  EXPECT_EQ(Norm("\xE2\x80\x9Cit\xE2\x80\x99s down\xE2\x80\x9D \xE2\x80\x94 "
                 "go\xE2\x80\x91live\xC2\xA0now\xE2\x80\xA6"),
            "\"it's down\" - go-live now...");
}

TEST(TextNormalizerTest, FoldsFullwidthAndCyrillicCase) {
  EXPECT_EQ(Norm("\xEF\xBC\xA5\xEF\xBD\x92\xEF\xBD\x92"), "err");  // Ｅｒｒ
  EXPECT_EQ(Norm("\xD0\x9F\xD0\xA0"), "\xD0\xBF\xD1\x80");  // ПР -> пр
}

TEST(TextNormalizerTest, RemovesZeroWidthCharacters) {
  EXPECT_EQ(Norm("out\xE2\x80\x8B"
                 "age"),
            "outage");
}

TEST(TextNormalizerTest, OriginMapsEveryOutputByteToItsInputCharacter) {
  std::string out;
  std::vector<uint32_t> origin;
  const std::string in = "Ré  X";
  ASSERT_TRUE(AppendNormalized(in, &out, &origin, 100).ok());
  ASSERT_EQ(out, "re x");
  EXPECT_THAT(origin, ::testing::ElementsAre(100, 101, 103, 105));
}

TEST(TextNormalizerTest, ReportsTheOffsetOfInvalidUtf8) {
  std::string out;
  absl::Status s = AppendNormalized("abc\xC3(def", &out, nullptr);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("invalid UTF-8 at byte 3"));
}

TEST(TextNormalizerTest, RejectsOverlongSurrogateAndTruncatedSequences) {
  EXPECT_FALSE(ValidateUtf8("\xC0\xAF").ok());          // overlong '/'
  EXPECT_FALSE(ValidateUtf8("\xED\xA0\x80").ok());      // surrogate
  EXPECT_FALSE(ValidateUtf8("ok\xE2\x82").ok());        // truncated
  EXPECT_FALSE(ValidateUtf8("\xF4\x90\x80\x80").ok());  // > U+10FFFF
  EXPECT_TRUE(ValidateUtf8("\xF0\x9F\x98\x80 emoji").ok());
}

TEST(TextNormalizerTest, NormalizeValueTrimsAndDropsInvalidBytes) {
  EXPECT_EQ(NormalizeValue("  Closed\xFF Won  "), "closed won");
}

}  // namespace
}  // namespace cse::engine
