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
             Event::form_check("too_fast", "Slow down."), Event::tender_spot(), Event::acknowledge(), Event::quit() }) {
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

TEST(SessionJson, ARatingThatIsNotAWholeNumberFromZeroToTenIsRefusedNotRounded)
{
    // Each of these once became a rating: true as 1, 7.9 as 7, 2^32 + 7 as 7, 1e300 as whatever
    // the conversion gave. A "pain 7" is a back-off cue, so only 7 itself may press it.
    for (auto const* text : { "true", "7.9", "4294967303", "1e300", "-4294967289", "18446744073709551615", "\"7\"" }) {
        auto const rating = nlohmann::json::parse(text);
        auto const pain = parse_event(nlohmann::json { { "type", "pain" }, { "rating", rating } });
        EXPECT_FALSE(pain.has_value()) << text << " was taken as a rating of " << pain->rating;
        auto const safety = parse_event(nlohmann::json { { "type", "safety" }, { "event", "pain_high" }, { "rating", rating } });
        EXPECT_FALSE(safety.has_value()) << text << " was taken as a rating with a safety event";
        auto const start = parse_event(nlohmann::json { { "type", "start" }, { "from_step", rating } });
        EXPECT_FALSE(start.has_value()) << text << " was taken as a step to start from";
    }
    auto const fraction = parse_event(nlohmann::json { { "type", "pain" }, { "rating", 7.9 } });
    ASSERT_FALSE(fraction.has_value());
    EXPECT_NE(fraction.error().message.find("whole number from 0 to 10"), std::string::npos) << fraction.error().message;
    auto const seven = parse_event(nlohmann::json { { "type", "pain" }, { "rating", 7 } });
    ASSERT_TRUE(seven.has_value());
    EXPECT_EQ(seven->rating, 7);
    auto const unsigned_ten = parse_event(nlohmann::json::parse(R"({"type": "pain", "rating": 10})"));
    ASSERT_TRUE(unsigned_ten.has_value());
    EXPECT_EQ(unsigned_ten->rating, 10);
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
    EXPECT_TRUE(j.at("advice").is_null());
}

TEST(SessionJson, SnapshotCarriesTheStandingBackOffAdviceAsACue)
{
    auto const kb = test::make_test_knowledge();
    auto machine = test::make_machine(kb, test::default_plan(kb));
    machine.step(MonoTime {}, Event::start());
    machine.step(MonoTime {} + 30s, Event::pain(8));
    nlohmann::json const j = machine.snapshot(MonoTime {} + 40s);
    EXPECT_EQ(j.at("advice").at("kind"), "back_off");
    EXPECT_EQ(j.at("advice").get<Cue>(), *machine.snapshot(MonoTime {} + 40s).advice);
    EXPECT_EQ(nlohmann::json(Event::acknowledge()).dump(), R"({"type":"acknowledge"})");
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
