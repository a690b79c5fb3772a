// The therapist's patient list once a clinician has cleared a flagged answer: the flag is shown
// as cleared (who, when) and no longer counts as a warning that sorts the patient first; a flag
// the clearance does not cover stays a warning; the patient's detail keeps the whole history.
#include "clinic_api_fixture.h"
#include "triage/verdict_json.h"

namespace rc::server::test {
namespace {

journal::SessionRecord session_at(WallTime start)
{
    journal::SessionRecord session;
    session.started_at = start;
    session.ended_at = start + 5min;
    session.end_reason = journal::EndReason::Completed;
    session.plan = json::object();
    session.completed_steps = json::array();
    session.skipped_steps = json::array();
    session.cues = json::array();
    return session;
}

// A session the in-session rule `rule_id` stopped: its last stop cue names the rule, as the
// session machine records it.
journal::SessionRecord stopped_at(WallTime start, std::string const& rule_id)
{
    auto session = session_at(start);
    session.end_reason = journal::EndReason::StoppedWarning;
    session.cues = json::array({ { { "kind", "hold_start" }, { "code", "" } }, { { "kind", "stop" }, { "code", rule_id } } });
    return session;
}

std::unique_ptr<journal::PostgresJournal> journal_of(std::string const& uri, std::string const& patient)
{
    journal::PostgresOptions options;
    options.schema = fmt::format("patient_{}", *clinic::parse_patient_key(patient));
    auto journal = journal::PostgresJournal::open(uri, options);
    EXPECT_TRUE(journal) << journal.error().message;
    return journal ? std::move(*journal) : nullptr;
}

TEST_F(ClinicApiTest, ACoveredRedFlagShowsAsClearedAndNoLongerSortsFirstWhileTheDetailKeepsItsHistory)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    auto lee = invite_patient(alex, "Lee", "lee@example.org");
    auto const kim_id = patient_id(kim);
    auto const lee_id = patient_id(lee);
    ASSERT_EQ(call("POST", "/api/screening", flagged_answers(all_clear_answers(kim)), &kim).status, 200);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(lee), &lee).status, 200);
    journal::PostgresOptions options;
    options.schema = fmt::format("patient_{}", *clinic::parse_patient_key(lee_id));
    auto lee_journal = journal::PostgresJournal::open(m_uri, options);
    ASSERT_TRUE(lee_journal) << lee_journal.error().message;
    ASSERT_TRUE((*lee_journal)->add_session(session_at(m_clock.wall_now() - 26h)));

    auto before = body_of(call("GET", "/api/clinic/patients", {}, &alex))["patients"];
    ASSERT_EQ(before.size(), 2u);
    EXPECT_EQ(before[0]["id"], kim_id);
    ASSERT_EQ(before[0]["warnings"].size(), 1u);
    EXPECT_EQ(before[0]["warnings"][0]["kind"], "red_flag");
    EXPECT_EQ(before[0]["warnings"][0]["rule_id"], "cancer_history");
    EXPECT_TRUE(before[0]["cleared"].empty());

    auto cleared = call("POST", "/api/clinic/patients/" + kim_id + "/clearance",
        R"({"by": "Dr Patel, GP", "on": "2026-11-30", "covers": ["cancer_history"]})", &alex);
    ASSERT_EQ(cleared.status, 201) << cleared.body;

    auto after = body_of(call("GET", "/api/clinic/patients", {}, &alex))["patients"];
    ASSERT_EQ(after.size(), 2u);
    EXPECT_EQ(after[0]["id"], lee_id);   // by last session now: Kim never rolled
    EXPECT_EQ(after[1]["id"], kim_id);
    EXPECT_TRUE(after[1]["warnings"].empty()) << after[1].dump();
    ASSERT_EQ(after[1]["cleared"].size(), 1u);
    EXPECT_EQ(after[1]["cleared"][0]["kind"], "red_flag");
    EXPECT_EQ(after[1]["cleared"][0]["rule_id"], "cancer_history");
    EXPECT_EQ(after[1]["cleared"][0]["cleared_by"], "Dr Patel, GP");
    EXPECT_EQ(after[1]["cleared"][0]["cleared_on"], "2026-11-30");

    auto detail = body_of(call("GET", "/api/clinic/patients/" + kim_id, {}, &alex));
    EXPECT_TRUE(detail["patient"]["warnings"].empty());
    EXPECT_EQ(detail["patient"]["cleared"].size(), 1u);
    ASSERT_EQ(detail["screenings"].size(), 1u);   // the flagged screening is still in the history
    ASSERT_EQ(detail["clearances"].size(), 1u);
    EXPECT_EQ(detail["clearances"][0]["by"], "Dr Patel, GP");
}

