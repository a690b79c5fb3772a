// The knowledge-base commands: `kb check [DIR]`, `exercises`, `zones`, `tools` and
// `explain <id>`. Thin adapters: load_knowledge_base() does the validation; this file only
// formats what it returns, as wrapped plain text or as JSON (--json).
#include "app_context.h"

#include "coach/kb_json.h"

#include "knowledge/loader.h"
#include "knowledge/toml_reader.h"

#include <cstdlib>
#include <fmt/color.h>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/ioctl.h>
#include <unistd.h>

namespace rc::app {

namespace {

using nlohmann::json;
using namespace rc::kb;

// Output settings shared by the commands: wrap width and whether to use colour.
struct Style {
    std::size_t width { 80 };
    bool color { false };

    static Style for_stdout(AppContext const& context)
    {
        Style style;
        bool const tty = isatty(STDOUT_FILENO) != 0;
        style.color = context.color && tty;
        std::size_t columns = 0;
        winsize size {};
        if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0)
            columns = size.ws_col;
        if (columns == 0) {
            if (char const* env = std::getenv("COLUMNS"))
                columns = static_cast<std::size_t>(std::strtoul(env, nullptr, 10));
        }
        if (columns == 0)
            columns = 80;
        style.width = std::clamp<std::size_t>(columns, 40, 100);
        return style;
    }

    std::string paint(fmt::text_style text_style, std::string_view text) const
    {
        return color ? fmt::format(text_style, "{}", text) : std::string(text);
    }
    std::string bold(std::string_view text) const { return paint(fmt::emphasis::bold, text); }
    std::string dim(std::string_view text) const { return paint(fmt::emphasis::faint, text); }

