#include "knowledge/screening_loader.h"
#include "test_kb.h"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;
using namespace rc::kb;
using rc::triage::testing::screening_dir;
using rc::triage::testing::shipped_kb;
using ::testing::HasSubstr;

// A copy of the shipped screening directory in which one file's text is edited.
class ScreeningData : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / fmt_name();
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        for (auto const& entry : fs::directory_iterator(screening_dir()))
            fs::copy_file(entry.path(), m_dir / entry.path().filename());
    }
    void TearDown() override { fs::remove_all(m_dir); }

    static std::string fmt_name()
    {
        auto const* info = ::testing::UnitTest::GetInstance()->current_test_info();
        return std::string("rollcoach_triage_") + info->name();
    }

    void replace(std::string const& file, std::string const& from, std::string const& to)
    {
        auto path = m_dir / file;
        std::ifstream in(path);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << "'" << from << "' not in " << file;
        text.replace(at, from.size(), to);
        std::ofstream(path) << text;
    }

    void append(std::string const& file, std::string const& text) { std::ofstream(m_dir / file, std::ios::app) << text; }

    std::string problems()
    {
        Diagnostics diagnostics;
        Screening screening;
        load_screening(m_dir, diagnostics, screening);
        if (diagnostics.empty()) {
            KnowledgeBase kb = shipped_kb();
            kb.screening = screening;
            validate_screening(kb, m_dir, diagnostics);
        }
        std::string all;
        for (auto const& line : diagnostics.lines())
            all += line + "\n";
        return all;
    }

    fs::path m_dir;
};

TEST(ScreeningLoader, TheShippedScreeningDataLoadsWithoutProblems)
{
    Diagnostics diagnostics;
    Screening screening;
    load_screening(screening_dir(), diagnostics, screening);
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.to_error("x").full_message();
    EXPECT_GE(screening.questions_of(Questionnaire::Screening).size(), 30u);
    EXPECT_GE(screening.questions_of(Questionnaire::Checkin).size(), 5u);
    EXPECT_EQ(screening.in_session.size(), 6u);
    auto const* age = screening.find_question("age");
    ASSERT_NE(age, nullptr);
    EXPECT_EQ(age->type, AnswerType::Number);
    EXPECT_EQ(age->min, 0.0);
    EXPECT_EQ(age->max, 120.0);
}

