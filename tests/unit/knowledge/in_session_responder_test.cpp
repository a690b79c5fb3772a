// The one in-session safety responder (knowledge/in_session_responder.h), which the session
// machine calls for every safety event and every high pain rating.
#include "knowledge/in_session_responder.h"
#include "test_kb.h"

#include <gtest/gtest.h>

namespace {

using namespace rc;
using rc::triage::testing::shipped_kb;

kb::InSessionRule in_session(std::string id, kb::SafetyEvent event, kb::SafetyAction action, kb::Tier tier)
{
    kb::InSessionRule rule;
    rule.id = std::move(id);
    rule.event = event;
    rule.action = action;
    rule.tier = tier;
    rule.message = "m";
    rule.what_to_do = "w";
    rule.source_ids = { "s" };
    return rule;
}

// A knowledge base with no in-session rules at all.
kb::KnowledgeBase no_rules_kb()
{
    kb::KnowledgeBase kb;
    kb.sources.push_back({ "s", "Source", "" });
    return kb;
}

TEST(InSessionResponder, SaddleNumbnessDuringASessionStopsWithAnEmergency)
{
    auto response = kb::respond_in_session(shipped_kb(), kb::SafetyEvent::NumbnessSaddle);
    EXPECT_EQ(response.action, kb::SafetyAction::Stop);
    EXPECT_EQ(response.reason.tier, kb::Tier::Emergency);
    EXPECT_NE(response.reason.what_to_do.find("A&E"), std::string::npos);
}

TEST(InSessionResponder, HighPainBacksOffWithoutStopping)
{
    auto response = kb::respond_in_session(shipped_kb(), kb::SafetyEvent::PainHigh, 8);
    EXPECT_EQ(response.action, kb::SafetyAction::BackOff);
    EXPECT_EQ(response.reason.rule_id, "back_off_high_pain");
}

TEST(InSessionResponder, APainRatingBelowTheThresholdNeedsNoResponse)
{
    auto const& kb = shipped_kb();
    EXPECT_FALSE(kb::respond_to_pain(kb, kb.thresholds.pain_back_off - 1).has_value());
    auto response = kb::respond_to_pain(kb, kb.thresholds.pain_back_off);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->action, kb::SafetyAction::BackOff);
}

TEST(InSessionResponder, HighPainWithAStopEventStillStops)
{
    auto response = kb::respond_in_session(shipped_kb(), kb::SafetyEvent::FeelsWrong, 9);
    EXPECT_EQ(response.action, kb::SafetyAction::Stop);
    EXPECT_EQ(response.reason.rule_id, "stop_feels_wrong");
}

TEST(InSessionResponder, AStopIsStricterThanABackOffWhateverTheirTiers)
{
    auto kb = no_rules_kb();
    kb.thresholds.pain_back_off = 7;
    kb.screening.in_session = {
        in_session("pain", kb::SafetyEvent::PainHigh, kb::SafetyAction::BackOff, kb::Tier::ClinicianBeforeRolling),
        in_session("dizzy", kb::SafetyEvent::Dizziness, kb::SafetyAction::Stop, kb::Tier::ProceedWithChanges),
        in_session("wrong", kb::SafetyEvent::FeelsWrong, kb::SafetyAction::BackOff, kb::Tier::ProceedWithChanges),
    };
    EXPECT_EQ(kb::respond_in_session(kb, kb::SafetyEvent::Dizziness, 9).reason.rule_id, "dizzy");
    EXPECT_EQ(kb::respond_in_session(kb, kb::SafetyEvent::FeelsWrong, 9).reason.rule_id, "pain");
    EXPECT_EQ(kb::respond_in_session(kb, kb::SafetyEvent::FeelsWrong, 6).reason.rule_id, "wrong");
}

TEST(InSessionResponder, AnEventWithoutARuleStillStops)
{
    auto response = kb::respond_in_session(no_rules_kb(), kb::SafetyEvent::SharpPain);
    EXPECT_EQ(response.action, kb::SafetyAction::Stop);
    EXPECT_EQ(response.reason.rule_id, "no_rule_for_event");
}

}
