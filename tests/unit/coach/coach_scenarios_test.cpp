// Runs every folder of tests/scenarios/coach/ (adding a case = adding a folder): steps.json, a
// script played against a coach over a fresh SQLite journal, the shipped knowledge base and a
// fake clock. Each step happens "at" a UTC time and does one thing:
//   {"screening": {answers over all-"no", age 40}}        stores a screening
//   {"screening_raw": {answers}}                           stores exactly these (a screening left part-way)
//   {"checkin": {answers}}                                 stores a check-in
//   {"clearance": {request}, "error"?: "words"}           POST /api/clearance's body; refused
//                                                          with InvalidData naming "words"
//   {"plan": "ok", "pressure"?, "max_seconds"?, "left_out_zones"?: [...], "note_contains"?: [...]}
//   {"plan": "refused", "kind", "tier"?, "reason_contains"?, "clearable"?: [...]}
#include "../shipped_kb.h"
#include "coach/coach.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"

#include <algorithm>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace rc;

namespace {

fs::path const source_dir { ROLLCOACH_SOURCE_DIR };
fs::path scenarios_dir() { return source_dir / "tests" / "scenarios" / "coach"; }

using rc::test::shipped_kb;

std::vector<std::string> case_names()
{
    std::vector<std::string> names;
    for (auto const& entry : fs::directory_iterator(scenarios_dir()))
        if (entry.is_directory())
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

json screening_body(json const& changes)
{
    json answers = json::object();
    for (auto const* q : shipped_kb().screening.questions_of(kb::Questionnaire::Screening))
        answers[q->id] = q->type == kb::AnswerType::YesNo ? json("no") : q->type == kb::AnswerType::Number ? json(40) : json(q->choices.front().id);
    if (changes.is_object())
        answers.update(changes);
    return { { "answers", answers } };
}

bool mentions(std::vector<std::string> const& lines, std::string const& words)
{
    return std::any_of(lines.begin(), lines.end(), [&](auto const& line) { return line.find(words) != std::string::npos; });
}

class CoachScenario : public ::testing::TestWithParam<std::string> { };

TEST(CoachScenarios, ThereIsAFolderForEachClearanceRuleAndEachRefusalTier)
{
    auto names = case_names();
    for (auto const* needed : { "clearance_lifts_a_flag_within_its_limits", "clearance_expires_after_three_months",
             "clearance_never_covers_an_emergency", "clearance_does_not_cover_a_newer_checkin_warning",
             "clearance_does_not_cover_a_new_screening_flag", "refusal_emergency", "refusal_clinician_today", "refusal_clinician_soon",
             "refusal_clinician_before_rolling", "refusal_unfinished" })
        EXPECT_NE(std::find(names.begin(), names.end(), needed), names.end()) << needed;
}

TEST_P(CoachScenario, PlaysAsExpected)
{
    auto dir = scenarios_dir() / GetParam();
    std::ifstream in(dir / "steps.json");
    auto script = json::parse(in);
    auto file = fs::temp_directory_path() / fmt::format("rc-coach-scenario-{}-{}.db", ::getpid(), GetParam());
    fs::remove(file);
    FakeClock clock;
    {
        auto journal = journal::open_journal(file, journal::Purpose::Write);
        ASSERT_TRUE(journal) << journal.error().message;
        coach::Coach coach(shipped_kb(), std::move(*journal), clock);
        int number = 0;
        for (auto const& step : script.at("steps")) {
            SCOPED_TRACE(fmt::format("{} step {}: {}", GetParam(), ++number, step.dump()));
            auto at = journal::parse_utc(step.at("at").get<std::string>());
            ASSERT_TRUE(at);
            clock.set_wall(*at);
            if (step.contains("screening")) {
                auto stored = coach.submit_screening(screening_body(step["screening"]).dump());
                ASSERT_TRUE(stored) << stored.error().message;
            } else if (step.contains("screening_raw")) {
                auto stored = coach.submit_screening(json { { "answers", step["screening_raw"] } }.dump());
                ASSERT_TRUE(stored) << stored.error().message;
            } else if (step.contains("checkin")) {
                auto stored = coach.submit_checkin(json { { "answers", step["checkin"] } }.dump());
                ASSERT_TRUE(stored) << stored.error().message;
            } else if (step.contains("clearance")) {
                auto added = coach.add_clearance(step["clearance"].dump());
                if (step.contains("error")) {
                    ASSERT_FALSE(added);
                    EXPECT_EQ(added.error().code, ErrorCode::InvalidData);
                    EXPECT_NE(added.error().message.find(step["error"].get<std::string>()), std::string::npos) << added.error().message;
                } else {
                    ASSERT_TRUE(added) << added.error().message;
                }
            } else if (step.value("plan", "") == "ok") {
                auto plan = coach.todays_plan();
                ASSERT_TRUE(plan) << plan.error().message;
                if (step.contains("pressure")) {
                    EXPECT_EQ(plan::to_string(plan->pressure), step["pressure"].get<std::string>());
                }
                if (step.contains("max_seconds")) {
                    EXPECT_LE(plan->available.count(), step["max_seconds"].get<long>());
                }
                for (auto const& zone : step.value("left_out_zones", json::array()))
                    for (auto const& s : plan->steps) {
                        EXPECT_EQ(std::count(s.target_zones.begin(), s.target_zones.end(), zone.get<std::string>()), 0) << s.exercise_id;
                    }
                for (auto const& words : step.value("note_contains", json::array())) {
                    EXPECT_TRUE(mentions(plan->notes, words.get<std::string>())) << words;
                }
            } else if (step.value("plan", "") == "refused") {
                auto plan = coach.todays_plan();
                ASSERT_FALSE(plan);
                EXPECT_EQ(plan.error().code, ErrorCode::Conflict);
                auto refusal = coach.refusal();
                ASSERT_TRUE(refusal && *refusal);
                auto j = (*refusal)->to_json();
                EXPECT_EQ(j["kind"], step.at("kind"));
                if (step.contains("tier")) {
                    EXPECT_EQ(j["tier"], step["tier"]);
                }
                if (step.contains("reason_contains")) {
                    EXPECT_NE(plan.error().message.find(step["reason_contains"].get<std::string>()), std::string::npos) << plan.error().message;
                }
                if (step.contains("clearable")) {
                    EXPECT_EQ(j["clearable"], step["clearable"]);
                }
                EXPECT_EQ(plan.error().message.find("No plan today"), std::string::npos) << plan.error().message;
            } else {
                FAIL() << "a step must have screening, checkin, clearance or plan";
            }
        }
    }
    fs::remove(file);
}

INSTANTIATE_TEST_SUITE_P(Folders, CoachScenario, ::testing::ValuesIn(case_names()), [](auto const& info) { return info.param; });

}
