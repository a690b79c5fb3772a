// SessionParking (declared in live_session.h with LiveSession, as each calls the other): the
// sessions whose connection dropped, waiting to be resumed, and the finished sessions' records
// the journal refused, kept and retried until written or spooled. Its lock is never held while
// the journal is waited for.
#include "server/live_session.h"

#include <algorithm>
#include <fmt/core.h>

namespace rc::server {

SessionParking::SessionParking(rc::coach::Coach& coach, std::chrono::seconds grace, SpoolSlot spool)
    : m_coach(coach)
    , m_grace(grace)
    , m_spool(std::move(spool))
{
}

std::string describe_kept(std::string const& journal, coach::SessionRecord const& record)
{
    auto const minutes = std::chrono::duration_cast<std::chrono::minutes>(record.ended_at - record.started_at).count();
    return fmt::format("{}session started {} and ended {} ({} min, {}, {} step(s) done)",
        journal.empty() ? std::string() : fmt::format("journal {}: ", journal), journal::format_utc(record.started_at),
        journal::format_utc(record.ended_at), minutes, journal::to_string(record.end_reason), record.completed_steps.size());
}

SessionParking::~SessionParking()
{
    // Nobody else holds the parking now: no lock needed (record() takes it for what it keeps).
    for (auto& [key, parked] : m_parked)
        record(parked.state, parked.since);
    // The last chance for what is kept in memory: the journal, else the spool, else say exactly
    // what is lost, so a person can enter it by hand.
    for (auto const& kept : m_unwritten) {
        auto written = m_coach.record_session_once(kept);
        if (written)
            continue;
        if (retryable(written.error()) && spool_and_release(kept, true)) {
            fmt::print(stderr, "rollcoach serve: stopping; the journal still refuses a session, kept in the spool {} for the next start: {}\n",
                m_spool.spool->directory().string(), describe_kept(m_spool.journal, kept));
            continue;
        }
        fmt::print(stderr, "rollcoach serve: stopping; NOT SAVED (the journal and the spool both refuse it): {}: {}\n",
            describe_kept(m_spool.journal, kept), written.error().message);
    }
}

void SessionParking::keep_unwritten(coach::SessionRecord record)
{
    std::lock_guard lock(m_mutex);
    m_unwritten.push_back(std::move(record));
}

std::size_t SessionParking::unwritten() const
{
    std::lock_guard lock(m_mutex);
    return m_unwritten.size();
}

std::size_t SessionParking::retry_unwritten()
{
    // Each record is taken out to be written, so the journal is never waited for under the
    // lock that the I/O thread takes to park and track sessions.
    std::size_t written = 0;
    for (;;) {
        std::optional<coach::SessionRecord> next;
        {
            std::lock_guard lock(m_mutex);
            if (m_unwritten.empty())
                break;
            next = std::move(m_unwritten.front());
            m_unwritten.pop_front();
        }
        auto result = m_coach.record_session_once(*next);
        if (!result && retryable(result.error())) {
            // On disk now if the spool can take it (its disk has room again): its replay writes it.
            if (spool_and_release(*next, true)) {
                fmt::print(stderr, "rollcoach serve: a session kept in memory is now in the spool: {}\n", describe_kept(m_spool.journal, *next));
                ++written;
                continue;
            }
            std::lock_guard lock(m_mutex);
            m_unwritten.push_front(std::move(*next));
            break;
        }
        if (!result)
            fmt::print(stderr, "rollcoach serve: a kept session was refused for good, not saved: {}\n", result.error().message);
        else
            ++written;
    }
    return written;
}

void SessionParking::record(SessionState& state, MonoTime dropped_at)
{
    // Quit at the moment of the drop: the record is the same whenever it is written.
    auto const at = state.scale.to_session(dropped_at);
    if (!state.machine.finished())
        state.machine.step(at, session::Event::quit());
    auto record = coach::make_session_record(state.machine, at, state.wall_start);
    auto const written = m_coach.record_session(record);
    if (written)
        return;
    if (retryable(written.error())) {
        if (spool_and_release(record)) {
            fmt::print(stderr, "rollcoach serve: the journal refused a dropped session; kept in the spool to retry: {}\n", written.error().message);
            return;
        }
        // Kept for the next retry_unwritten.
        std::lock_guard lock(m_mutex);
        m_unwritten.push_back(std::move(record));
        fmt::print(stderr, "rollcoach serve: the journal refused a dropped session; kept to retry: {}\n", written.error().message);
        return;
    }
    fmt::print(stderr, "rollcoach serve: a session whose connection dropped was not saved: {}\n", written.error().message);
}

bool SessionParking::spool_and_release(coach::SessionRecord const& record, bool quiet)
{
    if (!m_spool.spool)
        return false;
    auto id = m_spool.spool->put(m_spool.journal, coach::to_journal_record(record));
    if (!id) {
        if (!quiet)
            fmt::print(stderr, "rollcoach serve: the spool cannot take a session the journal refused, kept in memory only: {}\n", id.error().message);
        return false;
    }
    m_spool.spool->release(*id);
    return true;
}

void SessionParking::park(SessionState state, MonoTime now)
{
    sweep(now);
    std::vector<Parked> oldest;
    BackgroundPoster background;
    {
        std::lock_guard lock(m_mutex);
        if (m_parked.size() >= capacity) {
            auto it = std::min_element(m_parked.begin(), m_parked.end(), [](auto const& a, auto const& b) { return a.second.since < b.second.since; });
            oldest.push_back(std::move(it->second));
            m_parked.erase(it);
        }
        auto key = state.key;
        m_parked.insert_or_assign(std::move(key), Parked { std::move(state), now });
        background = m_background;
    }
    if (oldest.empty())
        return;
    auto work = [self = shared_from_this(), oldest = std::move(oldest)]() mutable { self->record_all(std::move(oldest)); };
    if (background)
        background(std::move(work));
    else
        work();
}

std::optional<SessionState> SessionParking::take(std::string const& key, MonoTime now)
{
    sweep(now);
    LiveSession* holder = nullptr;
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_parked.find(key); it != m_parked.end()) {
            auto state = std::move(it->second.state);
            m_parked.erase(it);
            return state;
        }
        if (auto it = m_live.find(key); it != m_live.end())
            holder = it->second;
    }
    if (holder)
        return holder->surrender(now);
    return std::nullopt;
}

