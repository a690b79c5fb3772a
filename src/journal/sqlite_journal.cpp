#include "journal/sqlite_journal.h"

#include "journal/record_json.h"
#include "journal/sqlite_support.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <fmt/core.h>
#include <map>
#include <thread>
#include <type_traits>
#include <variant>
#include <unistd.h>

namespace rc::journal {

using namespace sqlite;

namespace {

// Whether a write-ahead log with records not yet merged into the journal file lies next to it.
bool has_unmerged_log(fs::path const& path)
{
    std::error_code ec;
    auto const size = fs::file_size(fs::path(path.string() + "-wal"), ec);
    return !ec && size > 0;
}

// The journal as a read-only, immutable SQLite URI (https://www.sqlite.org/uri.html): the path
// percent-encoded where a URI needs it.
std::string immutable_uri(fs::path const& path)
{
    auto const absolute = fs::absolute(path).string();
    std::string uri = "file:";
    for (unsigned char c : absolute) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~')
            uri += char(c);
        else
            uri += fmt::format("%{:02X}", c);
    }
    return uri + "?mode=ro&immutable=1";
}

}

// One wait is a run of busy-handler calls: SQLite calls it again and again while a lock is held,
// and the retries in sqlite_support.h call it afresh within milliseconds. A pause of over a
// second between calls means the last wait ended and a new one begins.
struct SqliteJournal::LockWaiter {
    LockWait policy;
    std::optional<std::chrono::steady_clock::time_point> since;
    std::chrono::steady_clock::time_point last_call;
    bool told { false };
    bool gave_up { false };

    static int on_busy(void* data, int count)
    {
        using namespace std::chrono;
        auto& self = *static_cast<LockWaiter*>(data);
        auto now = steady_clock::now();
        if (!self.since || (count == 0 && now - self.last_call > 1s)) {
            self.since = now;
            self.told = self.gave_up = false;
        }
        auto const waited = duration_cast<milliseconds>(now - *self.since);
        if (waited >= self.policy.limit) {
            if (!self.gave_up && self.policy.on_gave_up)
                self.policy.on_gave_up(waited);
            self.gave_up = true;
            self.last_call = now;
            return 0;
        }
        if (!self.told && waited >= self.policy.notice_after) {
            self.told = true;
            if (self.policy.on_waiting)
                self.policy.on_waiting(self.policy.limit);
        }
        std::this_thread::sleep_for(std::min(milliseconds(20), self.policy.limit - waited));
        self.last_call = steady_clock::now();
        return 1;
    }
};

// Opening (checks, migrations) and the single-record reads and writes; the history and
// statistics queries are in sqlite_queries.cpp, export, import and backup in sqlite_transfer.cpp.

SqliteJournal::SqliteJournal(fs::path path, std::unique_ptr<LockWaiter> waiter, std::unique_ptr<SQLite::Database> db)
    : m_path(std::move(path))
    , m_waiter(std::move(waiter))
    , m_db(std::move(db))
{
}

