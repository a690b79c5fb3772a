// Journal: the storage seam. Every front-end (CLI, terminal coach, web server) records and reads
// the user's history through this interface only, so a PostgreSQL backend can be added later
// without touching callers (see docs/journal.md, "Adding a backend").
//
// Contract for every implementation:
// - a write that returned a RecordId survives a crash or power loss (durable before returning);
// - writers in several processes never lose an update and never report "locked";
// - times come from the caller; "today" for statistics is in the request;
// - every failure is a Result error with a message that says what, where and how to fix.
//
//   auto journal = SqliteJournal::open(path, Creation::CreateIfMissing);
//   if (!journal) return report(journal.error());
//   (*journal)->add_pain({ .at = clock.wall_now(), .value = 3 });
#pragma once

#include "common/result.h"
#include "journal/records.h"
#include "journal/stats.h"
#include "plan/profile.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <variant>
#include <vector>

namespace rc::journal {

// Natural keys: the values that make two records the same record, whatever their ids. Which
// fields form a key is the coach's decision (coach/import_merge.h); a backend only looks them up.
struct ScreeningKey { WallTime taken_at; std::string tier; nlohmann::json answers; };
struct SessionKey { WallTime started_at; WallTime ended_at; EndReason end_reason; };
struct PainKey { WallTime at; int value; PainMoment moment; };
struct CheckInKey { WallTime at; int soreness; };
struct NoteKey { WallTime at; std::string text; };
struct ClearanceKey { WallTime at; };
using RecordKey = std::variant<ScreeningKey, SessionKey, PainKey, CheckInKey, NoteKey, ClearanceKey>;

// Any record a journal stores under an id (the profile is a single document, not one of them).
using AnyRecord = std::variant<ScreeningRecord, SessionRecord, PainRating, CheckIn, Note, Clearance>;

class Journal {
public:
    virtual ~Journal() = default;

    // The schema version of the open journal.
    virtual Result<int> schema_version() = 0;

    virtual Result<std::optional<Profile>> find_profile() = 0;
    virtual Result<void> save_profile(Profile const& profile) = 0;
    // Read-modify-write in one transaction: `change` gets the current document (an empty object
    // if none) and returns the new one. Two processes updating at once never lose an update.
    virtual Result<Profile> update_profile(WallTime at,
        std::function<nlohmann::json(nlohmann::json)> const& change) = 0;

    virtual Result<RecordId> add_screening(ScreeningRecord const& screening) = 0;
    virtual Result<RecordId> add_session(SessionRecord const& session) = 0;
    virtual Result<RecordId> add_pain(PainRating const& rating) = 0;
    virtual Result<RecordId> add_checkin(CheckIn const& checkin) = 0;
    virtual Result<RecordId> add_note(Note const& note) = 0;
    virtual Result<RecordId> add_clearance(Clearance const& clearance) = 0;

    virtual Result<std::optional<SessionRecord>> find_session(RecordId id) = 0;
    virtual Result<std::optional<SessionRecord>> find_latest_session() = 0;
    virtual Result<std::optional<ScreeningRecord>> find_latest_screening() = 0;
    // The newest warning-sign check-in with no bare (pre-schema-4, empty-detail) clearance after it.
    virtual Result<std::optional<CheckIn>> find_uncleared_warning() = 0;
    // The newest check-in (its answers and verdict), if any.
    virtual Result<std::optional<CheckIn>> find_latest_checkin() = 0;
    // Every clearance, oldest first; what each one lifts is the coach's decision
    // (coach/clearance.h). The default reads export_json(); a backend may answer with one query.
    virtual Result<std::vector<Clearance>> find_clearances();

    // Records newest first: the newest `limit` of every kind together (history(int)), or as the
    // query asks (records.h, HistoryQuery).
    virtual Result<std::vector<HistoryEntry>> history(HistoryQuery const& query) = 0;
    Result<std::vector<HistoryEntry>> history(int limit) { return history(HistoryQuery { limit }); }
    virtual Result<Stats> compute_stats(StatsRequest const& request) = 0;
    // What the planner reads (rc::plan::History): sessions of the last 28 days, next-day soreness
    // of the last 14 days (oldest first), and an uncleared warning-sign check-in. Uses
    // request.now and request.utc_offset only.
    virtual Result<plan::History> history_for_planning(StatsRequest const& request) = 0;
    virtual Result<int> count_records() = 0;

    // The whole journal as one JSON document (format in docs/journal.md). Importing it back
    // (restore or merge) is the coach's: coach::import_journal.
    virtual Result<nlohmann::json> export_json() = 0;
    // Every stored record, one at a time, for exports that must not hold the whole journal in memory:
    // screenings, sessions (with their pain ratings), pain ratings, check-ins, notes, clearances; each
    // kind oldest first. `visit` returning an error stops the walk and is returned.
    virtual Result<void> visit_records(std::function<Result<void>(AnyRecord const&)> const& visit) = 0;

    // The id of a stored record whose key fields equal `key`, if there is one (the oldest).
    virtual Result<std::optional<RecordId>> find_id(RecordKey const& key) = 0;
    // Stores one record as it is, under `id` or under a new id; returns the id. Unlike add_*, a
    // session's pain ratings are not stored with it (they are records of their own) and no
    // rule is applied beyond the schema's (references must exist, ids must be free).
    virtual Result<RecordId> store(AnyRecord const& record, std::optional<RecordId> id) = 0;
    // Runs `work` in one write transaction: all of its writes, or none when it returns an error.
    // Journal calls inside `work` join that transaction.
    virtual Result<void> in_write_transaction(std::function<Result<void>()> const& work) = 0;

    // A consistent copy while other processes keep writing. Refuses to overwrite `destination`.
    virtual Result<void> backup_to(std::filesystem::path const& destination) = 0;
};

}
