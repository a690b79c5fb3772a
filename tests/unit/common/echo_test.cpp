#include "common/echo.h"

#include <gtest/gtest.h>

using namespace rc;

TEST(EchoExcerpt, ShortPrintableTextComesBackAsItIs)
{
    EXPECT_EQ(echo_excerpt("strat"), "strat");
    EXPECT_EQ(echo_excerpt(""), "");
}

TEST(EchoExcerpt, LongTextIsCutAtFortyCharactersAndSaysSo)
{
    auto const echoed = echo_excerpt(std::string(60000, 'x'));
    EXPECT_EQ(echoed, std::string(40, 'x') + "...");
    EXPECT_EQ(echo_excerpt(std::string(40, 'y')), std::string(40, 'y')) << "exactly the limit is not cut";
}

TEST(EchoExcerpt, ControlCharactersAndNonAsciiShowAsOneQuestionMarkEach)
{
    EXPECT_EQ(echo_excerpt("a\nb\tc\x1b[31m"), "a?b?c?[31m");
    EXPECT_EQ(echo_excerpt("caf\xc3\xa9 \xe2\x80\xae!"), "caf? ?!") << "one mark per character, not per byte";
    EXPECT_EQ(echo_excerpt("a\x80\x80"), "a?") << "stray continuation bytes are shown, not skipped";
    EXPECT_EQ(echo_excerpt(std::string("a\0b", 3)), "a?b");
}
