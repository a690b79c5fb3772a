#include "common/paths.h"
#include "knowledge/loader.h"
#include "plan/plan.h"
#include "plan/plan_json.h"
#include "test_knowledge.h"

#include <algorithm>
#include <gtest/gtest.h>

using namespace rc;
using namespace rc::plan;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> exercise_ids(Plan const& plan)
{
    std::vector<std::string> ids;
    for (auto const& s : plan.steps)
        ids.push_back(s.exercise_id);
    return ids;
}

PlanStep const* find_step(Plan const& plan, std::string_view id)
{
    for (auto const& s : plan.steps)
        if (s.exercise_id == id)
            return &s;
    return nullptr;
}

Plan plan_for(kb::KnowledgeBase const& kb, Profile const& profile, kb::Verdict const& verdict = {}, History const& history = {})
{
    auto plan = make_plan(kb, profile, verdict, history);
    EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message);
    return plan ? *plan : Plan {};
}

}

TEST(Plan, DefaultProfileGetsTheArticlesRoutineInFiveMinutes)
{
    auto const kb = test::make_test_knowledge();
    auto const plan = plan_for(kb, Profile {});
    EXPECT_EQ(exercise_ids(plan), (std::vector<std::string> { "thoracic_roll", "glute_roll", "cat_cow" }));
    EXPECT_EQ(find_step(plan, "thoracic_roll")->per_side, 60s);
    EXPECT_EQ(find_step(plan, "glute_roll")->per_side, 60s);
    EXPECT_EQ(find_step(plan, "cat_cow")->repetitions, 5);
    EXPECT_LE(plan.total(), 300s);
}

TEST(Plan, FirstTimerGetsSoftFoamAndNeverASpikedOrVeryFirmRoller)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.rollers_owned = { "spiked", "soft_foam", "trigger_point" };
    auto const plan = plan_for(kb, profile);
    for (auto const& s : plan.steps)
        if (s.kind == kb::ExerciseKind::Rolling) {
            EXPECT_EQ(s.tool_id, "soft_foam") << s.exercise_id;
        }
    EXPECT_EQ(plan.pressure, Pressure::Gentle);
}

TEST(Plan, HighSensitivityGetsSoftFoamEvenForARegular)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.experience = Experience::Regular;
    profile.sensitivity = Sensitivity::High;
    auto const plan = plan_for(kb, profile);
    for (auto const& s : plan.steps)
        if (s.kind == kb::ExerciseKind::Rolling) {
            EXPECT_EQ(s.tool_id, "soft_foam");
        }
}

TEST(Plan, RegularWithAStandardRollerUsesItWithModeratePressure)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.experience = Experience::Regular;
    profile.rollers_owned = { "standard", "soft_foam" };
    auto const plan = plan_for(kb, profile);
    EXPECT_EQ(find_step(plan, "thoracic_roll")->tool_id, "standard");
    EXPECT_EQ(plan.pressure, Pressure::Moderate);
}

TEST(Plan, TriggerPointRollerIsNeverTheRollerForAWholeArea)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.experience = Experience::Regular;
    profile.rollers_owned = { "trigger_point" };
    profile.minutes_available = 10min;
    auto const plan = plan_for(kb, profile);
    for (auto const& s : plan.steps)
        EXPECT_NE(s.tool_id, "trigger_point") << s.exercise_id;
    // With no other roller the whole-area steps are left out, and the owner is told what the
    // trigger-point roller is for.
    EXPECT_EQ(find_step(plan, "glute_roll"), nullptr);
    EXPECT_TRUE(std::any_of(plan.left_out.begin(), plan.left_out.end(),
        [](auto const& line) { return line.find("single tender spot") != std::string::npos; }))
        << ::testing::PrintToString(plan.left_out);
}

