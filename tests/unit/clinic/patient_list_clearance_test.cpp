// The therapist's patient list once a clinician has cleared a flagged answer: the flag is shown
// as cleared (who, when) and no longer counts as a warning that sorts the patient first; a flag
// the clearance does not cover stays a warning; the patient's detail keeps the whole history.
#include "clinic_api_fixture.h"

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

}
}
