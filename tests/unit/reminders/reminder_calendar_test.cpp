// The reminder calendar: written with libical, read back by libical's parser, with the
// recurrence, alarm and floating local time a phone's calendar needs.
#include "reminders/reminder_calendar.h"

#include <gtest/gtest.h>

using namespace std::chrono;
using rc::reminders::make_calendar;
using rc::reminders::parse_schedule;
using rc::reminders::read_calendar;
using rc::reminders::Weekday;

namespace {

year_month_day const first_day { year(2026), month(12), day(2) };
system_clock::time_point const now = sys_days { year_month_day { year(2026), month(12), day(1) } } + hours(20);

}

TEST(ReminderCalendar, ADailyReminderRoundTripsThroughTheParser)
{
    auto schedule = parse_schedule("21:30", "daily");
    ASSERT_TRUE(schedule) << schedule.error().message;
    auto const ics = make_calendar(*schedule, first_day, now);

    EXPECT_NE(ics.find("BEGIN:VCALENDAR\r\n"), std::string::npos);
    EXPECT_NE(ics.find("RRULE:FREQ=DAILY"), std::string::npos);
    EXPECT_NE(ics.find("DTSTART:20261202T213000\r\n"), std::string::npos) << "a floating local time, no Z and no TZID\n" << ics;
    EXPECT_NE(ics.find("BEGIN:VALARM"), std::string::npos);
    EXPECT_NE(ics.find("ACTION:DISPLAY"), std::string::npos);

    auto back = read_calendar(ics);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, *schedule);
}

TEST(ReminderCalendar, ChosenWeekdaysBecomeAWeeklyRuleInCalendarOrder)
{
    auto schedule = parse_schedule("07:05", "fri, Monday,wed,mon", 10, 15);
    ASSERT_TRUE(schedule) << schedule.error().message;
    EXPECT_EQ(schedule->days, (std::vector { Weekday::Monday, Weekday::Wednesday, Weekday::Friday }));
    auto const ics = make_calendar(*schedule, first_day, now);
    EXPECT_NE(ics.find("RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR"), std::string::npos) << ics;
    EXPECT_NE(ics.find("TRIGGER:-PT15M"), std::string::npos) << ics;
    EXPECT_NE(ics.find("DURATION:PT10M"), std::string::npos) << ics;

    auto back = read_calendar(ics);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, *schedule);
}

TEST(ReminderCalendar, EverySundayIsReadBackAsSunday)
{
    auto schedule = parse_schedule("18:00", "sun");
    ASSERT_TRUE(schedule);
    auto back = read_calendar(make_calendar(*schedule, first_day, now));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->days, (std::vector { Weekday::Sunday }));
}

TEST(ReminderCalendar, AllSevenDaysAreDaily)
{
    auto schedule = parse_schedule("09:00", "mon,tue,wed,thu,fri,sat,sun");
    ASSERT_TRUE(schedule);
    EXPECT_TRUE(schedule->days.empty());
}

TEST(ReminderCalendar, AMalformedTimeOrDayIsRefusedWithAFix)
{
    for (auto const* time : { "25:00", "21:60", "9pm", "", "21:30:00", "-1:30" }) {
        auto bad = parse_schedule(time, "daily");
        ASSERT_FALSE(bad) << time;
        EXPECT_NE(bad.error().message.find("fix:"), std::string::npos);
    }
    auto bad_day = parse_schedule("21:30", "mon,funday");
    ASSERT_FALSE(bad_day);
    EXPECT_NE(bad_day.error().message.find("'funday'"), std::string::npos);
    EXPECT_FALSE(parse_schedule("21:30", "daily", 0));
    EXPECT_FALSE(parse_schedule("21:30", "daily", 5, -5));
}

TEST(ReminderCalendar, TextThatIsNotACalendarIsRefused)
{
    EXPECT_FALSE(read_calendar(""));
    EXPECT_FALSE(read_calendar("hello"));
    EXPECT_FALSE(read_calendar("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"));
}
