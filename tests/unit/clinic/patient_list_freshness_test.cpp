// The therapist's list keeps each patient's summary while their journal's change counter stands
// still (clinic/patient_summary.h). These tests write a warning sign through every path that can
// write a journal (the patient's own page, a second server process, the spool's replay, SQL straight
// into the tables) and ask the very next list for it; a path the counter missed would leave a red
// flag out of the list. They also check that the kept summaries are used (nothing written: no
// journal read again) and that the date alone, with no write, moves adherence.
#include "clinic_api_fixture.h"
#include "coach/coach.h"
#include "server/record_spool.h"

#include <pqxx/pqxx>
#include <unistd.h>

namespace rc::server::test {
namespace {

journal::SessionRecord session_at(WallTime start, journal::EndReason reason = journal::EndReason::Completed)
{
    journal::SessionRecord session;
    session.started_at = start;
    session.ended_at = start + 5min;
    session.end_reason = reason;
    session.plan = json::object();
    session.completed_steps = json::array();
    session.skipped_steps = json::array();
    session.cues = json::array();
    return session;
}

class PatientListFreshness : public ClinicApiTest {
protected:

    json list(Login const& therapist)
    {
        auto response = call("GET", "/api/clinic/patients", {}, &therapist);
        EXPECT_EQ(response.status, 200) << response.body;
        return body_of(response)["patients"];
    }

    static json const& find(json const& patients, std::string const& id)
    {
        for (auto const& p : patients)
            if (p["id"] == id)
                return p;
        ADD_FAILURE() << id << " is not in the list";
        static json const none = json::object();
        return none;
    }

    static std::vector<std::string> kinds(json const& entries)
    {
        std::vector<std::string> out;
        for (auto const& e : entries)
            out.push_back(e["kind"].get<std::string>() + (e["rule_id"].get<std::string>().empty() ? "" : ":" + e["rule_id"].get<std::string>()));
        return out;
    }

    static std::string schema_of(std::string const& id) { return fmt::format("patient_{}", *clinic::parse_patient_key(id)); }

    void admin(std::string const& sql)
    {
        pqxx::connection connection(m_uri);
        pqxx::work tx(connection);
        tx.exec(sql);
        tx.commit();
    }

