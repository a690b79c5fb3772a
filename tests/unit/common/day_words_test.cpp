#include "common/day_words.h"

#include <gtest/gtest.h>

using namespace rc;
using namespace std::chrono;

namespace {

sys_days on(int y, unsigned m, unsigned d)
{
    return sys_days { year { y } / month { m } / std::chrono::day { d } };
}

}

TEST(DayWords, TheDaysNextToTodayAreSaidByName)
{
    auto const today = on(2026, 12, 2);
    EXPECT_EQ(day_in_words(today, today), "today");
    EXPECT_EQ(day_in_words(on(2026, 12, 1), today), "yesterday");
    EXPECT_EQ(day_in_words(on(2026, 12, 3), today), "tomorrow");
}

TEST(DayWords, OtherDaysGiveTheWeekdayAndTheDateWithoutHyphens)
{
    auto const today = on(2026, 12, 2);
    EXPECT_EQ(day_in_words(on(2026, 11, 20), today), "on Fri 20 Nov");
    EXPECT_EQ(day_in_words(on(2026, 1, 6), today), "on Tue 6 Jan");
    EXPECT_EQ(day_in_words(on(2025, 12, 29), today), "on Mon 29 Dec 2025") << "another year is named";
    EXPECT_EQ(day_in_words(on(2027, 3, 1), today), "on Mon 1 Mar 2027");
    for (auto d = on(2026, 1, 1); d < on(2027, 1, 1); d += days(1))
        EXPECT_EQ(day_in_words(d, today).find('-'), std::string::npos) << "no hyphen to break a line at";
}

TEST(DayWords, ADateAloneNamesTheYearOnlyWhenItIsNotThisOne)
{
    auto const today = on(2026, 12, 2);
    EXPECT_EQ(date_in_words(on(2026, 12, 31), today), "31 Dec");
    EXPECT_EQ(date_in_words(on(2027, 6, 2), today), "2 Jun 2027");
}

TEST(DayWords, MonthAndWeekdayNamesAreWhole)
{
    EXPECT_EQ(month_name(January), "January");
    EXPECT_EQ(month_name(December), "December");
    EXPECT_EQ(weekday_name(Sunday), "Sunday");
    EXPECT_EQ(weekday_name(Saturday), "Saturday");
    EXPECT_EQ(month_name(month { 13 }), "?") << "an invalid month does not read out of bounds";
}
