#include "session/script.h"
#include "session/session_json.h"
#include "session_helpers.h"

#include <gtest/gtest.h>

using namespace rc;
using namespace rc::session;
using namespace std::chrono_literals;

TEST(SessionJson, EveryCueOfASessionSurvivesARoundTrip)
{
    auto const kb = test::make_test_knowledge();
    auto machine = test::make_machine(kb, test::default_plan(kb));
    for (auto const& cue : machine.planned_cues()) {
        nlohmann::json const j = cue;
        EXPECT_EQ(j.get<Cue>(), cue);
    }
}

TEST(SessionJson, EventsUseStableNamesAndRoundTrip)
{
    for (auto const& e : { Event::start(), Event::pain(7), Event::safety_event(kb::SafetyEvent::NumbnessSaddle),
             Event::form_check("too_fast", "Slow down."), Event::tender_spot(), Event::quit() }) {
        nlohmann::json const j = e;
        auto const back = parse_event(j);
        ASSERT_TRUE(back.has_value()) << back.error().message;
        EXPECT_EQ(*back, e);
    }
    EXPECT_EQ(nlohmann::json(Event::safety_event(kb::SafetyEvent::NumbnessOneLeg)).dump(),
        R"({"event":"numbness_one_leg","type":"safety"})");
}

TEST(SessionJson, ABadEventSaysWhatIsWrong)
{
    auto const unknown = parse_event(nlohmann::json { { "type", "jump" } });
    ASSERT_FALSE(unknown.has_value());
    EXPECT_NE(unknown.error().message.find("tender_spot"), std::string::npos);
    auto const rating = parse_event(nlohmann::json { { "type", "pain" }, { "rating", 12 } });
    ASSERT_FALSE(rating.has_value());
    EXPECT_NE(rating.error().message.find("0 to 10"), std::string::npos);
}

TEST(SessionJson, SnapshotHasThePhaseAndProgress)
{
    auto const kb = test::make_test_knowledge();
    auto machine = test::make_machine(kb, test::default_plan(kb));
    machine.step(MonoTime {}, Event::start());
    nlohmann::json const j = machine.snapshot(MonoTime {} + 30s);
    EXPECT_EQ(j.at("phase"), "rolling");
    EXPECT_EQ(j.at("exercise_id"), "thoracic_roll");
    EXPECT_EQ(j.at("session_elapsed_ms"), 30000);
    EXPECT_EQ(j.at("session_total_ms"), 300000);
    EXPECT_EQ(j.at("next"), "glute_roll");
}

TEST(Script, AScriptWithoutStartStartsAtZeroAndRunsToTheEnd)
{
    auto const kb = test::make_test_knowledge();
    auto machine = test::make_machine(kb, test::default_plan(kb));
    auto const script = parse_script(nlohmann::json::parse(R"([{"at_ms": 1000, "type": "breath_check"}])"));
    ASSERT_TRUE(script.has_value());
    ASSERT_EQ(script->size(), 2u);
    auto const result = run_script(machine, *script);
    EXPECT_EQ(result.summary.end_reason, EndReason::Completed);
    EXPECT_EQ(result.cues.back().kind, CueKind::Prompt);
}

TEST(Script, TimeGoingBackwardsIsRejectedWithTheEventNumber)
{
    auto const script = parse_script(nlohmann::json::parse(R"([{"at_ms": 5000, "type": "pause"}, {"at_ms": 10, "type": "resume"}])"));
    ASSERT_FALSE(script.has_value());
    EXPECT_NE(script.error().message.find("event 2"), std::string::npos);
}

TEST(Script, ATimeMoreThanADayAfterTheStartIsRejectedWithTheEventNumber)
{
    // Found by fuzz_session_script: 11111111111502500 ms overflowed the monotonic clock's nanoseconds.
    auto const script = parse_script(nlohmann::json::parse(R"([{"at_ms": 0, "type": "start"}, {"at_ms": 11111111111502500, "type": "resume"}])"));
    ASSERT_FALSE(script.has_value());
    EXPECT_NE(script.error().message.find("event 2"), std::string::npos);
    EXPECT_NE(script.error().message.find("more than a day"), std::string::npos);
    EXPECT_FALSE(parse_script(nlohmann::json::parse(R"([{"at_ms": 86400001, "type": "quit"}])")).has_value());
}

TEST(Script, AQuitExactlyADayAfterTheStartEndsTheSessionThen)
{
    auto const kb = test::make_test_knowledge();
    auto machine = test::make_machine(kb, test::default_plan(kb));
    auto const script = parse_script(nlohmann::json::parse(R"([{"at_ms": 0, "type": "start"}, {"at_ms": 0, "type": "pause"}, {"at_ms": 86400000, "type": "quit"}])"));
    ASSERT_TRUE(script.has_value());
    auto const result = run_script(machine, *script);
    EXPECT_EQ(result.summary.end_reason, EndReason::Quit);
}
