// rollcoach history: the newest journal entries (sessions, pain, check-ins, notes), newest first.
#include "app_context.h"
#include "cli_coach.h"

#include "journal/open_journal.h"
#include "journal/record_json.h"

#include <ctime>
#include <fmt/core.h>
#include <memory>
#include <nlohmann/json.hpp>

namespace rc::app {

namespace {

struct HistoryOptions {
    int limit { 20 };
    bool json { false };
};

std::string local_time_text(WallTime time)
{
    std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm local {};
    localtime_r(&t, &local);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M", &local);
    return buffer;
}

int run_history(AppContext const& context, HistoryOptions const& options)
{
    auto cli = open_coach(context, journal::Purpose::Read);
    if (!cli)
        return report(cli.error());
    auto entries = (*cli)->coach->history_entries(options.limit);
    if (!entries)
        return report(entries.error());
    if (options.json) {
        auto list = nlohmann::json::array();
        for (auto const& entry : *entries)
            list.push_back(journal::to_json(entry));
        fmt::print("{}\n", list.dump(2));
        return ExitCode::Ok;
    }
    if (entries->empty())
        fmt::print("Nothing logged yet. Try: rollcoach log --pain 3\n");
    for (auto const& entry : *entries)
        fmt::print("{}  #{:<5} {}\n", local_time_text(entry.at), entry.id, entry.summary);
    return ExitCode::Ok;
}

}

void register_history(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<HistoryOptions>();
    auto* command = app.add_subcommand("history", "List the newest journal entries, newest first");
    command->add_option("--limit", options->limit, "How many entries (default 20)")->check(CLI::PositiveNumber);
    command->add_flag("--json", options->json, "Print the entries as JSON");
    command->callback([&context, &exit_code, options] { exit_code = run_history(context, *options); });
}

}
