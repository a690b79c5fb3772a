// Internal to the PostgreSQL backend (postgres_journal.cpp, postgres_queries.cpp): errors worded
// for the user, the row readers and writers both files share, and PostgresJournal::run. Not part
// of the journal's interface.
#pragma once

#include "common/result.h"
#include "journal/postgres_journal.h"
#include "journal/records.h"

#include <pqxx/pqxx>

#include <fmt/core.h>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace rc::journal::pg {

using nlohmann::json;

// Thrown inside a transaction body to roll back and return a user-facing error (not retried).
struct Refusal {
    Error error;
};

// The advisory lock key every read-modify-write takes ('RCJN', as the SQLite application id).
inline constexpr long long write_lock_key = 0x52434A4E;

Error unreachable_error(std::string const& where, char const* action, std::string const& detail);
Error sql_error(std::string const& where, char const* action, pqxx::sql_error const& error);
// Whether `error` means the server went away (shut down, restarting) rather than refused the work.
bool is_connection_loss(pqxx::sql_error const& error);
bool is_retryable(pqxx::sql_error const& error);   // serialization failure or deadlock

// A nullable bigint parameter: pqxx sends a null char pointer as SQL NULL.
class IdParam {
public:
    explicit IdParam(std::optional<RecordId> id);
    char const* get() const { return m_present ? m_text.c_str() : nullptr; }

private:
    std::string m_text;
    bool m_present { false };
};

inline constexpr char const* screening_columns = "id, taken_at, tier, answers, verdict";
inline constexpr char const* session_columns =
    "id, started_at, ended_at, end_reason, screening_id, plan, completed_steps, skipped_steps, cues";
inline constexpr char const* pain_columns = "id, recorded_at, value, moment, session_id, note";
inline constexpr char const* checkin_columns = "id, recorded_at, session_id, soreness, warning_sign, tier, answers, verdict";
inline constexpr char const* note_columns = "id, recorded_at, session_id, text";
inline constexpr char const* clearance_columns = "id, recorded_at, note, detail";

std::int64_t ms(WallTime time);
std::optional<RecordId> optional_id(pqxx::field const& field);
json document(pqxx::field const& field);

ScreeningRecord read_screening(pqxx::row const& row);
SessionRecord read_session_row(pqxx::row const& row);
PainRating read_pain(pqxx::row const& row);
CheckIn read_checkin(pqxx::row const& row);
Note read_note(pqxx::row const& row);
Clearance read_clearance(pqxx::row const& row);
std::optional<Profile> read_profile(pqxx::transaction_base& tx);

// Fills in the zones, tender spots and pain ratings of `sessions` (three queries, whatever their number).
void load_session_children(pqxx::transaction_base& tx, std::vector<SessionRecord>& sessions);
std::vector<SessionRecord> read_sessions(pqxx::transaction_base& tx, std::string const& where_and_order);

void check_session_exists(pqxx::transaction_base& tx, std::optional<RecordId> session_id);
void write_profile(pqxx::transaction_base& tx, Profile const& profile);
RecordId insert_screening(pqxx::transaction_base& tx, ScreeningRecord const& screening, std::optional<RecordId> id = {});
RecordId insert_session(pqxx::transaction_base& tx, SessionRecord const& session, std::optional<RecordId> id = {},
    bool with_pain = true);
RecordId insert_pain(pqxx::transaction_base& tx, PainRating const& rating, std::optional<RecordId> id = {});
RecordId insert_checkin(pqxx::transaction_base& tx, CheckIn const& checkin, std::optional<RecordId> id = {});
RecordId insert_note(pqxx::transaction_base& tx, Note const& note, std::optional<RecordId> id = {});
RecordId insert_clearance(pqxx::transaction_base& tx, Clearance const& clearance, std::optional<RecordId> id = {});

}

namespace rc::journal {

struct PostgresJournal::Connection {
    explicit Connection(std::string const& conninfo)
        : handle(conninfo)
    {
    }
    pqxx::connection handle;
};

template<typename F>
auto PostgresJournal::run(char const* action, Access access, F&& body) -> Result<std::invoke_result_t<F, pqxx::transaction_base&>>
{
    using T = std::invoke_result_t<F, pqxx::transaction_base&>;
    if (access == Access::Write && m_mode == OpenMode::ReadOnly)
        return Error::storage(fmt::format("Could not {}: the journal {} was opened read-only, for reading.", action, m_display));
    // A statement cut off before its commit changed nothing: one retry on a fresh connection. A
    // serialization failure or deadlock is retried a few times more.
    int const attempts = 4;
    for (int attempt = 0;; ++attempt) {
        bool const nested = m_open_transaction != nullptr;
        try {
            if (nested) {
                if constexpr (std::is_void_v<T>) {
                    body(*m_open_transaction);
                    return Result<void> {};
                } else {
                    return body(*m_open_transaction);
                }
            }
            TRY(connect(action));
            std::optional<pqxx::work> write;
            std::optional<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>> read;
            pqxx::transaction_base* tx = nullptr;
            if (access == Access::Write)
                tx = &write.emplace(m_connection->handle);
            else
                tx = &read.emplace(m_connection->handle);
            if constexpr (std::is_void_v<T>) {
                body(*tx);
                tx->commit();
                return Result<void> {};
            } else {
                T value = body(*tx);
                tx->commit();
                return value;
            }
        } catch (pg::Refusal const& refusal) {
            return refusal.error;
        } catch (pqxx::in_doubt_error const& e) {
            drop_connection(nested);
            return Error::storage(fmt::format("Could not {}: the connection to {} broke while the change was being "
                                              "committed, so it may or may not have been saved ({}). Check with "
                                              "`rollcoach history` before trying again.",
                action, m_display, e.what()));
        } catch (pqxx::broken_connection const& e) {
            drop_connection(nested);
            if (!nested && attempt == 0)
                continue;
            return pg::unreachable_error(m_display, action, e.what());
        } catch (pqxx::sql_error const& e) {
            if (pg::is_connection_loss(e)) {
                drop_connection(nested);
                if (!nested && attempt == 0)
                    continue;
                return pg::unreachable_error(m_display, action, e.what());
            }
            if (!nested && pg::is_retryable(e) && attempt + 1 < attempts)
                continue;
            return pg::sql_error(m_display, action, e);
        } catch (nlohmann::json::exception const& e) {
            return Error::storage(fmt::format("Could not {}: a stored document in {} is not valid JSON ({}).", action,
                m_display, e.what()));
        } catch (std::exception const& e) {
            return Error::storage(fmt::format("Could not {} in {}: {}.", action, m_display, e.what()));
        }
    }
}

}
