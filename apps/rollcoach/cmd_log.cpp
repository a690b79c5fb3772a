// rollcoach log: record a pain rating or a note in the journal (a clinician's clearance is
// `rollcoach clearance add`).
//   rollcoach log --pain 4 --when before
//   rollcoach log --note "stiff after the long drive"
#include "app_context.h"

#include "common/clock.h"
#include "journal/open_journal.h"
#include "journal/record_json.h"

#include <fmt/core.h>
#include <memory>
#include <nlohmann/json.hpp>

namespace rc::app {

namespace {

struct LogOptions {
    std::optional<int> pain;
    std::string when;
    std::string note;
    std::optional<std::int64_t> session;
    bool cleared { false };
    bool json { false };
};

// An "after" or "during" rating without --session belongs to a session that ended in the last
// three hours, if there is one.
std::optional<journal::RecordId> recent_session(journal::Journal& journal, WallTime now)
{
    auto latest = journal.find_latest_session();
    if (!latest || !*latest)
        return std::nullopt;
    if (now - (*latest)->ended_at > std::chrono::hours(3) || (*latest)->started_at > now)
        return std::nullopt;
    return (*latest)->id;
}

int run_log(AppContext const& context, LogOptions const& options)
{
    // A clearance needs who, when, which flags and which limits (coach/clearance.h).
    if (options.cleared)
        return report(Error::invalid_argument("A clinician's clearance says who cleared you, when, for which flagged answers and with "
                                              "which limits: use `rollcoach clearance add --by NAME --on YYYY-MM-DD --covers RULE` "
                                              "(see `rollcoach clearance list` for the flags on your record)."));
    int kinds = int(options.pain.has_value());
    if (kinds == 0 && options.note.empty())
        return report(Error::invalid_argument("Nothing to log: give --pain N or --note TEXT (see rollcoach log --help)."));
    if (kinds > 1)
        return report(Error::invalid_argument("Log one thing at a time: one --pain (it may carry a --note)."));
    std::optional<journal::PainMoment> moment = journal::PainMoment::Standalone;
    if (!options.when.empty()) {
        moment = journal::parse_pain_moment(options.when);
        if (!moment || *moment == journal::PainMoment::Standalone)
            return report(Error::invalid_argument(fmt::format("--when must be before, after or during, not \"{}\".", options.when)));
        if (!options.pain)
            return report(Error::invalid_argument("--when goes with --pain."));
    }

    auto opened = context.open_journal(journal::Purpose::Write);
    if (!opened)
        return report(opened.error());
    auto& journal = **opened;
    SystemClock clock;
    auto now = clock.wall_now();
    nlohmann::json out;

    if (options.pain) {
        journal::PainRating rating { 0, now, *options.pain, *moment, options.session, options.note };
        if (!rating.session_id && (*moment == journal::PainMoment::After || *moment == journal::PainMoment::During))
            rating.session_id = recent_session(journal, now);
        auto id = journal.add_pain(rating);
        if (!id)
            return report(id.error());
        rating.id = *id;
        out = journal::to_json(rating);
        if (!options.json)
            fmt::print("Logged pain {}/10{}{}.\n", rating.value,
                rating.moment == journal::PainMoment::Standalone ? "" : fmt::format(" ({} session", journal::to_string(rating.moment)),
                rating.moment == journal::PainMoment::Standalone ? ""
                    : rating.session_id                          ? fmt::format(" {})", *rating.session_id)
                                                                 : ")");
    } else {
        journal::Note note { 0, now, options.session, options.note };
        auto id = journal.add_note(note);
        if (!id)
            return report(id.error());
        note.id = *id;
        out = journal::to_json(note);
        if (!options.json)
            fmt::print("Noted.\n");
    }
    if (options.json)
        fmt::print("{}\n", out.dump(2));
    return ExitCode::Ok;
}

}

void register_log(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<LogOptions>();
    auto* command = app.add_subcommand("log", "Record a pain rating (0-10) or a note");
    command->add_option("--pain", options->pain, "Pain now, 0 (none) to 10 (worst imaginable)")->check(CLI::Range(0, 10));
    command->add_option("--when", options->when, "Relative to a session: before, after or during (default: on its own)");
    command->add_option("--note", options->note, "A note (alone, or attached to the rating or clearance)");
    command->add_option("--session", options->session, "Attach to this session id (see rollcoach history)");
    command->add_flag("--cleared", options->cleared,
        "Replaced by `rollcoach clearance add` (who cleared you, when, for what, with which limits)");
    command->add_flag("--json", options->json, "Print the stored record as JSON");
    command->callback([&context, &exit_code, options] { exit_code = run_log(context, *options); });
}

}