    std::string status(ZoneStatus status) const
    {
        switch (status) {
        case ZoneStatus::Target: return paint(fmt::fg(fmt::terminal_color::green), to_string(status));
        case ZoneStatus::Caution: return paint(fmt::fg(fmt::terminal_color::yellow), to_string(status));
        case ZoneStatus::NoGo: return paint(fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold, to_string(status));
        }
        return to_string(status);
    }
};

// Greedy word wrap: every line starts with `indent` (the first with `first_indent`).
std::string wrap(std::string_view text, std::size_t width, std::string_view indent, std::string_view first_indent)
{
    std::istringstream words { std::string(text) };
    std::string out { first_indent };
    std::size_t column = first_indent.size();
    bool line_empty = true;
    std::string word;
    while (words >> word) {
        if (!line_empty && column + 1 + word.size() > width) {
            out += '\n';
            out += indent;
            column = indent.size();
            line_empty = true;
        }
        if (!line_empty) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        line_empty = false;
    }
    return out + '\n';
}

std::string wrap(std::string_view text, std::size_t width, std::string_view indent = "")
{
    return wrap(text, width, indent, indent);
}

std::string seconds(Seconds s) { return fmt::format("{} s", s.count()); }

void print_json(json const& value) { fmt::print("{}\n", value.dump(2)); }

// One JSON shape per object: the web API's (coach/kb_json.h).
json to_json(KnowledgeBase const&, Source const& source) { return coach::source_json(source); }
json to_json(KnowledgeBase const& kb, Zone const& zone) { return coach::zone_json(kb, zone); }
json to_json(KnowledgeBase const& kb, Tool const& tool) { return coach::tool_json(kb, tool); }
json to_json(KnowledgeBase const& kb, Exercise const& exercise) { return coach::exercise_json(kb, exercise); }
json to_json(KnowledgeBase const& kb, Rule const& rule) { return coach::rule_json(kb, rule); }
json to_json(KnowledgeBase const& kb, Routine const& routine) { return coach::routine_json(kb, routine); }

std::string zone_names(KnowledgeBase const& kb, std::vector<std::string> const& ids)
{
    std::vector<std::string> names;
    for (auto const& id : ids)
        names.push_back(kb.find_zone(id) ? kb.find_zone(id)->name : id);
    return fmt::format("{}", fmt::join(names, "; "));
}

std::string tool_names(KnowledgeBase const& kb, std::vector<std::string> const& ids)
{
    std::vector<std::string> names;
    for (auto const& id : ids)
        names.push_back(kb.find_tool(id) ? kb.find_tool(id)->name : id);
    return fmt::format("{}", fmt::join(names, "; "));
}

std::string dose_summary(Exercise const& exercise)
{
    if (exercise.kind == ExerciseKind::Finisher)
        return fmt::format("{} slow repetitions of about {}", exercise.dose.repetitions, seconds(exercise.dose.per_repetition));
    return fmt::format("{}{} (at most {}), {}-{} s per pass; hold a tender spot {}-{} s, move on after {}", seconds(exercise.dose.default_per_side),
        exercise.sides == Sides::LeftAndRight ? " per side" : "", seconds(exercise.dose.max_per_side), exercise.tempo.min_per_pass.count(),
        exercise.tempo.max_per_pass.count(), exercise.hold.min_hold.count(), exercise.hold.max_hold.count(), seconds(exercise.hold.move_on_after));
}

std::string print_sources(KnowledgeBase const& kb, Style const& style, std::vector<std::string> const& ids)
{
    std::string out = style.bold("Sources") + "\n";
    for (auto const& id : ids) {
        if (Source const* source = kb.find_source(id))
            out += wrap(fmt::format("{} {}", source->citation, style.dim(fmt::format("[{}]", source->id))), style.width, "    ", "  - ");
    }
    return out;
}

std::string section(Style const& style, std::string_view title, std::string_view text)
{
    return style.bold(title) + "\n" + wrap(text, style.width, "  ");
}

std::string explain_zone(KnowledgeBase const& kb, Zone const& zone, Style const& style)
{
    std::string out = style.bold(zone.name) + fmt::format(" ({}, zone)\n", zone.id);
    out += fmt::format("Status: {}    Region: {}\n\n", style.status(zone.status), to_string(zone.region));
    out += section(style, "Why", zone.why);
    std::vector<std::string> used_by;
    for (auto const& exercise : kb.exercises)
        if (std::find(exercise.target_zones.begin(), exercise.target_zones.end(), zone.id) != exercise.target_zones.end())
            used_by.push_back(exercise.id);
    if (!used_by.empty())
        out += "\n" + section(style, "Exercises", fmt::format("{}", fmt::join(used_by, ", ")));
    return out + "\n" + print_sources(kb, style, zone.source_ids);
}

std::string explain_tool(KnowledgeBase const& kb, Tool const& tool, Style const& style)
{
    std::string out = style.bold(tool.name) + fmt::format(" ({}, tool)\n", tool.id);
    std::vector<std::string> suits;
    if (tool.suits_beginners)
        suits.push_back("beginners");
    if (tool.suits_high_sensitivity)
        suits.push_back("people sensitive to pressure");
    out += fmt::format("Firmness: {}    Use: {}    Suits: {}\n\n", to_string(tool.firmness), tool.whole_back_session ? "whole-back sessions" : "spot work only",
        suits.empty() ? std::string("experienced users") : fmt::format("{}", fmt::join(suits, ", ")));
    out += section(style, "Good for", tool.good_for) + "\n";
    out += section(style, "Not for", tool.not_for) + "\n";
    return out + print_sources(kb, style, tool.source_ids);
}

std::string explain_exercise(KnowledgeBase const& kb, Exercise const& exercise, Style const& style)
{
    std::string out = style.bold(exercise.name) + fmt::format(" ({}, {} exercise)\n\n", exercise.id, to_string(exercise.kind));
    out += section(style, "Targets", zone_names(kb, exercise.target_zones));
    if (!exercise.tools.empty())
        out += section(style, "Tools", tool_names(kb, exercise.tools));
    out += section(style, "Dose", dose_summary(exercise)) + "\n";
    out += style.bold("Setup") + "\n";
    for (std::size_t i = 0; i < exercise.setup.size(); ++i)
        out += wrap(exercise.setup[i], style.width, "     ", fmt::format("  {}. ", i + 1));
    out += "\n" + section(style, "Movement", exercise.movement) + "\n";
    if (!exercise.cues.empty()) {
        out += style.bold("Cues") + "\n";
        for (auto const& cue : exercise.cues)
            out += wrap(cue, style.width, "    ", "  - ");
        out += "\n";
    }
    if (!exercise.mistakes.empty()) {
        out += style.bold("Common mistakes") + "\n";
        for (auto const& mistake : exercise.mistakes)
            out += wrap(fmt::format("{} Fix: {}", mistake.what, mistake.fix), style.width, "    ", "  - ");
        out += "\n";
    }
    out += section(style, "Why", exercise.why) + "\n";
    return out + print_sources(kb, style, exercise.source_ids);
}

std::string explain_rule(KnowledgeBase const& kb, Rule const& rule, Style const& style)
{
    std::string out = style.bold(rule.title) + fmt::format(" ({}, rule)\n\n", rule.id);
    out += section(style, "Rule", rule.statement) + "\n";
    out += section(style, "Why", rule.why) + "\n";
    return out + print_sources(kb, style, rule.source_ids);
}

std::string explain_routine(KnowledgeBase const& kb, Routine const& routine, Style const& style)
{
    std::string out = style.bold(routine.name) + fmt::format(" ({}, routine)\n\n", routine.id);
    out += style.bold("Steps") + "\n";
    for (std::size_t i = 0; i < routine.steps.size(); ++i) {
        auto const& step = routine.steps[i];
        Exercise const* exercise = kb.find_exercise(step.exercise_id);
        std::string name = exercise ? exercise->name : step.exercise_id;
        std::string dose = step.repetitions > 0 ? fmt::format("{} repetitions", step.repetitions)
                                                : fmt::format("{}{}", seconds(step.per_side), exercise && exercise->sides == Sides::LeftAndRight ? " each side" : "");
        out += wrap(fmt::format("{}: {}", name, dose), style.width, "     ", fmt::format("  {}. ", i + 1));
    }
    if (!routine.best_times.empty())
        out += "\n" + section(style, "Best time", fmt::format("{}", fmt::join(routine.best_times, ", ")));
    out += "\n" + section(style, "Why", routine.why) + "\n";
    return out + print_sources(kb, style, routine.source_ids);
}

std::string explain_source(KnowledgeBase const& kb, Source const& source, Style const& style)
{
    std::string out = style.bold(source.citation) + fmt::format(" ({}, source)\n\n", source.id);
    if (!source.note.empty())
        out += section(style, "Supports", source.note) + "\n";
    std::vector<std::string> cited_by;
    auto cites = [&](std::vector<std::string> const& ids) { return std::find(ids.begin(), ids.end(), source.id) != ids.end(); };
    for (auto const& zone : kb.zones)
        if (cites(zone.source_ids))
            cited_by.push_back(zone.id);
    for (auto const& tool : kb.tools)
        if (cites(tool.source_ids))
            cited_by.push_back(tool.id);
    for (auto const& exercise : kb.exercises)
        if (cites(exercise.source_ids))
            cited_by.push_back(exercise.id);
    for (auto const& rule : kb.rules)
        if (cites(rule.source_ids))
            cited_by.push_back(rule.id);
    for (auto const& routine : kb.routines)
        if (cites(routine.source_ids))
            cited_by.push_back(routine.id);
    for (auto const& [field, ids] : kb.thresholds.source_ids)
        if (cites(ids))
            cited_by.push_back(fmt::format("thresholds.{}", field));
    if (!cited_by.empty())
        out += section(style, "Cited by", fmt::format("{}", fmt::join(cited_by, ", ")));
    return out;
}

// Loads the knowledge base for a command; on failure prints every problem and sets exit_code.
std::optional<KnowledgeBase> load_or_report(AppContext const& context, int& exit_code)
{
    auto kb = load_knowledge_base(context.knowledge_dir());
    if (!kb) {
        exit_code = report(kb.error());
        return std::nullopt;
    }
    return std::move(kb).value();
}

void register_check(CLI::App& kb_command, AppContext& context, int& exit_code)
{
    auto* check = kb_command.add_subcommand("check", "Validate a knowledge-base directory and list every problem (exit 3 if any)");
    auto dir = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    check->add_option("DIR", *dir, "Directory to check (default: the one rollcoach uses: --kb, $ROLLCOACH_KB or the shipped one)");
    check->add_flag("--json", *as_json, "Print the result as JSON");
    check->callback([&context, &exit_code, dir, as_json] {
        std::filesystem::path path = dir->empty() ? context.knowledge_dir() : std::filesystem::path(*dir);
        auto kb = load_knowledge_base(path);
        if (*as_json) {
            json out { { "directory", path.string() }, { "valid", kb.has_value() } };
            if (kb) {
                out["counts"] = { { "sources", kb->sources.size() }, { "zones", kb->zones.size() }, { "tools", kb->tools.size() },
                    { "exercises", kb->exercises.size() }, { "rules", kb->rules.size() }, { "routines", kb->routines.size() },
                    { "screening_questions", kb->screening.questions.size() }, { "screening_rules", kb->screening.rules.size() } };
            } else {
                out["error"] = kb.error().message;
                out["problems"] = kb.error().details;
            }
            print_json(out);
            if (!kb)
                exit_code = kb.error().code == ErrorCode::InvalidData ? ExitCode::InvalidData : ExitCode::Failure;
            return;
        }
        if (!kb) {
            exit_code = report(kb.error());
            return;
        }
        fmt::print("ok: {} is a valid knowledge base: {} sources, {} zones, {} tools, {} exercises, {} rules, {} routine{}, "
                   "{} screening questions, {} screening rules\n",
            path.string(), kb->sources.size(), kb->zones.size(), kb->tools.size(), kb->exercises.size(), kb->rules.size(), kb->routines.size(),
            kb->routines.size() == 1 ? "" : "s", kb->screening.questions.size(), kb->screening.rules.size());
    });
}

}