TEST_F(ClinicApiTest, AWarningTheClearanceDoesNotCoverStaysAWarning)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    auto const kim_id = patient_id(kim);
    ASSERT_EQ(call("POST", "/api/screening", flagged_answers(all_clear_answers(kim)), &kim).status, 200);
    ASSERT_EQ(call("POST", "/api/clinic/patients/" + kim_id + "/clearance",
                  R"({"by": "Dr Patel, GP", "on": "2026-11-30", "covers": ["cancer_history"]})", &alex)
                  .status,
        201);

    // After the clinician's date: a new symptom, which no clearance covers.
    journal::PostgresOptions options;
    options.schema = fmt::format("patient_{}", *clinic::parse_patient_key(kim_id));
    auto journal = journal::PostgresJournal::open(m_uri, options);
    ASSERT_TRUE(journal) << journal.error().message;
    journal::CheckIn warning;
    warning.at = m_clock.wall_now() - 2h;
    warning.soreness = 7;
    warning.warning = journal::WarningSign::Present;
    warning.tier = "clinician_soon";
    warning.verdict = { { "tier", "clinician_soon" },
        { "reasons", json::array({ { { "rule_id", "sharp_pain_after" }, { "tier", "clinician_soon" }, { "message", "Sharp pain after rolling." } } }) } };
    ASSERT_TRUE((*journal)->add_checkin(warning));

    auto list = body_of(call("GET", "/api/clinic/patients", {}, &alex))["patients"];
    ASSERT_EQ(list.size(), 1u);
    ASSERT_EQ(list[0]["warnings"].size(), 1u);
    EXPECT_EQ(list[0]["warnings"][0]["kind"], "checkin_warning");
    EXPECT_EQ(list[0]["warnings"][0]["rule_id"], "sharp_pain_after");
    ASSERT_EQ(list[0]["cleared"].size(), 1u);
    EXPECT_EQ(list[0]["cleared"][0]["rule_id"], "cancer_history");
}

// Two screened patients of Alex's, Kim and Lee, with their journals open to add sessions to.
class SessionStopListTest : public ClinicApiTest {
protected:
    void SetUp() override
    {
        ClinicApiTest::SetUp();
        if (HasFatalFailure())
            return;
        alex = log_in("alex@clinic.example", "therapist-password-1");
        kim = invite_patient(alex, "Kim", "kim@example.org");
        lee = invite_patient(alex, "Lee", "lee@example.org");
        kim_id = patient_id(kim);
        lee_id = patient_id(lee);
        ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(kim), &kim).status, 200);
        ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(lee), &lee).status, 200);
        kim_journal = journal_of(m_uri, kim_id);
        lee_journal = journal_of(m_uri, lee_id);
        ASSERT_TRUE(kim_journal && lee_journal);
    }

    Login alex, kim, lee;
    std::string kim_id, lee_id;
    std::unique_ptr<journal::PostgresJournal> kim_journal, lee_journal;
};

