// A clinician's clearance (clinical-facts.md section 8) through the coach, over a real SQLite
// journal and the shipped knowledge base: it lifts the flags it covers within its limits, for
// 3 months, and never an emergency or a warning sign newer than the clinician's date.
#include "../shipped_kb.h"
#include "coach/clearance.h"
#include "coach/coach.h"
#include "journal/exports.h"
#include "journal/open_journal.h"
#include "journal/record_json.h"
#include "knowledge/loader.h"
#include "triage/verdict_json.h"

#include <algorithm>
#include <filesystem>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace rc;
using namespace std::chrono_literals;

namespace {

using rc::test::shipped_kb;

json sharp_pain_checkin()
{
    return json { { "answers",
        { { "checkin_emergency_signs", "no" }, { "checkin_kind", "sharp" }, { "checkin_location", "upper_back" }, { "checkin_intensity", 4 },
            { "checkin_hours", 24 }, { "checkin_trend", "same" }, { "checkin_swelling", "no" } } } };
}

class Clearance : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / fmt::format("rc-clearance-{}-{}", ::getpid(), s_counter++);
        fs::create_directories(m_dir);
        m_coach = open(m_dir / "journal.db");
    }
    void TearDown() override
    {
        m_coach.reset();
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }

    std::unique_ptr<coach::Coach> open(fs::path const& file)
    {
        auto journal = journal::open_journal(file, journal::Purpose::Write);
        EXPECT_TRUE(journal) << journal.error().message;
        return std::make_unique<coach::Coach>(shipped_kb(), std::move(*journal), m_clock);
    }

    void screen(json const& changes)
    {
        auto verdict = m_coach->submit_screening(rc::test::harmless_screening(changes).dump());
        ASSERT_TRUE(verdict) << verdict.error().message;
    }

    Result<json> clear(json const& request) { return m_coach->add_clearance(request.dump()); }

    static json cancer_cleared_with_limits()
    {
        return { { "by", "Dr Patel, GP" }, { "on", "2026-01-05" }, { "covers", { "cancer_history" } },
            { "limits", { { "soft_roller_only", true }, { "gentle_pressure_only", true }, { "excluded_zones", { "latissimus_dorsi" } },
                            { "max_session_minutes", 3 } } } };
    }

    FakeClock m_clock;   // 2026-01-05 08:00 UTC
    fs::path m_dir;
    std::unique_ptr<coach::Coach> m_coach;
    static inline int s_counter = 0;
};

}

TEST_F(Clearance, CoveredFlagIsLiftedAndThePlanKeepsToTheClinicianLimits)
{
    screen({ { "cancer_history", "yes" } });
    auto refused = m_coach->todays_plan();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Conflict);

    auto added = clear(cancer_cleared_with_limits());
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_EQ((*added)["status"], "in_force");
    EXPECT_EQ((*added)["expires_on"], "2026-04-05");

    auto plan = m_coach->todays_plan();
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->pressure, plan::Pressure::Gentle);
    EXPECT_LE(plan->available, 3min);
    EXPECT_LE(plan->total(), 3min + 30s);
    for (auto const& step : plan->steps) {
        EXPECT_EQ(std::count(step.target_zones.begin(), step.target_zones.end(), "latissimus_dorsi"), 0) << step.exercise_id;
        if (!step.tool_id.empty()) {
            EXPECT_EQ(shipped_kb().find_tool(step.tool_id)->firmness, kb::Firmness::Soft) << step.tool_id;
        }
    }
    auto says = [&](std::string const& words) {
        return std::any_of(plan->notes.begin(), plan->notes.end(),
            [&](auto const& n) { return n.find(words) != std::string::npos && n.find("your clinician set this") != std::string::npos; });
    };
    EXPECT_TRUE(says("Soft roller only"));
    EXPECT_TRUE(says("Gentle pressure only"));
    // A person reads the zone's plain name; the anatomy is for "Why?" and the therapist's report.
    EXPECT_TRUE(says("Leave out Side of the back"));
    EXPECT_FALSE(says("latissimus"));
    EXPECT_TRUE(says("At most 3 minutes"));
}

