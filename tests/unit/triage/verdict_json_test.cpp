#include "test_kb.h"
#include "knowledge/in_session_responder.h"
#include "triage/triage_engine.h"
#include "triage/verdict_json.h"

#include <gtest/gtest.h>

namespace {

using namespace rc;
using rc::triage::testing::shipped_kb;

kb::Verdict sample()
{
    kb::Verdict verdict;
    verdict.tier = kb::Tier::ProceedWithChanges;
    verdict.reasons.push_back({ "blood_thinners", kb::Tier::ProceedWithChanges, "m", "w", { "nccih_massage" } });
    verdict.changes.soft_roller_only = true;
    verdict.changes.max_session_length = std::chrono::seconds(180);
    verdict.changes.excluded_zones = { "hip_flexors" };
    return verdict;
}

TEST(VerdictJson, AVerdictRoundTripsThroughItsStableShape)
{
    nlohmann::json json = sample();
    EXPECT_EQ(json.at("tier"), "proceed_with_changes");
    EXPECT_EQ(json.at("stop"), false);
    EXPECT_EQ(json.at("complete"), true);
    EXPECT_EQ(json.at("changes").at("max_session_seconds"), 180);
    EXPECT_EQ(json.at("reasons").at(0).at("source_ids").at(0), "nccih_massage");
    auto back = json.get<kb::Verdict>();
    EXPECT_EQ(back.tier, sample().tier);
    EXPECT_EQ(back.reasons, sample().reasons);
    EXPECT_EQ(back.changes, sample().changes);
    EXPECT_EQ(back.missing_answers, sample().missing_answers);
}

TEST(VerdictJson, AnUnknownTierIsRefusedWhenReading)
{
    nlohmann::json json = sample();
    json["tier"] = "maybe";
    EXPECT_THROW(json.get<kb::Verdict>(), nlohmann::json::exception);
}

TEST(VerdictJson, TheDisplayFormAddsCitationsHeadlineAndMissingQuestions)
{
    auto verdict = sample();
    verdict.missing_answers = { "age" };
    auto json = triage::verdict_to_json(shipped_kb(), kb::Questionnaire::Screening, verdict);
    EXPECT_EQ(json.at("questionnaire"), "screening");
    EXPECT_FALSE(json.at("headline").get<std::string>().empty());
    EXPECT_NE(json.at("reasons").at(0).at("sources").at(0).at("citation").get<std::string>().find("NCCIH"), std::string::npos);
    EXPECT_EQ(json.at("missing").at(0).at("text"), "How old are you?");
    EXPECT_EQ(json.at("complete"), false);
}

TEST(VerdictJson, TheQuestionnaireListsEveryQuestionWithItsType)
{
    auto json = triage::questionnaire_to_json(shipped_kb(), kb::Questionnaire::Checkin);
    auto const& questions = json.at("questions");
    EXPECT_EQ(questions.size(), shipped_kb().screening.questions_of(kb::Questionnaire::Checkin).size());
    bool saw_choice = false;
    for (auto const& question : questions)
        if (question.at("type") == "choice")
            saw_choice = !question.at("choices").empty();
    EXPECT_TRUE(saw_choice);
}

TEST(VerdictJson, AResponseNamesItsAction)
{
    auto json = triage::response_to_json(shipped_kb(), kb::respond_in_session(shipped_kb(), kb::SafetyEvent::PainHigh, 8));
    EXPECT_EQ(json.at("action"), "back_off");
    EXPECT_EQ(json.at("reason").at("rule_id"), "back_off_high_pain");
}

}
