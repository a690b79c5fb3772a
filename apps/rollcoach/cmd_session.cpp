// `rollcoach session`: a guided session. Full-screen in a terminal (ncursesw) with spoken cues,
// or headless with --script FILE, which prints the cue timeline (--json for machine reading).
// A thin adapter: the plan, the session machine, the voice and the terminal coach do the work.
#include "app_context.h"
#include "planning_inputs.h"

#include "journal/open_journal.h"
#include "knowledge/loader.h"
#include "plan/plan.h"
#include "plan/plan_json.h"
#include "session/script.h"
#include "session/session_json.h"
#include "session/session_machine.h"
#include "tui/terminal_coach.h"
#include "voice/cue_speaker.h"

#include <fmt/core.h>
#include <fstream>
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
};

Result<nlohmann::json> read_json_file(std::string const& file, std::string_view what)
{
    std::ifstream in(file);
    if (!in)
        return Error::io(fmt::format("cannot read the {} file {}: check the path", what, file));
    auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded())
        return Error::invalid_data(fmt::format("{}: the {} file is not valid JSON", file, what));
    return json;
}

Result<plan::Plan> plan_from(SessionOptions const& o, kb::KnowledgeBase const& kb, AppContext const& context)
{
    // The safety screening comes first: a terminal session (someone about to lie on a roller)
    // needs a verdict on record, and a saved plan is still refused on a stop tier or an
    // uncleared warning sign. Scripted runs put nobody on the floor and only get the note.
    auto inputs = load_planning_inputs(context, o.profile.verdict_file);
    if (!inputs)
        return inputs.error();
    for (auto const& note : inputs->notes)
        fmt::print(stderr, "{}\n", note);
    if (o.script_file.empty() && !inputs->screened)
        return Error::conflict("No safety screening on record. Answer the safety questions first with `rollcoach screen` "
                               "(or pass a saved verdict with --verdict FILE), then start the session again.");
    if (!o.plan_file.empty()) {
        if (auto allowed = plan::check_may_roll(inputs->verdict, inputs->history); !allowed)
            return allowed.error();
        auto json = read_json_file(o.plan_file, "plan");
        if (!json)
            return json.error();
        return plan::parse_plan(*json);
    }
    auto profile = profile_from(o.profile);
    if (!profile)
        return profile.error();
    return plan::make_plan(kb, *profile, inputs->verdict, inputs->history);
}

std::string time_text(Millis ms)
{
    auto const total = ms.count();
    return fmt::format("{:2}:{:02}.{:03}", total / 60000, (total / 1000) % 60, total % 1000);
}