// The list says what holds a patient's sessions back, by the coach's own rule (coach/session_stop.h):
// a stop for numbness down one leg is a warning naming the sign, and the patient's next plan is
// refused, until a clearance covers it; then both lift together. A stop for dizziness holds
// nothing back and is listed as a stopped session, not a warning sign.
TEST_F(SessionStopListTest, ASessionStoppedForAWarningSignIsAWarningUntilTheClearanceThatLetsThePatientRollAgain)
{
    ASSERT_TRUE(kim_journal->add_session(session_at(m_clock.wall_now() - 50h)));
    ASSERT_TRUE(kim_journal->add_session(stopped_at(m_clock.wall_now() - 2h, "stop_numbness_one_leg")));
    ASSERT_TRUE(lee_journal->add_session(stopped_at(m_clock.wall_now() - 1h, "stop_dizziness")));

    auto list = body_of(call("GET", "/api/clinic/patients", {}, &alex))["patients"];
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0]["id"], kim_id) << "a warning sign sorts first, though Lee rolled later";
    ASSERT_EQ(list[0]["warnings"].size(), 1u) << list[0].dump();
    EXPECT_EQ(list[0]["warnings"][0]["kind"], "session_stop");
    EXPECT_EQ(list[0]["warnings"][0]["rule_id"], "stop_numbness_one_leg");
    EXPECT_EQ(list[0]["warnings"][0]["tier"], "clinician_before_rolling");
    EXPECT_EQ(list[0]["warnings"][0]["text"], "Numbness or tingling down one leg could be a sign that a nerve is irritated.");
    EXPECT_EQ(call("GET", "/api/plan", {}, &kim).status, 409) << "the patient's plan is held back by the same stop";
    EXPECT_TRUE(list[1]["warnings"].empty()) << "dizziness needs no clinician: " << list[1].dump();
    ASSERT_EQ(list[1]["stopped"].size(), 1u);
    EXPECT_EQ(list[1]["stopped"][0]["event"], "dizziness");
    EXPECT_EQ(list[1]["stopped"][0]["rule_id"], "stop_dizziness");
    EXPECT_EQ(call("GET", "/api/plan", {}, &lee).status, 200);

    // A clearance can only cover what is flagged now, so nothing else can lift it by mistake.
    auto other = call("POST", "/api/clinic/patients/" + kim_id + "/clearance",
        R"({"by": "Dr Patel, GP", "on": "2026-12-01", "covers": ["stop_sharp_pain"]})", &alex);
    EXPECT_EQ(other.status, 422) << other.body;
    EXPECT_EQ(body_of(call("GET", "/api/clinic/patients", {}, &alex))["patients"][0]["warnings"].size(), 1u);
    EXPECT_EQ(call("GET", "/api/plan", {}, &kim).status, 409);

    ASSERT_EQ(call("POST", "/api/clinic/patients/" + kim_id + "/clearance",
                  R"({"by": "Sam Reid, physiotherapist", "on": "2026-12-01", "covers": ["stop_numbness_one_leg"]})", &alex).status, 201);
    auto after = body_of(call("GET", "/api/clinic/patients", {}, &alex))["patients"];
    auto const& kim_after = after[0]["id"] == kim_id ? after[0] : after[1];
    EXPECT_TRUE(kim_after["warnings"].empty()) << kim_after.dump();
    ASSERT_EQ(kim_after["cleared"].size(), 1u);
    EXPECT_EQ(kim_after["cleared"][0]["kind"], "session_stop");
    EXPECT_EQ(kim_after["cleared"][0]["cleared_by"], "Sam Reid, physiotherapist");
    EXPECT_EQ(kim_after["cleared"][0]["cleared_on"], "2026-12-01");
    EXPECT_EQ(kim_after["cleared"][0]["lifted_by"], "clearance");
    EXPECT_EQ(call("GET", "/api/plan", {}, &kim).status, 200) << "the list and the plan lift together";
}