TEST(Plan, StopTierVerdictIsRefused)
{
    auto const kb = test::make_test_knowledge();
    kb::Verdict verdict;
    verdict.tier = kb::Tier::ClinicianSoon;
    verdict.reasons.push_back({ "night_pain", kb::Tier::ClinicianSoon, "Pain at night needs a check.", "See a GP.", {} });
    auto const plan = make_plan(kb, Profile {}, verdict, History {});
    ASSERT_FALSE(plan.has_value());
    EXPECT_EQ(plan.error().code, ErrorCode::Conflict);
    EXPECT_NE(plan.error().message.find("Pain at night"), std::string::npos);
}

TEST(Plan, PendingWarningSignFromACheckInRefusesThePlan)
{
    auto const kb = test::make_test_knowledge();
    History history;
    history.warning_sign_pending = true;
    history.warning_sign = "tingling in a leg";
    auto const plan = make_plan(kb, Profile {}, kb::Verdict {}, history);
    ASSERT_FALSE(plan.has_value());
    EXPECT_NE(plan.error().message.find("tingling in a leg"), std::string::npos);
}

TEST(Plan, VerdictExcludedZoneIsLeftOutWithAReason)
{
    auto const kb = test::make_test_knowledge();
    kb::Verdict verdict;
    verdict.tier = kb::Tier::ProceedWithChanges;
    verdict.changes.excluded_zones = { "glutes" };
    auto const plan = plan_for(kb, Profile {}, verdict);
    EXPECT_EQ(find_step(plan, "glute_roll"), nullptr);
    ASSERT_FALSE(plan.left_out.empty());
    EXPECT_NE(plan.left_out.front().find("screening"), std::string::npos);
}

TEST(Plan, VerdictChangesMakeItSoftGentleAndShorter)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.experience = Experience::Regular;
    profile.rollers_owned = { "standard" };
    kb::Verdict verdict;
    verdict.tier = kb::Tier::ProceedWithChanges;
    verdict.changes.soft_roller_only = true;
    verdict.changes.gentle_pressure_only = true;
    verdict.changes.max_session_length = 200s;
    auto const plan = plan_for(kb, profile, verdict);
    EXPECT_LE(plan.total(), 200s);
    EXPECT_EQ(plan.pressure, Pressure::Gentle);
    for (auto const& s : plan.steps)
        if (s.kind == kb::ExerciseKind::Rolling) {
            EXPECT_EQ(s.tool_id, "soft_foam");
        }
}

TEST(Plan, LongerTimeAddsLatsHipFlexorsAndPeanutWorkBeforeTheFinisher)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.experience = Experience::Regular;
    profile.minutes_available = 12min;
    auto const plan = plan_for(kb, profile);
    EXPECT_NE(find_step(plan, "lat_roll"), nullptr);
    EXPECT_NE(find_step(plan, "hip_flexor_roll"), nullptr);
    auto const* peanut = find_step(plan, "peanut_erector_roll");
    ASSERT_NE(peanut, nullptr);
    EXPECT_EQ(peanut->tool_id, "peanut");
    EXPECT_EQ(plan.steps.back().exercise_id, "cat_cow");
    EXPECT_LE(plan.total(), 12min);
}

TEST(Plan, FocusOnHipFlexorsFitsThemIntoFiveMinutes)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.focus = { Focus::HipFlexors };
    auto const plan = plan_for(kb, profile);
    EXPECT_NE(find_step(plan, "hip_flexor_roll"), nullptr);
    EXPECT_LE(plan.total(), 5min);
    for (auto const& s : plan.steps)
        if (s.kind == kb::ExerciseKind::Rolling) {
            EXPECT_GE(s.per_side, min_per_side);
        }
}

TEST(Plan, FirstTimerNeverGetsPeanutWorkBecauseThePeanutIsVeryFirm)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.minutes_available = 15min;
    profile.focus = { Focus::MidBack };
    auto const plan = plan_for(kb, profile);
    EXPECT_EQ(find_step(plan, "peanut_erector_roll"), nullptr);
}

