#include "test_kb.h"
#include "triage/triage_engine.h"

#include <gtest/gtest.h>

namespace {

using namespace rc;
using rc::triage::testing::shipped_kb;

triage::Answers all_clear()
{
    triage::Answers answers;
    for (auto const* question : shipped_kb().screening.questions_of(kb::Questionnaire::Screening))
        answers[question->id] = question->type == kb::AnswerType::Number ? triage::Answer { 35.0 } : triage::Answer { std::string("no") };
    return answers;
}

kb::TriageRule rule(std::string id, std::vector<kb::Condition> when, kb::Tier tier)
{
    kb::TriageRule rule;
    rule.id = std::move(id);
    rule.when = std::move(when);
    rule.tier = tier;
    rule.message = "m";
    rule.what_to_do = "w";
    rule.source_ids = { "s" };
    return rule;
}

// A hand-built screening, independent of the shipped data.
kb::KnowledgeBase tiny_kb()
{
    kb::KnowledgeBase kb;
    kb.sources.push_back({ "s", "Source", "" });
    kb::Question q;
    q.id = "q";
    kb::Question n;
    n.id = "n";
    n.type = kb::AnswerType::Number;
    n.min = 0.0;
    n.max = 10.0;
    kb.screening.questions = { q, n };
    auto soft = rule("soft", { { "q", kb::Condition::Op::Is, { "yes" }, 0 } }, kb::Tier::ProceedWithChanges);
    soft.changes.soft_roller_only = true;
    auto high = rule("high", { { "q", kb::Condition::Op::Is, { "yes" }, 0 }, { "n", kb::Condition::Op::Above, {}, 5 } }, kb::Tier::ClinicianSoon);
    kb.screening.rules = { soft, high };
    return kb;
}

TEST(TriageEngine, AllClearAnswersProceedWithNoReasons)
{
    auto verdict = triage::screen(shipped_kb(), all_clear());
    ASSERT_TRUE(verdict.has_value());
    EXPECT_EQ(verdict->tier, kb::Tier::Proceed);
    EXPECT_TRUE(verdict->reasons.empty());
    EXPECT_TRUE(verdict->missing_answers.empty());
    EXPECT_TRUE(verdict->changes.empty());
    EXPECT_EQ(triage::headline(*verdict), "You're good to roll.");
}

TEST(TriageEngine, ReasonsAreListedMostUrgentFirst)
{
    auto answers = all_clear();
    answers["blood_thinners"] = std::string("yes");
    answers["pregnant"] = std::string("yes");
    answers["chest_pain"] = std::string("yes");
    auto verdict = triage::screen(shipped_kb(), answers);
    ASSERT_TRUE(verdict.has_value());
    ASSERT_EQ(verdict->reasons.size(), 3u);
    EXPECT_EQ(verdict->reasons[0].rule_id, "chest_pain");
    EXPECT_EQ(verdict->reasons[1].rule_id, "pregnant");
    EXPECT_EQ(verdict->reasons[2].rule_id, "blood_thinners");
    EXPECT_EQ(verdict->tier, kb::Tier::Emergency);
    EXPECT_TRUE(verdict->changes.soft_roller_only);
    EXPECT_NE(triage::headline(*verdict).find("emergency services"), std::string_view::npos);
}

TEST(TriageEngine, AnIncompleteQuestionnaireStopsAndSaysWhatIsMissing)
{
    auto answers = all_clear();
    answers["bladder_bowel_changes"] = triage::Unknown {};
    answers.erase("pregnant");
    auto verdict = triage::screen(shipped_kb(), answers);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_EQ(verdict->tier, kb::Tier::ClinicianBeforeRolling);
    EXPECT_EQ(verdict->missing_answers, (std::vector<std::string> { "bladder_bowel_changes", "pregnant" }));
    EXPECT_EQ(triage::headline(*verdict), "Please answer the remaining questions before rolling.");
    EXPECT_FALSE(triage::is_complete(*verdict));
}

TEST(TriageEngine, AMissingAnswerThatCannotRaiseTheTierIsNotAsked)
{
    auto answers = all_clear();
    answers["saddle_numbness"] = std::string("yes");
    answers.erase("pregnant");
    auto verdict = triage::screen(shipped_kb(), answers);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_EQ(verdict->tier, kb::Tier::Emergency);
    EXPECT_TRUE(verdict->missing_answers.empty());
}

TEST(TriageEngine, AFiredReferralKeepsItsHeadlineWhenHigherAnswersAreMissing)
{
    auto answers = all_clear();
    answers["pregnant"] = std::string("yes");
    answers.erase("chest_pain");
    auto verdict = triage::screen(shipped_kb(), answers);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_EQ(verdict->tier, kb::Tier::ClinicianBeforeRolling);
    EXPECT_EQ(verdict->missing_answers, std::vector<std::string> { "chest_pain" });
    EXPECT_EQ(triage::headline(*verdict), "Please don't roll yet: get checked by a clinician first.");
}

TEST(TriageEngine, InvalidAnswersAreAnErrorNotAVerdict)
{
    auto answers = all_clear();
    answers["age"] = std::string("old");
    auto verdict = triage::screen(shipped_kb(), answers);
    ASSERT_FALSE(verdict.has_value());
    EXPECT_EQ(verdict.error().code, ErrorCode::InvalidData);
}

TEST(TriageEngine, CheckinAnswersAreRefusedByTheScreening)
{
    auto verdict = triage::screen(shipped_kb(), { { "checkin_kind", std::string("sharp") } });
    ASSERT_FALSE(verdict.has_value());
    EXPECT_NE(verdict.error().message.find("question of the checkin"), std::string::npos);
}

TEST(TriageEngine, RulesAreDataAndConditionsCombineWithAnd)
{
    auto kb = tiny_kb();
    auto only_q = triage::evaluate(kb, kb::Questionnaire::Screening, { { "q", std::string("yes") }, { "n", 5.0 } });
    ASSERT_TRUE(only_q.has_value());
    EXPECT_EQ(only_q->tier, kb::Tier::ProceedWithChanges);
    auto both = triage::evaluate(kb, kb::Questionnaire::Screening, { { "q", std::string("yes") }, { "n", 6.0 } });
    ASSERT_TRUE(both.has_value());
    EXPECT_EQ(both->tier, kb::Tier::ClinicianSoon);
    EXPECT_TRUE(both->changes.soft_roller_only);
    auto unknown_n = triage::evaluate(kb, kb::Questionnaire::Screening, { { "q", std::string("yes") }, { "n", triage::Unknown {} } });
    ASSERT_TRUE(unknown_n.has_value());
    EXPECT_EQ(unknown_n->tier, kb::Tier::ClinicianBeforeRolling);
    EXPECT_EQ(unknown_n->missing_answers, std::vector<std::string> { "n" });
    auto q_no = triage::evaluate(kb, kb::Questionnaire::Screening, { { "q", std::string("no") } });
    ASSERT_TRUE(q_no.has_value());
    EXPECT_EQ(q_no->tier, kb::Tier::Proceed);
    EXPECT_TRUE(q_no->missing_answers.empty());
}

TEST(TriageEngine, NormalSorenessTheNextDayGetsReassuranceAndALighterSession)
{
    auto verdict = triage::check_in(shipped_kb(), { { "checkin_emergency_signs", std::string("no") }, { "checkin_kind", std::string("dull_ache") },
        { "checkin_location", std::string("upper_back") }, { "checkin_intensity", 3.0 }, { "checkin_hours", 30.0 },
        { "checkin_trend", std::string("better") }, { "checkin_swelling", std::string("no") } });
    ASSERT_TRUE(verdict.has_value());
    EXPECT_EQ(verdict->tier, kb::Tier::ProceedWithChanges);
    ASSERT_EQ(verdict->reasons.size(), 1u);
    EXPECT_NE(verdict->reasons[0].message.find("normal"), std::string::npos);
    EXPECT_TRUE(verdict->changes.gentle_pressure_only);
    ASSERT_TRUE(verdict->changes.max_session_length.has_value());
    EXPECT_LT(*verdict->changes.max_session_length, shipped_kb().thresholds.default_session);
}

TEST(TriageEngine, EveryMessageAndInstructionIsWrittenOut)
{
    for (auto const& rule : shipped_kb().screening.rules) {
        EXPECT_GT(rule.message.size(), 20u) << rule.id;
        EXPECT_GT(rule.what_to_do.size(), 20u) << rule.id;
        if (rule.tier == kb::Tier::Emergency) {
            EXPECT_TRUE(rule.what_to_do.find("emergency services") != std::string::npos || rule.what_to_do.find("A&E") != std::string::npos) << rule.id;
        }
        if (kb::is_stop_tier(rule.tier) && rule.tier != kb::Tier::ClinicianBeforeRolling) {
            EXPECT_NE(rule.what_to_do.find("Do not roll"), std::string::npos) << rule.id;
        }
    }
}

}
