// rollcoach clearance: record that a clinician has assessed a flagged answer and said rolling is
// fine, within limits; list the clearances and the flags on record. The rules (what it may
// cover, how long it lasts, what the plan does) are the coach's: coach/clearance.h.
//   rollcoach clearance add --by "Dr Patel, GP" --on 2026-11-20 --covers cancer_history
//       --limit soft_roller --limit gentle_pressure --leave-out latissimus_dorsi --max-minutes 5
//   rollcoach clearance list [--json]
#include "cli_coach.h"
#include "triage_cli.h"

#include "coach/clearance.h"
#include "common/day_words.h"

#include <fmt/core.h>
#include <memory>
#include <nlohmann/json.hpp>

namespace rc::app {

namespace {

struct AddOptions {
    std::string by;
    std::string on;
    std::vector<std::string> covers;
    std::vector<std::string> limits;
    std::vector<std::string> leave_out;
    std::optional<int> max_minutes;
    std::string note;
    bool json { false };
};

// The options in the API's request shape, so both front-ends pass the same checks.
Result<nlohmann::json> request_from(AddOptions const& o)
{
    nlohmann::json limits = nlohmann::json::object();
    for (auto const& limit : o.limits) {
        if (limit == "soft_roller")
            limits["soft_roller_only"] = true;
        else if (limit == "gentle_pressure")
            limits["gentle_pressure_only"] = true;
        else
            return Error::invalid_argument(fmt::format("--limit {}: use soft_roller or gentle_pressure "
                                                       "(zones: --leave-out ZONE; shorter sessions: --max-minutes N)",
                limit));
    }
    if (!o.leave_out.empty())
        limits["excluded_zones"] = o.leave_out;
    if (o.max_minutes)
        limits["max_session_minutes"] = *o.max_minutes;
    nlohmann::json request = { { "by", o.by }, { "on", o.on }, { "covers", o.covers }, { "limits", limits } };
    if (!o.note.empty())
        request["note"] = o.note;
    return request;
}

// A stored day ("2026-11-20") as a sentence says it ("on Fri 20 Nov", "today"); the ISO text
// itself if it does not parse (it always should: the coach wrote it).
std::string day_words(nlohmann::json const& text, coach::Day today, bool with_on)
{
    auto const day = text.is_string() ? coach::parse_day(text.get<std::string>()) : std::nullopt;
    if (!day)
        return text.is_string() ? text.get<std::string>() : std::string { "an unknown day" };
    return with_on ? day_in_words(*day, today) : date_in_words(*day, today);
}

coach::Day today()
{
    return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

void print_clearance(nlohmann::json const& c, coach::Day today)
{
    if (c.value("status", "") == "bare") {
        fmt::print("#{} {}: a clinician's clearance recorded without details (lifts the check-in warnings before it)\n",
            c["id"].get<std::int64_t>(), c["recorded_at"].get<std::string>());
        return;
    }
    // The rule ids stay as they are: they are what --covers takes.
    std::string covered;
    for (auto const& rule : c["covers"])
        covered += (covered.empty() ? "" : ", ") + rule["rule_id"].get<std::string>();
    auto const status = c.value("status", "");
    std::string const lasts = status == "in_force" ? "in force until " + day_words(c["expires_on"], today, false)
        : status == "expired"                      ? "ran out on " + day_words(c["expires_on"], today, false)
                                                   : "dated after today: not in force yet";
    fmt::print("#{} {} cleared you {} for {}; {}\n", c["id"].get<std::int64_t>(), c["by"].get<std::string>(),
        day_words(c["on"], today, true), covered, lasts);
    auto const& limits = c["limits"];
    std::string said;
    if (limits.value("soft_roller_only", false))
        said += "soft roller only; ";
    if (limits.value("gentle_pressure_only", false))
        said += "gentle pressure only; ";
    for (auto const& zone : limits["excluded_zones"])
        said += "leave out " + zone.get<std::string>() + "; ";
    if (limits["max_session_minutes"].is_number())
        said += fmt::format("at most {} minutes; ", limits["max_session_minutes"].get<int>());
    fmt::print("   limits: {}\n", said.empty() ? "none" : said.substr(0, said.size() - 2));
    if (!c.value("note", "").empty())
        fmt::print("   note: {}\n", c["note"].get<std::string>());
}

int run_add(AppContext const& context, AddOptions const& options)
{
    auto added = [&]() -> Result<nlohmann::json> {
        auto request = TRY(request_from(options));
        auto cli = TRY(open_coach(context, journal::Purpose::Write));
        // Text that is not UTF-8 (a shell can pass any bytes) is replaced, then refused by the coach
        // with its usual message; dump() threw on it ("unexpected error: invalid UTF-8 byte").
        return cli->coach->add_clearance(request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }();
    if (!added)
        return report(added.error());
    if (options.json) {
        fmt::print("{}\n", added->dump(2));
        return ExitCode::Ok;
    }
    fmt::print("Recorded your clinician's clearance. Today's plan keeps to the limits they set.\n");
    print_clearance(*added, today());
    fmt::print("It never covers an emergency sign, or a warning sign that is new or worse since they saw you: stop and get checked "
               "again if one appears.\n");
    return ExitCode::Ok;
}

int run_list(AppContext const& context, bool json)
{
    auto listed = [&]() -> Result<nlohmann::json> {
        auto cli = TRY(open_coach(context, journal::Purpose::Read));
        return cli->coach->clearances();
    }();
    if (!listed)
        return report(listed.error());
    if (json) {
        fmt::print("{}\n", listed->dump(2));
        return ExitCode::Ok;
    }
    auto const& clearances = (*listed)["clearances"];
    if (clearances.empty())
        fmt::print("No clinician's clearance on record.\n");
    auto const now = today();
    for (auto const& c : clearances)
        print_clearance(c, now);
    auto const& flagged = (*listed)["flagged"];
    if (!flagged.empty()) {
        fmt::print("\nFlagged on your record now:\n");
        for (auto const& flag : flagged) {
            auto const rule_id = flag["rule_id"].get<std::string>();
            std::string state = !flag["clearable"].get<bool>() ? "an emergency sign: no clearance covers it"
                : flag["covered_by"].is_null() ? "not covered; once a clinician has seen you: rollcoach clearance add --by WHO --on YYYY-MM-DD --covers " + rule_id
                                               : fmt::format("covered by clearance #{}", flag["covered_by"].get<std::int64_t>());
            auto const tier = kb::parse_tier(flag.value("tier", ""));
            fmt::print("  - {} [{}]: {}\n    {}\n", rule_id, tier ? tier_label(*tier) : flag.value("tier", ""),
                flag["message"].get<std::string>(), state);
        }
    }
    return ExitCode::Ok;
}

}

void register_clearance(CLI::App& app, AppContext& context, int& exit_code)
{
    auto* command = app.add_subcommand("clearance", "Record or list a clinician's clearance for flagged answers");
    command->require_subcommand(1);

    auto add = std::make_shared<AddOptions>();
    auto* add_cmd = command->add_subcommand("add", "A clinician assessed flagged answers and said rolling is fine, within limits");
    add_cmd->add_option("--by", add->by, "Who cleared you (free text), e.g. \"Dr Patel, GP\"")->required();
    add_cmd->add_option("--on", add->on, "The date they saw you, YYYY-MM-DD")->required();
    add_cmd->add_option("--covers", add->covers, "The flagged rule ids it covers (see rollcoach clearance list)")->required();
    add_cmd->add_option("--limit", add->limits, "soft_roller or gentle_pressure (repeatable)");
    add_cmd->add_option("--leave-out", add->leave_out, "A zone to leave out (repeatable; see rollcoach zones)");
    add_cmd->add_option("--max-minutes", add->max_minutes, "Shorter sessions: at most this many minutes")->check(CLI::Range(1, 60));
    add_cmd->add_option("--note", add->note, "Anything else they said");
    add_cmd->add_flag("--json", add->json, "Print the stored clearance as JSON");
    add_cmd->callback([&context, &exit_code, add] { exit_code = run_add(context, *add); });

    auto json = std::make_shared<bool>(false);
    auto* list_cmd = command->add_subcommand("list", "The clearances (newest first) and the flags on your record");
    list_cmd->add_flag("--json", *json, "Print as JSON");
    list_cmd->callback([&context, &exit_code, json] { exit_code = run_list(context, *json); });
}

}
