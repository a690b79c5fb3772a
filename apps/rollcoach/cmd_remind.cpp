// rollcoach remind: a recurring reminder for the phone's or the computer's own calendar, as an
// iCalendar file (works offline, with rollcoach closed).
#include "app_context.h"

#include "reminders/reminder_calendar.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <iostream>
#include <memory>

namespace rc::app {

namespace {

struct RemindOptions {
    bool ics { false };
    std::string time { "21:30" };
    std::string days { "daily" };
    int minutes { 10 };  // the routine's five minutes and the check-in, as the web app's calendar file
    int alarm_before { 0 };
    std::string out { "rollcoach-reminder.ics" };
    bool force { false };
};

std::chrono::year_month_day local_today(std::chrono::system_clock::time_point now)
{
    std::time_t const t = std::chrono::system_clock::to_time_t(now);
    std::tm local {};
    localtime_r(&t, &local);
    return std::chrono::year_month_day { std::chrono::year(local.tm_year + 1900),
        std::chrono::month(static_cast<unsigned>(local.tm_mon + 1)), std::chrono::day(static_cast<unsigned>(local.tm_mday)) };
}

Result<void> write_new_file(std::filesystem::path const& path, std::string const& text, bool force)
{
    std::error_code ec;
    if (!force && std::filesystem::exists(path, ec))
        return Error::conflict(fmt::format("{} already exists (fix: choose another --out, or add --force to replace it)", path.string()));
    auto const temporary = path.string() + ".part";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush())
            return Error::io(fmt::format("could not write {} (fix: check the folder exists and is writable)", temporary));
    }
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        return Error::io(fmt::format("could not create {} (fix: check the folder exists and is writable)", path.string()));
    }
    return {};
}

int run_remind(RemindOptions const& options)
{
    if (!options.ics)
        return report(Error::invalid_argument("rollcoach writes reminders as a calendar file that your phone or computer imports (fix: add --ics)"));
    auto schedule = reminders::parse_schedule(options.time, options.days, options.minutes, options.alarm_before);
    if (!schedule)
        return report(schedule.error());
    auto const now = std::chrono::system_clock::now();
    auto const text = reminders::make_calendar(*schedule, local_today(now), now);
    if (options.out == "-") {
        std::cout << text;
        return ExitCode::Ok;
    }
    if (auto written = write_new_file(options.out, text, options.force); !written)
        return report(written.error());
    fmt::print("Wrote {}: a {}-minute rolling session at {:02}:{:02}, {}, with an alarm{}.\n"
               "Open it on your phone or computer (or e-mail it to yourself) and add it to your calendar.\n",
        options.out, schedule->duration.count(), schedule->hour, schedule->minute,
        schedule->days.empty() ? "every day" : "on the days you chose",
        schedule->alarm_before.count() == 0 ? " at the start" : fmt::format(" {} minutes before", schedule->alarm_before.count()));
    return ExitCode::Ok;
}

}

void register_remind(CLI::App& app, AppContext&, int& exit_code)
{
    auto options = std::make_shared<RemindOptions>();
    auto* command = app.add_subcommand("remind", "Write a recurring reminder for your calendar (an iCalendar .ics file)");
    command->add_flag("--ics", options->ics, "Write the reminder as an iCalendar file (RFC 5545)");
    command->add_option("--time", options->time, "Time of day, 24-hour HH:MM (default 21:30)");
    command->add_option("--days", options->days, "'daily' or days such as mon,wed,fri (default daily)");
    command->add_option("--minutes", options->minutes, "Length of the calendar event in minutes (default 10, as the web app's: the routine and its check-in)");
    command->add_option("--alarm-before", options->alarm_before, "Minutes before the session for the alarm (default 0: at the start)");
    command->add_option("--out", options->out, "File to write ('-' for standard output; default rollcoach-reminder.ics)");
    command->add_flag("--force", options->force, "Replace the file if it exists");
    command->callback([&exit_code, options] { exit_code = run_remind(*options); });
}

}