TEST(Plan, RepeatedHighNextDaySorenessMakesThePlanShorterAndSofter)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.experience = Experience::Regular;
    profile.rollers_owned = { "standard", "soft_foam" };
    auto const usual = plan_for(kb, profile);
    History history;
    history.soreness = { 2, 7, 8 };
    auto const softer = plan_for(kb, profile, {}, history);
    EXPECT_LT(softer.total(), usual.total());
    EXPECT_EQ(softer.pressure, Pressure::Gentle);
    EXPECT_EQ(find_step(softer, "thoracic_roll")->tool_id, "soft_foam");
    EXPECT_FALSE(softer.notes.empty());
}

TEST(Plan, ConsistentHistoryEarnsALittleMoreTimeNotMorePressure)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.experience = Experience::Regular;
    profile.minutes_available = 8min;
    History history;
    auto const today = std::chrono::sys_days { std::chrono::year { 2026 } / 3 / 20 };
    for (int d = 10; d >= 1; --d)
        history.sessions.push_back({ today - std::chrono::days { d }, true, 300s });
    history.today = today;
    auto const usual = plan_for(kb, profile);
    auto const progressed = plan_for(kb, profile, {}, history);
    EXPECT_GT(find_step(progressed, "thoracic_roll")->per_side, find_step(usual, "thoracic_roll")->per_side);
    EXPECT_EQ(progressed.pressure, usual.pressure);
    EXPECT_LE(progressed.total(), 8min);
}

TEST(Plan, EveryStepAndRollerCarriesAWhy)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.experience = Experience::Some;
    profile.minutes_available = 12min;
    auto const plan = plan_for(kb, profile);
    EXPECT_FALSE(plan.pressure_why.empty());
    for (auto const& s : plan.steps) {
        EXPECT_FALSE(s.why.empty()) << s.exercise_id;
        if (s.kind == kb::ExerciseKind::Rolling) {
            EXPECT_FALSE(s.tool_why.empty()) << s.exercise_id;
        }
    }
}

TEST(Plan, TooFewMinutesForAnythingIsAnErrorThatSaysHowMuchIsNeeded)
{
    auto const kb = test::make_test_knowledge();
    kb::Verdict verdict;
    verdict.changes.max_session_length = 20s;
    auto const plan = make_plan(kb, Profile {}, verdict, History {});
    ASSERT_FALSE(plan.has_value());
    EXPECT_NE(plan.error().message.find("at least"), std::string::npos);
}

TEST(Plan, SurvivesAJsonRoundTrip)
{
    auto const kb = test::make_test_knowledge();
    Profile profile;
    profile.minutes_available = 10min;
    profile.experience = Experience::Regular;
    auto const plan = plan_for(kb, profile);
    auto const back = parse_plan(nlohmann::json(plan));
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(back->total(), plan.total());
    EXPECT_EQ(exercise_ids(*back), exercise_ids(plan));
    EXPECT_EQ(nlohmann::json(*back), nlohmann::json(plan));
}

TEST(Plan, MalformedPlanJsonIsRejectedWithTheReason)
{
    auto const bad = parse_plan(nlohmann::json { { "steps", { { { "exercise_id", "x" }, { "kind", "rolling" } } } } });
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("per_side_s"), std::string::npos);
}

TEST(Profile, UnknownFocusNamesTheChoices)
{
    auto const focus = parse_focus("neck");
    ASSERT_FALSE(focus.has_value());
    EXPECT_NE(focus.error().message.find("hip_flexors"), std::string::npos);
}

