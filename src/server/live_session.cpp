// LiveSession's protocol (live_session.h): the browser's messages in, the machine's cues out at
// their due times, start and resume, and the finished session's record written through the coach
// (kept, spooled and retried while the journal refuses it). The camera's frames are in
// live_session_motion.cpp, the parking of dropped sessions in session_parking.cpp.
#include "server/live_session.h"

#include "coach/json_text.h"
#include "common/echo.h"
#include "plan/plan_json.h"
#include "session/session_json.h"

#include <algorithm>
#include <cstdint>
#include <fmt/core.h>
#include <random>
#include <set>

namespace rc::server {

using nlohmann::json;

namespace {

// A 0-10 rating in `message[key]`, absent or null for none.
Result<std::optional<int>> optional_rating(json const& message, char const* key)
{
    auto it = message.find(key);
    if (it == message.end() || it->is_null())
        return std::optional<int> {};
    if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 10)
        return Error::invalid_argument(fmt::format("{} must be a whole number from 0 to 10", key));
    return std::optional<int> { it->get<int>() };
}

// The user's height for the camera's analyser (`body_height_cm`, optional): a number of
// centimetres the analyser accepts. Without it the analyser assumes 170 cm, which scales every
// centimetre it measures (the hips' height, speeds) by the user's height over 170.
Result<std::optional<Centimetres>> optional_body_height(json const& message)
{
    auto it = message.find("body_height_cm");
    if (it == message.end() || it->is_null())
        return std::optional<Centimetres> {};
    if (!it->is_number() || !(it->get<double>() >= 100 && it->get<double>() <= 250))
        return Error::invalid_argument("body_height_cm must be your height in centimetres, 100 to 250, or left out");
    return std::optional<Centimetres> { Centimetres { it->get<double>() } };
}

// 128 random bits as hex: the key is all a connection needs to take a session over.
std::string new_session_key()
{
    std::random_device random;
    std::string key;
    for (int i = 0; i < 4; ++i)
        key += fmt::format("{:08x}", static_cast<std::uint32_t>(random()));
    return key;
}

bool well_formed_key(std::string const& key)
{
    return key.size() == 32 && std::all_of(key.begin(), key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}

LiveSession::LiveSession(rc::coach::Coach& coach, double speed, std::shared_ptr<SessionParking> parking, SpoolSlot spool,
    BackgroundPoster background)
    : m_coach(coach)
    , m_speed(speed)
    , m_parking(std::move(parking))
    , m_spool(m_parking && m_parking->spool().spool ? m_parking->spool() : std::move(spool))
    , m_background(std::move(background))
{
}

template<typename T>
WsOutput LiveSession::offload(std::function<T()> work, std::function<WsOutput(T, MonoTime)> then, MonoTime now)
{
    if (!m_background)
        return then(work(), now);
    WsOutput out;
    out.offload = [work = std::move(work), then = std::move(then)]() -> WsContinuation {
        auto value = std::make_shared<T>(work());
        return [value, then](MonoTime now) { return then(std::move(*value), now); };
    };
    return out;
}

LiveSession::~LiveSession()
{
    // Not written and not handed over (on_close was not called): the spool's replay writes it.
    if (m_spooled)
        m_spool.spool->release(*m_spooled);
    if (m_parking && m_state)
        m_parking->untrack(m_state->key, this);
}

WsOutput LiveSession::error(std::string code, std::string const& message)
{
    for (auto& c : code)
        c = c == '-' ? '_' : c;
    WsOutput out;
    out.messages.push_back(json { { "type", "error" }, { "code", code }, { "message", message } }.dump());
    return out;
}

WsOutput LiveSession::error(Error const& e)
{
    return error(to_string(e.code), e.message);
}

MonoTime LiveSession::session_now(MonoTime real) const
{
    if (!m_state || !m_state->machine.started())
        return real;
    return m_state->scale.to_session(real);
}

WsOutput LiveSession::on_open(MonoTime)
{
    return {};
}

WsOutput LiveSession::on_text(std::string const& text, MonoTime now)
{
    auto message = coach::parse_json_text(text, "the message");
    if (!message)
        return error("invalid_json", message.error().message + "; send an object such as {\"type\": \"start\"}");
    if (!message->is_object() || !message->contains("type") || !(*message)["type"].is_string())
        return error("invalid_message", fmt::format("a message must be a JSON object with a \"type\": {}", message_type_list()));
    if (m_parking)
        m_parking->sweep(now);
    auto const* handler = find_message_handler((*message)["type"].get_ref<std::string const&>());
    if (!handler)
        return error("invalid_message", fmt::format("unknown message type '{}': use {}",
                                            echo_excerpt((*message)["type"].get_ref<std::string const&>()), message_type_list()));
    // Each handler checks its fields; this is the last line so that no message, however
    // malformed, can end the connection or the server. An exception's own text goes to stderr,
    // never to the page.
    try {
        return (this->*handler->handle)(*message, now);
    } catch (json::exception const&) {
        return error("invalid_message", fmt::format("the {} message has a field of the wrong type (docs/web.md shows each message)", handler->type));
    } catch (std::exception const& e) {
        fmt::print(stderr, "rollcoach serve: a {} message could not be handled: {}\n", handler->type, e.what());
        return error("internal", fmt::format("the {} message could not be handled; it has been logged and the session carries on", handler->type));
    }
}

// Every message type a page may send, in one place: the dispatch and every error that lists them.
std::span<LiveSession::MessageHandler const> LiveSession::message_handlers()
{
    static constexpr MessageHandler handlers[] {
        { "start", &LiveSession::start },
        { "resume", &LiveSession::resume },
        { "event", &LiveSession::handle_event },
        { "frame", &LiveSession::handle_frame },
        { "calibrate", &LiveSession::calibrate },
        { "finish", &LiveSession::finish },
    };
    return handlers;
}

LiveSession::MessageHandler const* LiveSession::find_message_handler(std::string_view type)
{
    for (auto const& handler : message_handlers())
        if (handler.type == type)
            return &handler;
    return nullptr;
}

std::string LiveSession::message_type_list()
{
    std::string list;
    auto const handlers = message_handlers();
    for (std::size_t i = 0; i < handlers.size(); ++i)
        list += fmt::format("{}{}", i == 0 ? "" : i + 1 == handlers.size() ? " or " : ", ", handlers[i].type);
    return list;
}

WsOutput LiveSession::start(json const& message, MonoTime now)
{
    if (m_state)
        return error("conflict", "this session has already started; open a new connection for another one");
    auto pain_before = optional_rating(message, "pain_before");
    if (!pain_before)
        return error(pain_before.error());
    auto height = optional_body_height(message);
    if (!height)
        return error(height.error());
    m_body_height = *height;
    // Today's plan reads the journal: on a worker, so other sessions' cues never wait for it.
    return offload<Result<plan::Plan>>([&coach = m_coach] { return coach.todays_plan(); },
        [this, message, pain_before = *pain_before](Result<plan::Plan> plan, MonoTime now) {
            return start_with(std::move(plan), message, pain_before, now);
        },
        now);
}

WsOutput LiveSession::start_with(Result<plan::Plan> plan, json const& message, std::optional<int> pain_before, MonoTime now)
{
    if (m_state)
        return error("conflict", "this session has already started; open a new connection for another one");
    if (!plan)
        return error(plan.error());
    // Continuing a session the server lost: from the step the page was on. Today's plan may have
    // changed since (the lost part was recorded), so the exercise is found by its id first.
    int from_step = 0;
    if (auto it = message.find("from_step"); it != message.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() >= static_cast<long long>(plan->steps.size()))
            return error("invalid_argument", fmt::format("from_step must be a step of today's plan, 0 to {}", plan->steps.size() - 1));
        from_step = it->get<int>();
    }
    if (auto it = message.find("from_exercise"); it != message.end() && it->is_string()) {
        auto const id = it->get<std::string>();
        auto found = std::find_if(plan->steps.begin(), plan->steps.end(), [&](auto const& s) { return s.exercise_id == id; });
        if (found == plan->steps.end())
            return error("not_found", fmt::format("today's plan no longer has the exercise '{}'; start the session from its beginning", echo_excerpt(id)));
        from_step = static_cast<int>(found - plan->steps.begin());
    }
    auto machine = session::SessionMachine::create(m_coach.kb(), *plan);
    if (!machine)
        return error(machine.error());
    m_state.emplace(SessionState { std::move(*machine), SpeedScale(now, m_speed), m_coach.clock().wall_now(), new_session_key(), 0, {} });
    if (m_parking)
        m_parking->track(m_state->key, this);

    // The rating before is an event like any other, so every front-end records it the same way.
    std::vector<session::Cue> cues;
    if (pain_before)
        cues = m_state->machine.step(now, session::Event::pain(*pain_before));
    auto started_cues = m_state->machine.step(now, session::Event::start_at(from_step));
    cues.insert(cues.end(), started_cues.begin(), started_cues.end());
    std::set<std::string> speech;
    for (auto const& cue : m_state->machine.planned_cues()) {
        if (cue.speak == session::Speak::Yes && !cue.text.empty())
            speech.insert(cue.text);
    }
    WsOutput out = after_cues(cues, now, "started", std::nullopt);
    auto started = json::parse(out.messages.back());
    started["speed"] = m_speed;
    started["plan"] = *plan;
    started["speech"] = speech;
    started["session_key"] = m_state->key;
    started["resume_within_s"] = m_parking ? m_parking->grace().count() : 0;
    out.messages.back() = started.dump();
    return out;
}

WsOutput LiveSession::handle_event(json const& message, MonoTime now)
{
    if (!m_state)
        return error("conflict", "send {\"type\": \"start\"} before any event");
    if (!message.contains("event"))
        return error("invalid_message", "an event message needs an \"event\" object, e.g. {\"type\": \"event\", \"event\": {\"type\": \"pause\"}}");
    auto event = session::parse_event(message["event"]);
    if (!event)
        return error("invalid_argument", event.error().message);
    if (event->kind == session::EventKind::Start)
        return error("conflict", "the session has already started");
    // Form advice is the analyser's, from the frames this connection sends (live_session_motion):
    // taken from the page, any text would be spoken and recorded as the camera's finding, each
    // new code past the machine's once-per-code limit.
    if (event->kind == session::EventKind::FormCheck)
        return error("invalid_message", "form_check events come from the server's analysis of the camera's frames; send frames instead (docs/web.md)");
    if (m_recorded)
        return error("conflict", "this session is already saved");
    if (m_state->machine.finished() && event->kind != session::EventKind::Undo)
        return error("conflict", "the session is over; send {\"type\": \"finish\", \"pain_after\": N}");
    auto cues = m_state->machine.step(session_now(now), *event);
    return after_cues(cues, now, m_state->machine.finished() ? "ended" : "update", std::nullopt);
}

json LiveSession::stamped(json message)
{
    m_state->seq += 1;
    m_state->emitted.push_back(m_state->machine.emitted().size());
    message["seq"] = m_state->seq;
    return message;
}

WsOutput LiveSession::resume(json const& message, MonoTime now)
{
    if (m_state)
        return error("conflict", "this connection already has a session");
    if (!m_parking)
        return error("not_found", "this server does not keep sessions after a dropped connection");
    auto it = message.find("session_key");
    if (it == message.end() || !it->is_string() || !well_formed_key(it->get<std::string>()))
        return error("invalid_message", "a resume message needs the \"session_key\" sent with \"started\" (32 hex digits)");
    // The height is the page's to send again: the analyser belongs to the connection.
    auto height = optional_body_height(message);
    if (!height)
        return error(height.error());
    long long last_seq = 0;
    if (auto seq = message.find("last_seq"); seq != message.end() && !seq->is_null()) {
        if (!seq->is_number_integer() || seq->get<long long>() < 0)
            return error("invalid_message", "last_seq must be the whole number of the last message received");
        last_seq = seq->get<long long>();
    }
    auto state = m_parking->take(it->get<std::string>(), now);
    if (!state)
        return error("not_found", fmt::format("the server no longer has this session: it was restarted, or the connection was down for "
                                              "more than {} s. Start again from the step you were on.",
                                      m_parking->grace().count()));
    m_state.emplace(std::move(*state));
    m_body_height = *height;
    m_parking->track(m_state->key, this);
    // The cues the page has not seen: those emitted after the last message it received (a
    // message in flight when the connection dropped, and the pause at the drop).
    auto const& all = m_state->machine.emitted();
    std::size_t from = 0;
    if (last_seq > 0 && last_seq <= static_cast<long long>(m_state->emitted.size()))
        from = m_state->emitted[static_cast<std::size_t>(last_seq - 1)];
    else if (last_seq > 0)
        from = all.size();
    std::vector<session::Cue> missed(all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())), all.end());
    WsOutput out = after_cues(missed, now, m_state->machine.finished() ? "ended" : "resumed", std::nullopt);
    auto resumed = json::parse(out.messages.back());
    resumed["speed"] = m_speed;
    resumed["plan"] = m_state->machine.plan();
    resumed["session_key"] = m_state->key;
    resumed["resume_within_s"] = m_parking->grace().count();
    out.messages.back() = resumed.dump();
    return out;
}

