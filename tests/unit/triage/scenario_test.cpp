// Runs every folder of tests/scenarios/triage/ (adding a case = adding a folder):
//   answers.json + expected.json { "questionnaire", "tier", "rule_ids" (any order),
//                                  "missing_answers" (questionnaire order), "changes"? }
//   answers.json + expected.json { "questionnaire", "error": "<part of the message>" }
//   event.json { "event", "pain"? } + expected.json { "rule_id", "action", "tier" }
#include "test_kb.h"
#include "knowledge/in_session_responder.h"
#include "triage/triage_engine.h"
#include "triage/verdict_json.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using namespace rc;
using triage::testing::shipped_kb;

fs::path scenarios_dir() { return triage::testing::source_dir() / "tests" / "scenarios" / "triage"; }

std::vector<std::string> case_names()
{
    std::vector<std::string> names;
    for (auto const& entry : fs::directory_iterator(scenarios_dir()))
        if (entry.is_directory())
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

nlohmann::json read_json(fs::path const& file)
{
    std::ifstream in(file);
    return nlohmann::json::parse(in);
}

class TriageScenario : public ::testing::TestWithParam<std::string> { };

TEST(TriageScenarios, ThereAreAtLeastFortyCases)
{
    EXPECT_GE(case_names().size(), 40u);
}

TEST(TriageScenarios, EveryRuleHasItsOwnScenarioFolder)
{
    for (auto const& rule : shipped_kb().screening.rules)
        EXPECT_TRUE(fs::exists(scenarios_dir() / ("rule_" + rule.id) / "expected.json"))
            << "run tests/scenarios/triage/generate_single_rule_cases.py to add rule_" << rule.id;
    for (auto const& rule : shipped_kb().screening.in_session)
        EXPECT_TRUE(fs::exists(scenarios_dir() / ("in_session_" + std::string(kb::to_string(rule.event))) / "event.json")) << rule.id;
}

TEST_P(TriageScenario, GivesTheExpectedVerdict)
{
    auto const& kb = shipped_kb();
    auto dir = scenarios_dir() / GetParam();
    auto expected = read_json(dir / "expected.json");

    if (fs::exists(dir / "event.json")) {
        auto event_json = read_json(dir / "event.json");
        auto event = kb::parse_safety_event(event_json.at("event").get<std::string>());
        ASSERT_TRUE(event.has_value()) << "unknown event in " << dir;
        std::optional<int> pain;
        if (event_json.contains("pain"))
            pain = event_json.at("pain").get<int>();
        auto response = kb::respond_in_session(kb, *event, pain);
        EXPECT_EQ(response.reason.rule_id, expected.at("rule_id").get<std::string>());
        EXPECT_EQ(kb::to_string(response.action), expected.at("action").get<std::string>());
        EXPECT_EQ(kb::to_string(response.reason.tier), expected.at("tier").get<std::string>());
        return;
    }

    auto questionnaire = expected.value("questionnaire", "screening") == "checkin" ? kb::Questionnaire::Checkin : kb::Questionnaire::Screening;
    auto answers = triage::load_answers_file(kb, questionnaire, dir / "answers.json");
    if (expected.contains("error")) {
        ASSERT_FALSE(answers.has_value()) << "expected an error for " << dir;
        EXPECT_EQ(answers.error().code, ErrorCode::InvalidData);
        EXPECT_NE(answers.error().full_message().find(expected.at("error").get<std::string>()), std::string::npos)
            << "message was: " << answers.error().full_message();
        return;
    }
    ASSERT_TRUE(answers.has_value()) << answers.error().full_message();
    auto verdict = triage::evaluate(kb, questionnaire, *answers);
    ASSERT_TRUE(verdict.has_value()) << verdict.error().full_message();

    EXPECT_EQ(kb::to_string(verdict->tier), expected.at("tier").get<std::string>());
    std::vector<std::string> rule_ids;
    for (auto const& reason : verdict->reasons)
        rule_ids.push_back(reason.rule_id);
    std::sort(rule_ids.begin(), rule_ids.end());
    auto expected_ids = expected.at("rule_ids").get<std::vector<std::string>>();
    std::sort(expected_ids.begin(), expected_ids.end());
    EXPECT_EQ(rule_ids, expected_ids);
    EXPECT_EQ(verdict->missing_answers, expected.at("missing_answers").get<std::vector<std::string>>());
    if (expected.contains("changes")) {
        EXPECT_EQ(nlohmann::json(verdict->changes), expected.at("changes"));
    }
}

INSTANTIATE_TEST_SUITE_P(Folders, TriageScenario, ::testing::ValuesIn(case_names()),
    [](auto const& info) { return info.param; });

}
