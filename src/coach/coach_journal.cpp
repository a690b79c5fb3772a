// The coach's reads and writes of the journal that carry no rule of their own: history, the
// statistics and the streak's calendar, exports, and the session records (coach/coach.h).
#include "coach/coach.h"

#include "coach/history_lines.h"
#include "coach/session_record.h"
#include "journal/exports.h"
#include "journal/record_json.h"
#include "journal/stats.h"

namespace rc::coach {

using nlohmann::json;

Result<std::vector<journal::HistoryEntry>> Coach::history_entries(journal::HistoryQuery const& query)
{
    std::lock_guard lock(m_mutex);
    if (!m_journal)
        return std::vector<journal::HistoryEntry> {};
    auto entries = TRY(m_journal->history(query));
    describe(entries);
    return entries;
}

Result<json> Coach::history(journal::HistoryQuery const& query)
{
    json out = json::array();
    for (auto const& entry : TRY(history_entries(query)))
        out.push_back(journal::to_json(entry));
    return out;
}

Result<json> Coach::stats(std::chrono::seconds utc_offset, SessionDays session_days)
{
    journal::StatsRequest request;
    request.now = m_clock.wall_now();
    request.utc_offset = utc_offset;
    request.weekly_goal = m_kb.thresholds.weekly_goal_sessions;
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    auto computed = TRY(journal->compute_stats(request));
    // The journal knows the warning sign is there; the coach knows whether it still blocks (a
    // clearance covers it, or an emergency was followed by a new screening). History said
    // "Sessions are paused" after a clearance had lifted it.
    if (computed.uncleared_warning && TRY(warning_lifted_locked(*computed.uncleared_warning)))
        computed.uncleared_warning.reset();
    json out = journal::to_json(computed);
    if (session_days == SessionDays::Left)
        return out;
    // The streak calendar needs the days themselves, not only the streak's length: the days with
    // a session that counts toward the streak (journal::counts_toward_streak), so that the
    // calendar and the streak's number never disagree.
    std::vector<std::string> days;
    for (auto const& entry : TRY(journal->history(400))) {
        if (entry.kind != journal::EntryKind::Session)
            continue;
        auto const reason = journal::parse_end_reason(entry.detail.value("end_reason", std::string())).value_or(journal::EndReason::Quit);
        if (!journal::counts_toward_streak(reason, std::chrono::seconds(entry.detail.value("seconds", std::int64_t { 0 }))))
            continue;
        auto day = journal::format_day(journal::local_day(entry.at, utc_offset));
        if (days.empty() || days.back() != day)
            days.push_back(day);
    }
    out["session_days"] = days;
    return out;
}

Result<void> Coach::export_journal(journal::ExportFormat format, std::string const& csv_table, journal::OutputSink& out)
{
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    return journal::write_export(*journal, format, csv_table, out);
}

Result<void> Coach::read_journal(std::function<Result<void>(journal::Journal*)> const& read)
{
    std::lock_guard lock(m_mutex);
    return read(m_journal.get());
}

Result<journal::RecordId> Coach::record_session(SessionRecord const& record)
{
    auto stored = to_journal_record(record);
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    if (auto screening = TRY(journal->find_latest_screening()))
        stored.screening_id = screening->id;
    return journal->add_session(stored);
}

Result<journal::RecordId> Coach::record_session_once(SessionRecord const& record)
{
    return record_session_once(to_journal_record(record));
}

Result<journal::RecordId> Coach::record_session_once(journal::SessionRecord stored)
{
    std::lock_guard lock(m_mutex);
    auto* journal = TRY(journal_locked());
    journal::RecordId id = 0;
    // Looked up and written in one transaction, so a second writer cannot slip in between.
    TRY(journal->in_write_transaction([&]() -> Result<void> {
        if (auto found = TRY(journal->find_id(journal::SessionKey { stored.started_at, stored.ended_at, stored.end_reason }))) {
            id = *found;
            return {};
        }
        if (auto screening = TRY(journal->find_latest_screening()))
            stored.screening_id = screening->id;
        id = TRY(journal->add_session(stored));
        return {};
    }));
    return id;
}

}