void LiveSession::pause_for_drop(MonoTime now)
{
    if (!m_state->machine.paused() && !m_state->machine.finished())
        m_state->machine.step(session_now(now), session::Event::pause());
    m_scheduled.reset();
}

std::optional<SessionState> LiveSession::surrender(MonoTime now)
{
    // Not while its record is being written on a worker: the answer needs the session here.
    // Never once it is saved: its connection may still be closing, and a second connection
    // holding the state would record it again when it closes.
    if (!m_state || m_writing || m_recorded)
        return std::nullopt;
    pause_for_drop(now);
    if (m_parking)
        m_parking->untrack(m_state->key, this);
    auto state = std::move(m_state);
    m_state.reset();
    m_analyzer.reset();
    return state;
}

WsOutput LiveSession::on_timer(MonoTime now)
{
    if (m_state && m_unwritten && !m_recorded)
        return write_record(now, Answer::WhenChanged);
    if (!m_state || m_state->machine.finished())
        return {};
    std::optional<double> late_ms;
    if (m_scheduled)
        late_ms = std::chrono::duration<double, std::milli>(now - *m_scheduled).count();
    auto cues = m_state->machine.advance(session_now(now));
    if (cues.empty() && !m_state->machine.finished()) {
        // Woken early (or for a segment change without a cue): re-arm only.
        WsOutput out;
        if (auto due = m_state->machine.next_due()) {
            m_scheduled = m_state->scale.to_real(*due);
            out.wake_at = m_scheduled;
        }
        return out;
    }
    return after_cues(cues, now, m_state->machine.finished() ? "ended" : "update", late_ms);
}