    std::int64_t ms(WallTime at) { return journal::to_unix_ms(at); }
    std::uint64_t journals_read() const { return m_api->summaries().journals_read(); }
};

TEST_F(PatientListFreshness, AWarningWrittenThroughAnyPathIsInTheVeryNextListAndAClearanceTurnsItCleared)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    auto lee = invite_patient(alex, "Lee", "lee@example.org");
    auto const kim_id = patient_id(kim);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(kim), &kim).status, 200);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(lee), &lee).status, 200);

    EXPECT_TRUE(find(list(alex), kim_id)["warnings"].empty());
    // Nothing written since: the next list reads no journal again.
    auto const read = journals_read();
    EXPECT_TRUE(find(list(alex), kim_id)["warnings"].empty());
    EXPECT_EQ(journals_read(), read);

    // 1. The patient's own page on this server.
    ASSERT_EQ(call("POST", "/api/screening", flagged_answers(all_clear_answers(kim)), &kim).status, 200);
    EXPECT_EQ(kinds(find(list(alex), kim_id)["warnings"]), std::vector<std::string> { "red_flag:cancer_history" });
    EXPECT_EQ(journals_read(), read + 1) << "only Kim's journal changed";

    // 2. A second server process on the same database (its own store, its own kept summaries).
    auto other_store = clinic::ClinicStore::open(m_uri);
    ASSERT_TRUE(other_store) << other_store.error().message;
    ClinicOptions options;
    options.database = m_uri;
    ClinicApi other(rc::test::shipped_kb(), **other_store, m_clock, options);
    auto cleared = call_on(other, "POST", "/api/clinic/patients/" + kim_id + "/clearance",
        R"({"by": "Dr Patel, GP", "on": "2026-11-30", "covers": ["cancer_history"]})", &alex);
    ASSERT_EQ(cleared.status, 201) << cleared.body;
    auto after_clearance = find(list(alex), kim_id);
    EXPECT_TRUE(after_clearance["warnings"].empty()) << after_clearance.dump();
    EXPECT_EQ(kinds(after_clearance["cleared"]), std::vector<std::string> { "red_flag:cancer_history" });
    ASSERT_EQ(call_on(other, "POST", "/api/screening", flagged_answers(all_clear_answers(kim)), &kim).status, 200);
    // A new flagged screening after the clearance: the clearance covers the rule, so it reads cleared;
    // the other server's list agrees with this one's.
    EXPECT_EQ(find(list(alex), kim_id), find(body_of(call_on(other, "GET", "/api/clinic/patients", {}, &alex))["patients"], kim_id));

    // 3. SQL straight into the journal's tables (an administrator, a restore, a tool).
    admin(fmt::format("INSERT INTO {}.checkins (recorded_at, soreness, warning_sign, tier, answers, verdict) VALUES ({}, 2, true, "
                      "'clinician_soon', '{{}}', '{{\"tier\": \"clinician_soon\", \"reasons\": [{{\"rule_id\": \"checkin_nerve_symptoms\", "
                      "\"tier\": \"clinician_soon\", \"message\": \"Numbness is not normal soreness.\"}}]}}')",
        schema_of(kim_id), ms(m_clock.wall_now() - 1h)));
    EXPECT_EQ(kinds(find(list(alex), kim_id)["warnings"]), std::vector<std::string> { "checkin_warning:checkin_nerve_symptoms" });

    // 4. The spool's replay of a session record the database refused earlier: a session stopped
    // for a safety reason.
    auto const directory = std::filesystem::temp_directory_path() / fmt::format("rc-list-spool-{}", ::getpid());
    std::filesystem::remove_all(directory);
    {
        auto spool = RecordSpool::open(directory);
        ASSERT_TRUE(spool) << spool.error().message;
        auto stopped = session_at(m_clock.wall_now() - 30min, journal::EndReason::StoppedWarning);
        stopped.cues = json::array({ { { "kind", "stop" }, { "code", "stop_sharp_pain" } } });
        auto put = (*spool)->put(schema_of(kim_id), stopped);
        ASSERT_TRUE(put) << put.error().message;
        (*spool)->release(*put);
        auto const replayed = replay_spool(**spool, [&](std::string const& schema) -> Result<std::shared_ptr<coach::Coach>> {
            journal::PostgresOptions journal_options;
            journal_options.schema = schema;
            auto journal = TRY(journal::PostgresJournal::open(m_uri, journal_options));
            return std::make_shared<coach::Coach>(rc::test::shipped_kb(), std::move(journal), m_clock);
        });
        EXPECT_EQ(replayed.written, 1u);
    }
    std::filesystem::remove_all(directory);
    EXPECT_EQ(kinds(find(list(alex), kim_id)["warnings"]),
        (std::vector<std::string> { "checkin_warning:checkin_nerve_symptoms", "session_stop:stop_sharp_pain" }));
    EXPECT_EQ(list(alex)[0]["id"], kim_id) << "warning signs come first";
}

