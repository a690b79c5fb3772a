#include "journal/postgres_journal.h"

#include "journal/backup_file.h"
#include "journal/postgres_support.h"
#include "journal/record_json.h"
#include "journal/record_source.h"
#include "journal/sqlite_journal.h"

#include <fmt/format.h>
#include <limits>

namespace rc::journal {

using namespace pg;
namespace fs = std::filesystem;

// The plain reads behind history, statistics and planning (their meaning is computed in
// record_source.cpp), the whole journal out (export, visit, backup), and the lookup and storage
// an import needs.

namespace {

// "{before,standalone}": a text[] parameter of the moments.
std::string moment_array(std::vector<PainMoment> const& moments)
{
    std::string list = "{";
    for (auto moment : moments)
        list += fmt::format("{}{}", list.size() > 1 ? "," : "", to_string(moment));
    return list + "}";
}

template<typename Record, typename Reader>
std::vector<Record> read_rows(pqxx::result const& rows, Reader read)
{
    std::vector<Record> records;
    records.reserve(rows.size());
    for (auto const& row : rows)
        records.push_back(read(row));
    return records;
}

constexpr char const* light_session_columns = "id, started_at, ended_at, end_reason, screening_id";

SessionRecord read_light_session(pqxx::row const& row)
{
    SessionRecord session;
    session.id = row[0].as<std::int64_t>();
    session.started_at = from_unix_ms(row[1].as<std::int64_t>());
    session.ended_at = from_unix_ms(row[2].as<std::int64_t>());
    session.end_reason = parse_end_reason(row[3].c_str()).value_or(EndReason::Completed);
    session.screening_id = optional_id(row[4]);
    return session;
}

class PostgresSource final : public RecordSource {
public:
    explicit PostgresSource(pqxx::transaction_base& tx)
        : m_tx(tx)
    {
    }

    std::vector<SessionSpan> session_spans() override
    {
        std::vector<SessionSpan> spans;
        for (auto const& row : m_tx.exec("SELECT started_at, ended_at, end_reason FROM sessions"))
            spans.push_back({ from_unix_ms(row[0].as<std::int64_t>()), from_unix_ms(row[1].as<std::int64_t>()),
                parse_end_reason(row[2].as<std::string>()).value_or(EndReason::Quit) });
        return spans;
    }

    std::vector<SessionRecord> sessions_between(WallTime from, WallTime to) override
    {
        return read_rows<SessionRecord>(m_tx.exec_params(fmt::format("SELECT {} FROM sessions WHERE started_at >= $1 AND "
                                                                     "started_at < $2 ORDER BY started_at, id",
                                                             light_session_columns),
                                            ms(from), ms(to)),
            read_light_session);
    }

    std::vector<SessionRecord> latest_sessions(int limit) override
    {
        auto sessions = read_rows<SessionRecord>(m_tx.exec_params(fmt::format("SELECT {} FROM sessions "
                                                                              "ORDER BY started_at DESC, id DESC LIMIT $1",
                                                                      light_session_columns),
                                                     std::max(limit, 0)),
            read_light_session);
        load_session_children(m_tx, sessions);
        return sessions;
    }

    std::vector<std::pair<std::string, std::int64_t>> zone_seconds() override
    {
        std::vector<std::pair<std::string, std::int64_t>> totals;
        for (auto const& row : m_tx.exec("SELECT zone_id, sum(seconds)::bigint FROM session_zones GROUP BY zone_id"))
            totals.emplace_back(row[0].as<std::string>(), row[1].as<std::int64_t>());
        return totals;
    }

    std::vector<PainRating> pain_between(WallTime from, WallTime to, std::vector<PainMoment> const& moments) override
    {
        return read_rows<PainRating>(m_tx.exec_params(fmt::format("SELECT {} FROM pain_ratings WHERE moment = ANY($3::text[]) "
                                                                  "AND recorded_at >= $1 AND recorded_at < $2 ORDER BY recorded_at, id",
                                                          pain_columns),
                                         ms(from), ms(to), moment_array(moments)),
            read_pain);
    }

    std::optional<WallTime> first_pain_at(std::vector<PainMoment> const& moments) override
    {
        auto rows = m_tx.exec_params("SELECT min(recorded_at) FROM pain_ratings WHERE moment = ANY($1::text[])", moment_array(moments));
        if (rows[0][0].is_null())
            return std::nullopt;
        return from_unix_ms(rows[0][0].as<std::int64_t>());
    }