WsOutput LiveSession::after_cues(std::vector<session::Cue> const& cues, MonoTime real_now, char const* type, std::optional<double> late_ms)
{
    auto now_in_session = session_now(real_now);
    json message = {
        { "type", type },
        { "snapshot", m_state->machine.snapshot(now_in_session) },
        { "cues", cues },
    };
    if (late_ms)
        message["late_ms"] = *late_ms;
    if (m_state->machine.finished()) {
        message["summary"] = m_state->machine.summary(now_in_session);
        // A Caution or User stop can be taken back for a moment: the page shows Undo that long.
        if (auto left = m_state->machine.undo_left(now_in_session))
            message["undo_within_ms"] = m_state->scale.real_span(*left).count();
    }
    WsOutput out;
    out.messages.push_back(stamped(std::move(message)).dump());
    if (m_state->machine.finished())
        add_final_stats(out, real_now);
    if (auto due = m_state->machine.next_due(); due && !m_state->machine.finished()) {
        m_scheduled = m_state->scale.to_real(*due);
        out.wake_at = m_scheduled;
    } else {
        m_scheduled.reset();
    }
    return out;
}

LiveSession::Written LiveSession::write_through(coach::Coach& coach, coach::SessionRecord const& record, bool once, SpoolSlot const& spool,
    std::optional<std::string> spooled)
{
    Written out { once ? coach.record_session_once(record) : coach.record_session(record), std::move(spooled), std::nullopt };
    if (out.id) {
        if (out.spooled) {
            if (auto removed = spool.spool->remove(*out.spooled); !removed)
                fmt::print(stderr, "rollcoach serve: {}\n", removed.error().message);
            out.spooled.reset();
        }
        return out;
    }
    // The journal's database is not answering: on disk first (the spool), if not there yet.
    if (retryable(out.id.error()) && !out.spooled && spool.spool) {
        auto id = spool.spool->put(spool.journal, coach::to_journal_record(record));
        if (id)
            out.spooled = std::move(*id);
        else
            out.spool_refusal = id.error().message;
    }
    return out;
}

