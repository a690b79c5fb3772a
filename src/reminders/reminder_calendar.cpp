#include "reminders/reminder_calendar.h"

#include <libical/ical.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fmt/core.h>
#include <memory>

namespace rc::reminders {

namespace {

struct DayName {
    Weekday day;
    char const* short_name;
    char const* long_name;
    char const* ical;
};

constexpr std::array day_names {
    DayName { Weekday::Monday, "mon", "monday", "MO" },
    DayName { Weekday::Tuesday, "tue", "tuesday", "TU" },
    DayName { Weekday::Wednesday, "wed", "wednesday", "WE" },
    DayName { Weekday::Thursday, "thu", "thursday", "TH" },
    DayName { Weekday::Friday, "fri", "friday", "FR" },
    DayName { Weekday::Saturday, "sat", "saturday", "SA" },
    DayName { Weekday::Sunday, "sun", "sunday", "SU" },
};

std::string lower_trimmed(std::string_view text)
{
    std::string out;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

struct ComponentDeleter {
    void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDeleter>;

std::string rrule_text(ReminderSchedule const& schedule)
{
    if (schedule.days.empty())
        return "FREQ=DAILY";
    std::string by_day;
    for (auto const& name : day_names)
        if (std::find(schedule.days.begin(), schedule.days.end(), name.day) != schedule.days.end())
            by_day += (by_day.empty() ? "" : ",") + std::string(name.ical);
    return "FREQ=WEEKLY;BYDAY=" + by_day;
}

std::string describe_days(ReminderSchedule const& schedule)
{
    if (schedule.days.empty())
        return "every day";
    std::string out;
    for (auto const& name : day_names)
        if (std::find(schedule.days.begin(), schedule.days.end(), name.day) != schedule.days.end())
            out += (out.empty() ? "" : ", ") + std::string(1, static_cast<char>(std::toupper(name.long_name[0]))) + (name.long_name + 1);
    return "on " + out;
}

}

Result<ReminderSchedule> parse_schedule(std::string_view time, std::string_view days, int duration_minutes, int alarm_before_minutes)
{
    ReminderSchedule schedule;
    auto const t = lower_trimmed(time);
    int hour = -1;
    int minute = -1;
    char extra = 0;
    if (t.size() < 4 || t.size() > 5 || std::sscanf(t.c_str(), "%d:%d%c", &hour, &minute, &extra) != 2
        || hour < 0 || hour > 23 || minute < 0 || minute > 59)
        return Error::invalid_argument(fmt::format("'{}' is not a time of day (fix: give it as HH:MM on a 24-hour clock, for example 21:30)", time));
    schedule.hour = hour;
    schedule.minute = minute;

    auto const d = lower_trimmed(days);
    if (!d.empty() && d != "daily" && d != "everyday") {
        std::size_t start = 0;
        while (start <= d.size()) {
            auto const comma = d.find(',', start);
            auto const word = d.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            auto const found = std::find_if(day_names.begin(), day_names.end(),
                [&](DayName const& n) { return word == n.short_name || word == n.long_name; });
            if (found == day_names.end())
                return Error::invalid_argument(fmt::format("'{}' is not a day of the week (fix: use mon, tue, wed, thu, fri, sat, sun, separated by commas, or 'daily')", word));
            if (std::find(schedule.days.begin(), schedule.days.end(), found->day) == schedule.days.end())
                schedule.days.push_back(found->day);
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
        std::sort(schedule.days.begin(), schedule.days.end());
        if (schedule.days.size() == day_names.size())
            schedule.days.clear();
    }
    if (duration_minutes < 1 || duration_minutes > 120)
        return Error::invalid_argument(fmt::format("a session of {} minutes is outside 1-120 (fix: give the session's length in minutes)", duration_minutes));
    if (alarm_before_minutes < 0 || alarm_before_minutes > 1440)
        return Error::invalid_argument(fmt::format("an alarm {} minutes before is outside 0-1440 (fix: give 0 for an alarm at the start)", alarm_before_minutes));
    schedule.duration = std::chrono::minutes(duration_minutes);
    schedule.alarm_before = std::chrono::minutes(alarm_before_minutes);
    return schedule;
}

std::string make_calendar(ReminderSchedule const& schedule, std::chrono::year_month_day first_day, WallTime now)
{
    Component calendar(icalcomponent_new_vcalendar());
    icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//rollcoach//reminders//EN"));
    icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));

    icalcomponent* event = icalcomponent_new_vevent();
    auto const now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    icalcomponent_add_property(event, icalproperty_new_uid(fmt::format("rollcoach-reminder-{}-{:02}{:02}@rollcoach.local", now_seconds, schedule.hour, schedule.minute).c_str()));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(static_cast<time_t>(now_seconds), 0, icaltimezone_get_utc_timezone())));

