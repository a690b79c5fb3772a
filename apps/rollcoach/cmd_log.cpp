// rollcoach log: record a pain rating, a note, or a clinician's clearance in the journal.
//   rollcoach log --pain 4 --when before
//   rollcoach log --note "stiff after the long drive"
//   rollcoach log --cleared --note "GP checked the numbness, fine to roll"
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
    int kinds = int(options.pain.has_value()) + int(options.cleared);
    if (kinds == 0 && options.note.empty())
        return report(Error::invalid_argument("Nothing to log: give --pain N, --note TEXT or --cleared (see rollcoach log --help)."));
    if (kinds > 1)
        return report(Error::invalid_argument("Log one thing at a time: --pain or --cleared (either may carry a --note)."));
    std::optional<journal::PainMoment> moment = journal::PainMoment::Standalone;
    if (!options.when.empty()) {
        moment = journal::parse_pain_moment(options.when);
        if (!moment || *moment == journal::PainMoment::Standalone)
            return report(Error::invalid_argument(fmt::format("--when must be before, after or during, not \"{}\".", options.when)));
        if (!options.pain)
            return report(Error::invalid_argument("--when goes with --pain."));
    }

    auto opened = journal::open_journal(context.journal_path(), journal::Purpose::Write);
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
    } else if (options.cleared) {
        auto warning = journal.find_uncleared_warning();
        if (!warning)
            return report(warning.error());
        journal::Clearance clearance { 0, now, options.note };
        auto id = journal.add_clearance(clearance);
        if (!id)
            return report(id.error());
        clearance.id = *id;
        out = journal::to_json(clearance);
        if (!options.json)
            fmt::print("{}\n", *warning ? "Recorded that a clinician has cleared you: sessions are open again. "
                                          "Stop and get checked again if the warning sign comes back."
                                        : "Recorded the clearance (no warning sign was waiting for one).");
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
    auto* command = app.add_subcommand("log", "Record a pain rating (0-10), a note, or that a clinician has cleared you");
    command->add_option("--pain", options->pain, "Pain now, 0 (none) to 10 (worst imaginable)")->check(CLI::Range(0, 10));
    command->add_option("--when", options->when, "Relative to a session: before, after or during (default: on its own)");
    command->add_option("--note", options->note, "A note (alone, or attached to the rating or clearance)");
    command->add_option("--session", options->session, "Attach to this session id (see rollcoach history)");
    command->add_flag("--cleared", options->cleared,
        "A clinician has checked the warning sign from a check-in and cleared you to roll again");
    command->add_flag("--json", options->json, "Print the stored record as JSON");
    command->callback([&context, &exit_code, options] { exit_code = run_log(context, *options); });
}

}
