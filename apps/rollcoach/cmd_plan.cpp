// `rollcoach plan`: today's personal plan from the profile options (and, optionally, a saved
// screening verdict), as readable text or as JSON (--json). A thin adapter over make_plan().
#include "app_context.h"
#include "planning_inputs.h"

#include "journal/open_journal.h"
#include "knowledge/loader.h"
#include "plan/plan.h"
#include "plan/plan_json.h"

#include <fmt/core.h>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

namespace rc::app {

namespace {

struct PlanOptions {
    ProfileOptions profile;
    bool json { false };
};

Result<kb::Verdict> verdict_from(std::string const& file)
{
    std::ifstream in(file);
    if (!in)
        return Error::io(fmt::format("cannot read verdict file {}: check the path", file));
    auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded())
        return Error::invalid_data(fmt::format("{}: not valid JSON", file));
    return plan::parse_verdict(json);
}

}

void add_profile_options(CLI::App& command, ProfileOptions& options)
{
    command.add_option("--experience", options.experience, "first_time | some | regular")->capture_default_str();
    command.add_option("--sensitivity", options.sensitivity, "normal | high")->capture_default_str();
    command.add_option("--roller", options.rollers, "A roller you own (repeat): soft_foam, standard, trigger_point, peanut, spiked");
    command.add_option("--minutes", options.minutes, "Minutes available")->capture_default_str()->check(CLI::Range(1, 120));
    command.add_option("--focus", options.focus, "mid_back | lats_and_shoulders | glutes_and_hips | hip_flexors (repeat)");
    command.add_option("--when", options.when, "anytime | before_bed | after_workout")->capture_default_str();
    command.add_option("--verdict", options.verdict_file,
        "A screening verdict saved as JSON (default: your latest screening in the journal)");
}

Result<plan::Profile> profile_from(ProfileOptions const& o)
{
    plan::Profile p;
    auto experience = plan::parse_experience(o.experience);
    if (!experience)
        return experience.error();
    p.experience = *experience;
    auto sensitivity = plan::parse_sensitivity(o.sensitivity);
    if (!sensitivity)
        return sensitivity.error();
    p.sensitivity = *sensitivity;
    p.rollers_owned = o.rollers;
    p.minutes_available = std::chrono::minutes { o.minutes };
    for (auto const& f : o.focus) {
        auto focus = plan::parse_focus(f);
        if (!focus)
            return focus.error();
        p.focus.push_back(*focus);
    }
    auto when = plan::parse_when(o.when);
    if (!when)
        return when.error();
    p.when = *when;
    return p;
}

Result<PlanningInputs> load_planning_inputs(AppContext const& context, std::string const& verdict_file)
{
    PlanningInputs inputs;
    if (!verdict_file.empty()) {
        auto verdict = verdict_from(verdict_file);
        if (!verdict)
            return verdict.error();
        inputs.verdict = *verdict;
        inputs.screened = true;
    }
    auto opened = journal::open_journal(context.journal_path(), journal::Purpose::Read);
    if (!opened) {
        if (opened.error().code != ErrorCode::NotFound)
            fmt::print(stderr, "rollcoach: warning: the journal could not be read ({}); planning without your history\n",
                opened.error().message);
        if (verdict_file.empty())
            inputs.notes.push_back("No screening on record: run `rollcoach screen` first so the plan can respect your answers.");
        return inputs;
    }
    auto& journal = **opened;
    journal::StatsRequest request;
    request.now = SystemClock().wall_now();
    if (auto history = journal.history_for_planning(request))
        inputs.history = *history;
    else
        fmt::print(stderr, "rollcoach: warning: {}\n", history.error().message);
    if (verdict_file.empty()) {
        auto screening = journal.find_latest_screening();
        if (!screening)
            return screening.error();
        if (*screening) {
            auto verdict = plan::parse_verdict((*screening)->verdict);
            if (!verdict)
                return verdict.error();
            inputs.verdict = *verdict;
            inputs.screened = true;
        } else {
            inputs.notes.push_back("No screening on record: run `rollcoach screen` first so the plan can respect your answers.");
        }
    }
    return inputs;
}

namespace {

void print_plan(plan::Plan const& p)
{
    fmt::print("Today's plan: {} min {} s of {} available\n", p.total().count() / 60, p.total().count() % 60,
        p.available.count() / 60);
    fmt::print("Pressure: {}. {}\n\n", plan::to_string(p.pressure), p.pressure_why);
    int n = 1;
    for (auto const& s : p.steps) {
        std::string dose;
        if (s.kind == kb::ExerciseKind::Finisher)
            dose = fmt::format("{} slow repetitions", s.repetitions);
        else if (s.sides == kb::Sides::LeftAndRight)
            dose = fmt::format("{} s each side", s.per_side.count());
        else
            dose = fmt::format("{} s", s.per_side.count());
        fmt::print("{}. {}: {}{}\n", n++, s.name, dose, s.tool_name.empty() ? "" : ", " + s.tool_name);
        fmt::print("   Why: {}\n", s.why);
        if (!s.tool_why.empty())
            fmt::print("   Roller: {}\n", s.tool_why);
    }
    if (!p.notes.empty()) {
        fmt::print("\nNotes:\n");
        for (auto const& note : p.notes)
            fmt::print("  - {}\n", note);
    }
    if (!p.left_out.empty()) {
        fmt::print("\nLeft out:\n");
        for (auto const& item : p.left_out)
            fmt::print("  - {}\n", item);
    }
    fmt::print("\nStart it with: rollcoach session (same options)\n");
}

}

void register_plan(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<PlanOptions>();
    auto* cmd = app.add_subcommand("plan", "Show today's personal rolling plan and why each choice was made");
    add_profile_options(*cmd, options->profile);
    cmd->add_flag("--json", options->json, "Print the plan as JSON");
    cmd->callback([options, &context, &exit_code] {
        auto kb = kb::load_knowledge_base(context.knowledge_dir());
        if (!kb) {
            exit_code = report(kb.error());
            return;
        }
        auto profile = profile_from(options->profile);
        if (!profile) {
            exit_code = report(profile.error());
            return;
        }
        auto inputs = load_planning_inputs(context, options->profile.verdict_file);
        if (!inputs) {
            exit_code = report(inputs.error());
            return;
        }
        auto plan = plan::make_plan(*kb, *profile, inputs->verdict, inputs->history);
        if (!plan) {
            exit_code = report(plan.error());
            return;
        }
        plan->notes.insert(plan->notes.end(), inputs->notes.begin(), inputs->notes.end());
        if (options->json)
            fmt::print("{}\n", nlohmann::json(*plan).dump(2));
        else
            print_plan(*plan);
        exit_code = ExitCode::Ok;
    });
}

}
