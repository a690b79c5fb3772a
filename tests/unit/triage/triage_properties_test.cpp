// Invariants of the triage engine over the shipped rules, checked on random answer sets.
#include "test_kb.h"
#include "triage/triage_engine.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

namespace {

using namespace rc;
using rc::triage::testing::shipped_kb;

triage::Answer gen_value(kb::Question const& question)
{
    switch (question.type) {
    case kb::AnswerType::YesNo:
        return std::string(*gen::element("yes", "no"));
    case kb::AnswerType::Choice: {
        std::vector<std::string> ids;
        for (auto const& choice : question.choices)
            ids.push_back(choice.id);
        return *gen::elementOf(ids);
    }
    case kb::AnswerType::Number:
        return static_cast<double>(*gen::inRange(static_cast<int>(*question.min), static_cast<int>(*question.max) + 1));
    }
    return triage::Unknown {};
}

// Every question answered.
triage::Answers gen_complete(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire)
{
    triage::Answers answers;
    for (auto const* question : kb.screening.questions_of(questionnaire))
        answers[question->id] = gen_value(*question);
    return answers;
}

// Some questions answered, some "unknown", some left out.
triage::Answers gen_partial(kb::KnowledgeBase const& kb, kb::Questionnaire questionnaire)
{
    triage::Answers answers;
    for (auto const* question : kb.screening.questions_of(questionnaire)) {
        int what = *gen::inRange(0, 4);
        if (what == 0)
            answers[question->id] = triage::Unknown {};
        else if (what == 1)
            continue;
        else
            answers[question->id] = gen_value(*question);
    }
    return answers;
}

kb::Tier tier_of(kb::Questionnaire questionnaire, triage::Answers const& answers)
{
    auto verdict = triage::evaluate(shipped_kb(), questionnaire, answers);
    RC_ASSERT(verdict.has_value());
    return verdict->tier;
}

std::vector<std::string> yes_no_questions()
{
    std::vector<std::string> ids;
    for (auto const* question : shipped_kb().screening.questions_of(kb::Questionnaire::Screening))
        if (question->type == kb::AnswerType::YesNo)
            ids.push_back(question->id);
    return ids;
}

RC_GTEST_PROP(TriageProperties, AnsweringYesToAWarningSignNeverLowersTheTier, ())
{
    auto answers = gen_complete(shipped_kb(), kb::Questionnaire::Screening);
    auto id = *gen::elementOf(yes_no_questions());
    answers[id] = std::string("no");
    auto before = tier_of(kb::Questionnaire::Screening, answers);
    answers[id] = std::string("yes");
    RC_ASSERT(tier_of(kb::Questionnaire::Screening, answers) >= before);
}

RC_GTEST_PROP(TriageProperties, TakingBackAWarningSignNeverRaisesTheTier, ())
{
    auto answers = gen_complete(shipped_kb(), kb::Questionnaire::Screening);
    auto id = *gen::elementOf(yes_no_questions());
    answers[id] = std::string("yes");
    auto before = tier_of(kb::Questionnaire::Screening, answers);
    answers[id] = std::string("no");
    RC_ASSERT(tier_of(kb::Questionnaire::Screening, answers) <= before);
}

RC_GTEST_PROP(TriageProperties, EveryRuleFiresWhenItsConditionsAreMet, ())
{
    auto const& kb = shipped_kb();
    auto const& rule = *gen::elementOf(kb.screening.rules);
    auto answers = gen_complete(kb, rule.questionnaire);
    for (auto const& condition : rule.when) {
        switch (condition.op) {
        case kb::Condition::Op::Is:
        case kb::Condition::Op::OneOf:
            answers[condition.question_id] = *gen::elementOf(condition.values);
            break;
        case kb::Condition::Op::AtLeast:
        case kb::Condition::Op::AtMost:
            answers[condition.question_id] = condition.number;
            break;
        case kb::Condition::Op::Above:
            answers[condition.question_id] = condition.number + 1;
            break;
        case kb::Condition::Op::Below:
            answers[condition.question_id] = condition.number - 1;
            break;
        case kb::Condition::Op::IsNot: {
            auto const* question = kb.screening.find_question(condition.question_id);
            RC_PRE(question != nullptr);
            std::vector<std::string> others;
            for (auto const& value : question->type == kb::AnswerType::YesNo ? std::vector<std::string> { "yes", "no" } : std::vector<std::string> {})
                if (value != condition.values.front())
                    others.push_back(value);
            for (auto const& choice : question->choices)
                if (choice.id != condition.values.front())
                    others.push_back(choice.id);
            answers[condition.question_id] = *gen::elementOf(others);
            break;
        }
        }
    }
    auto verdict = triage::evaluate(kb, rule.questionnaire, answers);
    RC_ASSERT(verdict.has_value());
    auto fired = std::any_of(verdict->reasons.begin(), verdict->reasons.end(), [&](auto const& r) { return r.rule_id == rule.id; });
    RC_ASSERT(fired);
    RC_ASSERT(verdict->tier >= rule.tier);
}

RC_GTEST_PROP(TriageProperties, EveryReasonCitesSourcesThatExist, ())
{
    auto const& kb = shipped_kb();
    auto questionnaire = *gen::element(kb::Questionnaire::Screening, kb::Questionnaire::Checkin);
    auto verdict = triage::evaluate(kb, questionnaire, gen_partial(kb, questionnaire));
    RC_ASSERT(verdict.has_value());
    for (auto const& reason : verdict->reasons) {
        RC_ASSERT(!reason.source_ids.empty());
        for (auto const& id : reason.source_ids)
            RC_ASSERT(kb.find_source(id) != nullptr);
    }
}

RC_GTEST_PROP(TriageProperties, AProceedVerdictCannotBeRaisedByAnsweringWhatWasLeftOpen, ())
{
    auto const& kb = shipped_kb();
    auto questionnaire = *gen::element(kb::Questionnaire::Screening, kb::Questionnaire::Checkin);
    auto answers = gen_partial(kb, questionnaire);
    auto verdict = triage::evaluate(kb, questionnaire, answers);
    RC_ASSERT(verdict.has_value());
    if (verdict->tier != kb::Tier::Proceed) {
        if (!verdict->missing_answers.empty())
            RC_ASSERT(kb::is_stop_tier(verdict->tier));
        return;
    }
    RC_ASSERT(verdict->missing_answers.empty());
    auto filled = answers;
    for (auto const* question : kb.screening.questions_of(questionnaire)) {
        auto found = filled.find(question->id);
        if (found == filled.end() || std::holds_alternative<triage::Unknown>(found->second))
            filled[question->id] = gen_value(*question);
    }
    RC_ASSERT(tier_of(questionnaire, filled) == kb::Tier::Proceed);
}

RC_GTEST_PROP(TriageProperties, TheTierIsTheHighestReasonTierAndStopsWhenIncomplete, ())
{
    auto const& kb = shipped_kb();
    auto questionnaire = *gen::element(kb::Questionnaire::Screening, kb::Questionnaire::Checkin);
    auto verdict = triage::evaluate(kb, questionnaire, gen_partial(kb, questionnaire));
    RC_ASSERT(verdict.has_value());
    auto highest = kb::Tier::Proceed;
    for (auto const& reason : verdict->reasons)
        highest = std::max(highest, reason.tier);
    if (verdict->missing_answers.empty())
        RC_ASSERT(verdict->tier == highest);
    else
        RC_ASSERT(verdict->tier == std::max(highest, kb::Tier::ClinicianBeforeRolling));
}

}