TEST_F(Clearance, ReScreeningWithTheSameFlagStaysCleared)
{
    screen({ { "cancer_history", "yes" } });
    ASSERT_TRUE(clear(cancer_cleared_with_limits()));
    m_clock.advance(24h * 10);
    screen({ { "cancer_history", "yes" } });
    EXPECT_TRUE(m_coach->todays_plan());
}

TEST_F(Clearance, ExpiresThreeMonthsAfterTheClinicianDate)
{
    screen({ { "cancer_history", "yes" } });
    ASSERT_TRUE(clear(cancer_cleared_with_limits()));
    m_clock.set_wall(std::chrono::sys_days { std::chrono::year { 2026 } / 4 / 4 } + 20h);
    EXPECT_TRUE(m_coach->todays_plan()) << "still in force on its last day";
    m_clock.set_wall(std::chrono::sys_days { std::chrono::year { 2026 } / 4 / 5 } + 8h);
    auto refused = m_coach->todays_plan();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
    auto listed = m_coach->clearances();
    ASSERT_TRUE(listed);
    EXPECT_EQ((*listed)["clearances"][0]["status"], "expired");
}

TEST_F(Clearance, AnAlreadyExpiredClearanceIsRefused)
{
    screen({ { "cancer_history", "yes" } });
    auto old = cancer_cleared_with_limits();
    old["on"] = "2025-09-01";
    auto added = clear(old);
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, ErrorCode::InvalidData);
    EXPECT_NE(added.error().message.find("a clearance from 1 Sep 2025 ran out on 1 Dec 2025"), std::string::npos) << added.error().message;
}

// The web form and the CLI show these messages as they are: they name what the person filled in
// with the form's words ("Shorter sessions", "Who cleared you"), never a JSON key such as
// max_session_minutes, and repeat at most a short printable excerpt of what was sent.
TEST_F(Clearance, RefusalsSayWhatToFixInTheFormsWordsNotJsonKeys)
{
    screen({ { "cancer_history", "yes" } });
    auto refusal = [&](json const& change) {
        auto request = cancer_cleared_with_limits();
        request.merge_patch(change);
        auto added = clear(request);
        EXPECT_FALSE(added) << change.dump();
        return added ? std::string {} : added.error().message;
    };
    auto const keys = { "max_session_minutes", "excluded_zones", "soft_roller_only", "gentle_pressure_only", "\"by\"", "\"on\"",
        "\"note\"", "covers:", "limits." };
    auto expect_words = [&](std::string const& message, std::string const& words) {
        EXPECT_NE(message.find(words), std::string::npos) << message;
        for (auto const* key : keys)
            EXPECT_EQ(message.find(key), std::string::npos) << key << " in: " << message;
        EXPECT_LT(message.size(), 300u) << message;
    };
    for (auto const& minutes : { json(0), json(61), json(2.5), json("ten") })
        expect_words(refusal({ { "limits", { { "max_session_minutes", minutes } } } }), "Shorter sessions: give whole minutes from 1 to 60");
    expect_words(refusal({ { "by", std::string(501, 'a') } }), "Who cleared you is longer than 500 characters");
    expect_words(refusal({ { "by", "  " } }), "Say who cleared you");
    expect_words(refusal({ { "by", nullptr } }), "Say who cleared you");
    expect_words(refusal({ { "on", "2026-13-40" + std::string(400, '9') } }), "The date they saw you must be a date like 2026-11-20");
    expect_words(refusal({ { "on", "2026-02-01" } }), "The date they saw you (2026-02-01) is in the future");
    expect_words(refusal({ { "note", 7 } }), "Anything else they said must be text");
    expect_words(refusal({ { "limits", { { "excluded_zones", { "spleen" } } } } }), "Leave out: \"spleen\" is not a part of the body");
    expect_words(refusal({ { "limits", { { "soft_roller_only", "yes" } } } }), "Soft roller only must be ticked or not");
    expect_words(refusal({ { "covers", json::array() } }), "What they checked: tick the flagged answers");
}

