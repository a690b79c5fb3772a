#include "common/day_words.h"

#include <array>

#include <fmt/format.h>

namespace rc {

namespace {

constexpr std::array<std::string_view, 12> month_names { "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December" };
constexpr std::array<std::string_view, 7> weekday_names { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" };

std::string_view three_letters(std::string_view name)
{
    return name.substr(0, 3);
}

}

std::string_view month_name(std::chrono::month month)
{
    return month.ok() ? month_names[unsigned(month) - 1] : std::string_view("?");
}

std::string_view weekday_name(std::chrono::weekday weekday)
{
    return weekday.ok() ? weekday_names[weekday.c_encoding()] : std::string_view("?");
}

std::string date_in_words(std::chrono::sys_days day, std::chrono::sys_days today)
{
    std::chrono::year_month_day const date { day };
    auto const text = fmt::format("{} {}", unsigned(date.day()), three_letters(month_name(date.month())));
    std::chrono::year_month_day const now { today };
    return date.year() == now.year() ? text : fmt::format("{} {}", text, int(date.year()));
}

std::string day_in_words(std::chrono::sys_days day, std::chrono::sys_days today)
{
    if (day == today)
        return "today";
    if (day == today - std::chrono::days(1))
        return "yesterday";
    if (day == today + std::chrono::days(1))
        return "tomorrow";
    return fmt::format("on {} {}", three_letters(weekday_name(std::chrono::weekday { day })), date_in_words(day, today));
}

}
