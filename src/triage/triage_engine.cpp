#include "triage/triage_engine.h"

#include <algorithm>
#include <variant>

namespace rc::triage {

namespace {

using kb::Condition;
using kb::Tier;

enum class Truth { False, True, Undecided };

Truth test(Condition const& condition, Answers const& answers)
{
    auto found = answers.find(condition.question_id);
    if (found == answers.end() || std::holds_alternative<Unknown>(found->second))
        return Truth::Undecided;
    auto const& answer = found->second;
    auto as_truth = [](bool value) { return value ? Truth::True : Truth::False; };
    auto contains = [&](std::string const& word) {
        return std::find(condition.values.begin(), condition.values.end(), word) != condition.values.end();
    };
    if (auto const* word = std::get_if<std::string>(&answer)) {
        switch (condition.op) {
        case Condition::Op::Is:
        case Condition::Op::OneOf:
            return as_truth(contains(*word));
        case Condition::Op::IsNot:
            return as_truth(!contains(*word));
        default:
            return Truth::False;   // a word never satisfies a number test (validation prevents it)
        }
    }
    double number = std::get<double>(answer);
    switch (condition.op) {
    case Condition::Op::AtLeast: return as_truth(number >= condition.number);
    case Condition::Op::AtMost: return as_truth(number <= condition.number);
    case Condition::Op::Below: return as_truth(number < condition.number);
    case Condition::Op::Above: return as_truth(number > condition.number);
    default: return Truth::False;
    }
}

struct RuleOutcome {
    kb::TriageRule const* rule;
    Truth truth;
};

Truth test(kb::TriageRule const& rule, Answers const& answers)
{
    Truth result = Truth::True;
    for (auto const& condition : rule.when) {
        auto truth = test(condition, answers);
        if (truth == Truth::False)
            return Truth::False;
        if (truth == Truth::Undecided)
            result = Truth::Undecided;
    }
    return result;
}

kb::Reason reason_of(std::string id, Tier tier, std::string message, std::string what_to_do, std::vector<std::string> sources)
{
    return kb::Reason { std::move(id), tier, std::move(message), std::move(what_to_do), std::move(sources) };
}

}

Result<kb::Verdict> evaluate(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire, Answers const& answers)
{
    TRY(validate_answers(kb, questionnaire, answers));

    std::vector<RuleOutcome> outcomes;
    for (auto const* rule : kb.screening.rules_of(questionnaire))
        outcomes.push_back({ rule, test(*rule, answers) });

    kb::Verdict verdict;
    for (auto const& [rule, truth] : outcomes) {
        if (truth != Truth::True)
            continue;
        verdict.tier = std::max(verdict.tier, rule->tier);
        verdict.reasons.push_back(reason_of(rule->id, rule->tier, rule->message, rule->what_to_do, rule->source_ids));
        verdict.changes.merge(rule->changes);
    }
    std::stable_sort(verdict.reasons.begin(), verdict.reasons.end(), [](auto const& a, auto const& b) { return a.tier > b.tier; });

    std::vector<std::string> undecided;
    for (auto const& [rule, truth] : outcomes) {
        if (truth != Truth::Undecided || rule->tier <= verdict.tier)
            continue;
        for (auto const& condition : rule->when)
            if (test(condition, answers) == Truth::Undecided)
                undecided.push_back(condition.question_id);
    }
    for (auto const* question : kb.screening.questions_of(questionnaire))
        if (std::find(undecided.begin(), undecided.end(), question->id) != undecided.end())
            verdict.missing_answers.push_back(question->id);
    if (!verdict.missing_answers.empty())
        verdict.tier = std::max(verdict.tier, Tier::ClinicianBeforeRolling);
    return verdict;
}

Result<kb::Verdict> screen(kb::KnowledgeBase const& kb, Answers const& answers)
{
    return evaluate(kb, kb::Questionnaire::Screening, answers);
}

Result<kb::Verdict> check_in(kb::KnowledgeBase const& kb, Answers const& answers)
{
    return evaluate(kb, kb::Questionnaire::Checkin, answers);
}

std::string_view headline(kb::Verdict const& verdict)
{
    auto fired = Tier::Proceed;
    for (auto const& reason : verdict.reasons)
        fired = std::max(fired, reason.tier);
    if (!verdict.missing_answers.empty() && fired < Tier::ClinicianBeforeRolling)
        return "Please answer the remaining questions before rolling.";
    switch (verdict.tier) {
    case Tier::Proceed: return "You're good to roll.";
    case Tier::ProceedWithChanges: return "You can roll, with a few changes.";
    case Tier::ClinicianBeforeRolling: return "Please don't roll yet: get checked by a clinician first.";
    case Tier::ClinicianSoon: return "Don't roll for now: see a doctor in the next few days.";
    case Tier::ClinicianToday: return "Don't roll: contact a doctor today.";
    case Tier::Emergency: return "Get help now: call emergency services or go to A&E. Do not roll.";
    }
    return "Please don't roll yet.";
}

bool settles_at_once(kb::Verdict const& verdict)
{
    return std::any_of(verdict.reasons.begin(), verdict.reasons.end(), [](auto const& r) { return r.tier >= Tier::ClinicianToday; });
}

}