WsOutput LiveSession::write_record(MonoTime real_now, Answer answer)
{
    // Made once: a retry writes the same record, whatever the time of the retry, and only once
    // (a refusal may have come after the database committed it).
    bool const first = !m_unwritten.has_value();
    if (first)
        m_unwritten = coach::make_session_record(m_state->machine, session_now(real_now), m_state->wall_start);
    m_writing = static_cast<bool>(m_background);
    return offload<Written>(
        [&coach = m_coach, record = *m_unwritten, once = !first, spool = m_spool, spooled = m_spooled] {
            return write_through(coach, record, once, spool, spooled);
        },
        [this, tell = first || answer == Answer::Always](Written written, MonoTime now) { return after_write(std::move(written), tell, now); },
        real_now);
}

WsOutput LiveSession::after_write(Written written, bool tell, MonoTime now)
{
    m_writing = false;
    m_spooled = std::move(written.spooled);
    if (written.id) {
        m_unwritten.reset();
        m_recorded = true;
        if (m_parking)
            m_parking->untrack(m_state->key, this);   // the key ends with the session's record
        return saved(*written.id, now);
    }
    if (!retryable(written.id.error())) {
        // The record itself is refused: no retry will change that.
        fmt::print(stderr, "rollcoach serve: a finished session was refused by the journal: {}\n", written.id.error().message);
        m_unwritten.reset();
        return error(written.id.error());
    }
    // Retried in unwritten_retry (see the header). The page hears the truth about where the
    // record is: at once, and again when a record it was told is in memory reaches the disk.
    bool const on_disk = m_spooled.has_value();
    WsOutput out;
    if (written.spool_refusal && !m_told_memory)
        fmt::print(stderr, "rollcoach serve: the spool cannot take a session the journal refused, kept in memory only (retried every {} s): {}\n",
            unwritten_retry.count(), *written.spool_refusal);
    if (tell || (on_disk && m_told_memory)) {
        out.messages.push_back(json { { "type", "pending" },
            { "message", on_disk ? "Your session is finished but the journal is not answering just now. The server has kept it safely on its disk and saves it as soon as the journal answers; you can keep this page open to see it saved."
                                 : "Your session is finished but NOT SAVED YET: the journal is not answering and the server could not keep it on its disk either, so it is kept only in the server's memory. Keep this page open: the server tries again every few seconds and this page says when it is saved." },
            { "reason", written.id.error().message }, { "kept", on_disk ? "disk" : "memory" } }.dump());
        m_told_memory = !on_disk;
    }
    out.wake_at = now + unwritten_retry;
    return out;
}