// An emergency sign is never cleared by a clearance: once the person has been checked and it has
// gone, a new screening (which asks the emergency questions again) lifts it, in the list as in the
// plan; the same for an emergency sign reported at a check-in.
TEST_F(ClinicApiTest, AnEmergencyStopOrCheckInSignIsLiftedInTheListByAScreeningTakenSince)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    auto const kim_id = patient_id(kim);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(kim), &kim).status, 200);
    auto journal = journal_of(m_uri, kim_id);
    ASSERT_TRUE(journal);
    m_clock.set_wall(m_clock.wall_now() + 1h);
    journal::CheckIn warning;
    warning.at = m_clock.wall_now() - 30min;
    warning.soreness = 3;
    warning.warning = journal::WarningSign::Present;
    warning.tier = "emergency";
    kb::Verdict verdict;   // as the check-in records it (triage's JSON, which the coach reads back)
    verdict.tier = kb::Tier::Emergency;
    verdict.reasons.push_back({ "checkin_emergency_signs", kb::Tier::Emergency, "Numbness around the bottom.", "Go to A&E now.", {} });
    warning.verdict = verdict;
    ASSERT_TRUE(journal->add_checkin(warning));
    ASSERT_TRUE(journal->add_session(stopped_at(m_clock.wall_now() - 20min, "stop_saddle_numbness")));

    auto before = body_of(call("GET", "/api/clinic/patients", {}, &alex))["patients"][0];
    std::vector<std::string> kinds;
    for (auto const& w : before["warnings"])
        kinds.push_back(w["kind"].get<std::string>() + ":" + w["rule_id"].get<std::string>());
    std::sort(kinds.begin(), kinds.end());
    EXPECT_EQ(kinds, (std::vector<std::string> { "checkin_warning:checkin_emergency_signs", "session_stop:stop_saddle_numbness" })) << before.dump();
    EXPECT_EQ(call("GET", "/api/plan", {}, &kim).status, 409);

    m_clock.set_wall(m_clock.wall_now() + 3h);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(kim), &kim).status, 200);
    auto after = body_of(call("GET", "/api/clinic/patients", {}, &alex))["patients"][0];
    EXPECT_TRUE(after["warnings"].empty()) << after.dump();
    ASSERT_EQ(after["cleared"].size(), 2u) << after.dump();
    for (auto const& c : after["cleared"]) {
        EXPECT_EQ(c["lifted_by"], "screening");
        EXPECT_TRUE(c["cleared_by"].is_null());
        EXPECT_EQ(c["cleared_on"], "2026-12-01");
    }
    auto plan = call("GET", "/api/plan", {}, &kim);
    EXPECT_EQ(plan.status, 200) << plan.body;
}

// The latest session's stop holds the sessions back however long ago it was, so the list shows it
// past the 28-day window; an earlier stop that a session since has left behind is history.
TEST_F(SessionStopListTest, TheLatestSessionsStopShowsHoweverOldWhileAStopLeftBehindIsHistory)
{
    ASSERT_TRUE(kim_journal->add_session(stopped_at(m_clock.wall_now() - 40 * 24h, "stop_numbness_one_leg")));
    ASSERT_TRUE(lee_journal->add_session(stopped_at(m_clock.wall_now() - 10 * 24h, "stop_numbness_one_leg")));
    ASSERT_TRUE(lee_journal->add_session(session_at(m_clock.wall_now() - 2 * 24h)));

    auto list = body_of(call("GET", "/api/clinic/patients", {}, &alex))["patients"];
    ASSERT_EQ(list.size(), 2u);
    auto const& kim_row = list[0]["id"] == kim_id ? list[0] : list[1];
    auto const& lee_row = list[0]["id"] == kim_id ? list[1] : list[0];
    EXPECT_EQ(list[0]["id"], kim_id) << "the warning sorts first";
    ASSERT_EQ(kim_row["warnings"].size(), 1u) << kim_row.dump();
    EXPECT_EQ(kim_row["warnings"][0]["kind"], "session_stop");
    EXPECT_EQ(call("GET", "/api/plan", {}, &kim).status, 409);
    EXPECT_TRUE(lee_row["warnings"].empty()) << lee_row.dump();
    ASSERT_EQ(lee_row["stopped"].size(), 1u) << lee_row.dump();
    EXPECT_EQ(lee_row["stopped"][0]["rule_id"], "stop_numbness_one_leg");
    EXPECT_EQ(lee_row["stopped"][0]["event"], "numbness_one_leg");
    EXPECT_EQ(call("GET", "/api/plan", {}, &lee).status, 200);
}

}
}