int run_script_mode(SessionOptions const& o, session::SessionMachine& machine)
{
    auto json = read_json_file(o.script_file, "script");
    if (!json)
        return report(json.error());
    auto script = session::parse_script(*json);
    if (!script)
        return report(script.error());
    auto const result = session::run_script(machine, *script);
    if (o.json) {
        nlohmann::json out {
            { "plan_total_ms", std::chrono::duration_cast<Millis>(machine.plan().total()).count() },
            { "cues", result.cues },
            { "summary", result.summary },
        };
        fmt::print("{}\n", out.dump(2));
        return ExitCode::Ok;
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
    return ExitCode::Ok;
}

// Keeps the session in the journal (when one can be written): the plan, the cues, the time per
// zone, the tender spots and the pain ratings.
void record_session(AppContext const& context, plan::Plan const& plan, tui::CoachResult const& result, WallTime started,
    WallTime ended, double speed)
{
    auto opened = journal::open_journal(context.journal_path(), journal::Purpose::Write);
    if (!opened) {
        fmt::print(stderr, "rollcoach: warning: the session was not saved: {}\n", opened.error().message);
        return;
    }
    auto const& summary = result.summary;
    journal::SessionRecord record;
    record.started_at = started;
    record.ended_at = ended;
    record.end_reason = summary.end_reason == session::EndReason::SafetyStop ? journal::EndReason::StoppedWarning
        : summary.end_reason == session::EndReason::Completed                ? journal::EndReason::Completed
                                                                             : journal::EndReason::Quit;
    record.plan = plan;
    record.cues = result.cues;
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        auto const& step = plan.steps[i];
        bool const done = static_cast<int>(i) < summary.steps_completed;
        (done ? record.completed_steps : record.skipped_steps).push_back(step.exercise_id);
        if (done && step.kind == kb::ExerciseKind::Rolling && !step.target_zones.empty())
            record.zones.push_back({ step.target_zones.front(), step.per_side * static_cast<int>(step.side_order().size()) });
    }
    for (std::size_t i = 0; i < result.cues.size(); ++i) {
        auto const& cue = result.cues[i];
        if (cue.kind != session::CueKind::HoldStart || cue.step < 0)
            continue;
        auto const& step = plan.steps[static_cast<std::size_t>(cue.step)];
        Millis held = summary.active - cue.at;
        for (std::size_t j = i + 1; j < result.cues.size(); ++j) {
            auto const k = result.cues[j].kind;
            if (k == session::CueKind::HoldEnd || k == session::CueKind::MoveOn || k == session::CueKind::Stop
                || k == session::CueKind::Done || k == session::CueKind::Transition || k == session::CueKind::SideSwitch) {
                held = result.cues[j].at - cue.at;
                break;
            }
        }
        record.tender_spots.push_back({ step.target_zones.empty() ? std::string {} : step.target_zones.front(),
            std::chrono::duration_cast<std::chrono::seconds>(held) });
    }
    for (auto const& rating : summary.pain) {
        journal::PainRating pain;
        // Session time runs `speed` times faster than the wall clock (and stops while paused).
        pain.at = std::min(ended, started + std::chrono::duration_cast<WallTime::duration>(rating.at / speed));
        pain.value = rating.rating;
        pain.moment = rating.step < 0 ? (rating.at.count() == 0 ? journal::PainMoment::Before : journal::PainMoment::After)
                                      : journal::PainMoment::During;
        record.pain.push_back(pain);
    }
    if (auto added = (*opened)->add_session(record); !added)
        fmt::print(stderr, "rollcoach: warning: the session was not saved: {}\n", added.error().message);
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
    if ((*speaker)->output() == voice::Output::Directory)
        fmt::print(stderr, "No sound server: writing the spoken cues as WAV files to {}\n", (*speaker)->out_dir()->string());
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
    cmd->add_flag("--no-voice", o->no_voice, "Do not speak the cues");
    cmd->add_option("--voice", o->voice, "espeak-ng voice name")->capture_default_str();
    cmd->add_option("--rate", o->rate, "Speech rate in words per minute")->capture_default_str()->check(CLI::Range(80, 450));
    cmd->add_flag("--no-save", o->no_save, "Do not keep this session in the journal");
    cmd->add_option("--voice-out", o->voice_out, "Write the spoken cues as WAV files to DIR instead of playing them");
    cmd->callback([o, &context, &exit_code] {
        auto kb = kb::load_knowledge_base(context.knowledge_dir());
        if (!kb) {
            exit_code = report(kb.error());
            return;
        }
        auto plan = plan_from(*o, *kb, context);
        if (!plan) {
            exit_code = report(plan.error());
            return;
        }
        auto machine = session::SessionMachine::create(*kb, *plan);
        if (!machine) {
            exit_code = report(machine.error());
            return;
        }
        if (!o->script_file.empty()) {
            exit_code = run_script_mode(*o, *machine);
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
        auto const started = SystemClock().wall_now();
        auto result = tui::run_terminal_coach(*machine, options);
        if (!result) {
            exit_code = report(result.error());
            return;
        }
        if (speaker)
            speaker->drain();
        if (!o->no_save)
            record_session(context, *plan, *result, started, SystemClock().wall_now(), o->speed);
        auto const& summary = result->summary;
        if (result->stop_cue) {
            fmt::print("Session stopped: {}\n{}\n", result->stop_cue->text, result->stop_cue->detail);
        } else {
            fmt::print("Session {}: {} of rolling, {} of {} steps, {} tender spot(s).\n",
                summary.end_reason == session::EndReason::Completed ? "complete" : "ended early", time_text(summary.active),
                summary.steps_completed, summary.steps_total, summary.tender_spots);
        }
        exit_code = result->exit == tui::CoachExit::Interrupted ? ExitCode::Interrupted : ExitCode::Ok;
    });
}

}
