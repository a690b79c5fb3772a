// The screening questionnaire, the next-day check-in and the rules that turn answers and
// in-session events into tiers. Loaded from data/knowledge/screening/*.toml; evaluated by
// src/triage. Adding a rule is adding TOML, not code.
#pragma once

#include "knowledge/safety.h"

#include <optional>
#include <string>
#include <vector>

namespace rc::kb {

enum class AnswerType { YesNo, Choice, Number };
char const* to_string(AnswerType type);

struct Choice {
    std::string id;
    std::string label;
};

enum class Questionnaire { Screening, Checkin };

struct Question {
    std::string id;              // stable: "saddle_numbness"
    Questionnaire questionnaire { Questionnaire::Screening };
    std::string text;            // plain wording, reading age about 12
    std::string help;            // why we ask
    AnswerType type { AnswerType::YesNo };
    std::vector<Choice> choices; // for Choice
    std::optional<double> min;   // for Number
    std::optional<double> max;
    std::optional<std::string> unit;
};

// One test on one answer. A rule fires when all of its conditions hold.
struct Condition {
    enum class Op { Is, IsNot, OneOf, AtLeast, AtMost, Below, Above };
    std::string question_id;
    Op op { Op::Is };
    std::vector<std::string> values;   // for Is / IsNot / OneOf: "yes", "no", or choice ids
    double number { 0.0 };             // for AtLeast / AtMost / Below / Above
};

struct TriageRule {
    std::string id;
    Questionnaire questionnaire { Questionnaire::Screening };
    std::vector<Condition> when;       // all must hold
    Tier tier { Tier::Proceed };
    std::string message;
    std::string what_to_do;
    PlanChanges changes;
    std::vector<std::string> source_ids;
};

struct InSessionRule {
    std::string id;
    SafetyEvent event { SafetyEvent::FeelsWrong };
    SafetyAction action { SafetyAction::Stop };
    Tier tier { Tier::Proceed };
    std::string message;
    std::string what_to_do;
    std::vector<std::string> source_ids;
};

struct Screening {
    std::vector<Question> questions;
    std::vector<TriageRule> rules;
    std::vector<InSessionRule> in_session;

    Question const* find_question(std::string_view id) const;
};

}
