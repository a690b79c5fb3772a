#include "journal/sqlite_journal.h"

#include "journal/backup_file.h"
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

namespace rc::journal {

using namespace sqlite;

// The whole journal out (export, backup), and the lookup and storage an import needs (the
// import itself, restore or merge, is the coach's: coach/import_merge.cpp).

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
        SQLite::Statement clearances(*m_db, fmt::format("SELECT {} FROM clearances ORDER BY id", clearance_columns));
        while (clearances.executeStep())
            contents.clearances.push_back(read_clearance(clearances));
        return to_json(contents);
    });
}

namespace {

// Rows are read a page at a time, each page in a short read transaction of its own, and handed to
// the visitor after that transaction ends: memory holds one page whatever the journal's size,
// and a slow visitor (a download) never keeps a read transaction open.
constexpr int page_size = 256;

template<typename Read>
Result<void> visit_pages(SQLite::Database& db, fs::path const& path, Read read_page,
    std::function<Result<void>(AnyRecord const&)> const& visit)
{
    RecordId after = 0;
    for (;;) {
        std::vector<AnyRecord> page = TRY(in_transaction(db, path, "read the journal", Access::Read, [&] { return read_page(after); }));
        for (auto const& record : page)
            TRY(visit(record));
        if (page.size() < std::size_t(page_size))
            return {};
        after = std::visit([](auto const& r) { return r.id; }, page.back());
    }
}

std::vector<AnyRecord> read_sessions_page(SQLite::Database& db, RecordId after)
{
    std::vector<SessionRecord> sessions;
    SQLite::Statement rows(db, fmt::format("SELECT {} FROM sessions WHERE id > ? ORDER BY id LIMIT {}", session_columns, page_size));
    rows.bind(1, std::int64_t(after));
    while (rows.executeStep())
        sessions.push_back(read_session_row(rows));
    if (!sessions.empty()) {
        std::map<RecordId, SessionRecord*> by_id;
        for (auto& s : sessions)
            by_id[s.id] = &s;
        auto const first = sessions.front().id;
        auto const last = sessions.back().id;
        auto children = [&](std::string const& sql, int key_column, auto add) {
            SQLite::Statement child(db, sql);
            child.bind(1, std::int64_t(first));
            child.bind(2, std::int64_t(last));
            while (child.executeStep())
                if (auto it = by_id.find(child.getColumn(key_column).getInt64()); it != by_id.end())
                    add(*it->second, child);
        };
        children("SELECT session_id, zone_id, seconds FROM session_zones WHERE session_id BETWEEN ? AND ? ORDER BY session_id, zone_id", 0,
            [](SessionRecord& s, SQLite::Statement& row) {
                s.zones.push_back({ row.getColumn(1).getString(), std::chrono::seconds(row.getColumn(2).getInt64()) });
            });
        children("SELECT session_id, zone_id, seconds FROM tender_spots WHERE session_id BETWEEN ? AND ? ORDER BY id", 0,
            [](SessionRecord& s, SQLite::Statement& row) {
                s.tender_spots.push_back({ row.getColumn(1).getString(), std::chrono::seconds(row.getColumn(2).getInt64()) });
            });
        // pain_columns holds session_id at index 4: the rating's own reader serves here too.
        children(fmt::format("SELECT {} FROM pain_ratings WHERE session_id BETWEEN ? AND ? ORDER BY recorded_at, id", pain_columns), 4,
            [](SessionRecord& s, SQLite::Statement& row) { s.pain.push_back(read_pain(row)); });
    }
    return { std::make_move_iterator(sessions.begin()), std::make_move_iterator(sessions.end()) };
}

}

