// The plan and the rollers a person owns (issue 15): never a roller they don't own, the peanut
// when it is the peanut they own, and sentences that name each roller in its own words.
#include "common/paths.h"
#include "knowledge/loader.h"
#include "plan/plan.h"

#include <gtest/gtest.h>

using namespace rc;
using namespace rc::plan;
using namespace std::chrono_literals;

namespace {

kb::KnowledgeBase const& shipped()
{
    static kb::KnowledgeBase const kb = [] {
        auto loaded = kb::load_knowledge_base(std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "knowledge");
        if (!loaded)
            throw std::runtime_error(loaded.error().full_message());
        return std::move(*loaded);
    }();
    return kb;
}

bool mentions(std::vector<std::string> const& lines, std::string const& part)
{
    return std::any_of(lines.begin(), lines.end(), [&](auto const& l) { return l.find(part) != std::string::npos; });
}

}

TEST(OwnedTools, EveryCombinationOfOwnedRollersGetsAPlanThatUsesOnlyThoseRollers)
{
    auto const& kb = shipped();
    ASSERT_EQ(kb.tools.size(), 5u);
    int plans = 0;
    for (unsigned mask = 1; mask < (1u << kb.tools.size()); ++mask) {
        std::vector<std::string> owned;
        for (std::size_t i = 0; i < kb.tools.size(); ++i)
            if (mask & (1u << i))
                owned.push_back(kb.tools[i].id);
        for (auto experience : { Experience::FirstTime, Experience::Some, Experience::Regular })
            for (auto sensitivity : { Sensitivity::Normal, Sensitivity::High })
                for (auto minutes : { 5min, 15min }) {
                    Profile profile;
                    profile.rollers_owned = owned;
                    profile.experience = experience;
                    profile.sensitivity = sensitivity;
                    profile.minutes_available = minutes;
                    auto const plan = make_plan(kb, profile, kb::Verdict {}, History {});
                    ASSERT_TRUE(plan) << plan.error().message;
                    ++plans;
                    for (auto const& step : plan->steps) {
                        if (step.kind == kb::ExerciseKind::Finisher)
                            continue;
                        EXPECT_NE(std::find(owned.begin(), owned.end(), step.tool_id), owned.end())
                            << step.exercise_id << " uses " << step.tool_id << " with mask " << mask;
                        EXPECT_EQ(step.tool_why.find("don't have"), std::string::npos) << step.tool_why;
                    }
                }
    }
    EXPECT_EQ(plans, 31 * 3 * 2 * 2);
}

TEST(OwnedTools, APeanutOwnerWhoHasRolledBeforeGetsThePeanutWorkAndNothingElseNeedsAnotherRoller)
{
    Profile profile;
    profile.rollers_owned = { "peanut" };
    profile.experience = Experience::Some;
    auto const plan = make_plan(shipped(), profile, kb::Verdict {}, History {});
    ASSERT_TRUE(plan) << plan.error().message;
    auto peanut = std::find_if(plan->steps.begin(), plan->steps.end(), [](auto const& s) { return s.tool_id == "peanut"; });
    ASSERT_NE(peanut, plan->steps.end()) << "the peanut is used";
    EXPECT_EQ(peanut->exercise_id, "peanut_erector_roll");
    EXPECT_EQ(peanut->tool_phrase, "peanut roller");
    // The whole-area steps need a roller this person does not have: left out, once each, saying so.
    EXPECT_TRUE(mentions(plan->left_out, "which you don't have")) << ::testing::PrintToString(plan->left_out);
    EXPECT_TRUE(mentions(plan->left_out, "a soft foam roller or a standard roller"));
}

TEST(OwnedTools, AFirstTimerWithOnlyAPeanutIsToldItIsTooFirmAndGetsNoRoller)
{
    Profile profile;
    profile.rollers_owned = { "peanut" };
    auto const plan = make_plan(shipped(), profile, kb::Verdict {}, History {});
    ASSERT_TRUE(plan) << plan.error().message;
    for (auto const& step : plan->steps)
        EXPECT_TRUE(step.tool_id.empty()) << step.exercise_id << " " << step.tool_id;
    EXPECT_TRUE(mentions(plan->left_out, "your peanut roller is too firm for you today")) << ::testing::PrintToString(plan->left_out);
    EXPECT_TRUE(mentions(plan->left_out, "it needs a soft foam roller, which you don't have")) << ::testing::PrintToString(plan->left_out);
}

TEST(OwnedTools, SentencesNameEachRollerInItsOwnWordsNotByItsLabel)
{
    auto const& kb = shipped();
    for (auto const& tool : kb.tools) {
        EXPECT_EQ(tool.short_name.find('('), std::string::npos) << tool.id;
        EXPECT_EQ(tool.a_name.rfind("a ", 0) == 0 || tool.a_name.rfind("an ", 0) == 0, true) << tool.a_name;
        EXPECT_NE(tool.a_name.find(tool.short_name), std::string::npos) << tool.id;
    }
    for (auto const& owned : { "soft_foam", "standard", "trigger_point", "peanut", "spiked" })
        for (auto experience : { Experience::FirstTime, Experience::Regular }) {
            Profile profile;
            profile.rollers_owned = { owned, "soft_foam" };
            profile.experience = experience;
            profile.minutes_available = 15min;
            auto const plan = make_plan(kb, profile, kb::Verdict {}, History {});
            ASSERT_TRUE(plan);
            for (auto const& step : plan->steps) {
                // No label (with its bracketed description) pasted into a sentence.
                for (auto const& tool : kb.tools)
                    EXPECT_EQ(step.tool_why.find(tool.name), std::string::npos) << step.tool_why;
                EXPECT_EQ(step.tool_why.find("'s "), std::string::npos) << step.tool_why;
            }
            for (auto const& line : plan->left_out)
                for (auto const& tool : kb.tools)
                    EXPECT_EQ(line.find(tool.name), std::string::npos) << line;
        }
}