void SessionParking::set_background(BackgroundPoster background)
{
    std::lock_guard lock(m_mutex);
    if (!m_background)
        m_background = std::move(background);
}

void SessionParking::sweep(MonoTime now)
{
    std::vector<Parked> expired;
    bool retry = false;
    BackgroundPoster background;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_parked.begin(); it != m_parked.end();) {
            if (now - it->second.since >= m_grace) {
                expired.push_back(std::move(it->second));
                it = m_parked.erase(it);
            } else {
                ++it;
            }
        }
        // Every message calls this (camera frames 30 times a second): retry what is kept at
        // most every unwritten_retry, not on each.
        if (!m_unwritten.empty() && (!m_last_retry || now - *m_last_retry >= unwritten_retry)) {
            m_last_retry = now;
            retry = true;
        }
        background = m_background;
    }
    if (expired.empty() && !retry)
        return;
    auto work = [self = shared_from_this(), expired = std::move(expired), retry]() mutable {
        self->record_all(std::move(expired));
        if (retry)
            self->retry_unwritten();
    };
    if (background)
        background(std::move(work));
    else
        work();
}

void SessionParking::record_all(std::vector<Parked> expired)
{
    for (auto& parked : expired)
        record(parked.state, parked.since);
}

std::size_t SessionParking::parked() const
{
    std::lock_guard lock(m_mutex);
    return m_parked.size();
}

void SessionParking::track(std::string const& key, LiveSession* session)
{
    std::lock_guard lock(m_mutex);
    m_live[key] = session;
}

void SessionParking::untrack(std::string const& key, LiveSession const* session)
{
    std::lock_guard lock(m_mutex);
    if (auto it = m_live.find(key); it != m_live.end() && it->second == session)
        m_live.erase(it);
}

}
