// LiveSession: one guided session over /ws/session. The C++ SessionMachine decides every cue;
// this adapter feeds it the browser's events, asks to be woken when the machine's next cue is
// due (the Beast layer arms an asio steady_timer for it), and has the coach record the session
// when it ends (coach::make_session_record: the same record the terminal coach and
// `rollcoach session --script --save` make from the same events). Due times are fixed from the
// session start on the monotonic clock, so delivery never drifts.
//
// Motion: landmark frames from the browser's pose estimator go to a motion::Analyzer for the
// current set (a fresh one when the step or side changes); each form finding is stepped into
// the machine as a form_check event (the machine rate-limits form cues and ranks them below
// safety cues), so camera advice arrives as ordinary cues. Frames come as JSON "frame" messages
// or, from the web app's camera, as binary RCMF v1 messages (motion/frame_codec.h). Every
// frame passes one MotionStream first (a binary one: size, session running, 30 frames/s token
// bucket, codec, timestamp order; a JSON one the same but for size and codec, sharing the
// bucket): a surplus or out-of-order one is dropped and counted, never answered, and the
// counts go out as "motion_stats" at most every 5 s and at "ended". Every analysed binary
// frame is answered by one compact "motion" message that echoes its timestamp.
//
// Speed: with speed N (rollcoach serve --speed N, for tests and demos) the machine runs on a
// session clock N times faster than the real one (common/clock.h, SpeedScale).
//
// Every message is handled on its own: a malformed one (bad JSON, a number out of range, a
// field of the wrong type) is answered with an error message, and the connection and the
// server carry on.
//
// Resume: a session whose connection drops is not ended. It is paused at the moment of the
// drop and parked in SessionParking under the session key sent with "started", for the grace
// period (2 minutes by default). A new connection that sends {"type": "resume"} with that key
// takes the session over, paused at the step and second it was on, and gets the cues it missed
// (those after the last "seq" it saw), so no step is lost or done twice. A key still held by a
// live connection (a half-open socket the server has not noticed) is taken from it. A session
// not resumed in time is recorded as quit, with the time of the drop, once: when the parking is
// next used, or when the server stops. A server that is killed loses what it held in memory; the
// page then offers to start again from the step it was on ({"type": "start", "from_step": N}).
//
// The journal's database not answering (PostgreSQL stopped, a locked or full disk): a finished
// session's record is kept and retried, never dropped. The page gets {"type": "pending"} instead
// of "saved", the connection stays open and the record is written again every few seconds (or at
// once on another "finish"); "saved" follows when it is written. A connection that closes first
// hands the record to SessionParking, which retries it whenever the parking is next used and once
// more when the server stops. Only a written record is acknowledged ("saved").
// With a spool (server/record_spool.h, `rollcoach serve` always has one), the record is first
// written to local disk, fsync'd, and only then is the page told "pending": a server killed
// before the journal takes it finds it in the spool at its next start. A connection that closes
// with its record still refused releases it to the spool's background replay. A spool that cannot
// take the record (its disk full or read-only) is said on stderr, and the record is kept in
// memory as without a spool: the page hears "kept": "memory" ("not saved yet; keep this page
// open"), and every retry tries the journal and then the spool again (a "pending" with "kept":
// "disk" follows when the spool takes it). A server stopping with a record still in memory names
// each one on stderr (whose journal, when it started and ended) so it can be entered by hand.
//
// Threads: the machine, the timer and every message run on the server's I/O thread. The
// journal does not: reading today's plan at "start" and writing the record at "finish" (and its
// retries) go to a worker thread as an offload (ws_handler.h), the answer ("started", "saved",
// "pending") following when the journal has answered; the record of a connection that closed
// is written by a posted background task. Made without a BackgroundPoster (tests driving the
// handler directly), all of it runs inline.
//
// Protocol (JSON text messages; docs/web.md has examples):
//   browser -> server  {"type": "start", "pain_before": 3}
//                      {"type": "start", "from_step": 2, "from_exercise": "glute_roll"}
//                      {"type": "start", "pain_before": 3, "body_height_cm": 172}   (the camera's
//                                         analyser then measures with the user's height, not 170 cm)
//                      {"type": "resume", "session_key": "...", "last_seq": 41}   (also body_height_cm)
//                      {"type": "event", "event": {"type": "pause"}}   (session event JSON)
//                      {"type": "frame", "frame": {...}}   (pose landmarks, docs/motion.md)
//                      <binary RCMF v1 frame>                (camera landmarks, docs/web.md)
//                      {"type": "calibrate"}   (roller just below the shoulder blades, still)
//                      {"type": "finish", "pain_after": 2}
//   server -> browser  {"type": "started", "seq", "session_key", "resume_within_s", "speed",
//                                         "plan", "snapshot", "cues", "speech"}
//                      {"type": "resumed", "seq", "session_key", "resume_within_s", "speed",
//                                         "plan", "snapshot" (paused), "cues" (missed ones)}
//                      {"type": "update", "seq", "snapshot", "cues", "late_ms"}   (a frame with
//                                         findings adds "analysis")
//                      {"type": "ended", "seq", "snapshot", "cues", "summary", "undo_within_ms"
//                                         (a stop or quit that {"type": "undo"} can take back)}
//                      {"type": "saved", "session_id", "summary"}
//                      {"type": "pending", "message", "reason", "kept": "disk" | "memory"}
//                      {"type": "motion", "t_us", "posture", ..., "framing", "findings"}
//                                         (one per analysed binary frame; cues still come
//                                         as "update", which then carries the frame's "t_us")
//                      {"type": "motion_stats", "received", "analysed", "dropped", "reasons"}
//                      {"type": "calibrating"}
//                      {"type": "error", "code", "message"}   (the connection stays open; after
//                                         a failed save, "finish" may be sent again; "not_found"
//                                         answers a resume whose session is gone)
#pragma once