TEST_F(Clearance, NeverCoversAnEmergency)
{
    screen({ { "saddle_numbness", "yes" }, { "cancer_history", "yes" } });
    auto added = clear({ { "by", "Dr Patel" }, { "on", "2026-01-05" }, { "covers", { "saddle_numbness" } } });
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, ErrorCode::InvalidData);
    EXPECT_NE(added.error().message.find("emergency"), std::string::npos);

    // Covering everything else leaves the emergency in force.
    ASSERT_TRUE(clear({ { "by", "Dr Patel" }, { "on", "2026-01-05" }, { "covers", { "cancer_history" } } }));
    auto refusal = m_coach->refusal();
    ASSERT_TRUE(refusal && *refusal);
    EXPECT_EQ((*refusal)->tier, kb::Tier::Emergency);
    EXPECT_TRUE((*refusal)->clearable.empty());
}

TEST(ClearanceRules, AStoredClearanceNamingAnEmergencyRuleStillLiftsNothing)
{
    // A hand-edited import could name an emergency rule: apply_clearances refuses it anyway.
    kb::Verdict verdict;
    verdict.tier = kb::Tier::Emergency;
    verdict.reasons.push_back({ "saddle_numbness", kb::Tier::Emergency, "numb", "call", {} });
    coach::ClearanceTerms terms;
    terms.cleared_by = "anyone";
    terms.cleared_on = std::chrono::sys_days { std::chrono::year { 2026 } / 1 / 1 };
    terms.covers = { "saddle_numbness" };
    auto lifted = coach::apply_clearances(shipped_kb(), verdict, std::nullopt, { { 1, {}, terms } }, terms.cleared_on + std::chrono::days { 1 }, 3);
    EXPECT_FALSE(lifted.lifted_any);
    EXPECT_EQ(lifted.verdict.tier, kb::Tier::Emergency);
}

TEST_F(Clearance, CoversOnlyAnswersAlreadyFlagged)
{
    screen({ { "cancer_history", "yes" } });
    auto added = clear({ { "by", "Dr Patel" }, { "on", "2026-01-05" }, { "covers", { "cancer_history", "one_leg_numbness" } } });
    ASSERT_FALSE(added);
    EXPECT_NE(added.error().message.find("one_leg_numbness"), std::string::npos);
    EXPECT_NE(added.error().message.find("flagged now: cancer_history"), std::string::npos) << added.error().message;
}

TEST_F(Clearance, DoesNotLiftANewSymptomFromALaterScreening)
{
    screen({ { "cancer_history", "yes" } });
    ASSERT_TRUE(clear(cancer_cleared_with_limits()));
    m_clock.advance(24h * 3);
    screen({ { "cancer_history", "yes" }, { "night_or_rest_pain", "yes" } });
    auto refusal = m_coach->refusal();
    ASSERT_TRUE(refusal && *refusal);
    EXPECT_EQ((*refusal)->tier, kb::Tier::ClinicianSoon);
    EXPECT_EQ((*refusal)->clearable, std::vector<std::string> { "night_or_rest_pain" });
}

TEST_F(Clearance, DoesNotLiftACheckInWarningNewerThanTheClinicianDate)
{
    screen({});
    ASSERT_TRUE(m_coach->submit_checkin(sharp_pain_checkin().dump()));
    ASSERT_FALSE(m_coach->todays_plan());
    ASSERT_TRUE(clear({ { "by", "Physio Sam" }, { "on", "2026-01-05" }, { "covers", { "checkin_sharp_pain" } } }));
    EXPECT_TRUE(m_coach->todays_plan()) << "the warning the physio saw is lifted";

    // Two days later the same sharp pain comes back: new since the clearance, not covered.
    m_clock.advance(48h);
    ASSERT_TRUE(m_coach->submit_checkin(sharp_pain_checkin().dump()));
    auto refusal = m_coach->refusal();
    ASSERT_TRUE(refusal && *refusal);
    EXPECT_EQ((*refusal)->kind, "warning_sign");
    EXPECT_NE((*refusal)->reason.find("your check-in today"), std::string::npos) << (*refusal)->reason;
    auto status = m_coach->status();
    ASSERT_TRUE(status);
    EXPECT_TRUE((*status)["blocked"]);
}

