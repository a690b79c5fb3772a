// `rollcoach plan`: today's personal plan from the profile options (and, optionally, a saved
// screening verdict), as readable text or as JSON (--json). A thin adapter over
// coach::Coach::todays_plan, which refuses (exit status 5) without a screening on record.
#include "app_context.h"
#include "cli_coach.h"

#include "knowledge/loader.h"
#include "plan/plan.h"
#include "plan/plan_json.h"
#include "triage/verdict_json.h"

#include <fmt/core.h>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>

namespace rc::app {

namespace {

struct PlanOptions {
    ProfileOptions profile;
    bool json { false };
};

Result<plan::Profile> profile_from(ProfileOptions const& o)
{
    plan::Profile p;
    p.experience = TRY(plan::parse_experience(o.experience));
    p.sensitivity = TRY(plan::parse_sensitivity(o.sensitivity));
    p.rollers_owned = o.rollers;
    p.minutes_available = std::chrono::minutes { o.minutes };
    for (auto const& focus : o.focus)
        p.focus.push_back(TRY(plan::parse_focus(focus)));
    p.when = TRY(plan::parse_when(o.when));
    return p;
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
        "A screening verdict saved as JSON by `rollcoach screen --json` (default: your latest screening in the journal)");
}

Result<coach::PlanRequest> plan_request_from(ProfileOptions const& options)
{
    coach::PlanRequest request;
    request.profile = TRY(profile_from(options));
    if (!options.verdict_file.empty()) {
        auto document = TRY(read_json_file(options.verdict_file, "verdict"));
        auto verdict = triage::parse_verdict(document);
        if (!verdict)
            return Error::invalid_data(fmt::format("{}: {}", options.verdict_file, verdict.error().message));
        request.verdict = std::move(*verdict);
    }
    return request;
}

Result<std::unique_ptr<CliCoach>> open_coach(AppContext const& context, journal::Purpose purpose)
{
    auto cli = std::make_unique<CliCoach>();
    cli->kb = TRY(kb::load_knowledge_base(context.knowledge_dir()));
    std::unique_ptr<journal::Journal> journal;
    if (auto opened = context.open_journal(purpose))
        journal = std::move(*opened);
    else if (purpose == journal::Purpose::Write || opened.error().code != ErrorCode::NotFound)
        return opened.error();
    cli->coach = std::make_unique<coach::Coach>(cli->kb, std::move(journal), cli->clock);
    return cli;
}

namespace {

void print_plan(plan::Plan const& p)
{
    std::string out;
    fmt::format_to(std::back_inserter(out), "Today's plan: {} min {} s of {} available\n", p.total().count() / 60, p.total().count() % 60,
        p.available.count() / 60);
    fmt::format_to(std::back_inserter(out), "Pressure: {}. {}\n\n", plan::to_string(p.pressure), p.pressure_why);
    int n = 1;
    for (auto const& s : p.steps) {
        std::string dose;
        if (s.kind == kb::ExerciseKind::Finisher)
            dose = fmt::format("{} slow repetitions", s.repetitions);
        else if (s.sides == kb::Sides::LeftAndRight)
            dose = fmt::format("{} s each side", s.per_side.count());
        else
            dose = fmt::format("{} s", s.per_side.count());
        fmt::format_to(std::back_inserter(out), "{}. {}: {}{}\n", n++, s.name, dose, s.tool_name.empty() ? "" : ", " + s.tool_name);
        fmt::format_to(std::back_inserter(out), "   Why: {}\n", s.why);
        if (!s.tool_why.empty())
            fmt::format_to(std::back_inserter(out), "   Roller: {}\n", s.tool_why);
    }
    if (!p.notes.empty()) {
        fmt::format_to(std::back_inserter(out), "\nNotes:\n");
        for (auto const& note : p.notes)
            fmt::format_to(std::back_inserter(out), "  - {}\n", note);
    }
    if (!p.left_out.empty()) {
        fmt::format_to(std::back_inserter(out), "\nLeft out:\n");
        for (auto const& item : p.left_out)
            fmt::format_to(std::back_inserter(out), "  - {}\n", item);
    }
    fmt::format_to(std::back_inserter(out), "\nStart it with: rollcoach session (same options)\n");
    print_text(out);
}

}

void register_plan(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<PlanOptions>();
    auto* cmd = app.add_subcommand("plan", "Show today's personal rolling plan and why each choice was made");
    add_profile_options(*cmd, options->profile);
    cmd->add_flag("--json", options->json, "Print the plan as JSON");
    cmd->callback([options, &context, &exit_code] {
        auto plan = [&]() -> Result<plan::Plan> {
            auto cli = TRY(open_coach(context, journal::Purpose::Read));
            return cli->coach->todays_plan(TRY(plan_request_from(options->profile)));
        }();
        if (!plan) {
            exit_code = report(plan.error());
            return;
        }
        if (options->json)
            fmt::print("{}\n", nlohmann::json(*plan).dump(2));
        else
            print_plan(*plan);
        exit_code = ExitCode::Ok;
    });
}

}