    std::vector<PainRating> latest_pain(int limit) override
    {
        return read_rows<PainRating>(m_tx.exec_params(fmt::format("SELECT {} FROM pain_ratings ORDER BY recorded_at DESC, id DESC "
                                                                  "LIMIT $1",
                                                          pain_columns),
                                         limit),
            read_pain);
    }

    std::vector<CheckIn> checkins_between(WallTime from, WallTime to) override
    {
        return read_rows<CheckIn>(m_tx.exec_params(fmt::format("SELECT {} FROM checkins WHERE recorded_at >= $1 AND recorded_at < $2 "
                                                               "ORDER BY recorded_at, id",
                                                       checkin_columns),
                                      ms(from), ms(to)),
            read_checkin);
    }

    std::vector<CheckIn> latest_checkins(int limit) override
    {
        return read_rows<CheckIn>(m_tx.exec_params(fmt::format("SELECT {} FROM checkins ORDER BY recorded_at DESC, id DESC LIMIT $1",
                                                       checkin_columns),
                                      limit),
            read_checkin);
    }

    std::optional<CheckIn> latest_warning_after(std::optional<WallTime> after) override
    {
        auto rows = m_tx.exec_params(fmt::format("SELECT {} FROM checkins WHERE warning_sign AND ($1::bigint IS NULL OR recorded_at > $1::bigint) "
                                                 "ORDER BY recorded_at DESC, id DESC LIMIT 1",
                                         checkin_columns),
            IdParam(after ? std::optional<std::int64_t>(ms(*after)) : std::nullopt).get());
        if (rows.empty())
            return std::nullopt;
        return read_checkin(rows[0]);
    }

    std::optional<WallTime> latest_bare_clearance_at() override
    {
        auto rows = m_tx.exec("SELECT max(recorded_at) FROM clearances WHERE detail = '{}'::jsonb");
        if (rows[0][0].is_null())
            return std::nullopt;
        return from_unix_ms(rows[0][0].as<std::int64_t>());
    }

    std::vector<Clearance> latest_clearances(int limit) override
    {
        return read_rows<Clearance>(m_tx.exec_params(fmt::format("SELECT {} FROM clearances ORDER BY recorded_at DESC, id DESC LIMIT $1",
                                                         clearance_columns),
                                        limit),
            read_clearance);
    }

    std::vector<Note> latest_notes(int limit) override
    {
        return read_rows<Note>(m_tx.exec_params(fmt::format("SELECT {} FROM notes ORDER BY recorded_at DESC, id DESC LIMIT $1",
                                                    note_columns),
                                   limit),
            read_note);
    }

