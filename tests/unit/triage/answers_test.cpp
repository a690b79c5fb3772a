#include "test_kb.h"
#include "triage/answers.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace rc;
using rc::triage::testing::shipped_kb;

kb::Question const& question(std::string_view id)
{
    auto const* found = shipped_kb().screening.find_question(id);
    EXPECT_NE(found, nullptr) << id;
    return *found;
}

TEST(Answers, TypedYesNoAnswersAcceptCommonSpellings)
{
    auto const& q = question("pregnant");
    EXPECT_EQ(*triage::parse_typed_answer(q, " Y "), triage::Answer { std::string("yes") });
    EXPECT_EQ(*triage::parse_typed_answer(q, "No"), triage::Answer { std::string("no") });
    EXPECT_EQ(*triage::parse_typed_answer(q, "not sure"), triage::Answer { triage::Unknown {} });
    auto bad = triage::parse_typed_answer(q, "maybe");
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("yes or no"), std::string::npos);
}

TEST(Answers, TypedChoicesAcceptTheirNumberOrTheirId)
{
    auto const& q = question("checkin_kind");
    EXPECT_EQ(*triage::parse_typed_answer(q, "2"), triage::Answer { q.choices[1].id });
    EXPECT_EQ(*triage::parse_typed_answer(q, "sharp"), triage::Answer { std::string("sharp") });
    EXPECT_FALSE(triage::parse_typed_answer(q, "0").has_value());
    EXPECT_FALSE(triage::parse_typed_answer(q, "99").has_value());
    EXPECT_FALSE(triage::parse_typed_answer(q, "2x").has_value());
}

TEST(Answers, TypedNumbersMustBeInRange)
{
    auto const& q = question("age");
    EXPECT_EQ(*triage::parse_typed_answer(q, "42"), triage::Answer { 42.0 });
    auto bad = triage::parse_typed_answer(q, "140");
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("0 to 120"), std::string::npos);
    EXPECT_FALSE(triage::parse_typed_answer(q, "forty").has_value());
    EXPECT_FALSE(triage::parse_typed_answer(q, "").has_value());
}

TEST(Answers, AllProblemsInAFileAreReportedTogether)
{
    auto answers = triage::parse_answers_text(shipped_kb(), kb::Questionnaire::Screening,
        R"({"answers": {"agee": 30, "pregnant": "maybe", "age": -1}})", "mine.json");
    ASSERT_FALSE(answers.has_value());
    EXPECT_EQ(answers.error().code, ErrorCode::InvalidData);
    EXPECT_NE(answers.error().message.find("mine.json: 3 problems"), std::string::npos);
    EXPECT_EQ(answers.error().details.size(), 3u);
}

TEST(Answers, AnswersRoundTripThroughJson)
{
    triage::Answers answers { { "age", 42.0 }, { "pregnant", std::string("no") }, { "chest_pain", triage::Unknown {} } };
    auto json = triage::answers_to_json(kb::Questionnaire::Screening, answers);
    EXPECT_EQ(json.at("answers").at("chest_pain"), "unknown");
    auto back = triage::parse_answers(shipped_kb(), kb::Questionnaire::Screening, json);
    ASSERT_TRUE(back.has_value()) << back.error().full_message();
    EXPECT_EQ(*back, answers);
}

TEST(Answers, AMissingFileIsAClearError)
{
    auto answers = triage::load_answers_file(shipped_kb(), kb::Questionnaire::Screening, "/nonexistent/answers.json");
    ASSERT_FALSE(answers.has_value());
    EXPECT_NE(answers.error().message.find("cannot read the answers file"), std::string::npos);
}

}
