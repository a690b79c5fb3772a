// Internal to the SQLite backend (sqlite_journal.cpp, sqlite_queries.cpp, sqlite_transfer.cpp):
// transactions with busy retries, errors worded for the user, and the row readers and writers the
// three files share. Not part of the journal's interface.
#pragma once

#include "common/result.h"
#include "journal/records.h"
#include "journal/stats.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <filesystem>
#include <fmt/core.h>
#include <functional>
#include <optional>
#include <thread>
#include <type_traits>

namespace rc::journal::sqlite {

namespace fs = std::filesystem;
using nlohmann::json;

inline constexpr std::int64_t application_id = 0x52434A4E;   // 'RCJN', set by 0001_init.sql
inline constexpr int busy_retries = 20;

// Thrown inside a transaction body to roll back and return a user-facing error (not retried).
struct Refusal {
    Error error;
};

Error storage_error(fs::path const& path, char const* action, int code, std::string const& detail);

enum class Access { Read, Write };

// Runs `body` in a transaction (BEGIN IMMEDIATE for writes, so two writers queue instead of
// deadlocking) and commits. While another process holds the lock, the journal's busy handler
// waits (SqliteOptions::lock_wait); a SQLITE_BUSY that SQLite returns without waiting is retried
// here with a short backoff, so a lock delays us up to the limit and then surfaces as a Storage
// error that says so, never as "database is locked".
template<typename F>
auto in_transaction(SQLite::Database& db, fs::path const& path, char const* action, Access access, F&& body)
    -> Result<std::invoke_result_t<F>>
{
    using T = std::invoke_result_t<F>;
    // Inside Journal::in_write_transaction the body joins the open transaction, which holds the
    // write lock already: no transaction of its own, no busy retry.
    bool const nested = sqlite3_get_autocommit(db.getHandle()) == 0;
    for (int attempt = 0;; ++attempt) {
        try {
            std::optional<SQLite::Transaction> transaction;
            if (!nested)
                transaction.emplace(db,
                    access == Access::Write ? SQLite::TransactionBehavior::IMMEDIATE : SQLite::TransactionBehavior::DEFERRED);
            if constexpr (std::is_void_v<T>) {
                body();
                if (transaction)
                    transaction->commit();
                return Result<void> {};
            } else {
                T value = body();
                if (transaction)
                    transaction->commit();
                return value;
            }
        } catch (Refusal const& refusal) {
            return refusal.error;
        } catch (SQLite::Exception const& e) {
            int code = e.getErrorCode() & 0xff;
            if (!nested && (code == SQLITE_BUSY || code == SQLITE_LOCKED) && attempt < busy_retries) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10 * (attempt + 1)));
                continue;
            }
            return storage_error(path, action, e.getErrorCode(), e.getErrorStr());
        } catch (json::exception const& e) {
            return Error::storage(fmt::format("Could not {}: a stored document in {} is not valid JSON ({}).", action,
                path.string(), e.what()));
        } catch (std::exception const& e) {
            return Error::storage(fmt::format("Could not {} in {}: {}.", action, path.string(), e.what()));
        }
    }
}

// PRAGMAs that must not run inside a transaction, with the same busy retry. Switching to WAL
// needs the file to itself, and SQLite refuses it at once, without its busy handler, while
// another process holds a write lock: `keep_waiting` (given by the journal's opening: its lock
// wait, told and bounded alike) then decides each retry instead of the short backoff.
Result<void> exec_outside_transaction(SQLite::Database& db, fs::path const& path, char const* action, char const* sql,
    std::function<bool()> const& keep_waiting = {});

inline constexpr char const* checkin_columns = "id, recorded_at, session_id, soreness, warning_sign, tier, answers, verdict";
inline constexpr char const* session_columns =
    "id, started_at, ended_at, end_reason, screening_id, plan, completed_steps, skipped_steps, cues";
inline constexpr char const* pain_columns = "id, recorded_at, value, moment, session_id, note";

void bind_optional(SQLite::Statement& statement, int index, std::optional<RecordId> value);
std::optional<RecordId> optional_id(SQLite::Column const& column);
json parse_document(SQLite::Column const& column);
std::int64_t ms(WallTime time);
std::int64_t scalar(SQLite::Database& db, char const* sql);
void check_rating(int value);
void check_session_exists(SQLite::Database& db, std::optional<RecordId> session_id);
RecordId insert_pain(SQLite::Database& db, PainRating const& rating, std::optional<RecordId> explicit_id = {});
RecordId insert_session(SQLite::Database& db, SessionRecord const& session, std::optional<RecordId> explicit_id = {},
    bool with_pain = true);
RecordId insert_screening(SQLite::Database& db, ScreeningRecord const& screening, std::optional<RecordId> explicit_id = {});
RecordId insert_checkin(SQLite::Database& db, CheckIn const& checkin, std::optional<RecordId> explicit_id = {});
RecordId insert_note(SQLite::Database& db, Note const& note, std::optional<RecordId> explicit_id = {});
RecordId insert_clearance(SQLite::Database& db, Clearance const& clearance, std::optional<RecordId> explicit_id = {});
void write_profile(SQLite::Database& db, Profile const& profile);
std::optional<Profile> read_profile(SQLite::Database& db);
CheckIn read_checkin(SQLite::Statement& row);
inline constexpr char const* clearance_columns = "id, recorded_at, note, detail";
Clearance read_clearance(SQLite::Statement& row);
SessionRecord read_session_row(SQLite::Statement& row);
PainRating read_pain(SQLite::Statement& row);
std::optional<SessionRecord> read_full_session(SQLite::Database& db, char const* where, std::optional<RecordId> id);
ScreeningRecord read_screening(SQLite::Statement& row);

}
