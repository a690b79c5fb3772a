#include "journal/sqlite_journal.h"

#include "journal/record_json.h"
#include "journal/sqlite_support.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <fmt/core.h>
#include <map>
#include <thread>
#include <type_traits>
#include <variant>
#include <unistd.h>

namespace rc::journal {

using namespace sqlite;

// The whole journal out (export, backup) and in (import: restore or merge).

Result<json> SqliteJournal::export_json()
{
    return in_transaction(*m_db, m_path, "export the journal", Access::Read, [&] {
        JournalContents contents;
        contents.schema_version = int(scalar(*m_db, "PRAGMA user_version"));
        contents.profile = read_profile(*m_db);
        SQLite::Statement screenings(*m_db, "SELECT id, taken_at, tier, answers, verdict FROM screenings ORDER BY id");
        while (screenings.executeStep())
            contents.screenings.push_back({ screenings.getColumn(0).getInt64(), from_unix_ms(screenings.getColumn(1).getInt64()),
                screenings.getColumn(2).getString(), parse_document(screenings.getColumn(3)),
                parse_document(screenings.getColumn(4)) });
        std::map<RecordId, std::size_t> session_index;
        SQLite::Statement sessions(*m_db, fmt::format("SELECT {} FROM sessions ORDER BY id", session_columns));
        while (sessions.executeStep()) {
            contents.sessions.push_back(read_session_row(sessions));
            session_index[contents.sessions.back().id] = contents.sessions.size() - 1;
        }
        // One pass per child table instead of one query per session.
        SQLite::Statement zones(*m_db, "SELECT session_id, zone_id, seconds FROM session_zones ORDER BY session_id, zone_id");
        while (zones.executeStep())
            contents.sessions[session_index.at(zones.getColumn(0).getInt64())].zones.push_back(
                { zones.getColumn(1).getString(), std::chrono::seconds(zones.getColumn(2).getInt64()) });
        SQLite::Statement spots(*m_db, "SELECT session_id, zone_id, seconds FROM tender_spots ORDER BY id");
        while (spots.executeStep())
            contents.sessions[session_index.at(spots.getColumn(0).getInt64())].tender_spots.push_back(
                { spots.getColumn(1).getString(), std::chrono::seconds(spots.getColumn(2).getInt64()) });
        SQLite::Statement pain(*m_db, fmt::format("SELECT {} FROM pain_ratings ORDER BY id", pain_columns));
        while (pain.executeStep())
            contents.pain_ratings.push_back(read_pain(pain));
        SQLite::Statement checkins(*m_db, fmt::format("SELECT {} FROM checkins ORDER BY id", checkin_columns));
        while (checkins.executeStep())
            contents.checkins.push_back(read_checkin(checkins));
        SQLite::Statement notes(*m_db, "SELECT id, recorded_at, session_id, text FROM notes ORDER BY id");
        while (notes.executeStep())
            contents.notes.push_back({ notes.getColumn(0).getInt64(), from_unix_ms(notes.getColumn(1).getInt64()),
                optional_id(notes.getColumn(2)), notes.getColumn(3).getString() });
        SQLite::Statement clearances(*m_db, "SELECT id, recorded_at, note FROM clearances ORDER BY id");
        while (clearances.executeStep())
            contents.clearances.push_back({ clearances.getColumn(0).getInt64(), from_unix_ms(clearances.getColumn(1).getInt64()),
                clearances.getColumn(2).getString() });
        return to_json(contents);
    });
}

namespace {

// Merging: a record counts as already present when its natural key matches (same time and the
// same defining values), so importing the same export twice adds nothing the second time.
std::optional<RecordId> find_existing(SQLite::Database& db, std::string const& sql, std::vector<std::variant<std::int64_t, std::string>> const& values)
{
    SQLite::Statement statement(db, sql);
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (auto const* number = std::get_if<std::int64_t>(&values[i]))
            statement.bind(int(i) + 1, *number);
        else
            statement.bind(int(i) + 1, std::get<std::string>(values[i]));
    }
    if (!statement.executeStep())
        return std::nullopt;
    return statement.getColumn(0).getInt64();
}

std::optional<RecordId> remap(std::map<RecordId, RecordId> const& ids, std::optional<RecordId> id)
{
    if (!id)
        return std::nullopt;
    return ids.at(*id);
}

}