WsOutput LiveSession::saved(journal::RecordId id, MonoTime now)
{
    WsOutput out;
    json summary = m_state->machine.summary(session_now(now));
    out.messages.push_back(json { { "type", "saved" }, { "session_id", id }, { "summary", summary } }.dump());
    out.close = true;
    return out;
}

WsOutput LiveSession::finish(json const& message, MonoTime now)
{
    if (!m_state)
        return error("conflict", "no session has started on this connection");
    if (m_recorded)
        return error("conflict", "this session is already saved");
    auto pain_after = optional_rating(message, "pain_after");
    if (!pain_after)
        return error(pain_after.error());
    if (!m_state->machine.finished())
        m_state->machine.step(session_now(now), session::Event::quit());
    // A retried finish (after a refused save) does not rate twice; the record, once made, is kept.
    if (!m_unwritten && *pain_after && (m_state->machine.summary(session_now(now)).pain.empty()
            || m_state->machine.summary(session_now(now)).pain.back().moment != session::RatingMoment::After))
        m_state->machine.step(session_now(now), session::Event::pain(**pain_after));
    return write_record(now, Answer::Always);
}

void LiveSession::on_close(MonoTime now)
{
    // A session that was started but not saved (tab closed, connection lost) is still recorded:
    // as quit, or as completed/stopped without the rating after.
    // With a parking, a running session waits there to be resumed instead (see the header).
    if (!m_state || m_recorded)
        return;
    if (m_parking && !m_state->machine.finished()) {
        auto state = surrender(now);
        m_parking->park(std::move(*state), now);
        return;
    }
    if (m_parking)
        m_parking->untrack(m_state->key, this);
    if (!m_state->machine.finished())
        m_state->machine.step(session_now(now), session::Event::quit());
    bool const once = m_unwritten.has_value();
    if (!m_unwritten)
        m_unwritten = coach::make_session_record(m_state->machine, session_now(now), m_state->wall_start);
    m_recorded = true;   // from here on, the task below owns the record (and its spool file)
    // Written on a worker when there is one (no answer is due): refused for now, it goes to the
    // spool's replay, or else to the parking, which keeps it in memory and retries it.
    auto work = [&coach = m_coach, record = std::move(*m_unwritten), once, spool = m_spool, spooled = std::exchange(m_spooled, std::nullopt),
                    parking = m_parking]() mutable {
        auto written = write_through(coach, record, once, spool, std::move(spooled));
        if (written.id)
            return;
        if (!retryable(written.id.error())) {
            fmt::print(stderr, "rollcoach serve: a session whose connection closed was refused by the journal: {}\n", written.id.error().message);
            return;
        }
        if (written.spooled) {
            spool.spool->release(*written.spooled);
            return;
        }
        if (parking) {
            fmt::print(stderr, "rollcoach serve: the journal refuses a session whose connection closed and no spool takes it; kept in memory and retried: {}\n",
                describe_kept(spool.journal, record));
            parking->keep_unwritten(std::move(record));
        } else {
            fmt::print(stderr, "rollcoach serve: NOT SAVED (the journal refuses it and there is nowhere to keep it): {}: {}\n",
                describe_kept(spool.journal, record), written.id.error().message);
        }
    };
    m_unwritten.reset();
    if (m_background)
        m_background(std::move(work));
    else
        work();
}

WsHandlerFactory live_session_factory(rc::coach::Coach& coach, double speed, std::chrono::seconds grace, SpoolSlot spool)
{
    auto parking = std::make_shared<SessionParking>(coach, grace, std::move(spool));
    return [&coach, speed, parking](HttpRequest const&, BackgroundPoster background) -> std::unique_ptr<WsHandler> {
        if (background)
            parking->set_background(background);
        parking->sweep(std::chrono::steady_clock::now());
        return std::make_unique<LiveSession>(coach, speed, parking, SpoolSlot {}, std::move(background));
    };
}

}