void register_kb(CLI::App& app, AppContext& context, int& exit_code)
{
    auto* kb_command = app.add_subcommand("kb", "Work with the knowledge base (data/knowledge/*.toml)");
    kb_command->require_subcommand(1);
    register_check(*kb_command, context, exit_code);
}

namespace {

// Every listing has one shape: a subcommand with --json that loads the validated knowledge
// base, then prints the chosen entries as a JSON array (to_json of each) or as text.
template<typename Entries, typename PrintText>
void add_listing(CLI::App& app, AppContext& context, int& exit_code, char const* name, char const* help,
    char const* json_help, Entries entries, PrintText print_text)
{
    auto* command = app.add_subcommand(name, help);
    auto as_json = std::make_shared<bool>(false);
    command->add_flag("--json", *as_json, json_help);
    command->callback([&context, &exit_code, as_json, entries, print_text] {
        auto kb = load_or_report(context, exit_code);
        if (!kb)
            return;
        if (*as_json) {
            json out = json::array();
            for (auto const& entry : entries(*kb))
                out.push_back(to_json(*kb, entry));
            return print_json(out);
        }
        print_text(*kb, Style::for_stdout(context));
    });
}

}

void register_exercises(CLI::App& app, AppContext& context, int& exit_code)
{
    add_listing(app, context, exit_code, "exercises", "List the exercises (details: rollcoach explain <id>)",
        "Print the full exercises as JSON", [](KnowledgeBase const& kb) -> auto const& { return kb.exercises; },
        [](KnowledgeBase const& kb, Style const& style) {
            for (auto const& exercise : kb.exercises) {
                fmt::print("{}  {}\n", style.bold(exercise.id), exercise.name);
                std::string detail = fmt::format("Targets: {}.", zone_names(kb, exercise.target_zones));
                if (!exercise.tools.empty())
                    detail += fmt::format(" Tools: {}.", fmt::join(exercise.tools, ", "));
                detail += fmt::format(" Dose: {}.", dose_summary(exercise));
                fmt::print("{}\n", wrap(detail, style.width, "    "));
            }
            fmt::print("Details: rollcoach explain <id>\n");
        });
}

