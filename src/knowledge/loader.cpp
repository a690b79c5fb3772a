#include "knowledge/loader.h"

#include "knowledge/cross_references.h"
#include "knowledge/motion_thresholds_loader.h"
#include "knowledge/screening_loader.h"
#include "knowledge/thresholds_loader.h"
#include "knowledge/toml_reader.h"

#include <algorithm>
#include <array>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace rc::kb {

namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 8> knowledge_files {
    "sources.toml", "zones.toml", "tools.toml", "exercises.toml", "rules.toml", "thresholds.toml", "routines.toml", "motion.toml",
};

// The profile's focus words (plan/profile.h), which a routine's extras may name.
constexpr std::array<std::string_view, 4> focus_words { "mid_back", "lats_and_shoulders", "glutes_and_hips", "hip_flexors" };
constexpr std::array<std::string_view, 4> best_time_words { "before_bed", "after_workout", "morning", "anytime" };

// Durations in a data file are whole seconds; ten minutes is far above any sensible dose.
constexpr std::int64_t max_seconds = 600;

struct IdRecord {
    std::string noun;    // "zone"
    Location where;
};

bool is_snake_case(std::string_view id)
{
    if (id.empty() || id.front() < 'a' || id.front() > 'z')
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// Reads every file of a knowledge-base directory into one KnowledgeBase, recording each problem
// (and each cross-reference to check later) instead of stopping at the first.
class KnowledgeLoader {
public:
    // `read` returns a file's text, or nothing when the file does not exist.
    using ReadFile = std::function<std::optional<std::string>(std::string_view name)>;

    KnowledgeLoader(fs::path dir, ReadFile read, Diagnostics& diagnostics)
        : m_dir(std::move(dir))
        , m_read(std::move(read))
        , m_diagnostics(diagnostics)
    {
    }

    // Reads rollcoach's own files; the screening directory is left to the caller.
    KnowledgeBase load_core()
    {
        read_file("sources.toml", "source", [this](TableReader& t) { read_source(t); });
        read_file("zones.toml", "zone", [this](TableReader& t) { read_zone(t); });
        read_file("tools.toml", "tool", [this](TableReader& t) { read_tool(t); });
        read_file("exercises.toml", "exercise", [this](TableReader& t) { read_exercise(t); });
        read_file("rules.toml", "rule", [this](TableReader& t) { read_rule(t); });
        read_thresholds_file();
        read_motion_file();
        read_file("routines.toml", "routine", [this](TableReader& t) { read_routine(t); });
        check_references(m_references, m_kb, [this](std::string_view name) { return parsed(name); }, m_diagnostics);
        check_no_go_targets();
        check_routines();
        return std::move(m_kb);
    }

    KnowledgeBase load_directory()
    {
        check_file_names();
        KnowledgeBase kb = load_core();
        load_screening(m_dir / "screening", m_diagnostics, kb.screening);
        // Without readable sources and zones every screening reference would look undefined.
        if (parsed("sources.toml") && parsed("zones.toml"))
            validate_screening(kb, m_dir / "screening", m_diagnostics);
        return kb;
    }

private:
    fs::path file(std::string_view name) const { return m_dir / name; }

    void check_file_names()
    {
        std::error_code ec;
        std::vector<std::string> known(knowledge_files.begin(), knowledge_files.end());
        for (auto const& entry : fs::directory_iterator(m_dir, ec)) {
            if (!entry.is_regular_file(ec) || entry.path().extension() != ".toml")
                continue;
            std::string name = entry.path().filename().string();
            if (std::find(known.begin(), known.end(), name) != known.end())
                continue;
            std::string fix = fmt::format("rename or remove it; the knowledge base reads {}", fmt::join(known, ", "));
            if (auto near = closest_match(name, known))
                fix = fmt::format("did you mean '{}'? (rename the file)", *near);
            m_diagnostics.add(Location { entry.path() }, "unknown knowledge-base file", fix);
        }
    }

    template<typename ReadEntry>
    void read_file(std::string_view name, std::string_view table_key, ReadEntry read_entry)
    {
        auto document = parse(name);
        if (!document)
            return;
        TableReader top(*document, file(name), m_diagnostics, "");
        for (auto& entry : top.tables(table_key, Need::Required))
            read_entry(entry);
        top.finish();
    }

    std::optional<toml::table> parse(std::string_view name)
    {
        auto text = m_read(name);
        if (!text) {
            m_diagnostics.add(Location { file(name) }, fmt::format("the knowledge base has no {}", name),
                fmt::format("add {} to {} (see docs/knowledge.md for its schema)", name, m_dir.string()));
            m_parsed.emplace(std::string(name), false);
            return std::nullopt;
        }
        auto document = parse_toml_text(*text, file(name), m_diagnostics);
        m_parsed.emplace(std::string(name), document.has_value());
        return document;
    }

    // Reads and checks the id, renames the table in later messages, and records the id for the
    // duplicate check (ids are unique across the knowledge base so `explain <id>` is unambiguous).
    std::string read_id(TableReader& table, std::string_view noun)
    {
        std::string id = table.required_string("id");
        if (id.empty())
            return id;
        Location where = table.location_of("id");
        if (!is_snake_case(id)) {
            table.report("id", fmt::format("'{}' must be lower_snake_case (a-z, 0-9 and _, starting with a letter)", id),
                "write it like \"thoracic_roll\"");
        }
        table.set_what(fmt::format("{} '{}'", noun, id));
        auto [it, inserted] = m_ids.emplace(id, IdRecord { std::string(noun), where });
        if (!inserted) {
            IdRecord const& first = it->second;
            std::string fix = first.noun == noun
                ? fmt::format("give each {} its own id, or remove one of them", noun)
                : fmt::format("rename one of them: ids are shared by every kind so that `rollcoach explain {}` is unambiguous", id);
            m_diagnostics.add(where, fmt::format("duplicate id '{}': {} '{}' is already defined at {}", id, first.noun, id, first.where.to_string()), fix);
        }
        return id;
    }

    void add_references(TableReader& table, std::string_view key, RefKind kind, Need need, std::vector<std::string>& out)
    {
        for (auto& entry : table.located_string_array(key, need)) {
            m_references.push_back({ kind, entry.text, entry.where, table.what() });
            out.push_back(std::move(entry.text));
        }
    }

    // How the readers of motion.toml and thresholds.toml hand over each source they cite.
    CiteSource cite_source()
    {
        return [this](LocatedString const& id, std::string owner) { m_references.push_back({ RefKind::Source, id.text, id.where, std::move(owner) }); };
    }

    void read_sources_field(TableReader& table, std::vector<std::string>& out)
    {
        add_references(table, "sources", RefKind::Source, Need::Required, out);
    }

    void read_source(TableReader& table)
    {
        Source source;
        source.id = read_id(table, "source");
        source.citation = table.required_string("citation");
        source.note = table.string_or("note", "");
        table.finish();
        m_kb.sources.push_back(std::move(source));
    }

    void read_zone(TableReader& table)
    {
        Zone zone;
        zone.id = read_id(table, "zone");
        zone.name = table.required_string("name");
        auto status = table.choice("status", zone_status_words(), Need::Required);
        zone.status = status.value_or(ZoneStatus::NoGo);
        if (!status)
            m_zones_without_status.insert(zone.id);
        zone.region = table.choice("region", body_region_words(), Need::Required).value_or(BodyRegion::MidBack);
        zone.why = table.required_string("why");
        read_sources_field(table, zone.source_ids);
        table.finish();
        m_kb.zones.push_back(std::move(zone));
    }

    void read_tool(TableReader& table)
    {
        Tool tool;
        tool.id = read_id(table, "tool");
        tool.name = table.required_string("name");
        // How sentences name the tool (the plan's reasons, the session's cues); the label is the
        // fallback for an older file.
        tool.short_name = table.string_or("short_name", tool.name);
        tool.a_name = table.string_or("a_name", "a " + tool.short_name);
        tool.firmness = table.choice("firmness", firmness_words(), Need::Required).value_or(Firmness::Medium);
        tool.suits_beginners = table.bool_or("suits_beginners", false);
        tool.suits_high_sensitivity = table.bool_or("suits_high_sensitivity", false);
        tool.whole_back_session = table.bool_or("whole_back_session", true);
        tool.good_for = table.required_string("good_for");
        tool.not_for = table.required_string("not_for");
        read_sources_field(table, tool.source_ids);
        table.finish();
        m_kb.tools.push_back(std::move(tool));
    }

    void read_exercise(TableReader& table)
    {
        Exercise exercise;
        exercise.id = read_id(table, "exercise");
        exercise.name = table.required_string("name");
        exercise.kind = table.choice("kind", exercise_kind_words(), Need::Optional).value_or(ExerciseKind::Rolling);
        bool const rolling = exercise.kind == ExerciseKind::Rolling;

        std::vector<LocatedString> zones = table.located_string_array("target_zones", Need::Required);
        for (auto const& zone : zones) {
            m_references.push_back({ RefKind::Zone, zone.text, zone.where, table.what() });
            m_targets.push_back({ RefKind::Zone, zone.text, zone.where, table.what() });
            exercise.target_zones.push_back(zone.text);
        }
        add_references(table, "tools", RefKind::Tool, rolling ? Need::Required : Need::Optional, exercise.tools);
        exercise.setup = table.string_array("setup", Need::Required);
        exercise.movement = table.required_string("movement");
        exercise.sides = table.choice("sides", sides_words(), Need::Optional).value_or(Sides::None);
        exercise.cues = table.string_array("cues", Need::Optional);
        if (auto preferred = table.optional_string("preferred_tool")) {
            exercise.preferred_tool = *preferred;
            if (std::find(exercise.tools.begin(), exercise.tools.end(), *preferred) == exercise.tools.end())
                m_diagnostics.add(table.location_of("preferred_tool"),
                    fmt::format("{}: preferred_tool '{}' is not one of its tools", table.what(), *preferred),
                    fmt::format("add '{}' to tools, or name one of: {}", *preferred, fmt::join(exercise.tools, ", ")));
            exercise.preferred_tool_why = table.required_string("preferred_tool_why");
        }
        exercise.why = table.required_string("why");
        read_sources_field(table, exercise.source_ids);

        if (auto tempo = table.table("tempo", Need::Optional)) {
            auto min = tempo->integer("min_seconds_per_pass", Need::Optional, 1, 30);
            auto max = tempo->integer("max_seconds_per_pass", Need::Optional, 1, 30);
            exercise.tempo.min_per_pass = Seconds(min.value_or(2));
            exercise.tempo.max_per_pass = Seconds(max.value_or(4));
            if (exercise.tempo.min_per_pass > exercise.tempo.max_per_pass) {
                tempo->report("min_seconds_per_pass",
                    fmt::format("({} s) is longer than max_seconds_per_pass ({} s)", exercise.tempo.min_per_pass.count(), exercise.tempo.max_per_pass.count()),
                    "make the minimum no longer than the maximum (the usual tempo is 2 to 4 s)");
            }
            tempo->finish();
        }

        if (auto dose = table.table("dose", Need::Optional)) {
            auto default_seconds = dose->duration("default_seconds_per_side", Need::Optional, max_seconds);
            auto max = dose->duration("max_seconds_per_side", Need::Optional, max_seconds);
            auto repetitions = dose->integer("repetitions", rolling ? Need::Optional : Need::Required, rolling ? 0 : 1, 50);
            auto per_repetition = dose->duration("seconds_per_repetition", Need::Optional, 120);
            exercise.dose.default_per_side = Seconds(default_seconds.value_or(60));
            exercise.dose.max_per_side = Seconds(max.value_or(120));
            exercise.dose.repetitions = static_cast<int>(repetitions.value_or(rolling ? 0 : 1));
            exercise.dose.per_repetition = Seconds(per_repetition.value_or(rolling ? 0 : 10));
            if (exercise.dose.default_per_side > exercise.dose.max_per_side) {
                dose->report("default_seconds_per_side",
                    fmt::format("({} s) is more than max_seconds_per_side ({} s)", exercise.dose.default_per_side.count(), exercise.dose.max_per_side.count()),
                    "lower the default or raise the maximum");
            }
            dose->finish();
        } else if (!rolling) {
            table.report("dose", "is missing: a finisher needs [exercise.dose] with repetitions", "add [exercise.dose] with repetitions = 5");
        }

        if (auto hold = table.table("hold", Need::Optional)) {
            auto min = hold->duration("min_seconds", Need::Optional, 300);
            auto max = hold->duration("max_seconds", Need::Optional, 300);
            auto move_on = hold->duration("move_on_after_seconds", Need::Optional, max_seconds);
            exercise.hold.min_hold = Seconds(min.value_or(20));
            exercise.hold.max_hold = Seconds(max.value_or(30));
            exercise.hold.move_on_after = Seconds(move_on.value_or(90));
            if (exercise.hold.min_hold > exercise.hold.max_hold) {
                hold->report("min_seconds",
                    fmt::format("({} s) is longer than max_seconds ({} s)", exercise.hold.min_hold.count(), exercise.hold.max_hold.count()),
                    "make the shortest hold no longer than the longest (the usual hold is 20 to 30 s)");
            }
            if (exercise.hold.max_hold > exercise.hold.move_on_after) {
                hold->report("max_seconds",
                    fmt::format("({} s) is longer than move_on_after_seconds ({} s): a hold cannot outlast the time allowed on one spot",
                        exercise.hold.max_hold.count(), exercise.hold.move_on_after.count()),
                    "shorten the hold or raise move_on_after_seconds (the usual values are 30 s and 60 to 120 s)");
            }
            if (exercise.hold.move_on_after > exercise.dose.max_per_side) {
                hold->report("move_on_after_seconds",
                    fmt::format("({} s) is longer than the dose's max_seconds_per_side ({} s)", exercise.hold.move_on_after.count(),
                        exercise.dose.max_per_side.count()),
                    "lower move_on_after_seconds or raise max_seconds_per_side");
            }
            hold->finish();
        }

        for (auto& mistake : table.tables("mistake", Need::Optional)) {
            Mistake m;
            m.what = mistake.required_string("what");
            m.fix = mistake.required_string("fix");
            mistake.finish();
            exercise.mistakes.push_back(std::move(m));
        }
        table.finish();
        m_kb.exercises.push_back(std::move(exercise));
    }

    void read_rule(TableReader& table)
    {
        Rule rule;
        rule.id = read_id(table, "rule");
        rule.title = table.required_string("title");
        rule.statement = table.required_string("statement");
        rule.why = table.required_string("why");
        read_sources_field(table, rule.source_ids);
        table.finish();
        m_kb.rules.push_back(std::move(rule));
    }

    // motion.toml is optional (the analyser's defaults apply without it); see motion_thresholds.h.
    // Checked here so that no front-end starts on a knowledge base with a bad motion.toml.
    void read_motion_file()
    {
        auto text = m_read("motion.toml");
        auto document = text ? parse_toml_text(*text, file("motion.toml"), m_diagnostics) : std::nullopt;
        MotionThresholds motion;
        if (document) {
            read_motion_thresholds(*document, file("motion.toml"), m_diagnostics, motion, cite_source());
        }
        m_kb.motion = motion;   // the live session's analysers use these (src/server/live_session.cpp)
    }

    void read_thresholds_file()
    {
        auto document = parse("thresholds.toml");
        if (!document)
            return;
        TableReader top(*document, file("thresholds.toml"), m_diagnostics, "");
        if (auto table = top.table("thresholds", Need::Required))
            read_thresholds(*table, m_kb.thresholds, cite_source());
        top.finish();
    }

    void read_routine(TableReader& table)
    {
        Routine routine;
        routine.id = read_id(table, "routine");
        routine.name = table.required_string("name");
        for (auto const& time : table.located_string_array("best_times", Need::Optional)) {
            if (std::find(best_time_words.begin(), best_time_words.end(), time.text) == best_time_words.end()) {
                std::vector<std::string> allowed(best_time_words.begin(), best_time_words.end());
                std::string fix = fmt::format("use one of: {}", fmt::join(allowed, ", "));
                if (auto near = closest_match(time.text, allowed))
                    fix = fmt::format("did you mean '{}'? ({})", *near, fix);
                m_diagnostics.add(time.where, fmt::format("{}: unknown best time '{}'", table.what(), time.text), fix);
            }
            routine.best_times.push_back(time.text);
        }
        routine.why = table.required_string("why");
        read_sources_field(table, routine.source_ids);
        for (auto& step_table : table.tables("step", Need::Required)) {
            RoutineStep step;
            step.exercise_id = step_table.required_string("exercise");
            Location where = step_table.location_of("exercise");
            if (!step.exercise_id.empty())
                m_references.push_back({ RefKind::Exercise, step.exercise_id, where, table.what() });
            auto seconds = step_table.duration("seconds_per_side", Need::Optional, max_seconds);
            auto repetitions = step_table.integer("repetitions", Need::Optional, 1, 50);
            step.per_side = Seconds(seconds.value_or(0));
            step.repetitions = static_cast<int>(repetitions.value_or(0));
            m_steps.push_back({ routine.id, step, step_table.location(), step_table.what(), seconds.has_value(), repetitions.has_value() });
            step_table.finish();
            routine.steps.push_back(std::move(step));
        }
        for (auto& extra_table : table.tables("extra", Need::Optional)) {
            RoutineExtra extra;
            extra.exercise_id = extra_table.required_string("exercise");
            Location where = extra_table.location_of("exercise");
            if (!extra.exercise_id.empty()) {
                m_references.push_back({ RefKind::Exercise, extra.exercise_id, where, table.what() });
                m_extras.push_back({ extra.exercise_id, where, extra_table.what() });
            }
            for (auto const& focus : extra_table.located_string_array("focus", Need::Optional)) {
                if (std::find(focus_words.begin(), focus_words.end(), focus.text) == focus_words.end()) {
                    std::vector<std::string> allowed(focus_words.begin(), focus_words.end());
                    std::string fix = fmt::format("use one of: {}", fmt::join(allowed, ", "));
                    if (auto near = closest_match(focus.text, allowed))
                        fix = fmt::format("did you mean '{}'? ({})", *near, fix);
                    m_diagnostics.add(focus.where, fmt::format("{}: unknown focus '{}'", extra_table.what(), focus.text), fix);
                }
                extra.focus.push_back(focus.text);
            }
            extra.why = extra_table.required_string("why");
            read_sources_field(extra_table, extra.source_ids);
            extra_table.finish();
            routine.extras.push_back(std::move(extra));
        }
        table.finish();
        m_kb.routines.push_back(std::move(routine));
    }

    // A file that is missing or has a syntax error defines nothing; its own error explains why.
    bool parsed(std::string_view name) const
    {
        auto it = m_parsed.find(name);
        return it != m_parsed.end() && it->second;
    }

    void check_no_go_targets()
    {
        for (auto const& target : m_targets) {
            Zone const* zone = m_kb.find_zone(target.id);
            if (!zone || zone->status != ZoneStatus::NoGo || m_zones_without_status.contains(target.id))
                continue;
            m_diagnostics.add(target.where,
                fmt::format("{} targets zone '{}', which is no-go: rollcoach never rolls it", target.owner, target.id),
                "remove it from target_zones; if a therapist decided otherwise, change the zone's status in zones.toml");
        }
    }

    void check_routines()
    {
        for (auto const& extra : m_extras) {
            Exercise const* exercise = m_kb.find_exercise(extra.exercise_id);
            if (exercise && exercise->kind != ExerciseKind::Rolling)
                m_diagnostics.add(extra.where, fmt::format("{}: extra exercise '{}' is a finisher; extras are rolling exercises", extra.what, exercise->id),
                    "name a rolling exercise, or add the finisher as a step");
        }
        for (auto const& step : m_steps) {
            Exercise const* exercise = m_kb.find_exercise(step.step.exercise_id);
            if (!exercise)
                continue;
            if (exercise->kind == ExerciseKind::Rolling) {
                if (!step.has_seconds) {
                    m_diagnostics.add(step.where, fmt::format("{}: missing required field 'seconds_per_side' for rolling exercise '{}'", step.what, exercise->id),
                        "add seconds_per_side = 60");
                } else if (step.step.per_side > exercise->dose.max_per_side || step.step.per_side.count() < 1) {
                    m_diagnostics.add(step.where,
                        fmt::format("{}: seconds_per_side ({} s) is outside 1 to exercise '{}''s max_seconds_per_side ({} s)", step.what,
                            step.step.per_side.count(), exercise->id, exercise->dose.max_per_side.count()),
                        "use a value within the exercise's dose");
                }
            } else if (!step.has_repetitions) {
                m_diagnostics.add(step.where, fmt::format("{}: missing required field 'repetitions' for finisher '{}'", step.what, exercise->id),
                    "add repetitions = 5");
            }
        }
    }

    struct PendingExtra {
        std::string exercise_id;
        Location where;
        std::string what;
    };

    struct PendingStep {
        std::string routine_id;
        RoutineStep step;
        Location where;
        std::string what;
        bool has_seconds;
        bool has_repetitions;
    };

    fs::path m_dir;
    ReadFile m_read;
    Diagnostics& m_diagnostics;
    KnowledgeBase m_kb;
    std::vector<Reference> m_references;
    std::vector<Reference> m_targets;
    std::vector<PendingStep> m_steps;
    std::vector<PendingExtra> m_extras;
    std::map<std::string, IdRecord, std::less<>> m_ids;
    std::map<std::string, bool, std::less<>> m_parsed;
    std::set<std::string, std::less<>> m_zones_without_status;
};

std::optional<std::string> read_text(fs::path const& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Result<KnowledgeBase> finish(KnowledgeBase kb, Diagnostics const& diagnostics, std::string_view where)
{
    if (!diagnostics.empty())
        return diagnostics.to_error(fmt::format("the knowledge base in {} is invalid", where));
    return kb;
}

}

Result<KnowledgeBase> load_knowledge_base(std::filesystem::path const& dir)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return Error::not_found(fmt::format("knowledge-base directory '{}' does not exist (fix: pass an existing directory with --kb, "
                                            "or leave --kb out to use the shipped one)",
            dir.string()));
    }
    Diagnostics diagnostics;
    try {
        KnowledgeLoader loader(dir, [&dir](std::string_view name) { return read_text(dir / name); }, diagnostics);
        return finish(loader.load_directory(), diagnostics, dir.string());
    } catch (std::exception const& e) {
        // toml++ and the standard library may throw on resource exhaustion; never crash on data.
        return Error::internal(fmt::format("could not load the knowledge base in {}: {}", dir.string(), e.what()));
    }
}

Result<KnowledgeBase> load_knowledge_texts(KnowledgeTexts const& texts)
{
    Diagnostics diagnostics;
    try {
        KnowledgeLoader loader("", [&texts](std::string_view name) -> std::optional<std::string> {
            auto it = texts.find(name);
            if (it == texts.end())
                return std::nullopt;
            return it->second;
        }, diagnostics);
        return finish(loader.load_core(), diagnostics, "memory");
    } catch (std::exception const& e) {
        return Error::internal(fmt::format("could not load the knowledge base: {}", e.what()));
    }
}

}