TEST(ScreeningLoader, TheShippedScreeningDataPassesTheCrossReferenceChecks)
{
    Diagnostics diagnostics;
    validate_screening(shipped_kb(), screening_dir(), diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.to_error("x").full_message();
}

TEST(ScreeningLoader, EveryInSessionEventHasARule)
{
    for (auto event : { SafetyEvent::NumbnessOneLeg, SafetyEvent::NumbnessSaddle, SafetyEvent::SharpPain, SafetyEvent::PainHigh,
             SafetyEvent::Dizziness, SafetyEvent::FeelsWrong })
        EXPECT_NE(shipped_kb().screening.find_in_session(event), nullptr) << to_string(event);
}

TEST(ScreeningLoader, EveryClinicalTableRedFlagHasARule)
{
    // clinical-facts.md tables 1 and 2 and the list, by rule id.
    for (auto id : { "saddle_numbness", "bladder_bowel_changes", "both_legs_symptoms", "sexual_dysfunction", "serious_accident",
             "chest_pain", "fall_with_osteoporosis", "fall_with_long_term_steroids", "fall_at_older_age", "fever_or_chills",
             "weakened_immune_system", "injected_drugs", "recent_infection", "weight_loss", "back_lump_or_shape_change",
             "night_or_rest_pain", "new_upper_back_pain", "one_leg_weakness", "cancer_history", "new_back_pain_over_50",
             "new_back_pain_under_20", "disc_or_slip_diagnosis", "one_leg_numbness", "pain_persists", "open_wound", "fracture",
             "blood_clot", "blood_thinners", "pregnant", "recent_surgery", "skin_inflammation", "varicose_veins", "reduced_sensation" }) {
        auto const& rules = shipped_kb().screening.rules;
        EXPECT_TRUE(std::any_of(rules.begin(), rules.end(), [&](auto const& rule) { return rule.id == id; })) << id;
    }
}

TEST_F(ScreeningData, AnUnknownKeyIsReportedWithItsPositionAndASuggestion)
{
    replace("questions.toml", "type = \"yes_no\"", "tpye = \"yes_no\"");
    auto text = problems();
    EXPECT_THAT(text, HasSubstr("questions.toml:"));
    EXPECT_THAT(text, HasSubstr("unknown key 'tpye'"));
    EXPECT_THAT(text, HasSubstr("did you mean 'type'?"));
}

TEST_F(ScreeningData, ARuleNamingAnUnknownQuestionIsRefusedWithASuggestion)
{
    replace("rules.toml", "question = \"chest_pain\", is", "question = \"chest_pian\", is");
    auto text = problems();
    EXPECT_THAT(text, HasSubstr("rule 'chest_pain': condition 1 names an unknown question 'chest_pian'"));
    EXPECT_THAT(text, HasSubstr("did you mean 'chest_pain'?"));
    EXPECT_THAT(text, HasSubstr("question 'chest_pain' is not used by any rule"));
}

TEST_F(ScreeningData, AnAnswerValueTheQuestionCannotTakeIsRefused)
{
    replace("rules.toml", "question = \"pregnant\", is = \"yes\"", "question = \"pregnant\", is = \"yse\"");
    EXPECT_THAT(problems(), HasSubstr("'pregnant' cannot be answered 'yse' (fix: did you mean 'yes'?"));
}

TEST_F(ScreeningData, ANumberTestOnAYesNoQuestionIsRefused)
{
    replace("rules.toml", "question = \"pregnant\", is = \"yes\"", "question = \"pregnant\", at_least = 1");
    EXPECT_THAT(problems(), HasSubstr("uses 'at_least' on the yes_no question 'pregnant'"));
}

TEST_F(ScreeningData, AConditionWithTwoTestsIsRefused)
{
    replace("rules.toml", "question = \"pregnant\", is = \"yes\"", "question = \"pregnant\", is = \"yes\", is_not = \"no\"");
    EXPECT_THAT(problems(), HasSubstr("has more than one test"));
}

TEST_F(ScreeningData, ANumberOutsideTheQuestionsRangeIsRefused)
{
    replace("rules.toml", "question = \"age\", at_least = 70", "question = \"age\", at_least = 170");
    EXPECT_THAT(problems(), HasSubstr("compares 'age' with 170, outside its range 0 to 120"));
}

TEST_F(ScreeningData, AnUnknownTierIsRefusedWithTheAllowedWords)
{
    replace("rules.toml", "tier = \"clinician_today\"", "tier = \"clinician_tday\"");
    EXPECT_THAT(problems(), HasSubstr("did you mean 'clinician_today'?"));
}

TEST_F(ScreeningData, ADuplicateQuestionIdIsRefused)
{
    append("checkin_questions.toml", "\n[[question]]\nid = \"age\"\ntext = \"Age?\"\nhelp = \"Why.\"\ntype = \"yes_no\"\n");
    EXPECT_THAT(problems(), HasSubstr("question 'age' is defined twice"));
}

TEST_F(ScreeningData, ACheckinRuleCannotTestAScreeningQuestion)
{
    replace("checkin_rules.toml", "question = \"checkin_swelling\", is = \"yes\"", "question = \"pregnant\", is = \"yes\"");
    EXPECT_THAT(problems(), HasSubstr("a checkin rule may only test checkin questions"));
}

TEST_F(ScreeningData, NotAskedWhenMustNameAnEarlierQuestionAndAnswersTheyCanTake)
{
    replace("checkin_questions.toml", "not_asked_when = { question = \"checkin_kind\", is = \"none\", counts_as = \"elsewhere\" }",
        "not_asked_when = { question = \"checkin_trend\", is = \"nothing\", counts_as = \"nowhere\" }");
    auto const text = problems();
    EXPECT_THAT(text, HasSubstr("question 'checkin_location': not_asked_when names 'checkin_trend', which is not an earlier checkin question"));
    EXPECT_THAT(text, HasSubstr("checkin_questions.toml:"));
    replace("checkin_questions.toml", "question = \"checkin_trend\", is = \"nothing\"", "question = \"checkin_kind\", is = \"nothing\"");
    EXPECT_THAT(problems(), HasSubstr("'checkin_kind' cannot be answered 'nothing'"));
    EXPECT_THAT(problems(), HasSubstr("counts_as 'nowhere' is not an answer to 'checkin_location'"));
}

TEST_F(ScreeningData, AMissingInSessionEventIsRefused)
{
    replace("in_session.toml", "event = \"dizziness\"", "event = \"feels_wrong\"");
    auto text = problems();
    EXPECT_THAT(text, HasSubstr("the event 'dizziness' has 0 rules"));
    EXPECT_THAT(text, HasSubstr("the event 'feels_wrong' has 2 rules"));
}

TEST_F(ScreeningData, BackingOffCannotCarryAStopTier)
{
    replace("in_session.toml", "action = \"back_off\"\ntier = \"proceed_with_changes\"", "action = \"back_off\"\ntier = \"clinician_soon\"");
    EXPECT_THAT(problems(), HasSubstr("is back_off but the tier 'clinician_soon' stops rolling"));
}

TEST_F(ScreeningData, AStopThatBlocksTheNextSessionsNeedsItsAfterwardsWordsAndNoOtherRuleHasThem)
{
    // The saddle numbness stop blocks the sessions after it: the refusal needs its words.
    replace("in_session.toml", "afterwards = \"Numbness or tingling around", "# afterwards = \"Numbness or tingling around");
    auto text = problems();
    EXPECT_THAT(text, HasSubstr("in_session.toml:"));
    EXPECT_THAT(text, HasSubstr("'afterwards' is missing"));
    EXPECT_THAT(text, HasSubstr("add afterwards = "));
}

TEST_F(ScreeningData, AfterwardsOnARuleThatBlocksNothingIsRefused)
{
    replace("in_session.toml", "event = \"dizziness\"", "event = \"dizziness\"\nafterwards = \"Rest.\"");
    EXPECT_THAT(problems(), HasSubstr("does not block the sessions after it"));
}

TEST_F(ScreeningData, AnUnknownSourceIsRefusedWithASuggestion)
{
    replace("rules.toml", "sources = [\"massage_pathology\"]", "sources = [\"massage_pathologie\"]");
    auto text = problems();
    EXPECT_THAT(text, HasSubstr("rule 'varicose_veins' cites an unknown source 'massage_pathologie'"));
    EXPECT_THAT(text, HasSubstr("did you mean 'massage_pathology'?"));
}

TEST_F(ScreeningData, AnUnknownZoneIsRefused)
{
    replace("rules.toml", "changes = { exclude_zones = [\"hip_flexors\"]", "changes = { exclude_zones = [\"hip_flexor\"]");
    EXPECT_THAT(problems(), HasSubstr("rule 'varicose_veins' excludes an unknown zone 'hip_flexor' (fix: did you mean 'hip_flexors'?)"));
}

TEST_F(ScreeningData, ATomlSyntaxErrorNamesTheFileAndLine)
{
    append("rules.toml", "\n[[rule]\n");
    EXPECT_THAT(problems(), HasSubstr("rules.toml:"));
    EXPECT_THAT(problems(), HasSubstr("TOML syntax error"));
}

TEST_F(ScreeningData, AMissingFileIsReported)
{
    fs::remove(m_dir / "in_session.toml");
    EXPECT_THAT(problems(), HasSubstr("in_session.toml: cannot read the file"));
}

}