SqliteJournal::~SqliteJournal() = default;

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::open(fs::path const& path, Creation creation)
{
    SqliteOptions options;
    options.creation = creation;
    return open(path, std::move(options));
}

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::open(fs::path const& path, SqliteOptions options)
{
    std::error_code ec;
    bool exists = fs::exists(path, ec);
    if (ec)
        return Error::storage(fmt::format("Cannot look at {}: {}. Check the path and its permissions.", path.string(), ec.message()));
    if (exists && !fs::is_regular_file(path, ec))
        return Error::storage(fmt::format("{} is not a file; pass --db with the path of a journal file.", path.string()));
    bool const read_only = options.mode == OpenMode::ReadOnly;
    if (!exists && read_only)
        return Error::not_found(fmt::format("There is no journal at {} yet: nothing has been logged.", path.string()));
    if (!exists) {
        auto directory = path.parent_path().empty() ? fs::path(".") : path.parent_path();
        switch (options.creation) {
        case Creation::MustExist:
            return Error::not_found(fmt::format("There is no journal at {} yet: nothing has been logged.", path.string()));
        case Creation::CreateFileOnly:
            if (!fs::is_directory(directory, ec))
                return Error::storage(fmt::format("Cannot create a journal at {}: the folder {} does not exist. "
                                                  "Create it first or pass --db with another path.",
                    path.string(), directory.string()));
            break;
        case Creation::CreateIfMissing:
            fs::create_directories(directory, ec);
            if (ec)
                return Error::storage(fmt::format("Cannot create the folder {} for the journal: {}. "
                                                  "Pass --db with a writable path.",
                    directory.string(), ec.message()));
            break;
        }
    }

    int latest = options.target_version.value_or(latest_schema_version(options.migrations));
    auto waiter = std::make_unique<LockWaiter>();
    waiter->policy = std::move(options.lock_wait);
    std::unique_ptr<SQLite::Database> db;
    auto open_database = [&](std::string const& target, int extra_flags) -> Result<void> {
        try {
            int flags = read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE | (exists ? 0 : SQLite::OPEN_CREATE);
            db = std::make_unique<SQLite::Database>(target, flags | extra_flags);
            sqlite3_busy_handler(db->getHandle(), &LockWaiter::on_busy, waiter.get());
        } catch (SQLite::Exception const& e) {
            return storage_error(path, "open the journal", e.getErrorCode(), e.getErrorStr());
        }
        return {};
    };
    TRY(open_database(path.string(), 0));

    // Look before touching anything: every check below runs before the first write.
    auto check = [&] { return in_transaction(*db, path, "open the journal", Access::Read, [&]() -> int {
        if (!read_only && sqlite3_db_readonly(db->getHandle(), "main") == 1)
            throw Refusal { storage_error(path, "open the journal for writing", SQLITE_READONLY, "") };
        int version = int(scalar(*db, "PRAGMA user_version"));
        std::int64_t app_id = scalar(*db, "PRAGMA application_id");
        std::int64_t tables = scalar(*db, "SELECT count(*) FROM sqlite_schema");
        if ((version > 0 && app_id != application_id) || (version == 0 && (tables > 0 || app_id != 0)))
            throw Refusal { Error::storage(fmt::format("{} is an SQLite database but not a rollcoach journal; "
                                                       "rollcoach will not change it. Pass --db with another file.",
                path.string())) };
        if (version > latest_schema_version(options.migrations))
            throw Refusal { Error::conflict(fmt::format("The journal {} was written by a newer rollcoach (schema {}; this "
                                                        "version knows up to {}). Update rollcoach; the journal was not changed.",
                path.string(), version, latest_schema_version(options.migrations))) };
        if (version > 0) {
            SQLite::Statement check(*db, "PRAGMA quick_check");
            if (!check.executeStep() || check.getColumn(0).getString() != "ok")
                throw Refusal { storage_error(path, "open the journal", SQLITE_CORRUPT, "integrity check failed") };
        }
        return version;
    }); };
    auto checked = check();
    if (!checked && read_only && checked.error().code == ErrorCode::Storage && !has_unmerged_log(path)) {
        // A WAL journal is read through its -shm index, which SQLite must create next to the
        // file: a read-only journal in a folder we cannot write (a backup on read-only media,
        // another user's folder) fails there. With no write-ahead log left to merge, the file
        // alone holds every record, so it is read as immutable: no index, no locks.
        TRY(open_database(immutable_uri(path), SQLite::OPEN_URI));
        checked = check();
    }
    if (!checked)
        return checked.error();
    if (read_only) {
        if (*checked < latest)
            return Error::conflict(fmt::format("The journal {} has an older layout (schema {}) that this rollcoach reads only after "
                                               "upgrading it; run a command that writes (rollcoach log pain 0 --note upgrade, or "
                                               "rollcoach serve) once, then try again.",
                path.string(), *checked));
        return std::unique_ptr<SqliteJournal>(new SqliteJournal(path, std::move(waiter), std::move(db)));
    }

    // Refused at once while another process writes (a new journal it is filling): waited for as
    // any lock is, through the waiter (its notice, its limit).
    auto lock_wait = [&waiter, count = 0]() mutable { return LockWaiter::on_busy(waiter.get(), count++) != 0; };
    TRY(exec_outside_transaction(*db, path, "open the journal", "PRAGMA journal_mode = WAL", lock_wait));
    // FULL: with WAL, NORMAL may lose the last commits on power loss; FULL syncs the log on every
    // commit, so an acknowledged write survives.
    TRY(exec_outside_transaction(*db, path, "open the journal", "PRAGMA synchronous = FULL"));
    TRY(exec_outside_transaction(*db, path, "open the journal", "PRAGMA foreign_keys = ON"));

    if (options.max_pages) {
        auto cap = fmt::format("PRAGMA max_page_count = {}", *options.max_pages);
        TRY(exec_outside_transaction(*db, path, "open the journal", cap.c_str()));
    }

    if (*checked < latest) {
        auto migrated = in_transaction(*db, path, "upgrade the journal", Access::Write, [&] {
            // Another process may have migrated while we waited for the write lock.
            int version = int(scalar(*db, "PRAGMA user_version"));
            for (auto const& migration : options.migrations) {
                if (migration.version <= version || migration.version > latest)
                    continue;
                db->exec(migration.sql);
                db->exec(fmt::format("PRAGMA user_version = {}", migration.version));
            }
        });
        if (!migrated)
            return migrated.error();
    }
    return std::unique_ptr<SqliteJournal>(new SqliteJournal(path, std::move(waiter), std::move(db)));
}