TEST_F(Clearance, BadRequestsAreRefusedWithAMessageAndNothingStored)
{
    screen({ { "cancer_history", "yes" } });
    auto bad = [&](json const& request, std::string const& words) {
        auto added = clear(request);
        ASSERT_FALSE(added) << request.dump();
        EXPECT_EQ(added.error().code, ErrorCode::InvalidData) << request.dump();
        EXPECT_NE(added.error().message.find(words), std::string::npos) << added.error().message;
    };
    json good = cancer_cleared_with_limits();
    bad(json::array(), "JSON object");
    bad([&] { json r = good; r.erase("by"); return r; }(), "Say who cleared you");
    bad([&] { json r = good; r["on"] = "2026-13-01"; return r; }(), "date like");
    bad([&] { json r = good; r["on"] = "2026-02-01"; return r; }(), "in the future");
    bad([&] { json r = good; r["covers"] = json::array(); return r; }(), "What they checked");
    bad([&] { json r = good; r["covers"] = { "no_such_rule" }; return r; }(), "not a safety rule");
    bad([&] { json r = good; r["limits"]["excluded_zones"] = { "moon" }; return r; }(), "not a part of the body");
    bad([&] { json r = good; r["limits"]["max_session_minutes"] = 0; return r; }(), "1 to 60");
    bad([&] { json r = good; r["limits"]["firm"] = true; return r; }(), "unknown limit");
    bad([&] { json r = good; r["expires"] = "never"; return r; }(), "unknown field");
    auto not_json = m_coach->add_clearance("{not json");
    ASSERT_FALSE(not_json);
    EXPECT_EQ(not_json.error().code, ErrorCode::InvalidArgument);
    auto listed = m_coach->clearances();
    ASSERT_TRUE(listed);
    EXPECT_TRUE((*listed)["clearances"].empty());
}

TEST_F(Clearance, SurvivesExportAndImportIntoANewJournal)
{
    screen({ { "cancer_history", "yes" } });
    ASSERT_TRUE(clear(cancer_cleared_with_limits()));
    journal::StringSink sink;
    ASSERT_TRUE(m_coach->export_journal(journal::ExportFormat::Json, "", sink));
    auto const exported = std::optional<std::string>(sink.text());
    auto contents = journal::parse_contents_text(*exported);
    ASSERT_TRUE(contents) << contents.error().message;
    ASSERT_EQ(contents->clearances.size(), 1u);
    EXPECT_EQ(contents->clearances[0].detail["by"], "Dr Patel, GP");
    EXPECT_EQ(contents->clearances[0].detail["covers"], json({ "cancer_history" }));
    EXPECT_EQ(contents->clearances[0].detail["limits"]["max_session_minutes"], 3);
    // Back out through JSON: the same document.
    EXPECT_EQ(journal::to_json(*contents)["clearances"], json::parse(*exported)["clearances"]);

    // Restored into an empty journal, it still lifts the flag within its limits.
    auto copy = journal::open_journal(m_dir / "copy.db", journal::Purpose::Write);
    ASSERT_TRUE(copy);
    for (auto const& s : contents->screenings) {
        ASSERT_TRUE((*copy)->store(s, s.id));
    }
    for (auto const& c : contents->clearances) {
        ASSERT_TRUE((*copy)->store(c, c.id));
    }
    coach::Coach restored(shipped_kb(), std::move(*copy), m_clock);
    auto plan = restored.todays_plan();
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->pressure, plan::Pressure::Gentle);
}

