#include "tui/pain_prompt.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace rc;

TEST(PainAnswer, AcceptsEveryWholeNumberFromZeroToTen)
{
    for (int r = 0; r <= 10; ++r) {
        auto parsed = tui::parse_pain_answer(" " + std::to_string(r) + "\n");
        ASSERT_TRUE(parsed) << r;
        EXPECT_EQ(*parsed, r);
    }
}

TEST(PainAnswer, AnEmptyLineOrSkipIsNoRating)
{
    for (auto const* text : { "", "   ", "s", "skip" }) {
        auto parsed = tui::parse_pain_answer(text);
        ASSERT_TRUE(parsed) << text;
        EXPECT_FALSE(parsed->has_value()) << text;
    }
}

TEST(PainAnswer, RefusesAnythingElseWithWhatToType)
{
    for (auto const* text : { "11", "-1", "7.5", "seven", "99999999999999999999", "3 4" }) {
        auto parsed = tui::parse_pain_answer(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_NE(parsed.error().message.find("0 (no pain) to 10"), std::string::npos) << parsed.error().message;
    }
}

TEST(PainPrompt, AsksAgainAfterAWrongAnswerAndKeepsTheRating)
{
    std::istringstream in("twelve\n12\n7\n");
    std::ostringstream out;
    EXPECT_EQ(tui::ask_pain(in, out, "How is your back now"), 7);
    EXPECT_NE(out.str().find("'twelve' is not a rating"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("12 is above 10"), std::string::npos) << out.str();
}

TEST(PainPrompt, EndOfInputOrThreeWrongAnswersSkip)
{
    std::istringstream none("");
    std::ostringstream out;
    EXPECT_FALSE(tui::ask_pain(none, out, "How is your back now").has_value());
    std::istringstream wrong("a\nb\nc\n4\n");
    EXPECT_FALSE(tui::ask_pain(wrong, out, "How is your back now").has_value());
    EXPECT_NE(out.str().find("Skipped."), std::string::npos);
}