Result<ImportSummary> SqliteJournal::import_json(json const& document, ImportMode mode)
{
    auto const contents = TRY(parse_contents(document));
    return in_transaction(*m_db, m_path, "import the journal", Access::Write, [&] {
        ImportSummary summary;
        auto existing = scalar(*m_db,
            "SELECT (SELECT count(*) FROM profile) + (SELECT count(*) FROM screenings) + (SELECT count(*) FROM sessions) "
            "+ (SELECT count(*) FROM pain_ratings) + (SELECT count(*) FROM checkins) + (SELECT count(*) FROM notes) "
            "+ (SELECT count(*) FROM clearances)");
        if (existing > 0 && mode == ImportMode::RefuseIfNotEmpty)
            throw Refusal { Error::conflict(fmt::format("The journal {} already holds {} records, so the import was not "
                                                        "applied. Import into a new journal (--db NEW_FILE), or pass --merge "
                                                        "to add the records it does not have yet.",
                m_path.string(), existing)) };
        if (existing == 0) {
            // Exact restore: same ids, so references and a re-export are identical.
            if (contents.profile) {
                write_profile(*m_db, *contents.profile);
                ++summary.added;
            }
            for (auto const& s : contents.screenings)
                insert_screening(*m_db, s, s.id);
            for (auto const& s : contents.sessions)
                insert_session(*m_db, s, s.id, false);
            for (auto const& r : contents.pain_ratings)
                insert_pain(*m_db, r, r.id);
            for (auto const& c : contents.checkins)
                insert_checkin(*m_db, c, c.id);
            for (auto const& n : contents.notes)
                insert_note(*m_db, n, n.id);
            for (auto const& c : contents.clearances)
                insert_clearance(*m_db, c, c.id);
            summary.added += int(contents.screenings.size() + contents.sessions.size() + contents.pain_ratings.size()
                + contents.checkins.size() + contents.notes.size() + contents.clearances.size());
            return summary;
        }
        // Merge: new ids for new records, references remapped, nothing already here is touched.
        auto count = [&](std::optional<RecordId> found) {
            if (found)
                ++summary.skipped;
            else
                ++summary.added;
        };
        if (contents.profile) {
            auto current = read_profile(*m_db);
            bool newer = !current || contents.profile->updated_at > current->updated_at;
            if (newer)
                write_profile(*m_db, *contents.profile);
            if (newer)
                ++summary.added;
            else
                ++summary.skipped;
        }
        std::map<RecordId, RecordId> screening_ids, session_ids;
        for (auto const& s : contents.screenings) {
            auto found = find_existing(*m_db, "SELECT id FROM screenings WHERE taken_at = ? AND tier = ? AND answers = ?",
                { ms(s.taken_at), s.tier, s.answers.dump() });
            count(found);
            screening_ids[s.id] = found ? *found : insert_screening(*m_db, s);
        }
        for (auto s : contents.sessions) {
            s.screening_id = remap(screening_ids, s.screening_id);
            auto found = find_existing(*m_db, "SELECT id FROM sessions WHERE started_at = ? AND ended_at = ? AND end_reason = ?",
                { ms(s.started_at), ms(s.ended_at), std::string(to_string(s.end_reason)) });
            count(found);
            session_ids[s.id] = found ? *found : insert_session(*m_db, s, std::nullopt, false);
        }
        for (auto r : contents.pain_ratings) {
            r.session_id = remap(session_ids, r.session_id);
            auto found = find_existing(*m_db, "SELECT id FROM pain_ratings WHERE recorded_at = ? AND value = ? AND moment = ?",
                { ms(r.at), std::int64_t(r.value), std::string(to_string(r.moment)) });
            count(found);
            if (!found)
                insert_pain(*m_db, r);
        }
        for (auto c : contents.checkins) {
            c.session_id = remap(session_ids, c.session_id);
            auto found = find_existing(*m_db, "SELECT id FROM checkins WHERE recorded_at = ? AND soreness = ?",
                { ms(c.at), std::int64_t(c.soreness) });
            count(found);
            if (!found)
                insert_checkin(*m_db, c);
        }
        for (auto n : contents.notes) {
            n.session_id = remap(session_ids, n.session_id);
            auto found = find_existing(*m_db, "SELECT id FROM notes WHERE recorded_at = ? AND text = ?", { ms(n.at), n.text });
            count(found);
            if (!found)
                insert_note(*m_db, n);
        }
        for (auto const& c : contents.clearances) {
            auto found = find_existing(*m_db, "SELECT id FROM clearances WHERE recorded_at = ?", { ms(c.at) });
            count(found);
            if (!found)
                insert_clearance(*m_db, c);
        }
        return summary;
    });
}

Result<void> SqliteJournal::backup_to(fs::path const& destination)
{
    std::error_code ec;
    if (fs::exists(destination, ec))
        return Error::conflict(fmt::format("{} already exists; rollcoach backup never overwrites a file. "
                                           "Choose a new name or remove the old file first.",
            destination.string()));
    auto directory = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
    if (!fs::is_directory(directory, ec))
        return Error::io(fmt::format("Cannot write the backup {}: the folder {} does not exist.", destination.string(),
            directory.string()));
    // Copy into a temporary name, then rename: a backup interrupted half-way never looks complete.
    auto partial = directory / fmt::format(".{}.partial-{}", destination.filename().string(), ::getpid());
    fs::remove(partial, ec);
    try {
        {
            SQLite::Database target(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            SQLite::Backup backup(target, *m_db);
            // One step copies every page under one read transaction: a consistent snapshot even
            // while other processes write (WAL readers do not block writers).
            for (int attempt = 0;; ++attempt) {
                int rc = backup.executeStep(-1);
                if (rc == SQLITE_DONE)
                    break;
                if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempt < busy_retries) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
                    continue;
                }
                throw SQLite::Exception("backup did not finish", rc);
            }
        }
        SQLite::Database check(partial, SQLite::OPEN_READWRITE);
        check.exec("PRAGMA journal_mode = DELETE");
        SQLite::Statement integrity(check, "PRAGMA integrity_check");
        if (!integrity.executeStep() || integrity.getColumn(0).getString() != "ok")
            throw SQLite::Exception("the copy failed its integrity check", SQLITE_CORRUPT);
    } catch (SQLite::Exception const& e) {
        fs::remove(partial, ec);
        return storage_error(destination, "write the backup", e.getErrorCode(), e.getErrorStr());
    }
    if (fs::exists(destination, ec)) {
        fs::remove(partial, ec);
        return Error::conflict(fmt::format("{} appeared while the backup was written; it was left alone.", destination.string()));
    }
    fs::rename(partial, destination, ec);
    if (ec) {
        fs::remove(partial, ec);
        return Error::io(fmt::format("Cannot write the backup {}: {}.", destination.string(), ec.message()));
    }
    return {};
}

}