TEST(Profile, MinutesAvailableThatAreNotAWholeNumberFromOneTo120AreRefusedNotRounded)
{
    // Each was once stored as a profile: 5.5 as 5, true as 1, 4294967301 as 5.
    for (auto const* text : { "5.5", "true", "4294967301", "-4294967291", "18446744073709551615", "0", "121", "\"5\"" }) {
        auto const profile = parse_profile(nlohmann::json { { "minutes_available", nlohmann::json::parse(text) } });
        EXPECT_FALSE(profile.has_value()) << text << " was taken as " << profile->minutes_available.count() << " minutes";
    }
    auto const ten = parse_profile(nlohmann::json::parse(R"({"minutes_available": 10})"));
    ASSERT_TRUE(ten.has_value()) << ten.error().message;
    EXPECT_EQ(ten->minutes_available, std::chrono::minutes(10));
    auto const fraction = parse_profile(nlohmann::json { { "minutes_available", 5.5 } });
    ASSERT_FALSE(fraction.has_value());
    EXPECT_NE(fraction.error().message.find("whole number"), std::string::npos) << fraction.error().message;
}

TEST(PlanWithShippedData, DefaultPlanIsTheArticlesRoutineWithSoftFoamForAFirstTimer)
{
    auto kb = kb::load_knowledge_base(shipped_data_dir() / "knowledge");
    ASSERT_TRUE(kb.has_value()) << kb.error().full_message();
    auto const plan = plan_for(*kb, Profile {});
    EXPECT_EQ(exercise_ids(plan), (std::vector<std::string> { "thoracic_roll", "glute_roll", "cat_cow" }));
    EXPECT_LE(plan.total(), 300s);
    for (auto const& s : plan.steps)
        if (s.kind == kb::ExerciseKind::Rolling) {
            EXPECT_EQ(s.tool_id, "soft_foam");
        }
}

TEST(PlanWithShippedData, TenMinutesForARegularAddsPeanutWorkWithThePeanut)
{
    auto kb = kb::load_knowledge_base(shipped_data_dir() / "knowledge");
    ASSERT_TRUE(kb.has_value()) << kb.error().full_message();
    Profile profile;
    profile.experience = Experience::Regular;
    profile.minutes_available = 12min;
    auto const plan = plan_for(*kb, profile);
    auto const* peanut = find_step(plan, "peanut_erector_roll");
    ASSERT_NE(peanut, nullptr);
    EXPECT_EQ(peanut->tool_id, "peanut");
    EXPECT_LE(plan.total(), 12min);
}

TEST(Plan, TheExtrasAndTheirReasonsComeFromTheRoutineData)
{
    auto kb = test::make_test_knowledge();
    kb.routines.front().extras = { { "hip_flexor_roll", { "lats_and_shoulders" }, "A reason written in the data.", { "source_article" } } };
    Profile profile;
    profile.experience = Experience::Regular;
    profile.minutes_available = 15min;
    profile.focus = { Focus::LatsAndShoulders };
    auto const plan = plan_for(kb, profile);
    EXPECT_EQ(find_step(plan, "lat_roll"), nullptr);
    EXPECT_EQ(find_step(plan, "peanut_erector_roll"), nullptr);
    auto const* hips = find_step(plan, "hip_flexor_roll");
    ASSERT_NE(hips, nullptr);
    EXPECT_EQ(hips->why, "A reason written in the data.");
    EXPECT_EQ(hips->source_ids, (std::vector<std::string> { "source_article" }));
}

TEST(PlanWithShippedData, EveryStepsReasonCitesSourcesInTheKnowledgeBase)
{
    auto kb = kb::load_knowledge_base(shipped_data_dir() / "knowledge");
    ASSERT_TRUE(kb.has_value()) << kb.error().full_message();
    Profile profile;
    profile.experience = Experience::Regular;
    profile.minutes_available = 15min;
    profile.focus = { Focus::HipFlexors, Focus::LatsAndShoulders, Focus::MidBack };
    auto const plan = plan_for(*kb, profile);
    ASSERT_EQ(plan.steps.size(), 6u);
    for (auto const& s : plan.steps) {
        EXPECT_FALSE(s.source_ids.empty()) << s.exercise_id;
        for (auto const& id : s.source_ids)
            EXPECT_NE(kb->find_source(id), nullptr) << s.exercise_id << ": " << id;
    }
}
