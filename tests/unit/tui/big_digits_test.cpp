#include "tui/big_digits.h"

#include <gtest/gtest.h>

using rc::tui::big_text;

TEST(BigDigits, ACountdownIsFiveRowsOfEqualWidth)
{
    auto const rows = big_text("1:05");
    for (auto const& row : rows)
        EXPECT_EQ(row.size(), rows[0].size());
    EXPECT_EQ(rows[0].size(), 3u + 1 + 1 + 1 + 3 + 1 + 3);
}

TEST(BigDigits, EachDigitHasItsOwnShape)
{
    for (char a = '0'; a <= '9'; ++a)
        for (char b = static_cast<char>(a + 1); b <= '9'; ++b)
            EXPECT_NE(big_text(std::string(1, a)), big_text(std::string(1, b))) << a << " vs " << b;
}

TEST(BigDigits, TheColonIsTwoDots)
{
    auto const rows = big_text(":");
    EXPECT_EQ(rows[0], " ");
    EXPECT_EQ(rows[1], "#");
    EXPECT_EQ(rows[2], " ");
    EXPECT_EQ(rows[3], "#");
}