TEST_F(PatientListFreshness, TheDayRollingOverChangesAdherenceWithoutAnyWrite)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto lee = invite_patient(alex, "Lee", "lee@example.org");
    auto const lee_id = patient_id(lee);
    journal::PostgresOptions options;
    options.schema = schema_of(lee_id);
    auto journal = journal::PostgresJournal::open(m_uri, options);
    ASSERT_TRUE(journal) << journal.error().message;
    // Today is 2026-12-01; the window is 28 days, today included: from 2026-11-04.
    auto const today = std::chrono::floor<std::chrono::days>(m_clock.wall_now());
    for (int days_ago : { 27, 10, 3, 1 })
        ASSERT_TRUE((*journal)->add_session(session_at(today - std::chrono::days(days_ago) + 7h)));

    EXPECT_DOUBLE_EQ(find(list(alex), lee_id)["adherence_4w"].get<double>(), 0.2);   // 4 days of 20 planned
    m_clock.advance(24h);
    alex = log_in("alex@clinic.example", "therapist-password-1");   // a login lasts 12 hours
    auto const read = journals_read();
    EXPECT_DOUBLE_EQ(find(list(alex), lee_id)["adherence_4w"].get<double>(), 0.15);   // the day 28 days ago has left the window
    EXPECT_EQ(journals_read(), read + 1);
    EXPECT_EQ(find(list(alex), lee_id)["last_session"], "2026-11-30");
}

TEST_F(PatientListFreshness, AJournalFromBeforeTheCounterIsUpgradedByTheListAndShowsItsRedFlag)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    auto const kim_id = patient_id(kim);
    ASSERT_EQ(call("POST", "/api/screening", flagged_answers(all_clear_answers(kim)), &kim).status, 200);
    auto const s = schema_of(kim_id);
    // As a journal written by the previous version: schema 1, no counter, no triggers.
    admin(fmt::format("DROP TABLE {0}.journal_changes; DROP FUNCTION {0}.count_journal_change() CASCADE; "
                      "UPDATE {0}.rollcoach_schema SET version = 1",
        s));

    // A fresh server (nothing kept): the list upgrades the journal and shows the flag.
    ClinicOptions options;
    options.database = m_uri;
    m_api = std::make_unique<ClinicApi>(rc::test::shipped_kb(), *m_store, m_clock, options);
    EXPECT_EQ(kinds(find(list(alex), kim_id)["warnings"]), std::vector<std::string> { "red_flag:cancer_history" });
    pqxx::connection connection(m_uri);
    pqxx::work tx(connection);
    EXPECT_EQ(tx.exec(fmt::format("SELECT version FROM {}.rollcoach_schema", s))[0][0].as<int>(),
        journal::latest_schema_version(journal::embedded_postgres_migrations()));
    tx.commit();
    auto const read = journals_read();
    EXPECT_EQ(kinds(find(list(alex), kim_id)["warnings"]), std::vector<std::string> { "red_flag:cancer_history" });
    EXPECT_EQ(journals_read(), read) << "counted from now on";
}

}
}

namespace rc::server::test {
namespace {

TEST_F(ClinicApiTest, ThePatientDetailListsTheNewestOfEachKindFirstAndMoreOnRequest)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    auto const kim_id = patient_id(kim);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(kim), &kim).status, 200);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(kim), &kim).status, 200);

    auto const all_there = json { { "sessions", true }, { "checkins", true }, { "screenings", true } };
    auto first = body_of(call("GET", "/api/clinic/patients/" + kim_id, {}, &alex));
    EXPECT_EQ(first["history"], (json { { "limit", 50 }, { "complete", true }, { "complete_kinds", all_there } }));
    EXPECT_EQ(first["screenings"].size(), 2u);
    auto one = call("GET", "/api/clinic/patients/" + kim_id + "?history=1", {}, &alex);
    ASSERT_EQ(one.status, 200) << one.body;
    auto partial = all_there;
    partial["screenings"] = false;   // one of two: more to show; the empty kinds are complete
    EXPECT_EQ(body_of(one)["history"], (json { { "limit", 1 }, { "complete", false }, { "complete_kinds", partial } }));
    EXPECT_EQ(body_of(one)["screenings"].size(), 1u);
    for (auto const* bad : { "0", "5001", "ten", "-3", "" })
        EXPECT_EQ(call("GET", "/api/clinic/patients/" + kim_id + "?history=" + bad, {}, &alex).status, 400) << bad;
}

}
}