#include "coach/coach.h"
#include "coach/session_record.h"
#include "motion/analyzer.h"
#include "server/motion_stream.h"
#include "server/record_spool.h"
#include "server/ws_handler.h"
#include "session/session_machine.h"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rc::server {

class LiveSession;

// Where a refused record goes before the page is told "pending": the spool, and the journal the
// record belongs to ("" for the server's one journal, a clinic patient's journal schema).
struct SpoolSlot {
    std::shared_ptr<RecordSpool> spool;
    std::string journal;
};

// A running session's state, as it moves from a connection to the parking and back.
struct SessionState {
    session::SessionMachine machine;
    SpeedScale scale;
    WallTime wall_start {};
    std::string key;
    int seq { 0 };                       // the last message number sent
    std::vector<std::size_t> emitted;    // emitted[seq - 1]: cues emitted when message seq was sent
};

// The sessions whose connection dropped, waiting to be resumed, and the live ones by key. Shared
// by the connections of one endpoint. Called from the I/O thread (park, take, sweep) and from
// workers (keep_unwritten, and the journal work sweep posts); the mutex guards its maps. With a
// BackgroundPoster (set_background: the server's), sweep writes what it records on a worker.
class SessionParking : public std::enable_shared_from_this<SessionParking> {
public:
    SessionParking(rc::coach::Coach& coach, std::chrono::seconds grace, SpoolSlot spool = {});
    ~SessionParking();   // records every parked session as quit
    SessionParking(SessionParking const&) = delete;
    SessionParking& operator=(SessionParking const&) = delete;

    std::chrono::seconds grace() const { return m_grace; }
    // At most this many sessions wait at once; parking one more records the oldest as quit.
    static constexpr std::size_t capacity { 64 };

    void park(SessionState state, MonoTime now);
    // The session under `key`, parked or taken from the live connection that holds it.
    std::optional<SessionState> take(std::string const& key, MonoTime now);
    // Records (as quit) the sessions parked longer than the grace period, and retries the kept
    // ones (at most every unwritten_retry).
    void sweep(MonoTime now);
    // Where sweep's journal work runs (made with make_shared: the work holds the parking).
    void set_background(BackgroundPoster background);
    std::size_t parked() const;

    // A finished session's record the journal refused (its database not answering): kept and
    // written, oldest first, whenever the parking is next used (sweep) and when the server stops.
    void keep_unwritten(coach::SessionRecord record);
    std::size_t unwritten() const;
    // Writes what is kept, oldest first; one the journal still refuses goes to the spool if it
    // can take it now, else it stops there. The number written or spooled.
    std::size_t retry_unwritten();

    void track(std::string const& key, LiveSession* session);
    void untrack(std::string const& key, LiveSession const* session);

    SpoolSlot const& spool() const { return m_spool; }
    // A refused record to the spool, left to its replay; false when there is no spool or it
    // cannot take the record (then the caller keeps it in memory).
    bool spool_and_release(coach::SessionRecord const& record, bool quiet = false);

private:
    struct Parked {
        SessionState state;
        MonoTime since {};
    };
    // Writes a session taken out of the parking, as quit; refused for now, to the spool or else
    // m_unwritten. Called without m_mutex held (it takes it to keep the record).
    void record(SessionState& state, MonoTime dropped_at);
    // Records sessions taken out of the parking (journal work, so on a worker when there is one).
    void record_all(std::vector<Parked> expired);

    rc::coach::Coach& m_coach;
    std::chrono::seconds m_grace;
    SpoolSlot m_spool;
    mutable std::mutex m_mutex;
    std::map<std::string, Parked> m_parked;
    std::map<std::string, LiveSession*> m_live;
    std::deque<coach::SessionRecord> m_unwritten;
    std::optional<MonoTime> m_last_retry;
    BackgroundPoster m_background;
};

class LiveSession final : public WsHandler {
public:
    // Without a parking, a dropped connection ends and records the session at once.
    // The spool is the parking's, if it has one, else `spool`.
    LiveSession(rc::coach::Coach& coach, double speed, std::shared_ptr<SessionParking> parking = nullptr, SpoolSlot spool = {},
        BackgroundPoster background = {});
    ~LiveSession() override;
    LiveSession(LiveSession const&) = delete;
    LiveSession& operator=(LiveSession const&) = delete;

