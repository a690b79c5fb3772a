// The therapist's patient list: for every patient, read from the tables of their journal's schema:
// the last session, the days rolled in the last 28 days, background pain ratings (before a session
// or on their own) of the last 28 days, the newest screening, warning-sign check-ins and sessions
// stopped for a safety reason in the last 28 days (and the latest session's stop however old). The
// window is 28 whole days (UTC), today included.
//
// Warnings follow the rules the coach plans with, so the list says what holds the patient's
// sessions back, no more and no less:
// - A flagged answer (a screening's red flag, a check-in's warning sign) that a clinician's
//   clearance in force covers (coach/clearance.h: covers()) moves to "cleared" with who cleared it
//   and on which day ("lifted_by": "clearance"), and no longer sorts the patient first. An
//   emergency sign at a check-in moves there once a screening has been taken since
//   ("lifted_by": "screening", "cleared_by": null).
// - A session stopped for a sign that needs a clinician (coach/session_stop.h: numbness, sharp
//   pain) is a "session_stop" warning naming the sign while it is the latest session and nothing
//   has lifted it; lifted (a clearance covering the rule, or for an emergency a screening since)
//   it is "cleared". Stops that need no clinician (dizziness, "feels wrong"), stops whose rule the
//   knowledge base does not have, and earlier stops that no longer hold anything back are listed
//   under "stopped" ({"at", "rule_id", "event"}): history, not warning signs.
// The patient's detail still lists the screening, the check-in, the session and the clearance.
//
// adherence_4w = distinct days with a session / days planned (the weekly goal, 5, times 4 weeks),
// at most 1. Sorted: patients with warnings first, then by last session, newest first.
//
// Kept, not recomputed: a patient's summary depends only on their journal, today's date and the
// clearance's validity. Each journal counts its own writes (data/migrations/postgresql/
// 0002_change_counter.sql: a trigger on every table, in the writer's own transaction, whoever the
// writer is), so a SummaryCache keeps each summary with the counter read BEFORE its records, the
// day and the months; a summary is used again only while all three are unchanged. A write that
// commits after the counter was read moves it, so the next list reads that patient again; a
// journal without the counter (not yet upgraded, and the upgrade failed) is read every time.
//
//   SummaryCache cache;   // one per server process
//   auto list = TRY(patient_summaries(store, TRY(store.patients_of(therapist)), clock.wall_now(), kb, cache));
#pragma once

#include "clinic/clinic_store.h"
#include "knowledge/model.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace rc::clinic {

inline constexpr int planned_days_per_week = 5;

// "p_12" <-> 12 (the ids the API shows).
std::string patient_key(AccountId id);
std::optional<AccountId> parse_patient_key(std::string const& key);

// What a list needs of one patient's journal, kept between lists (see above). Thread-safe.
class SummaryCache {
public:
    struct Entry {
        std::string schema;
        std::int64_t counter { 0 };   // journal_changes.counter, read before the records
        std::int64_t day { 0 };       // days since 1970-01-01 (UTC) of the reading
        int months { 0 };             // the clearance's validity the summary was made with
        std::shared_ptr<nlohmann::json const> summary;   // last_session, adherence_4w, pain_trend, warnings, cleared
        std::int64_t last_session_ms { -1 };
    };
    std::optional<Entry> find(AccountId patient) const;
    void keep(AccountId patient, Entry entry);
    // How many patients' journals were read (not taken from here), since the start: for the tests.
    std::uint64_t journals_read() const;
    void count_read(std::uint64_t journals);

private:
    mutable std::mutex m_mutex;
    std::unordered_map<AccountId, Entry> m_entries;
    std::uint64_t m_read { 0 };
};

// {"id", "name", "email", "last_session", "adherence_4w", "pain_trend", "warnings", "cleared", "stopped"}
// per patient; each of "cleared" is a warning plus "cleared_by" (null for a bare clearance or a
// screening), "cleared_on" and "lifted_by" ("clearance" or "screening").
// A patient's journal that predates the change counter is upgraded first (PostgresJournal::open).
Result<nlohmann::json> patient_summaries(ClinicStore& store, std::vector<Account> const& patients, WallTime now, kb::KnowledgeBase const& kb,
    SummaryCache& cache);
}
