// A daily or weekly rolling reminder as an iCalendar file (RFC 5545) for the phone's or the
// computer's own calendar, so the reminder works with rollcoach closed and offline.
//
// The event is at a floating local time (no time zone: "21:30 wherever I am"), recurs every day
// or on the chosen weekdays, lasts as long as the session, and carries a display alarm. The text
// is built and read back with libical, so what we write is what a calendar parser reads.
//
//   auto schedule = parse_schedule("21:30", "mon,wed,fri");     // Result: a message if malformed
//   std::string ics = make_calendar(*schedule, today, clock.wall_now());
//   auto back = read_calendar(ics);                              // the same schedule
#pragma once

#include "common/clock.h"
#include "common/result.h"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace rc::reminders {

enum class Weekday { Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };

struct ReminderSchedule {
    int hour { 21 };
    int minute { 30 };
    std::vector<Weekday> days;                       // empty: every day
    std::chrono::minutes duration { 5 };             // the session's length
    std::chrono::minutes alarm_before { 0 };         // 0: the alarm rings at the start

    bool operator==(ReminderSchedule const&) const = default;
};

// time: "HH:MM" (24-hour). days: "daily" (or empty), or a comma list of "mon".."sun" (full
// names too). Minutes: 1-120 for the duration, 0-1440 for the alarm.
Result<ReminderSchedule> parse_schedule(std::string_view time, std::string_view days,
    int duration_minutes = 10, int alarm_before_minutes = 0);

// The calendar text (CRLF line ends, as RFC 5545 requires). first_day is the local calendar date
// of the first occurrence; now stamps DTSTAMP and makes the UID unique.
std::string make_calendar(ReminderSchedule const& schedule, std::chrono::year_month_day first_day, WallTime now);

// Reads back a calendar written by make_calendar (or any VCALENDAR with one recurring VEVENT at
// a floating time); the message says what is missing.
Result<ReminderSchedule> read_calendar(std::string_view ics);

}