    WsOutput on_open(MonoTime now) override;
    WsOutput on_text(std::string const& text, MonoTime now) override;
    WsOutput on_binary(std::span<std::uint8_t const> bytes, MonoTime now) override;
    WsOutput on_timer(MonoTime now) override;
    void on_close(MonoTime now) override;

    // Hands the running session over (to a connection resuming it), paused at `now`; this
    // connection is left with no session.
    std::optional<SessionState> surrender(MonoTime now);

    // The message types a page may send, as errors list them: "start, resume, ... or finish".
    static std::string message_type_list();

private:
    WsOutput resume(nlohmann::json const& message, MonoTime now);
    void pause_for_drop(MonoTime now);
    nlohmann::json stamped(nlohmann::json message);
    // The messages a page may send, each with its handler: one list for the dispatch and for
    // every error that names them ("start, resume, event, frame, calibrate or finish").
    struct MessageHandler {
        std::string_view type;
        WsOutput (LiveSession::*handle)(nlohmann::json const& message, MonoTime now);
    };
    static std::span<MessageHandler const> message_handlers();
    static MessageHandler const* find_message_handler(std::string_view type);
    WsOutput start(nlohmann::json const& message, MonoTime now);
    WsOutput start_with(Result<plan::Plan> plan, nlohmann::json const& message, std::optional<int> pain_before, MonoTime now);
    WsOutput handle_event(nlohmann::json const& message, MonoTime now);
    WsOutput finish(nlohmann::json const& message, MonoTime now);
    WsOutput handle_frame(nlohmann::json const& message, MonoTime now);
    WsOutput calibrate(nlohmann::json const& message, MonoTime now);
    // The analyser for the set the session is on, made fresh when the step or side changes.
    Result<motion::Analyzer*> analyzer_for_set(MonoTime now);
    struct Analysed {
        motion::FrameAnalysis analysis;
        std::vector<session::Cue> cues;
    };
    Result<Analysed> analyse(motion::Frame const& frame, MonoTime now);
    bool running() const;
    // The final motion_stats after an "ended" message, if any frame came.
    void add_final_stats(WsOutput& out, MonoTime now);
    WsOutput after_cues(std::vector<session::Cue> const& cues, MonoTime real_now, char const* type, std::optional<double> late_ms);
    static WsOutput error(std::string code, std::string const& message);
    static WsOutput error(Error const& error);

    MonoTime session_now(MonoTime real) const;
    // `work` then `then`: through the server's worker (an offload) when there is one, else inline.
    template<typename T>
    WsOutput offload(std::function<T()> work, std::function<WsOutput(T, MonoTime)> then, MonoTime now);
    // What writing a record did: the journal's answer, and the spool file holding it if any.
    struct Written {
        Result<journal::RecordId> id;
        std::optional<std::string> spooled;
        std::optional<std::string> spool_refusal;   // why the spool could not take it
    };
    // The journal first (`once`: unless it already has the record), then, refused for now, the
    // spool; a spool file already held is removed once the journal has the record. Any thread.
    static Written write_through(coach::Coach& coach, coach::SessionRecord const& record, bool once, SpoolSlot const& spool,
        std::optional<std::string> spooled);
    // Writes m_unwritten (made once, from the machine, on the first call) and answers the page:
    // "saved", or "pending" and a retry (kept on disk first when the spool takes it). A retry
    // (WhenChanged) says "pending" again only when the record reached the disk meanwhile.
    enum class Answer { Always, WhenChanged };
    WsOutput write_record(MonoTime real_now, Answer answer);
    WsOutput after_write(Written written, bool tell, MonoTime now);
    WsOutput saved(journal::RecordId id, MonoTime now);

    rc::coach::Coach& m_coach;
    double m_speed;
    std::shared_ptr<SessionParking> m_parking;
    std::optional<SessionState> m_state;
    std::optional<MonoTime> m_scheduled;   // the real time the timer is armed for
    std::optional<motion::Analyzer> m_analyzer;
    std::string m_analyzer_set;            // the step, side and exercise m_analyzer was made for
    std::optional<Centimetres> m_body_height;  // from start or resume (body_height_cm); none: the analyser's 170 cm
    MotionStream m_motion;
    bool m_recorded { false };
    std::optional<coach::SessionRecord> m_unwritten;   // made, refused by the journal, to retry
    SpoolSlot m_spool;
    std::optional<std::string> m_spooled;             // m_unwritten's spool file, held by this connection
    bool m_told_memory { false };                     // the page was told "kept": "memory"
    bool m_writing { false };                         // the record is being written on a worker
    BackgroundPoster m_background;
};

// A kept session as a person reads it on stderr: whose journal, when it started and ended.
std::string describe_kept(std::string const& journal, coach::SessionRecord const& record);

// How often a connection retries a record the journal refused.
inline constexpr std::chrono::seconds unwritten_retry { 3 };

// The WsHandlerFactory for /ws/session; dropped sessions wait `grace` to be resumed.
inline constexpr std::chrono::seconds resume_grace { 120 };
WsHandlerFactory live_session_factory(rc::coach::Coach& coach, double speed, std::chrono::seconds grace = resume_grace, SpoolSlot spool = {});

}