void register_zones(CLI::App& app, AppContext& context, int& exit_code)
{
    add_listing(app, context, exit_code, "zones", "List the body zones and whether rollcoach rolls them",
        "Print the zones as JSON", [](KnowledgeBase const& kb) -> auto const& { return kb.zones; },
        [](KnowledgeBase const& kb, Style const& style) {
            std::size_t id_width = 0;
            for (auto const& zone : kb.zones)
                id_width = std::max(id_width, zone.id.size());
            for (auto const& zone : kb.zones) {
                // Pad before colouring so escape codes do not upset the columns.
                std::string status = fmt::format("{:<8}", to_string(zone.status));
                status = style.status(zone.status) + status.substr(std::string_view(to_string(zone.status)).size());
                fmt::print("{}  {}  {}\n", fmt::format("{:<{}}", zone.id, id_width), status, zone.name);
            }
            fmt::print("\ntarget: rolled by the exercises; caution: only as an exercise describes; no-go: never rolled.\n"
                       "Why: rollcoach explain <id>\n");
        });
}

void register_tools(CLI::App& app, AppContext& context, int& exit_code)
{
    add_listing(app, context, exit_code, "tools", "List the rollers and who they suit", "Print the tools as JSON",
        [](KnowledgeBase const& kb) -> auto const& { return kb.tools; },
        [](KnowledgeBase const& kb, Style const& style) {
            for (auto const& tool : kb.tools) {
                std::vector<std::string> traits { to_string(tool.firmness), tool.whole_back_session ? "whole back" : "spot work only" };
                if (tool.suits_beginners)
                    traits.push_back("beginners");
                if (tool.suits_high_sensitivity)
                    traits.push_back("sensitive users");
                fmt::print("{}  {}\n", style.bold(tool.id), tool.name);
                fmt::print("{}", wrap(fmt::format("{}. {}", fmt::join(traits, ", "), tool.good_for), style.width, "    "));
            }
            fmt::print("Details: rollcoach explain <id>\n");
        });
}