Result<void> SqliteJournal::visit_records(std::function<Result<void>(AnyRecord const&)> const& visit)
{
    auto& db = *m_db;
    TRY(visit_pages(db, m_path, [&](RecordId after) {
        std::vector<AnyRecord> page;
        SQLite::Statement rows(db, fmt::format("SELECT id, taken_at, tier, answers, verdict FROM screenings WHERE id > ? ORDER BY id LIMIT {}", page_size));
        rows.bind(1, std::int64_t(after));
        while (rows.executeStep())
            page.push_back(read_screening(rows));
        return page;
    }, visit));
    TRY(visit_pages(db, m_path, [&](RecordId after) { return read_sessions_page(db, after); }, visit));
    TRY(visit_pages(db, m_path, [&](RecordId after) {
        std::vector<AnyRecord> page;
        SQLite::Statement rows(db, fmt::format("SELECT {} FROM pain_ratings WHERE id > ? ORDER BY id LIMIT {}", pain_columns, page_size));
        rows.bind(1, std::int64_t(after));
        while (rows.executeStep())
            page.push_back(read_pain(rows));
        return page;
    }, visit));
    TRY(visit_pages(db, m_path, [&](RecordId after) {
        std::vector<AnyRecord> page;
        SQLite::Statement rows(db, fmt::format("SELECT {} FROM checkins WHERE id > ? ORDER BY id LIMIT {}", checkin_columns, page_size));
        rows.bind(1, std::int64_t(after));
        while (rows.executeStep())
            page.push_back(read_checkin(rows));
        return page;
    }, visit));
    TRY(visit_pages(db, m_path, [&](RecordId after) {
        std::vector<AnyRecord> page;
        SQLite::Statement rows(db, fmt::format("SELECT id, recorded_at, session_id, text FROM notes WHERE id > ? ORDER BY id LIMIT {}", page_size));
        rows.bind(1, std::int64_t(after));
        while (rows.executeStep())
            page.push_back(Note { rows.getColumn(0).getInt64(), from_unix_ms(rows.getColumn(1).getInt64()),
                optional_id(rows.getColumn(2)), rows.getColumn(3).getString() });
        return page;
    }, visit));
    return visit_pages(db, m_path, [&](RecordId after) {
        std::vector<AnyRecord> page;
        SQLite::Statement rows(db, fmt::format("SELECT {} FROM clearances WHERE id > ? ORDER BY id LIMIT {}", clearance_columns, page_size));
        rows.bind(1, std::int64_t(after));
        while (rows.executeStep())
            page.push_back(read_clearance(rows));
        return page;
    }, visit);
}

namespace {

using Value = std::variant<std::int64_t, std::string>;

std::optional<RecordId> find_first(SQLite::Database& db, char const* sql, std::vector<Value> const& values)
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

struct KeyQuery {
    SQLite::Database& db;
    std::optional<RecordId> operator()(ScreeningKey const& k) const
    {
        return find_first(db, "SELECT id FROM screenings WHERE taken_at = ? AND tier = ? AND answers = ? ORDER BY id",
            { ms(k.taken_at), k.tier, k.answers.dump() });
    }
    std::optional<RecordId> operator()(SessionKey const& k) const
    {
        return find_first(db, "SELECT id FROM sessions WHERE started_at = ? AND ended_at = ? AND end_reason = ? ORDER BY id",
            { ms(k.started_at), ms(k.ended_at), std::string(to_string(k.end_reason)) });
    }
    std::optional<RecordId> operator()(PainKey const& k) const
    {
        return find_first(db, "SELECT id FROM pain_ratings WHERE recorded_at = ? AND value = ? AND moment = ? ORDER BY id",
            { ms(k.at), std::int64_t(k.value), std::string(to_string(k.moment)) });
    }
    std::optional<RecordId> operator()(CheckInKey const& k) const
    {
        return find_first(db, "SELECT id FROM checkins WHERE recorded_at = ? AND soreness = ? ORDER BY id",
            { ms(k.at), std::int64_t(k.soreness) });
    }
    std::optional<RecordId> operator()(NoteKey const& k) const
    {
        return find_first(db, "SELECT id FROM notes WHERE recorded_at = ? AND text = ? ORDER BY id", { ms(k.at), k.text });
    }
    std::optional<RecordId> operator()(ClearanceKey const& k) const
    {
        return find_first(db, "SELECT id FROM clearances WHERE recorded_at = ? ORDER BY id", { ms(k.at) });
    }
};

struct Store {
    SQLite::Database& db;
    std::optional<RecordId> id;
    RecordId operator()(ScreeningRecord const& r) const { return insert_screening(db, r, id); }
    RecordId operator()(SessionRecord const& r) const { return insert_session(db, r, id, false); }
    RecordId operator()(PainRating const& r) const { return insert_pain(db, r, id); }
    RecordId operator()(CheckIn const& r) const { return insert_checkin(db, r, id); }
    RecordId operator()(Note const& r) const { return insert_note(db, r, id); }
    RecordId operator()(Clearance const& r) const { return insert_clearance(db, r, id); }
};

}

Result<std::optional<RecordId>> SqliteJournal::find_id(RecordKey const& key)
{
    return in_transaction(*m_db, m_path, "look up a record", Access::Read, [&] { return std::visit(KeyQuery { *m_db }, key); });
}

Result<RecordId> SqliteJournal::store(AnyRecord const& record, std::optional<RecordId> id)
{
    return in_transaction(*m_db, m_path, "store a record", Access::Write, [&] { return std::visit(Store { *m_db, id }, record); });
}

Result<void> SqliteJournal::in_write_transaction(std::function<Result<void>()> const& work)
{
    return in_transaction(*m_db, m_path, "write to the journal", Access::Write, [&] {
        // Refusal rolls the transaction back and hands the error on.
        if (auto done = work(); !done)
            throw Refusal { done.error() };
    });
}

Result<void> SqliteJournal::backup_to(fs::path const& destination)
{
    return write_backup_file(destination, [&](fs::path const& partial) -> Result<void> {
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
            return storage_error(destination, "write the backup", e.getErrorCode(), e.getErrorStr());
        }
        return {};
    });
}

}

