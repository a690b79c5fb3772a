// The screening questionnaire, the next-day check-in and the rules that turn answers and
// in-session events into tiers. Loaded from data/knowledge/screening/*.toml by
// load_screening() (knowledge/screening_loader.h); evaluated by src/triage. Adding a rule is
// adding TOML, not code.
//
// A TriageRule fires when every one of its conditions holds for the given answers:
//   { question = "new_back_pain", is = "yes" } and { question = "age", at_least = 50 }
// The verdict's tier is the highest tier among the rules that fire.
#pragma once

#include "knowledge/safety.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rc::kb {

enum class AnswerType { YesNo, Choice, Number };
char const* to_string(AnswerType type);   // "yes_no", "choice", "number"

struct Choice {
    std::string id;
    std::string label;
};

enum class Questionnaire { Screening, Checkin };
char const* to_string(Questionnaire questionnaire);   // "screening", "checkin"

// Where an entry was defined, so that checks made after parsing can point at it.
struct DataOrigin {
    std::string file;            // path of the TOML file
    std::uint32_t line { 0 };
    std::uint32_t column { 0 };
};

// A fact the coach fills in from the journal instead of asking (TOML from_journal): the user
// should not have to work out what rollcoach already knows.
enum class JournalFact { None, HoursSinceLastSession };
char const* to_string(JournalFact fact);   // "none", "hours_since_last_session"

// When a question is asked (TOML asked): always, or only when no session is recent (the
// check-in then asks about the soreness itself; with a recent session the coach knows it).
enum class AskWhen { Always, WithoutRecentSession };
char const* to_string(AskWhen when);       // "always", "without_recent_session"

// A question left out once an earlier answer makes it moot (TOML not_asked_when): after "Nothing:
// I feel fine", "where do you feel it most?" has no answer. It then counts as answered
// `counts_as` (a choice id, "yes"/"no", or a number), so the verdict stays complete.
struct NotAskedWhen {
    std::string question_id;   // an earlier question of the same questionnaire
    std::string is;            // that question's answer: "yes"/"no" or a choice id
    std::variant<std::string, double> counts_as;
};

struct Question {
    std::string id;              // stable: "saddle_numbness"; unique across both questionnaires
    Questionnaire questionnaire { Questionnaire::Screening };
    std::string text;            // plain wording, reading age about 12
    std::string help;            // why we ask
    AnswerType type { AnswerType::YesNo };
    std::vector<Choice> choices; // for Choice
    std::optional<double> min;   // for Number (both set for Number questions)
    std::optional<double> max;
    std::optional<std::string> unit;
    JournalFact from_journal { JournalFact::None };   // not asked: the coach fills it in
    AskWhen asked { AskWhen::Always };
    std::optional<NotAskedWhen> not_asked_when;
    DataOrigin origin;

    Choice const* find_choice(std::string_view id) const;
};

// One test on one answer. A rule fires when all of its conditions hold.
struct Condition {
    enum class Op { Is, IsNot, OneOf, AtLeast, AtMost, Below, Above };
    std::string question_id;
    Op op { Op::Is };
    std::vector<std::string> values;   // for Is / IsNot / OneOf: "yes", "no", or choice ids
    double number { 0.0 };             // for AtLeast / AtMost / Below / Above
};
// "is", "is_not", "one_of", "at_least", "at_most", "below", "above" (the TOML keys).
char const* to_string(Condition::Op op);

struct TriageRule {
    std::string id;
    Questionnaire questionnaire { Questionnaire::Screening };
    std::vector<Condition> when;       // all must hold
    Tier tier { Tier::Proceed };
    std::string message;
    std::string what_to_do;
    PlanChanges changes;
    std::vector<std::string> source_ids;
    DataOrigin origin;
};

struct InSessionRule {
    std::string id;
    SafetyEvent event { SafetyEvent::FeelsWrong };
    SafetyAction action { SafetyAction::Stop };
    Tier tier { Tier::Proceed };
    std::string message;
    std::string what_to_do;
    // For a stop of a stop tier (it blocks the sessions after it): what the next plan's refusal
    // says to do before rolling again. Empty for every other rule.
    std::string afterwards;
    std::vector<std::string> source_ids;
    DataOrigin origin;
};

struct Screening {
    std::vector<Question> questions;     // both questionnaires, in the order they are asked
    std::vector<TriageRule> rules;       // both questionnaires
    std::vector<InSessionRule> in_session;

    Question const* find_question(std::string_view id) const;
    InSessionRule const* find_in_session(SafetyEvent event) const;
    std::vector<Question const*> questions_of(Questionnaire questionnaire) const;
    std::vector<TriageRule const*> rules_of(Questionnaire questionnaire) const;
};

}
