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
#include <vector>

namespace rc::journal {

// import_json into a journal that already holds records: refuse, or add what is not there yet.
enum class ImportMode { RefuseIfNotEmpty, Merge };

struct ImportSummary {
    int added { 0 };        // records written
    int skipped { 0 };      // records already present (merge only)
};

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
    // The newest warning-sign check-in with no clearance after it: sessions are blocked.
    virtual Result<std::optional<CheckIn>> find_uncleared_warning() = 0;

    // Every kind of record, newest first.
    virtual Result<std::vector<HistoryEntry>> history(int limit) = 0;
    virtual Result<Stats> compute_stats(StatsRequest const& request) = 0;
    // What the planner reads (rc::plan::History): sessions of the last 28 days, next-day soreness
    // of the last 14 days (oldest first), and an uncleared warning-sign check-in. Uses
    // request.now and request.utc_offset only.
    virtual Result<plan::History> history_for_planning(StatsRequest const& request) = 0;
    virtual Result<int> count_records() = 0;

    // The whole journal as one JSON document (format in docs/journal.md); import_json restores
    // it exactly (same ids) into an empty journal, or merges without losing either side.
    virtual Result<nlohmann::json> export_json() = 0;
    virtual Result<ImportSummary> import_json(nlohmann::json const& document, ImportMode mode) = 0;

    // A consistent copy while other processes keep writing. Refuses to overwrite `destination`.
    virtual Result<void> backup_to(std::filesystem::path const& destination) = 0;
};

}