Result<int> SqliteJournal::schema_version()
{
    return in_transaction(*m_db, m_path, "read the schema version", Access::Read,
        [&] { return int(scalar(*m_db, "PRAGMA user_version")); });
}

Result<std::optional<Profile>> SqliteJournal::find_profile()
{
    return in_transaction(*m_db, m_path, "read the profile", Access::Read, [&] { return read_profile(*m_db); });
}

Result<void> SqliteJournal::save_profile(Profile const& profile)
{
    return in_transaction(*m_db, m_path, "save the profile", Access::Write, [&] { write_profile(*m_db, profile); });
}

Result<Profile> SqliteJournal::update_profile(WallTime at, std::function<json(json)> const& change)
{
    return in_transaction(*m_db, m_path, "update the profile", Access::Write, [&] {
        auto current = read_profile(*m_db);
        Profile updated { at, change(current ? current->document : json::object()) };
        write_profile(*m_db, updated);
        return updated;
    });
}

Result<RecordId> SqliteJournal::add_screening(ScreeningRecord const& screening)
{
    return in_transaction(*m_db, m_path, "save the screening", Access::Write, [&] { return insert_screening(*m_db, screening); });
}

Result<RecordId> SqliteJournal::add_session(SessionRecord const& session)
{
    return in_transaction(*m_db, m_path, "save the session", Access::Write, [&] { return insert_session(*m_db, session); });
}

Result<RecordId> SqliteJournal::add_pain(PainRating const& rating)
{
    return in_transaction(*m_db, m_path, "save the pain rating", Access::Write, [&] {
        check_session_exists(*m_db, rating.session_id);
        return insert_pain(*m_db, rating);
    });
}

Result<RecordId> SqliteJournal::add_checkin(CheckIn const& checkin)
{
    return in_transaction(*m_db, m_path, "save the check-in", Access::Write, [&] {
        check_session_exists(*m_db, checkin.session_id);
        return insert_checkin(*m_db, checkin);
    });
}

Result<RecordId> SqliteJournal::add_note(Note const& note)
{
    if (note.text.empty())
        return Error::invalid_argument("A note needs some text.");
    return in_transaction(*m_db, m_path, "save the note", Access::Write, [&] {
        check_session_exists(*m_db, note.session_id);
        return insert_note(*m_db, note);
    });
}

Result<RecordId> SqliteJournal::add_clearance(Clearance const& clearance)
{
    return in_transaction(*m_db, m_path, "save the clearance", Access::Write, [&] { return insert_clearance(*m_db, clearance); });
}

Result<std::optional<SessionRecord>> SqliteJournal::find_session(RecordId id)
{
    return in_transaction(*m_db, m_path, "read the session", Access::Read,
        [&] { return read_full_session(*m_db, "WHERE id = ?", id); });
}

Result<std::optional<SessionRecord>> SqliteJournal::find_latest_session()
{
    return in_transaction(*m_db, m_path, "read the latest session", Access::Read,
        [&] { return read_full_session(*m_db, "ORDER BY started_at DESC, id DESC LIMIT 1", std::nullopt); });
}

Result<std::optional<ScreeningRecord>> SqliteJournal::find_latest_screening()
{
    return in_transaction(*m_db, m_path, "read the latest screening", Access::Read, [&]() -> std::optional<ScreeningRecord> {
        SQLite::Statement statement(*m_db, "SELECT id, taken_at, tier, answers, verdict FROM screenings "
                                           "ORDER BY taken_at DESC, id DESC LIMIT 1");
        if (!statement.executeStep())
            return std::nullopt;
        return read_screening(statement);
    });
}

Result<std::vector<Clearance>> SqliteJournal::find_clearances()
{
    return in_transaction(*m_db, m_path, "read the clearances", Access::Read, [&] {
        std::vector<Clearance> clearances;
        SQLite::Statement statement(*m_db, fmt::format("SELECT {} FROM clearances ORDER BY recorded_at, id", clearance_columns));
        while (statement.executeStep())
            clearances.push_back(read_clearance(statement));
        return clearances;
    });
}

}
