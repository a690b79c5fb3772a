#include "knowledge/screening_loader.h"

#include <algorithm>
#include <array>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <map>
#include <set>
#include <utility>

namespace rc::kb {

namespace {

constexpr std::array<std::pair<std::string_view, AnswerType>, 3> answer_types { {
    { "yes_no", AnswerType::YesNo },
    { "choice", AnswerType::Choice },
    { "number", AnswerType::Number },
} };

constexpr std::array<std::pair<std::string_view, JournalFact>, 1> journal_facts { {
    { "hours_since_last_session", JournalFact::HoursSinceLastSession },
} };

constexpr std::array<std::pair<std::string_view, AskWhen>, 2> ask_whens { {
    { "always", AskWhen::Always },
    { "without_recent_session", AskWhen::WithoutRecentSession },
} };

constexpr std::array<std::pair<std::string_view, Tier>, 6> tiers { {
    { "proceed", Tier::Proceed },
    { "proceed_with_changes", Tier::ProceedWithChanges },
    { "clinician_before_rolling", Tier::ClinicianBeforeRolling },
    { "clinician_soon", Tier::ClinicianSoon },
    { "clinician_today", Tier::ClinicianToday },
    { "emergency", Tier::Emergency },
} };

constexpr std::array<std::pair<std::string_view, SafetyEvent>, 6> events { {
    { "numbness_one_leg", SafetyEvent::NumbnessOneLeg },
    { "numbness_saddle", SafetyEvent::NumbnessSaddle },
    { "sharp_pain", SafetyEvent::SharpPain },
    { "pain_high", SafetyEvent::PainHigh },
    { "dizziness", SafetyEvent::Dizziness },
    { "feels_wrong", SafetyEvent::FeelsWrong },
} };

constexpr std::array<std::pair<std::string_view, SafetyAction>, 2> actions { {
    { "stop", SafetyAction::Stop },
    { "back_off", SafetyAction::BackOff },
} };

bool is_number_op(Condition::Op op)
{
    return op == Condition::Op::AtLeast || op == Condition::Op::AtMost || op == Condition::Op::Below || op == Condition::Op::Above;
}

// Ids are written by people and read by programs: lowercase words joined by underscores.
bool is_valid_id(std::string_view id)
{
    if (id.empty() || !(id.front() >= 'a' && id.front() <= 'z'))
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

DataOrigin origin_of(TableReader const& reader)
{
    auto where = reader.location();
    return DataOrigin { where.file.string(), where.line, where.column };
}

Location location_of(DataOrigin const& origin)
{
    return Location { origin.file, origin.line, origin.column };
}

std::string read_id(TableReader& reader)
{
    auto id = reader.required_string("id");
    if (!id.empty() && !is_valid_id(id))
        reader.report("id", fmt::format("'{}' is not a valid id", id), "use lowercase letters, digits and underscores, starting with a letter");
    return id;
}

std::vector<Choice> read_choices(TableReader& question)
{
    std::vector<Choice> choices;
    std::set<std::string> seen;
    for (auto& entry : question.tables("choices", Need::Required)) {
        Choice choice;
        choice.id = read_id(entry);
        choice.label = entry.required_string("label");
        if (choice.id == "unknown")
            entry.report("id", "'unknown' is reserved for a missing answer", "choose another id");
        else if (!choice.id.empty() && !seen.insert(choice.id).second)
            entry.report("id", fmt::format("choice '{}' is listed twice", choice.id), "give every choice its own id");
        entry.finish();
        choices.push_back(std::move(choice));
    }
    return choices;
}

void read_questions(toml::table const& document, std::filesystem::path const& file, Questionnaire questionnaire,
    Diagnostics& diagnostics, Screening& out)
{
    TableReader top(document, file, diagnostics, file.filename().string());
    for (auto& reader : top.tables("question", Need::Required)) {
        Question question;
        question.questionnaire = questionnaire;
        question.origin = origin_of(reader);
        question.id = read_id(reader);
        question.text = reader.required_string("text");
        question.help = reader.required_string("help");
        question.type = reader.choice<AnswerType>("type", answer_types, Need::Required).value_or(AnswerType::YesNo);
        if (question.type == AnswerType::Choice) {
            question.choices = read_choices(reader);
            if (question.choices.size() == 1)
                reader.report("choices", "has only one choice", "offer at least two, or make it a yes_no question");
        }
        if (question.type == AnswerType::Number) {
            question.min = reader.number("min", Need::Required, -1e9, 1e9);
            question.max = reader.number("max", Need::Required, -1e9, 1e9);
            question.unit = reader.optional_string("unit");
            if (question.min && question.max && *question.min >= *question.max)
                reader.report("max", fmt::format("must be greater than min ({})", *question.min), "set max above min");
        }
        question.from_journal = reader.choice<JournalFact>("from_journal", journal_facts, Need::Optional).value_or(JournalFact::None);
        if (question.from_journal != JournalFact::None && question.type != AnswerType::Number)
            reader.report("from_journal", "fills in a number of hours", "make the question type = \"number\"");
        question.asked = reader.choice<AskWhen>("asked", ask_whens, Need::Optional).value_or(AskWhen::Always);
        if (question.asked != AskWhen::Always && questionnaire != Questionnaire::Checkin)
            reader.report("asked", "depends on the last session, which only the check-in knows", "remove it, or move the question to the check-in");
        if (auto when = reader.table("not_asked_when", Need::Optional)) {
            NotAskedWhen skip;
            skip.question_id = when->required_string("question");
            skip.is = when->required_string("is");
            if (question.type == AnswerType::Number)
                skip.counts_as = when->number("counts_as", Need::Required, question.min.value_or(-1e9), question.max.value_or(1e9)).value_or(0.0);
            else
                skip.counts_as = when->required_string("counts_as");
            when->finish();
            if (questionnaire != Questionnaire::Checkin)
                reader.report("not_asked_when", "is only read by the check-in", "remove it, or move the question to the check-in");
            question.not_asked_when = std::move(skip);
        }
        reader.finish();
        out.questions.push_back(std::move(question));
    }
    top.finish();
}

std::optional<Condition> read_condition(TableReader& reader)
{
    Condition condition;
    condition.question_id = reader.required_string("question");
    int tests = 0;
    auto note = [&](Condition::Op op) { condition.op = op; ++tests; };
    if (auto value = reader.optional_string("is")) {
        note(Condition::Op::Is);
        condition.values = { *value };
    }
    if (auto value = reader.optional_string("is_not")) {
        note(Condition::Op::IsNot);
        condition.values = { *value };
    }
    if (auto values = reader.string_array("one_of", Need::Optional); !values.empty()) {
        note(Condition::Op::OneOf);
        condition.values = std::move(values);
    }
    for (auto op : { Condition::Op::AtLeast, Condition::Op::AtMost, Condition::Op::Below, Condition::Op::Above }) {
        if (auto number = reader.number(to_string(op), Need::Optional, -1e9, 1e9)) {
            note(op);
            condition.number = *number;
        }
    }
    reader.finish();
    if (tests != 1) {
        reader.report("question", tests == 0 ? "has no test" : "has more than one test",
            "give exactly one of: is = \"...\", is_not = \"...\", one_of = [...], at_least, at_most, below, above = <number>");
        return std::nullopt;
    }
    return condition;
}

PlanChanges read_changes(TableReader& rule)
{
    PlanChanges changes;
    auto reader = rule.table("changes", Need::Optional);
    if (!reader)
        return changes;
    changes.excluded_zones = reader->string_array("exclude_zones", Need::Optional);
    changes.soft_roller_only = reader->bool_or("soft_roller_only", false);
    changes.gentle_pressure_only = reader->bool_or("gentle_pressure_only", false);
    if (auto seconds = reader->integer("max_session_seconds", Need::Optional, 30, 3600))
        changes.max_session_length = std::chrono::seconds(*seconds);
    if (changes.empty())
        reader->report("changes", "asks for no change", "remove the [changes] table, or set one of its fields");
    reader->finish();
    return changes;
}

void read_common(TableReader& reader, std::string& message, std::string& what_to_do, std::vector<std::string>& sources)
{
    message = reader.required_string("message");
    what_to_do = reader.required_string("what_to_do");
    sources = reader.string_array("sources", Need::Required);
}

void read_rules(toml::table const& document, std::filesystem::path const& file, Questionnaire questionnaire,
    Diagnostics& diagnostics, Screening& out)
{
    TableReader top(document, file, diagnostics, file.filename().string());
    for (auto& reader : top.tables("rule", Need::Required)) {
        TriageRule rule;
        rule.questionnaire = questionnaire;
        rule.origin = origin_of(reader);
        rule.id = read_id(reader);
        rule.tier = reader.choice<Tier>("tier", tiers, Need::Required).value_or(Tier::Emergency);
        if (rule.tier == Tier::Proceed)
            reader.report("tier", "is 'proceed', so the rule could never change a verdict", "use a higher tier, or remove the rule");
        for (auto& condition : reader.tables("when", Need::Required))
            if (auto parsed = read_condition(condition))
                rule.when.push_back(std::move(*parsed));
        read_common(reader, rule.message, rule.what_to_do, rule.source_ids);
        rule.changes = read_changes(reader);
        reader.finish();
        out.rules.push_back(std::move(rule));
    }
    top.finish();
}

void read_in_session(toml::table const& document, std::filesystem::path const& file, Diagnostics& diagnostics, Screening& out)
{
    TableReader top(document, file, diagnostics, file.filename().string());
    for (auto& reader : top.tables("rule", Need::Required)) {
        InSessionRule rule;
        rule.origin = origin_of(reader);
        rule.id = read_id(reader);
        rule.event = reader.choice<SafetyEvent>("event", events, Need::Required).value_or(SafetyEvent::FeelsWrong);
        rule.action = reader.choice<SafetyAction>("action", actions, Need::Required).value_or(SafetyAction::Stop);
        rule.tier = reader.choice<Tier>("tier", tiers, Need::Required).value_or(Tier::Emergency);
        read_common(reader, rule.message, rule.what_to_do, rule.source_ids);
        if (rule.action == SafetyAction::BackOff && is_stop_tier(rule.tier))
            reader.report("action", fmt::format("is back_off but the tier '{}' stops rolling", to_string(rule.tier)),
                "use action = \"stop\", or a tier below clinician_before_rolling");
        // What the refusal says on the next plan: only a stop of a stop tier blocks the sessions after it.
        bool const blocks = rule.action == SafetyAction::Stop && is_stop_tier(rule.tier);
        if (auto afterwards = reader.optional_string("afterwards")) {
            if (blocks)
                rule.afterwards = std::move(*afterwards);
            else
                reader.report("afterwards", "is set, but this rule does not block the sessions after it (only a stop of tier "
                                            "clinician_before_rolling or above does)", "remove afterwards");
        } else if (blocks) {
            reader.report("afterwards", "is missing: a stop of this tier blocks the next sessions, and the refusal needs its words",
                "add afterwards = \"...\": what to do before rolling again, said days later (not \"get off the roller\")");
        }
        reader.finish();
        out.in_session.push_back(std::move(rule));
    }
    top.finish();
}

// The answer values a condition may compare with: "yes"/"no" or the question's choice ids.
std::vector<std::string> allowed_values(Question const& question)
{
    if (question.type == AnswerType::YesNo)
        return { "yes", "no" };
    std::vector<std::string> ids;
    for (auto const& choice : question.choices)
        ids.push_back(choice.id);
    return ids;
}

void check_condition(TriageRule const& rule, std::size_t index, Condition const& condition, Screening const& screening, Diagnostics& diagnostics)
{
    auto where = location_of(rule.origin);
    auto what = fmt::format("rule '{}': condition {}", rule.id, index + 1);
    auto const* question = screening.find_question(condition.question_id);
    if (!question) {
        std::vector<std::string> ids;
        for (auto const& q : screening.questions)
            ids.push_back(q.id);
        auto near = closest_match(condition.question_id, ids);
        diagnostics.add(where, fmt::format("{} names an unknown question '{}'", what, condition.question_id),
            near ? fmt::format("did you mean '{}'?", *near) : std::string("define the question in the questions file, or fix the id"));
        return;
    }
    if (question->questionnaire != rule.questionnaire) {
        diagnostics.add(where, fmt::format("{} names '{}', a question of the {} questionnaire", what, question->id, to_string(question->questionnaire)),
            fmt::format("a {} rule may only test {} questions", to_string(rule.questionnaire), to_string(rule.questionnaire)));
        return;
    }
    bool numeric = question->type == AnswerType::Number;
    if (is_number_op(condition.op) != numeric) {
        diagnostics.add(where, fmt::format("{} uses '{}' on the {} question '{}'", what, to_string(condition.op), to_string(question->type), question->id),
            numeric ? "compare numbers with at_least, at_most, below or above" : "compare this answer with is, is_not or one_of");
        return;
    }
    if (numeric) {
        if (condition.number < *question->min || condition.number > *question->max)
            diagnostics.add(where, fmt::format("{} compares '{}' with {}, outside its range {} to {}", what, question->id, condition.number, *question->min, *question->max),
                "use a value the answer can take");
        return;
    }
    auto allowed = allowed_values(*question);
    if (condition.values.empty())
        diagnostics.add(where, fmt::format("{} lists no values", what), fmt::format("use one of: {}", fmt::join(allowed, ", ")));
    for (auto const& value : condition.values) {
        if (std::find(allowed.begin(), allowed.end(), value) != allowed.end())
            continue;
        auto near = closest_match(value, allowed);
        diagnostics.add(where, fmt::format("{}: '{}' cannot be answered '{}'", what, question->id, value),
            near ? fmt::format("did you mean '{}'? (use one of: {})", *near, fmt::join(allowed, ", ")) : fmt::format("use one of: {}", fmt::join(allowed, ", ")));
    }
}

// not_asked_when names an earlier question of the same questionnaire, one of its answers, and an
// answer this question can take.
void check_not_asked_when(Question const& question, Screening const& screening, Diagnostics& diagnostics)
{
    auto const& skip = *question.not_asked_when;
    auto where = location_of(question.origin);
    auto what = fmt::format("question '{}': not_asked_when", question.id);
    auto const questions = screening.questions_of(question.questionnaire);
    auto const self = std::find(questions.begin(), questions.end(), &question);
    auto const earlier = std::find_if(questions.begin(), self, [&](auto const* q) { return q->id == skip.question_id; });
    if (earlier == self) {
        diagnostics.add(where, fmt::format("{} names '{}', which is not an earlier {} question", what, skip.question_id, to_string(question.questionnaire)),
            "name a question asked before this one");
        return;
    }
    auto const allowed = allowed_values(**earlier);
    if ((*earlier)->type == AnswerType::Number || std::find(allowed.begin(), allowed.end(), skip.is) == allowed.end())
        diagnostics.add(where, fmt::format("{}: '{}' cannot be answered '{}'", what, skip.question_id, skip.is),
            fmt::format("use one of: {}", fmt::join(allowed, ", ")));
    if (auto const* text = std::get_if<std::string>(&skip.counts_as)) {
        auto const own = allowed_values(question);
        if (std::find(own.begin(), own.end(), *text) == own.end())
            diagnostics.add(where, fmt::format("{}: counts_as '{}' is not an answer to '{}'", what, *text, question.id),
                fmt::format("use one of: {}", fmt::join(own, ", ")));
    }
}

// Checks that need every screening file but nothing else of the knowledge base.
void check_screening(std::filesystem::path const& dir, Screening const& screening, Diagnostics& diagnostics)
{
    std::map<std::string, DataOrigin> question_ids;
    for (auto const& question : screening.questions) {
        if (question.id.empty())
            continue;
        auto [it, inserted] = question_ids.emplace(question.id, question.origin);
        if (!inserted)
            diagnostics.add(location_of(question.origin), fmt::format("question '{}' is defined twice (first at {})", question.id, location_of(it->second).to_string()),
                "give every question its own id (ids are shared by the screening and the check-in)");
    }
    std::map<std::string, DataOrigin> rule_ids;
    auto note_rule_id = [&](std::string const& id, DataOrigin const& origin) {
        if (id.empty())
            return;
        auto [it, inserted] = rule_ids.emplace(id, origin);
        if (!inserted)
            diagnostics.add(location_of(origin), fmt::format("rule '{}' is defined twice (first at {})", id, location_of(it->second).to_string()),
                "give every rule its own id");
    };
    for (auto const& question : screening.questions)
        if (question.not_asked_when)
            check_not_asked_when(question, screening, diagnostics);
    std::set<std::string> used;
    for (auto const& rule : screening.rules) {
        note_rule_id(rule.id, rule.origin);
        for (std::size_t i = 0; i < rule.when.size(); ++i) {
            check_condition(rule, i, rule.when[i], screening, diagnostics);
            used.insert(rule.when[i].question_id);
        }
    }
    for (auto const& rule : screening.in_session)
        note_rule_id(rule.id, rule.origin);
    for (auto const& question : screening.questions)
        if (!question.id.empty() && !used.contains(question.id))
            diagnostics.add(location_of(question.origin), fmt::format("question '{}' is not used by any rule", question.id),
                "add a rule that tests it, or remove the question (every question must be able to change a verdict)");
    for (auto const& [name, event] : events) {
        auto count = std::count_if(screening.in_session.begin(), screening.in_session.end(), [&, event = event](auto const& rule) { return rule.event == event; });
        if (count != 1)
            diagnostics.add(Location { dir / "in_session.toml" }, fmt::format("the event '{}' has {} rules", name, count),
                "give every in-session event exactly one [[rule]]");
    }
}

}

char const* to_string(AnswerType type)
{
    for (auto const& [name, value] : answer_types)
        if (value == type)
            return name.data();
    return "unknown";
}

char const* to_string(JournalFact fact)
{
    for (auto const& [name, value] : journal_facts)
        if (value == fact)
            return name.data();
    return "none";
}

char const* to_string(AskWhen when)
{
    for (auto const& [name, value] : ask_whens)
        if (value == when)
            return name.data();
    return "always";
}

char const* to_string(Questionnaire questionnaire)
{
    return questionnaire == Questionnaire::Screening ? "screening" : "checkin";
}

char const* to_string(Condition::Op op)
{
    switch (op) {
    case Condition::Op::Is: return "is";
    case Condition::Op::IsNot: return "is_not";
    case Condition::Op::OneOf: return "one_of";
    case Condition::Op::AtLeast: return "at_least";
    case Condition::Op::AtMost: return "at_most";
    case Condition::Op::Below: return "below";
    case Condition::Op::Above: return "above";
    }
    return "unknown";
}

Choice const* Question::find_choice(std::string_view choice_id) const
{
    for (auto const& choice : choices)
        if (choice.id == choice_id)
            return &choice;
    return nullptr;
}

Question const* Screening::find_question(std::string_view id) const
{
    for (auto const& question : questions)
        if (question.id == id)
            return &question;
    return nullptr;
}

InSessionRule const* Screening::find_in_session(SafetyEvent event) const
{
    for (auto const& rule : in_session)
        if (rule.event == event)
            return &rule;
    return nullptr;
}

std::vector<Question const*> Screening::questions_of(Questionnaire questionnaire) const
{
    std::vector<Question const*> out;
    for (auto const& question : questions)
        if (question.questionnaire == questionnaire)
            out.push_back(&question);
    return out;
}

std::vector<TriageRule const*> Screening::rules_of(Questionnaire questionnaire) const
{
    std::vector<TriageRule const*> out;
    for (auto const& rule : rules)
        if (rule.questionnaire == questionnaire)
            out.push_back(&rule);
    return out;
}

void load_screening(std::filesystem::path const& dir, Diagnostics& diagnostics, Screening& out)
{
    out = Screening {};
    auto load = [&](char const* name, auto&& read) {
        auto path = dir / name;
        if (auto document = parse_toml_file(path, diagnostics))
            read(*document, path);
    };
    load("questions.toml", [&](auto const& doc, auto const& path) { read_questions(doc, path, Questionnaire::Screening, diagnostics, out); });
    load("checkin_questions.toml", [&](auto const& doc, auto const& path) { read_questions(doc, path, Questionnaire::Checkin, diagnostics, out); });
    load("rules.toml", [&](auto const& doc, auto const& path) { read_rules(doc, path, Questionnaire::Screening, diagnostics, out); });
    load("checkin_rules.toml", [&](auto const& doc, auto const& path) { read_rules(doc, path, Questionnaire::Checkin, diagnostics, out); });
    load("in_session.toml", [&](auto const& doc, auto const& path) { read_in_session(doc, path, diagnostics, out); });
    check_screening(dir, out, diagnostics);
}

void validate_screening(KnowledgeBase const& kb, std::filesystem::path const& dir, Diagnostics& diagnostics)
{
    std::vector<std::string> source_ids;
    for (auto const& source : kb.sources)
        source_ids.push_back(source.id);
    std::vector<std::string> zone_ids;
    for (auto const& zone : kb.zones)
        zone_ids.push_back(zone.id);

    auto check_sources = [&](std::string const& rule_id, DataOrigin const& origin, std::vector<std::string> const& ids) {
        auto where = origin.file.empty() ? Location { dir } : location_of(origin);
        if (ids.empty())
            diagnostics.add(where, fmt::format("rule '{}' has no source", rule_id), "add sources = [\"<source id>\"] naming an entry of sources.toml");
        for (auto const& id : ids) {
            if (kb.find_source(id))
                continue;
            auto near = closest_match(id, source_ids);
            diagnostics.add(where, fmt::format("rule '{}' cites an unknown source '{}'", rule_id, id),
                near ? fmt::format("did you mean '{}'?", *near) : std::string("add the source to sources.toml, or fix the id"));
        }
    };
    for (auto const& rule : kb.screening.rules) {
        check_sources(rule.id, rule.origin, rule.source_ids);
        for (auto const& zone : rule.changes.excluded_zones) {
            if (kb.find_zone(zone))
                continue;
            auto near = closest_match(zone, zone_ids);
            diagnostics.add(location_of(rule.origin), fmt::format("rule '{}' excludes an unknown zone '{}'", rule.id, zone),
                near ? fmt::format("did you mean '{}'?", *near) : std::string("use a zone id from zones.toml"));
        }
    }
    for (auto const& rule : kb.screening.in_session)
        check_sources(rule.id, rule.origin, rule.source_ids);
}

}
