// Days in the words a sentence uses. Plan notes, refusals and reports are read on a phone and
// aloud; an ISO date ("2026-12-02") reads badly and breaks across lines at its hyphens at 390 px.
//
//   day_in_words(day, today)    // "today", "yesterday", "tomorrow", "on Tue 6 Jan", "on Mon 29 Dec 2025"
//   date_in_words(day, today)   // "6 Jan", or "6 Jan 2027" when the year is not today's
//   month_name(month)           // "January"
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace rc {

std::string_view month_name(std::chrono::month month);
std::string_view weekday_name(std::chrono::weekday weekday);

std::string day_in_words(std::chrono::sys_days day, std::chrono::sys_days today);
std::string date_in_words(std::chrono::sys_days day, std::chrono::sys_days today);

}