    std::vector<ScreeningRecord> latest_screenings(int limit) override
    {
        return read_rows<ScreeningRecord>(m_tx.exec_params(fmt::format("SELECT {} FROM screenings ORDER BY taken_at DESC, id DESC LIMIT $1",
                                                               screening_columns),
                                              limit),
            read_screening);
    }

private:
    pqxx::transaction_base& m_tx;
};

}

Result<std::optional<CheckIn>> PostgresJournal::find_uncleared_warning()
{
    return run("read the check-ins", Access::Read, [](pqxx::transaction_base& tx) {
        PostgresSource source { tx };
        return journal::find_uncleared_warning(source);
    });
}

Result<std::optional<CheckIn>> PostgresJournal::find_latest_checkin()
{
    return run("read the check-ins", Access::Read, [](pqxx::transaction_base& tx) {
        PostgresSource source { tx };
        return journal::find_latest_checkin(source);
    });
}

Result<std::vector<Clearance>> PostgresJournal::find_clearances()
{
    return run("read the clearances", Access::Read, [](pqxx::transaction_base& tx) {
        return read_rows<Clearance>(tx.exec(fmt::format("SELECT {} FROM clearances ORDER BY recorded_at, id", clearance_columns)), read_clearance);
    });
}

Result<std::vector<HistoryEntry>> PostgresJournal::history(HistoryQuery const& query)
{
    if (query.limit <= 0)
        return std::vector<HistoryEntry> {};
    return run("read the history", Access::Read, [&](pqxx::transaction_base& tx) {
        PostgresSource source { tx };
        return compute_history(source, query);
    });
}

Result<Stats> PostgresJournal::compute_stats(StatsRequest const& request)
{
    return run("compute the statistics", Access::Read, [&](pqxx::transaction_base& tx) {
        PostgresSource source { tx };
        return journal::compute_stats(source, request);
    });
}

Result<plan::History> PostgresJournal::history_for_planning(StatsRequest const& request)
{
    return run("read the history for planning", Access::Read, [&](pqxx::transaction_base& tx) {
        PostgresSource source { tx };
        return compute_planning_history(source, request);
    });
}

Result<int> PostgresJournal::count_records()
{
    return run("count the records", Access::Read, [](pqxx::transaction_base& tx) {
        return tx.exec("SELECT (SELECT count(*) FROM profile) + (SELECT count(*) FROM screenings) + (SELECT count(*) FROM sessions) "
                       "+ (SELECT count(*) FROM pain_ratings) + (SELECT count(*) FROM checkins) + (SELECT count(*) FROM notes) "
                       "+ (SELECT count(*) FROM clearances)")[0][0]
            .as<int>();
    });
}

Result<nlohmann::json> PostgresJournal::export_json()
{
    return run("export the journal", Access::Read, [](pqxx::transaction_base& tx) {
        JournalContents contents;
        contents.schema_version = tx.exec("SELECT version FROM rollcoach_schema WHERE id = 1")[0][0].as<int>();
        contents.profile = read_profile(tx);
        contents.screenings = read_rows<ScreeningRecord>(tx.exec(fmt::format("SELECT {} FROM screenings ORDER BY id", screening_columns)), read_screening);
        contents.sessions = read_sessions(tx, "ORDER BY id");
        for (auto& session : contents.sessions)
            session.pain.clear();   // listed on their own below
        contents.pain_ratings = read_rows<PainRating>(tx.exec(fmt::format("SELECT {} FROM pain_ratings ORDER BY id", pain_columns)), read_pain);
        contents.checkins = read_rows<CheckIn>(tx.exec(fmt::format("SELECT {} FROM checkins ORDER BY id", checkin_columns)), read_checkin);
        contents.notes = read_rows<Note>(tx.exec(fmt::format("SELECT {} FROM notes ORDER BY id", note_columns)), read_note);
        contents.clearances = read_rows<Clearance>(tx.exec(fmt::format("SELECT {} FROM clearances ORDER BY id", clearance_columns)), read_clearance);
        return to_json(contents);
    });
}

Result<void> PostgresJournal::visit_records(std::function<Result<void>(AnyRecord const&)> const& visit)
{
    // One snapshot (REPEATABLE READ), read in pages by id so memory stays flat however long the
    // journal; the visitor's error rolls the read back and is returned.
    return run("read the journal", Access::Read, [&](pqxx::transaction_base& tx) {
        auto hand_on = [&](AnyRecord const& record) {
            if (auto done = visit(record); !done)
                throw Refusal { done.error() };
        };
        constexpr int page = 500;
        auto walk = [&](char const* table, char const* columns, auto read) {
            std::int64_t after = std::numeric_limits<std::int64_t>::min();
            for (;;) {
                auto rows = tx.exec_params(fmt::format("SELECT {} FROM {} WHERE id > $1 ORDER BY id LIMIT {}", columns, table, page), after);
                for (auto const& row : rows) {
                    after = row[0].as<std::int64_t>();
                    read(row);
                }
                if (rows.size() < std::size_t(page))
                    return;
            }
        };
        walk("screenings", screening_columns, [&](pqxx::row const& row) { hand_on(read_screening(row)); });
        std::int64_t after = std::numeric_limits<std::int64_t>::min();
        for (;;) {
            auto sessions = read_sessions(tx, fmt::format("WHERE id > {} ORDER BY id LIMIT {}", after, page));
            for (auto const& session : sessions) {
                after = session.id;
                hand_on(session);
            }
            if (sessions.size() < std::size_t(page))
                break;
        }
        walk("pain_ratings", pain_columns, [&](pqxx::row const& row) { hand_on(read_pain(row)); });
        walk("checkins", checkin_columns, [&](pqxx::row const& row) { hand_on(read_checkin(row)); });
        walk("notes", note_columns, [&](pqxx::row const& row) { hand_on(read_note(row)); });
        walk("clearances", clearance_columns, [&](pqxx::row const& row) { hand_on(read_clearance(row)); });
    });
}

namespace {

std::optional<RecordId> first_id(pqxx::result const& rows)
{
    if (rows.empty())
        return std::nullopt;
    return rows[0][0].as<std::int64_t>();
}

struct KeyQuery {
    pqxx::transaction_base& tx;
    std::optional<RecordId> operator()(ScreeningKey const& k) const
    {
        return first_id(tx.exec_params("SELECT id FROM screenings WHERE taken_at = $1 AND tier = $2 AND answers = $3::jsonb ORDER BY id LIMIT 1",
            ms(k.taken_at), k.tier, k.answers.dump()));
    }
    std::optional<RecordId> operator()(SessionKey const& k) const
    {
        return first_id(tx.exec_params("SELECT id FROM sessions WHERE started_at = $1 AND ended_at = $2 AND end_reason = $3 ORDER BY id LIMIT 1",
            ms(k.started_at), ms(k.ended_at), to_string(k.end_reason)));
    }
    std::optional<RecordId> operator()(PainKey const& k) const
    {
        return first_id(tx.exec_params("SELECT id FROM pain_ratings WHERE recorded_at = $1 AND value = $2 AND moment = $3 ORDER BY id LIMIT 1",
            ms(k.at), k.value, to_string(k.moment)));
    }
    std::optional<RecordId> operator()(CheckInKey const& k) const
    {
        return first_id(tx.exec_params("SELECT id FROM checkins WHERE recorded_at = $1 AND soreness = $2 ORDER BY id LIMIT 1",
            ms(k.at), k.soreness));
    }
    std::optional<RecordId> operator()(NoteKey const& k) const
    {
        return first_id(tx.exec_params("SELECT id FROM notes WHERE recorded_at = $1 AND text = $2 ORDER BY id LIMIT 1", ms(k.at), k.text));
    }
    std::optional<RecordId> operator()(ClearanceKey const& k) const
    {
        return first_id(tx.exec_params("SELECT id FROM clearances WHERE recorded_at = $1 ORDER BY id LIMIT 1", ms(k.at)));
    }
};

struct Store {
    pqxx::transaction_base& tx;
    std::optional<RecordId> id;
    RecordId operator()(ScreeningRecord const& r) const { return insert_screening(tx, r, id); }
    RecordId operator()(SessionRecord const& r) const { return insert_session(tx, r, id, false); }
    RecordId operator()(PainRating const& r) const { return insert_pain(tx, r, id); }
    RecordId operator()(CheckIn const& r) const { return insert_checkin(tx, r, id); }
    RecordId operator()(Note const& r) const { return insert_note(tx, r, id); }
    RecordId operator()(Clearance const& r) const { return insert_clearance(tx, r, id); }
};

}

Result<std::optional<RecordId>> PostgresJournal::find_id(RecordKey const& key)
{
    return run("look up a record", Access::Read, [&](pqxx::transaction_base& tx) { return std::visit(KeyQuery { tx }, key); });
}

Result<RecordId> PostgresJournal::store(AnyRecord const& record, std::optional<RecordId> id)
{
    return run("store a record", Access::Write, [&](pqxx::transaction_base& tx) { return std::visit(Store { tx, id }, record); });
}

Result<void> PostgresJournal::in_write_transaction(std::function<Result<void>()> const& work)
{
    if (m_open_transaction)
        return work();
    return run("write to the journal", Access::Write, [&](pqxx::transaction_base& tx) {
        // Like SQLite's BEGIN IMMEDIATE: one read-modify-write at a time (an import's look-ups
        // and stores see no other writer's half-done work).
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", write_lock_key);
        struct Joined {
            pqxx::transaction_base*& open;
            ~Joined() { open = nullptr; }
        } joined { m_open_transaction };
        m_open_transaction = &tx;
        auto done = work();
        // Refusal rolls the transaction back and hands the error on.
        if (!done)
            throw Refusal { done.error() };
    });
}

Result<void> PostgresJournal::backup_to(fs::path const& destination)
{
    // Copied into an SQLite journal, so the copy opens anywhere with --db PATH.
    return write_backup_file(destination, [&](fs::path const& partial) -> Result<void> {
        auto copy = TRY(SqliteJournal::open(partial, Creation::CreateFileOnly));
        auto profile = TRY(find_profile());
        // One write transaction on the copy, fed from one snapshot of this journal.
        return copy->in_write_transaction([&]() -> Result<void> {
            if (profile)
                TRY(copy->save_profile(*profile));
            return visit_records([&](AnyRecord const& record) -> Result<void> {
                auto id = std::visit([](auto const& r) { return r.id; }, record);
                TRY(copy->store(record, id));
                return {};
            });
        });
    });
}

}