    icaltimetype start = icaltime_null_time();
    start.year = static_cast<int>(first_day.year());
    start.month = static_cast<int>(static_cast<unsigned>(first_day.month()));
    start.day = static_cast<int>(static_cast<unsigned>(first_day.day()));
    start.hour = schedule.hour;
    start.minute = schedule.minute;
    start.second = 0;
    start.is_date = 0;
    start.zone = nullptr;   // floating: the same wall-clock time wherever the phone is
    icalcomponent_add_property(event, icalproperty_new_dtstart(start));
    icalcomponent_add_property(event, icalproperty_new_duration(icaldurationtype_from_int(static_cast<int>(schedule.duration.count() * 60))));
    icalcomponent_add_property(event, icalproperty_new_rrule(icalrecurrencetype_from_string(rrule_text(schedule).c_str())));
    icalcomponent_add_property(event, icalproperty_new_summary("Foam rolling with rollcoach"));
    icalcomponent_add_property(event, icalproperty_new_description(fmt::format(
        "Your {}-minute rolling session: upper back, sides, buttocks and hips, never the lower back or neck. "
        "Open rollcoach to be guided. Reminder {}.", schedule.duration.count(), describe_days(schedule)).c_str()));
    icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));

    icalcomponent* alarm = icalcomponent_new_valarm();
    icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
    icalcomponent_add_property(alarm, icalproperty_new_description("Time for your foam-rolling session"));
    icaltriggertype trigger = icaltriggertype_from_int(-static_cast<int>(schedule.alarm_before.count() * 60));
    icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
    icalcomponent_add_component(event, alarm);
    icalcomponent_add_component(calendar.get(), event);

    char* text = icalcomponent_as_ical_string_r(calendar.get());
    std::string out(text ? text : "");
    std::free(text);
    return out;
}

Result<ReminderSchedule> read_calendar(std::string_view ics)
{
    std::string const text(ics);
    Component calendar(icalparser_parse_string(text.c_str()));
    if (!calendar || icalcomponent_isa(calendar.get()) != ICAL_VCALENDAR_COMPONENT)
        return Error::invalid_data("this is not an iCalendar file (fix: it must start with BEGIN:VCALENDAR)");
    icalcomponent* event = icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
    if (!event)
        return Error::invalid_data("the calendar has no event (VEVENT)");

    ReminderSchedule schedule;
    icaltimetype const start = icalcomponent_get_dtstart(event);
    if (icaltime_is_null_time(start) || start.is_date)
        return Error::invalid_data("the event has no start time (DTSTART with a time of day)");
    schedule.hour = start.hour;
    schedule.minute = start.minute;

    icaldurationtype const duration = icalcomponent_get_duration(event);
    schedule.duration = std::chrono::minutes(icaldurationtype_as_int(duration) / 60);

    icalproperty* rrule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY);
    if (!rrule)
        return Error::invalid_data("the event does not repeat (no RRULE)");
    icalrecurrencetype const recurrence = icalproperty_get_rrule(rrule);
    if (recurrence.freq == ICAL_WEEKLY_RECURRENCE) {
        for (int i = 0; i < ICAL_BY_DAY_SIZE && recurrence.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) {
            auto const ical_day = icalrecurrencetype_day_day_of_week(recurrence.by_day[i]);   // 1 = Sunday
            auto const day = ical_day == ICAL_SUNDAY_WEEKDAY ? Weekday::Sunday : static_cast<Weekday>(static_cast<int>(ical_day) - 2);
            schedule.days.push_back(day);
        }
        std::sort(schedule.days.begin(), schedule.days.end());
    } else if (recurrence.freq != ICAL_DAILY_RECURRENCE) {
        return Error::invalid_data("the event repeats neither daily nor weekly");
    }

    icalcomponent* alarm = icalcomponent_get_first_component(event, ICAL_VALARM_COMPONENT);
    if (!alarm)
        return Error::invalid_data("the event has no alarm (VALARM)");
    icalproperty* trigger = icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY);
    if (!trigger)
        return Error::invalid_data("the alarm has no TRIGGER");
    icaltriggertype const when = icalproperty_get_trigger(trigger);
    schedule.alarm_before = std::chrono::minutes(-icaldurationtype_as_int(when.duration) / 60);
    return schedule;
}

}
