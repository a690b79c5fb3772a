// `rollcoach session`: a guided session. Full-screen in a terminal (ncursesw) with spoken cues,
// the pain rating asked before and after on the plain terminal (skippable, as on the web), or
// headless with --script FILE, which prints the cue timeline (--json for machine reading) and
// keeps the session with --save. A thin adapter: the coach decides whether the user may roll and
// records the session; the session machine, the voice and the terminal coach do the rest.
#include "app_context.h"
#include "cli_coach.h"

#include "coach/session_record.h"
#include "journal/records.h"
#include "plan/plan.h"
#include "plan/plan_json.h"
#include "server/record_spool.h"
#include "session/script.h"
#include "session/session_json.h"
#include "session/session_machine.h"
#include "tui/pain_prompt.h"
#include "tui/terminal_coach.h"
#include "voice/cue_speaker.h"

#include <fmt/core.h>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace rc::app {

namespace {

struct SessionOptions {
    ProfileOptions profile;
    std::string plan_file;
    std::string script_file;
    double speed { 1.0 };
    bool json { false };
    bool no_voice { false };
    std::string voice { "en" };
    int rate { 150 };
    std::string voice_out;
    bool no_save { false };
    bool save { false };
    std::string started_at;
};

// Every session needs the coach's permission (coach::Coach::may_roll): a screening on record
// (or --verdict FILE), no stop tier, no uncleared warning sign; a saved plan (--plan) too.
Result<plan::Plan> plan_from(SessionOptions const& o, coach::Coach& coach)
{
    auto request = TRY(plan_request_from(o.profile));
    if (o.plan_file.empty())
        return coach.todays_plan(request);
    TRY(coach.may_roll(request.verdict));
    return plan::parse_plan(TRY(read_json_file(o.plan_file, "plan")));
}

std::string time_text(Millis ms)
{
    auto const total = ms.count();
    return fmt::format("{:2}:{:02}.{:03}", total / 60000, (total / 1000) % 60, total % 1000);
}

// Minutes and seconds for a person ("4:05"); time_text's milliseconds are for transcripts.
std::string minutes_text(Millis ms)
{
    auto const seconds = ms.count() / 1000;
    return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

// The terminal session's record, from the machine, kept by the coach. A session is never lost
// silently: a failure is a warning after the session (the cues were already given), and the
// person may try again (a journal another rollcoach kept busy); only they decide to leave it
// unsaved. A retry never stores it twice (record_session_once).
void keep(coach::Coach& coach, session::SessionMachine const& machine, MonoTime now, WallTime started)
{
    auto const record = coach::make_session_record(machine, now, started);
    for (int attempt = 0;; ++attempt) {
        auto added = attempt == 0 ? coach.record_session(record) : coach.record_session_once(record);
        if (added)
            return;
        fmt::print(stderr, "rollcoach: warning: the session was not saved: {}\n", added.error().message);
        if (!isatty(STDIN_FILENO))
            return;
        fmt::print(stderr, "Press Enter to try saving it again, or type q and Enter to leave it unsaved: ");
        std::fflush(stderr);
        std::string line;
        if (!std::getline(std::cin, line) || line == "q" || line == "Q")
            return;
    }
}

// A scripted session the journal refuses is neither lost nor passed over: the command fails
// (exit status 4 when the journal is away, locked, read-only or full), saying what was not saved,
// and the record goes into the spool that `rollcoach serve` writes into this journal when it
// starts (server/record_spool.h), as the server keeps a live session's. A record the journal
// refuses for good (the record itself) is not spooled: it would be refused again. Stored by its
// natural key (record_session_once), so the same script run again with the same --started-at,
// and the spool's replay, store it once between them.
int keep_scripted(coach::Coach& coach, session::SessionMachine const& machine, MonoTime end, WallTime started,
    std::optional<std::filesystem::path> const& journal)
{
    auto const record = coach::make_session_record(machine, end, started);
    auto added = coach.record_session_once(record);
    if (added)
        return ExitCode::Ok;
    auto const location = journal ? journal->string() : std::string();
    Error error = added.error();
    error.message = fmt::format("the session ({} to {}) was not saved in the journal{}: {}", journal::format_utc(record.started_at),
        journal::format_utc(record.ended_at), location.empty() ? "" : " " + location, added.error().message);
    if (!server::retryable(added.error()))
        return report(error);
    auto spooled = [&]() -> Result<std::filesystem::path> {
        auto spool = TRY(server::RecordSpool::open(server::default_spool_directory(location)));
        auto id = TRY(spool->put("", coach::to_journal_record(record)));
        spool->release(id);
        return spool->directory() / (id + ".json");
    }();
    if (spooled)
        error.details.push_back(fmt::format("It is kept in {} until the journal takes it: the next `rollcoach serve` with this "
                                            "journal writes it in when it starts. Or run the same command again with --started-at {} "
                                            "once the journal can be written: it is saved once either way.",
            spooled->string(), journal::format_utc(started)));
    else
        error.details.push_back(fmt::format("It could not be kept on disk either ({}). Once the journal can be written, run the same "
                                            "command again with --started-at {}.", spooled.error().message, journal::format_utc(started)));
    return report(error);
}

int run_script_mode(SessionOptions const& o, session::SessionMachine& machine, coach::Coach& coach,
    std::optional<std::filesystem::path> const& journal)
{
    auto json = read_json_file(o.script_file, "script");
    if (!json)
        return report(json.error());
    auto script = session::parse_script(*json);
    if (!script)
        return report(Error::invalid_data(fmt::format("{}: {}", o.script_file, script.error().message)));
    WallTime started = coach.clock().wall_now();
    if (!o.started_at.empty()) {
        auto parsed = journal::parse_utc(o.started_at);
        if (!parsed)
            return report(Error::invalid_argument(fmt::format("--started-at {}: use a UTC time such as 2026-01-05T08:00:00Z", o.started_at)));
        started = *parsed;
    }
    auto const result = session::run_script(machine, *script);
    int status = ExitCode::Ok;
    if (o.save) {
        // A script that stops while paused leaves the session open: kept as quit, as the web
        // app keeps a session whose page was closed.
        MonoTime const end = MonoTime {} + result.summary.active + result.summary.paused;
        if (!machine.finished())
            machine.step(end, session::Event::quit());
        status = keep_scripted(coach, machine, end, started, journal);
    }
    if (o.json) {
        nlohmann::json out {
            { "plan_total_ms", std::chrono::duration_cast<Millis>(machine.plan().total()).count() },
            { "cues", result.cues },
            { "summary", result.summary },
        };
        fmt::print("{}\n", out.dump(2));
        return status;
    }
    for (auto const& cue : result.cues) {
        std::string where = cue.step >= 0 ? fmt::format("{}", cue.step + 1) : "-";
        if (cue.side != plan::Side::None)
            where += fmt::format(" {}", plan::to_string(cue.side));
        fmt::print("{}  {:<11} {:<8} {}\n", time_text(cue.at), session::to_string(cue.kind), where, cue.text);
        if (!cue.detail.empty())
            fmt::print("{:>31}{}\n", "", cue.detail);
    }
    fmt::print("\nEnded: {} after {} of session time.\n", session::to_string(result.summary.end_reason), time_text(result.summary.active));
    return status;
}

std::unique_ptr<voice::CueSpeaker> make_speaker(SessionOptions const& o, session::SessionMachine const& machine)
{
    if (o.no_voice)
        return nullptr;
    voice::SpeakerOptions options;
    options.settings = { o.voice, o.rate };
    if (!o.voice_out.empty())
        options.out_dir = o.voice_out;
    auto speaker = voice::CueSpeaker::create(options);
    if (!speaker) {
        fmt::print(stderr, "rollcoach: no voice: {}\n", speaker.error().message);
        return nullptr;
    }
    // Cues that must be heard on time (countdowns, side switches, rests, hold ends, safety
    // messages) are synthesised before the session starts.
    std::vector<std::string> urgent = machine.event_cue_texts();
    for (auto const& cue : machine.planned_cues())
        if (cue.priority >= session::Priority::High && cue.speak == session::Speak::Yes)
            urgent.push_back(cue.text);
    fmt::print(stderr, "Preparing the voice ({} cues)...\n", urgent.size());
    if (auto prepared = (*speaker)->prepare(urgent); !prepared)
        fmt::print(stderr, "rollcoach: voice: {}\n", prepared.error().message);
    return std::move(*speaker);
}

}

void register_session(CLI::App& app, AppContext& context, int& exit_code)
{
    auto o = std::make_shared<SessionOptions>();
    auto* cmd = app.add_subcommand("session", "Run a guided session in the terminal (or a scripted one with --script)");
    add_profile_options(*cmd, o->profile);
    cmd->add_option("--plan", o->plan_file, "Run this plan (from `rollcoach plan --json`) instead of making one");
    cmd->add_option("--script", o->script_file, "Run timed events from a JSON file without a terminal and print the cues");
    cmd->add_option("--speed", o->speed, "Run the session clock N times faster (demos, tests)")->capture_default_str()->check(CLI::Range(0.01, 1000.0));
    cmd->add_flag("--json", o->json, "With --script: print the cues as JSON");
    cmd->add_flag("--save", o->save, "With --script: keep the scripted session in the journal, as a terminal session is kept");
    cmd->add_option("--started-at", o->started_at, "With --script --save: the UTC time the session started (default: now)");
    cmd->add_flag("--no-voice", o->no_voice, "Do not speak the cues");
    cmd->add_option("--voice", o->voice, "espeak-ng voice name")->capture_default_str();
    cmd->add_option("--rate", o->rate, "Speech rate in words per minute")->capture_default_str()->check(CLI::Range(80, 450));
    cmd->add_flag("--no-save", o->no_save, "Do not keep this session in the journal");
    cmd->add_option("--voice-out", o->voice_out, "Write the spoken cues as WAV files to DIR instead of playing them");
    cmd->callback([o, &context, &exit_code] {
        bool const scripted = !o->script_file.empty();
        bool const saving = scripted ? o->save : !o->no_save;
        auto cli = open_coach(context, saving ? journal::Purpose::Write : journal::Purpose::Read);
        if (!cli) {
            exit_code = report(cli.error());
            return;
        }
        auto& coach = *(*cli)->coach;
        auto plan = plan_from(*o, coach);
        if (!plan) {
            exit_code = report(plan.error());
            return;
        }
        auto machine = session::SessionMachine::create((*cli)->kb, *plan);
        if (!machine) {
            exit_code = report(machine.error());
            return;
        }
        if (scripted) {
            exit_code = run_script_mode(*o, *machine, coach, context.journal_path());
            return;
        }
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            exit_code = report(Error::invalid_argument("the terminal coach needs a terminal: run it in one, or use --script FILE"));
            return;
        }
        auto speaker = make_speaker(*o, *machine);
        tui::CoachOptions options;
        options.speed = o->speed;
        options.color = context.color;
        options.speaker = speaker.get();
        // Said before the session, where it can be read, and kept on the coach's screen.
        if (speaker && speaker->output() == voice::Output::Directory) {
            options.note = fmt::format("No sound server: the spoken cues go to WAV files in {}", speaker->out_dir()->string());
            print_text(options.note + "\n");
        }
        // The rating before is an event like any other (recorded as "before", as on the web).
        if (auto before = tui::ask_pain(std::cin, std::cout, "Before we start: how is your back right now"))
            machine->step(MonoTime {}, session::Event::pain(*before));
        auto const started = coach.clock().wall_now();
        auto result = tui::run_terminal_coach(*machine, options);
        if (!result) {
            exit_code = report(result.error());
            return;
        }
        if (speaker)
            speaker->drain();
        if (result->stop_cue)
            print_text(fmt::format("Session stopped: {}\n{}\n", result->stop_cue->text, result->stop_cue->detail));
        if (result->exit == tui::CoachExit::Finished) {
            if (auto after = tui::ask_pain(std::cin, std::cout, "How is your back now"))
                machine->step(result->ended, session::Event::pain(*after));
        }
        if (saving)
            keep(coach, *machine, result->ended, started);
        auto const& summary = result->summary;
        if (!result->stop_cue) {
            print_text(fmt::format("Session {}: {} of rolling, {} of {} steps, {} tender spot(s).\n",
                summary.end_reason == session::EndReason::Completed ? "complete" : "ended early", minutes_text(summary.active),
                summary.steps_completed, summary.steps_total, summary.tender_spots));
        }
        exit_code = result->exit == tui::CoachExit::Interrupted ? ExitCode::Interrupted : ExitCode::Ok;
    });
}

}