TEST_F(Clearance, ListShowsTheFlagsAndWhatCoversThem)
{
    screen({ { "cancer_history", "yes" }, { "disc_or_slip_diagnosis", "yes" } });
    auto added = clear({ { "by", "Dr Patel" }, { "on", "2026-01-04" }, { "covers", { "cancer_history" } } });
    ASSERT_TRUE(added);
    auto listed = m_coach->clearances();
    ASSERT_TRUE(listed);
    EXPECT_EQ((*listed)["valid_months"], 3);
    for (auto const& flag : (*listed)["flagged"]) {
        if (flag["rule_id"] == "cancer_history") {
            EXPECT_EQ(flag["covered_by"], (*added)["id"]);
        }
        else
            EXPECT_TRUE(flag["covered_by"].is_null());
    }
    // One flag still uncovered: still refused, and the refusal names it.
    auto refusal = m_coach->refusal();
    ASSERT_TRUE(refusal && *refusal);
    EXPECT_EQ((*refusal)->clearable, std::vector<std::string> { "disc_or_slip_diagnosis" });
}

TEST_F(Clearance, EvaluateStoresNothing)
{
    auto before = m_coach->history(100);
    ASSERT_TRUE(before);
    auto verdict = m_coach->evaluate_only(kb::Questionnaire::Screening, R"({"answers": {"saddle_numbness": "yes"}})");
    ASSERT_TRUE(verdict) << verdict.error().message;
    EXPECT_EQ((*verdict)["tier"], "emergency");
    EXPECT_EQ((*verdict)["stored"], false);
    auto after = m_coach->history(100);
    ASSERT_TRUE(after);
    EXPECT_EQ(before->size(), after->size());
    EXPECT_FALSE(m_coach->evaluate_only(kb::Questionnaire::Screening, "{oops"));
    auto wrong = m_coach->evaluate_only(kb::Questionnaire::Screening, R"({"answers": {"saddle_numbness": 7}})");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::InvalidData);
}

TEST_F(Clearance, RefusalSaysTheRightThingForEachTier)
{
    struct Case {
        json answers;
        kb::Tier tier;
        std::string words;
    };
    for (auto const& c : { Case { { { "chest_pain", "yes" } }, kb::Tier::Emergency, "Do not roll" },
             Case { { { "fever_or_chills", "yes" } }, kb::Tier::ClinicianToday, "contact a doctor today" },
             Case { { { "weight_loss", "yes" } }, kb::Tier::ClinicianSoon, "next few days" },
             Case { { { "pregnant", "yes" } }, kb::Tier::ClinicianBeforeRolling, "before you roll" } }) {
        screen(c.answers);
        auto refused = m_coach->todays_plan();
        ASSERT_FALSE(refused);
        auto const& message = refused.error().message;
        EXPECT_NE(message.find(c.words), std::string::npos) << message;
        EXPECT_EQ(message.find("No plan today"), std::string::npos) << message;
        auto refusal = m_coach->refusal();
        ASSERT_TRUE(refusal && *refusal);
        EXPECT_EQ((*refusal)->tier, c.tier);
        auto j = (*refusal)->to_json();
        EXPECT_EQ(j["tier"], kb::to_string(c.tier));
        EXPECT_FALSE(j["reason"].get<std::string>().empty());
        if (c.tier == kb::Tier::Emergency) {
            EXPECT_EQ(message.find("before"), std::string::npos) << message;
        }
    }
}

TEST_F(Clearance, AnUnfinishedScreeningBlocksThePlanAndStatusSaysSo)
{
    screen({});
    ASSERT_TRUE(m_coach->todays_plan());
    // A finished screening is not "unfinished" (the status once read the question ids beside the
    // stored answers, not inside them, and said so after every screening).
    auto finished = m_coach->status();
    ASSERT_TRUE(finished);
    EXPECT_FALSE((*finished)["unfinished"]) << finished->dump();
    ASSERT_TRUE(m_coach->submit_screening(R"({"answers": {}})"));
    auto status = m_coach->status();
    ASSERT_TRUE(status);
    EXPECT_TRUE((*status)["unfinished"]);
    auto refusal = m_coach->refusal();
    ASSERT_TRUE(refusal && *refusal);
    EXPECT_EQ((*refusal)->kind, "unfinished");
    EXPECT_FALSE(m_coach->todays_plan());
}