void register_explain(CLI::App& app, AppContext& context, int& exit_code)
{
    auto* command = app.add_subcommand("explain", "Explain an exercise, zone, tool, rule, routine or source, with its sources");
    auto id = std::make_shared<std::string>();
    auto as_json = std::make_shared<bool>(false);
    command->add_option("ID", *id, "The id to explain, e.g. thoracic_roll, lumbar_spine, peanut, no_lumbar, default, grabow_2018")->required();
    command->add_flag("--json", *as_json, "Print the entry and its cited sources as JSON");
    command->callback([&context, &exit_code, id, as_json] {
        auto kb = load_or_report(context, exit_code);
        if (!kb)
            return;
        Style style = Style::for_stdout(context);
        auto emit = [&](std::string_view kind, json entry, std::vector<std::string> const& source_ids, std::string const& text) {
            if (*as_json) {
                print_json({ { "kind", kind }, { "entry", std::move(entry) }, { "sources", coach::sources_json(*kb, source_ids) } });
            } else {
                fmt::print("{}", text);
            }
        };
        if (auto const* exercise = kb->find_exercise(*id))
            return emit("exercise", to_json(*kb, *exercise), exercise->source_ids, explain_exercise(*kb, *exercise, style));
        if (auto const* zone = kb->find_zone(*id))
            return emit("zone", to_json(*kb, *zone), zone->source_ids, explain_zone(*kb, *zone, style));
        if (auto const* tool = kb->find_tool(*id))
            return emit("tool", to_json(*kb, *tool), tool->source_ids, explain_tool(*kb, *tool, style));
        if (auto const* rule = kb->find_rule(*id))
            return emit("rule", to_json(*kb, *rule), rule->source_ids, explain_rule(*kb, *rule, style));
        if (auto const* routine = kb->find_routine(*id))
            return emit("routine", to_json(*kb, *routine), routine->source_ids, explain_routine(*kb, *routine, style));
        if (auto const* source = kb->find_source(*id))
            return emit("source", to_json(*kb, *source), { source->id }, explain_source(*kb, *source, style));

        std::vector<std::string> known;
        for (auto const& exercise : kb->exercises)
            known.push_back(exercise.id);
        for (auto const& zone : kb->zones)
            known.push_back(zone.id);
        for (auto const& tool : kb->tools)
            known.push_back(tool.id);
        for (auto const& rule : kb->rules)
            known.push_back(rule.id);
        for (auto const& routine : kb->routines)
            known.push_back(routine.id);
        for (auto const& source : kb->sources)
            known.push_back(source.id);
        std::string fix = "list ids with: rollcoach exercises, rollcoach zones, rollcoach tools";
        std::vector<std::string> containing;
        for (auto const& candidate : known)
            if (!id->empty() && candidate.find(*id) != std::string::npos)
                containing.push_back(candidate);
        if (auto near = closest_match(*id, known))
            fix = fmt::format("did you mean '{}'?", *near);
        else if (!containing.empty() && containing.size() <= 5)
            fix = fmt::format("did you mean one of: {}?", fmt::join(containing, ", "));
        exit_code = report(Error::not_found(fmt::format("nothing in the knowledge base is called '{}' (fix: {})", *id, fix)));
    });
}

}