// The plan notes are read on a phone: an ISO date in their brackets broke across lines at its
// hyphens at 390 px. They say when the clinician cleared the user in words, relative to today.
TEST_F(Clearance, ThePlanNotesSayWhenTheClinicianClearedInWordsNotAnIsoDate)
{
    screen({ { "cancer_history", "yes" } });
    ASSERT_TRUE(clear(cancer_cleared_with_limits()));
    auto says = [](plan::Plan const& plan, std::string const& words) {
        return std::any_of(plan.notes.begin(), plan.notes.end(), [&](auto const& n) { return n.find(words) != std::string::npos; });
    };
    auto no_iso_date = [](plan::Plan const& plan) {
        for (auto const& note : plan.notes)
            if (note.find("2026-") != std::string::npos)
                return false;
        return true;
    };

    auto same_day = m_coach->todays_plan();
    ASSERT_TRUE(same_day) << same_day.error().message;
    EXPECT_TRUE(says(*same_day, "Soft roller only: your clinician set this (Dr Patel, GP, today).")) << json(same_day->notes).dump();
    EXPECT_TRUE(no_iso_date(*same_day)) << json(same_day->notes).dump();

    m_clock.advance(3 * 24h);   // Thursday 8 January; the clearance was on Monday the 5th
    auto later = m_coach->todays_plan();
    ASSERT_TRUE(later) << later.error().message;
    EXPECT_TRUE(says(*later, "your clinician set this (Dr Patel, GP, on Mon 5 Jan).")) << json(later->notes).dump();
    EXPECT_TRUE(no_iso_date(*later)) << json(later->notes).dump();
}

// An emergency sign in a check-in: no clearance covers it, and nothing lifted it, so sessions
// stayed blocked for ever. Once checked and gone, a new screening (which asks the emergency
// questions again) lifts it, as it lifts an emergency answered in a screening.
TEST_F(Clearance, AnEmergencyCheckInIsLiftedByAScreeningTakenAfterIt)
{
    screen({});
    json emergency = sharp_pain_checkin();
    emergency["answers"]["checkin_emergency_signs"] = "yes";
    ASSERT_TRUE(m_coach->submit_checkin(emergency.dump()));
    auto refusal = m_coach->refusal();
    ASSERT_TRUE(refusal && *refusal);
    EXPECT_EQ((*refusal)->kind, "warning_sign");
    EXPECT_EQ((*refusal)->tier, kb::Tier::Emergency);
    EXPECT_NE((*refusal)->what_to_do.find("answer the safety questions again"), std::string::npos) << (*refusal)->what_to_do;
    m_clock.advance(48h);
    EXPECT_FALSE(m_coach->todays_plan()) << "still blocked two days later without a screening";

    screen({});
    auto plan = m_coach->todays_plan();
    EXPECT_TRUE(plan) << plan.error().message;
    auto stats = m_coach->stats(std::chrono::seconds { 0 });
    ASSERT_TRUE(stats);
    EXPECT_TRUE((*stats)["blocked_by_warning"].is_null()) << (*stats)["blocked_by_warning"];
    auto listed = m_coach->clearances();
    ASSERT_TRUE(listed);
    EXPECT_TRUE((*listed)["flagged"].empty()) << (*listed)["flagged"];
}

// History read the journal's "a warning sign is there" as "sessions are paused" even after a
// clearance had lifted it; the coach now says whether it still blocks.
TEST_F(Clearance, StatsSayAWarningNoLongerBlocksOnceAClearanceCoversIt)
{
    screen({});
    ASSERT_TRUE(m_coach->submit_checkin(sharp_pain_checkin().dump()));
    auto before = m_coach->stats(std::chrono::seconds { 0 });
    ASSERT_TRUE(before);
    EXPECT_FALSE((*before)["blocked_by_warning"].is_null());
    ASSERT_TRUE(clear({ { "by", "Physio Sam" }, { "on", "2026-01-05" }, { "covers", { "checkin_sharp_pain" } } }));
    auto after = m_coach->stats(std::chrono::seconds { 0 });
    ASSERT_TRUE(after);
    EXPECT_TRUE((*after)["blocked_by_warning"].is_null()) << (*after)["blocked_by_warning"];
}
