// Live camera frames on /ws/session (issue 14): binary RCMF frames into one analyser per set,
// a "motion" answer per analysed frame, form cues through the session machine, and every hostile
// frame dropped and counted without touching the session's timing or its safety cues.
// Driven through the WsHandler seam (no socket) on injected monotonic time. The end-to-end
// clips are real-model landmarks (MediaPipe Pose lite on rendered footage) with their own truth
// files: tests/data/footage/heldout (docs/motion.md).
#include "../shipped_kb.h"
#include "coach/coach.h"
#include "journal/open_journal.h"
#include "motion/frame_codec.h"
#include "server/live_session.h"
#include "server/motion_stream.h"
#include "triage/verdict_json.h"

#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace rc;
using namespace std::chrono_literals;

namespace {

using rc::test::shipped_kb;

fs::path const footage = fs::path(ROLLCOACH_SOURCE_DIR) / "tests" / "data" / "footage" / "heldout";

std::string read_text(fs::path path)
{
    // Clips that were diagnosed while tuning the fusion moved from heldout/ to tuning/
    // (docs/motion.md, "The second round"); this test only plays them.
    if (!fs::exists(path) && path.parent_path() == footage)
        path = footage.parent_path() / "tuning" / path.filename();
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::vector<motion::Frame> clip_frames(std::string const& name)
{
    auto parsed = motion::parse_jsonl(read_text(footage / (name + ".lite.jsonl")));
    EXPECT_FALSE(parsed.frames.empty()) << name;
    return parsed.frames;
}

std::vector<std::uint8_t> rcmf(motion::Frame const& frame)
{
    std::vector<std::uint8_t> bytes;
    motion::encode_binary_frame(frame, bytes);
    return bytes;
}

// The first time the clip's truth puts the roller on the lumbar spine (at or below L1).
double truth_lumbar_crossing(std::string const& name, double lumbar_fraction)
{
    auto truth = json::parse(read_text(footage / (name + ".truth.json")));
    for (auto const& f : truth["frames"])
        if (f["contact_frac_c7_psis"].get<double>() >= lumbar_fraction)
            return f["t"].get<double>();
    return -1;
}

std::vector<json> messages_of(server::WsOutput const& out)
{
    std::vector<json> messages;
    for (auto const& text : out.messages)
        messages.push_back(json::parse(text));
    return messages;
}

// What the page sees of a session: its messages by type, and every cue in order.
struct Page {
    std::vector<json> all;
    std::vector<json> cues;
    std::vector<json> motion;
    std::vector<json> stats;
    json snapshot;

    void see(server::WsOutput const& out)
    {
        for (auto& message : messages_of(out)) {
            auto const type = message["type"].get<std::string>();
            if (type == "motion")
                motion.push_back(message);
            if (type == "motion_stats")
                stats.push_back(message);
            if (message.contains("snapshot"))
                snapshot = message["snapshot"];
            for (auto const& cue : message.value("cues", json::array()))
                cues.push_back(cue);
            all.push_back(std::move(message));
        }
    }
    std::vector<json> cues_with_code(std::string const& code) const
    {
        std::vector<json> out;
        for (auto const& cue : cues)
            if (cue.value("code", "") == code)
                out.push_back(cue);
        return out;
    }
};

class CameraStream : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / fmt::format("rc-camera-{}-{}", ::getpid(), s_counter++);
        fs::create_directories(m_dir);
        auto journal = journal::open_journal(m_dir / "journal.db", journal::Purpose::Write);
        ASSERT_TRUE(journal);
        journal::ScreeningRecord screening;
        screening.taken_at = m_clock.wall_now();
        screening.tier = "proceed";
        screening.verdict = kb::Verdict {};
        ASSERT_TRUE((*journal)->add_screening(screening));
        m_coach = std::make_unique<coach::Coach>(shipped_kb(), std::move(*journal), m_clock);
    }
    void TearDown() override
    {
        m_coach.reset();
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }

    // A session started at t0 on the thoracic roll (the back roll the lumbar check is for).
    std::unique_ptr<server::LiveSession> start_on_thoracic_roll(Page& page)
    {
        auto session = std::make_unique<server::LiveSession>(*m_coach, 1.0);
        auto started = session->on_text(R"({"type": "start", "from_exercise": "thoracic_roll"})", t0);
        page.see(started);
        EXPECT_EQ(page.all.back()["type"], "started") << page.all.back().dump();
        EXPECT_EQ(page.snapshot["exercise_id"], "thoracic_roll");
        m_due = started.wake_at;
        return session;
    }

    // Delivers the session's timer wake-ups up to `until`, as the Beast layer's timer does.
    void wake_until(server::LiveSession& session, Page& page, MonoTime until)
    {
        while (m_due && *m_due <= until) {
            auto at = *m_due;
            m_due.reset();
            auto out = session.on_timer(at);
            page.see(out);
            if (out.wake_at)
                m_due = out.wake_at;
        }
    }

    // Sends a clip's frames as binary messages at the clip's own pace from `from`, waking the
    // timer in between; returns when the last frame is sent.
    void play(server::LiveSession& session, Page& page, std::vector<motion::Frame> const& frames, MonoTime from)
    {
        for (auto const& frame : frames) {
            auto now = from + frame.timestamp;
            wake_until(session, page, now);
            auto out = session.on_binary(rcmf(frame), now);
            if (out.wake_at)
                m_due = out.wake_at;
            page.see(out);
        }
    }

    static inline int s_counter = 0;
    fs::path m_dir;
    FakeClock m_clock;
    std::unique_ptr<coach::Coach> m_coach;
    std::optional<MonoTime> m_due;
    MonoTime const t0 { MonoTime {} + 1h };
};

}

TEST_F(CameraStream, ARealModelClipRollingOntoTheLowerBackGivesTheLumbarCueWithinASecondOfTheCrossing)
{
    Page page;
    auto session = start_on_thoracic_roll(page);
    auto const frames = clip_frames("roll_lumbar_b");
    play(*session, page, frames, t0);

    // One motion answer per frame, each echoing its frame's own timestamp.
    ASSERT_EQ(page.motion.size(), frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i)
        ASSERT_EQ(page.motion[i]["t_us"], frames[i].timestamp.count()) << i;
    EXPECT_TRUE(std::any_of(page.motion.begin(), page.motion.end(), [](json const& m) { return m["calibrated"].get<bool>(); }));
    EXPECT_TRUE(std::any_of(page.motion.begin(), page.motion.end(), [](json const& m) { return m["zone"] == "lumbar"; }));

    // The lumbar cue, as an ordinary session cue, within about 1 s of the truth's crossing.
    auto const crossing = truth_lumbar_crossing("roll_lumbar_b", m_coach->kb().motion.lumbar_fraction);
    ASSERT_GT(crossing, 0);
    auto lumbar = page.cues_with_code("lumbar_contact");
    ASSERT_FALSE(lumbar.empty()) << "no lumbar cue";
    EXPECT_EQ(lumbar.front()["kind"], "form");
    // The update that carries it names the frame that raised it.
    auto update = std::find_if(page.all.begin(), page.all.end(), [](json const& m) {
        return m["type"] == "update" && m.contains("t_us") && !m["cues"].empty() && m["cues"][0].value("code", "") == "lumbar_contact";
    });
    ASSERT_NE(update, page.all.end());
    double const cue_at = (*update)["t_us"].get<double>() / 1e6;
    EXPECT_NEAR(cue_at, crossing, 1.0) << "truth crossing at " << crossing << " s, cue at " << cue_at << " s";
    RecordProperty("lumbar_crossing_s", std::to_string(crossing));
    RecordProperty("lumbar_cue_s", std::to_string(cue_at));
}

TEST_F(CameraStream, CleanRealModelClipsGiveNoLumbarCue)
{
    for (auto const* name : { "roll_clean_b", "roll_clean_c", "roll_clean_d" }) {
        Page page;
        auto session = start_on_thoracic_roll(page);
        auto const frames = clip_frames(name);
        play(*session, page, frames, t0);
        EXPECT_EQ(page.motion.size(), frames.size()) << name;
        EXPECT_TRUE(page.cues_with_code("lumbar_contact").empty()) << name;
    }
}

TEST_F(CameraStream, EveryMotionMessageCarriesTheFieldsOfTheProtocol)
{
    Page page;
    auto session = start_on_thoracic_roll(page);
    auto frames = clip_frames("roll_clean_c");
    frames.resize(40);
    play(*session, page, frames, t0);
    ASSERT_EQ(page.motion.size(), frames.size());
    for (auto const& m : page.motion) {
        for (auto const* key : { "t_us", "posture", "exercise", "calibrated", "contact_known", "fraction", "level", "zone", "speed_cm_s", "holding",
                 "hold_seconds", "roller_start_learning", "framing", "findings" })
            ASSERT_TRUE(m.contains(key)) << key << " missing in " << m.dump();
        EXPECT_TRUE(m["roller_start_learning"].is_boolean());
        EXPECT_EQ(m["exercise"], "thoracic_roll");
        EXPECT_TRUE(m["framing"]["ok"].is_boolean());
        EXPECT_TRUE(m["framing"]["problems"].is_array());
        EXPECT_LT(m.dump().size(), 600u) << "a compact message";
    }
    // The clip starts still on the roller: the analyser asks the page to look for the roller on
    // every frame while it learns where the roller started.
    EXPECT_TRUE(std::any_of(page.motion.begin(), page.motion.end(), [](auto const& m) { return m["roller_start_learning"] == true; }));
    // A side-on clip of the whole body is well framed once the analyser has seen it.
    EXPECT_TRUE(page.motion.back()["framing"]["ok"].get<bool>()) << page.motion.back().dump();
    EXPECT_EQ(page.motion.back()["posture"], "supine_on_roller");
}

TEST_F(CameraStream, AFormCueNeverTalksOverASafetyCue)
{
    Page page;
    auto session = start_on_thoracic_roll(page);
    auto const frames = clip_frames("roll_lumbar_b");
    play(*session, page, frames, t0);
    auto const lumbar = page.cues_with_code("lumbar_contact");
    ASSERT_FALSE(lumbar.empty());

    // Pain rising mid-set: the back-off cue outranks every form cue.
    auto now = t0 + frames.back().timestamp + 100ms;
    page.see(session->on_text(R"({"type": "event", "event": {"type": "pain", "rating": 8}})", now));
    auto const back_off = std::find_if(page.cues.begin(), page.cues.end(), [](json const& c) { return c["kind"] == "back_off"; });
    ASSERT_NE(back_off, page.cues.end()) << "no back-off cue";
    EXPECT_EQ((*back_off)["priority"], "urgent");
    for (auto const& cue : page.cues) {
        if (cue["kind"] == "form") {
            EXPECT_EQ(cue["priority"], "high") << "a form cue ranks below safety cues: " << cue.dump();
        }
    }

    // A safety stop ends the session; the camera keeps sending, and no form cue follows it.
    now += 1s;
    page.see(session->on_text(R"({"type": "event", "event": {"type": "safety", "event": "numbness_one_leg"}})", now));
    auto const stop = std::find_if(page.cues.begin(), page.cues.end(), [](json const& c) { return c["kind"] == "stop"; });
    ASSERT_NE(stop, page.cues.end());
    auto const cues_at_stop = page.cues.size();
    auto const motion_at_stop = page.motion.size();
    for (auto frame : frames) {
        frame.timestamp += frames.back().timestamp + 2s;
        page.see(session->on_binary(rcmf(frame), now + frame.timestamp - frames.back().timestamp));
    }
    EXPECT_EQ(page.cues.size(), cues_at_stop) << "nothing follows the stop";
    EXPECT_EQ(page.motion.size(), motion_at_stop) << "frames after the end are not analysed";
    ASSERT_GE(page.stats.size(), 2u) << "a summary at the end, and every 5 s while frames still come";
    EXPECT_GT(page.stats.back()["reasons"]["not_running"].get<std::size_t>(), frames.size() / 4);
}

TEST_F(CameraStream, APausedSessionShowsTheRollerButGivesNoAdvice)
{
    Page page;
    auto session = start_on_thoracic_roll(page);
    page.see(session->on_text(R"({"type": "event", "event": {"type": "pause"}})", t0));
    auto const cues_at_pause = page.cues.size();
    play(*session, page, clip_frames("roll_lumbar_b"), t0);
    EXPECT_FALSE(page.motion.empty());
    EXPECT_EQ(page.cues.size(), cues_at_pause);
}

TEST_F(CameraStream, CalibrateRestartsTheStartPositionAndIsAnswered)
{
    server::LiveSession idle(*m_coach, 1.0);
    EXPECT_EQ(messages_of(idle.on_text(R"({"type": "calibrate"})", t0)).back()["code"], "conflict");

    Page page;
    auto session = start_on_thoracic_roll(page);
    auto frames = clip_frames("roll_clean_c");
    auto const half = frames.size() / 2;
    std::vector<motion::Frame> first(frames.begin(), frames.begin() + static_cast<std::ptrdiff_t>(half));
    play(*session, page, first, t0);
    ASSERT_TRUE(page.motion.back()["calibrated"].get<bool>()) << "calibrated at the still start of the clip";

    auto answer = messages_of(session->on_text(R"({"type": "calibrate"})", t0 + first.back().timestamp + 1ms));
    ASSERT_EQ(answer.size(), 1u);
    EXPECT_EQ(answer[0]["type"], "calibrating");
    page.see(session->on_binary(rcmf(frames[half]), t0 + frames[half].timestamp));
    EXPECT_FALSE(page.motion.back()["calibrated"].get<bool>()) << "waiting for the next still moment";
}

TEST_F(CameraStream, ANewSetGetsAFreshAnalyser)
{
    Page page;
    auto session = start_on_thoracic_roll(page);
    auto frames = clip_frames("roll_clean_c");
    frames.resize(frames.size() / 2);
    play(*session, page, frames, t0);
    ASSERT_TRUE(page.motion.back()["calibrated"].get<bool>());
    auto now = t0 + frames.back().timestamp + 10ms;
    // The first skip only ends the set-up: the same set, the same analyser, still calibrated.
    page.see(session->on_text(R"({"type": "event", "event": {"type": "skip"}})", now));
    ASSERT_EQ(page.snapshot["phase"], "rolling");
    ASSERT_EQ(page.snapshot["exercise_id"], "thoracic_roll");
    auto frame = frames.back();
    frame.timestamp += 50ms;
    page.see(session->on_binary(rcmf(frame), now + 50ms));
    EXPECT_TRUE(page.motion.back()["calibrated"].get<bool>()) << "set-up and rolling are one set";
    // The second skips to the next exercise: a new set.
    page.see(session->on_text(R"({"type": "event", "event": {"type": "skip"}})", now));
    ASSERT_NE(page.snapshot["exercise_id"], "thoracic_roll");
    frame.timestamp += 100ms;
    page.see(session->on_binary(rcmf(frame), now + 100ms));
    EXPECT_FALSE(page.motion.back()["calibrated"].get<bool>()) << "a new set calibrates again";
    EXPECT_NE(page.motion.back()["exercise"], "thoracic_roll");
}

// The camera settings' height reaches the analyser: the same pictures of a taller body are more
// centimetres. Speeds are in cm/s, so a 200 cm user's read 4/3 of a 150 cm user's.
TEST_F(CameraStream, TheUsersHeightFromTheStartMessageScalesWhatTheAnalyserMeasures)
{
    auto fastest = [&](std::string const& start) {
        Page page;
        auto session = std::make_unique<server::LiveSession>(*m_coach, 1.0);
        page.see(session->on_text(start, t0));
        EXPECT_EQ(page.all.back()["type"], "started") << page.all.back().dump();
        m_due = std::nullopt;
        play(*session, page, clip_frames("roll_clean_c"), t0);
        double top = 0;
        for (auto const& m : page.motion)
            top = std::max(top, m["speed_cm_s"].get<double>());
        return top;
    };
    double short_user = fastest(R"({"type": "start", "from_exercise": "thoracic_roll", "body_height_cm": 150})");
    double tall_user = fastest(R"({"type": "start", "from_exercise": "thoracic_roll", "body_height_cm": 200})");
    double unknown = fastest(R"({"type": "start", "from_exercise": "thoracic_roll"})");
    ASSERT_GT(short_user, 1.0);
    EXPECT_NEAR(tall_user / short_user, 200.0 / 150.0, 0.05);
    EXPECT_NEAR(unknown / short_user, 170.0 / 150.0, 0.05) << "no height: 170 cm";
}

TEST_F(CameraStream, AHeightTheAnalyserCannotUseIsRefusedWithoutStartingTheSession)
{
    server::LiveSession session(*m_coach, 1.0);
    for (auto const* bad : { R"({"type": "start", "body_height_cm": 99})", R"({"type": "start", "body_height_cm": 251})",
             R"({"type": "start", "body_height_cm": "tall"})", R"({"type": "start", "body_height_cm": [170]})",
             R"({"type": "start", "body_height_cm": -170})" }) {
        auto answer = messages_of(session.on_text(bad, t0));
        ASSERT_EQ(answer.size(), 1u) << bad;
        EXPECT_EQ(answer[0]["type"], "error") << bad;
        EXPECT_EQ(answer[0]["code"], "invalid_argument") << bad;
        EXPECT_NE(answer[0]["message"].get<std::string>().find("100 to 250"), std::string::npos) << answer[0].dump();
    }
    // 1e400 is not a JSON number anyone can use: refused as such, the connection kept.
    EXPECT_EQ(messages_of(session.on_text(R"({"type": "start", "body_height_cm": 1e400})", t0)).back()["type"], "error");
    EXPECT_EQ(messages_of(session.on_text(R"({"type": "calibrate"})", t0)).back()["code"], "conflict") << "no session was started";
    EXPECT_EQ(messages_of(session.on_text(R"({"type": "start", "body_height_cm": 172.5})", t0)).back()["type"], "started");
}

TEST_F(CameraStream, HostileFramesAreDroppedAndCountedWithoutAnAnswerEach)
{
    server::LiveSession session(*m_coach, 1.0);
    auto const frames = clip_frames("roll_clean_c");
    auto now = t0;
    auto send = [&](std::vector<std::uint8_t> const& bytes) {
        now += 100ms;
        return session.on_binary(bytes, now);
    };
    // Before the start.
    EXPECT_TRUE(send(rcmf(frames[0])).messages.empty());
    ASSERT_EQ(messages_of(session.on_text(R"({"type": "start"})", now)).back()["type"], "started");

    auto good = rcmf(frames[1]);
    std::vector<std::vector<std::uint8_t>> hostile;
    hostile.push_back({});                                                          // empty
    hostile.push_back({ 'h', 'e', 'l', 'l', 'o' });                                 // garbage
    hostile.push_back(std::vector<std::uint8_t>(good.begin(), good.begin() + 30));  // truncated
    auto trailing = good;
    trailing.push_back(0);
    hostile.push_back(trailing);                                                    // trailing byte
    auto magic = good;
    magic[0] = 'X';
    hostile.push_back(magic);                                                       // wrong magic
    auto flags = good;
    flags[5] = 0x80;
    hostile.push_back(flags);                                                       // unknown flags
    auto version = good;
    version[4] = 3;
    hostile.push_back(version);                                                     // wrong version
    auto oversize = good;
    oversize.resize(5000, 0x41);
    hostile.push_back(oversize);                                                    // over 4 KiB
    hostile.push_back(std::vector<std::uint8_t>(60000, 0xff));                     // far over
    for (auto const& bytes : hostile)
        EXPECT_TRUE(send(bytes).messages.empty()) << bytes.size() << " bytes";

    // A good frame, then the same timestamp again and an older one: out of order.
    auto analysed = messages_of(send(good));
    ASSERT_EQ(analysed.size(), 1u);
    EXPECT_EQ(analysed[0]["type"], "motion");
    EXPECT_TRUE(send(good).messages.empty());
    EXPECT_TRUE(send(rcmf(frames[0])).messages.empty());

    // The summary comes once 5 s have passed since the first frame, with every drop by reason.
    now += 5s;
    auto stats = messages_of(send(magic));
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0]["type"], "motion_stats");
    EXPECT_EQ(stats[0]["received"], 1 + hostile.size() + 3 + 1);
    EXPECT_EQ(stats[0]["analysed"], 1);
    EXPECT_EQ(stats[0]["dropped"], stats[0]["received"].get<int>() - 1);
    auto const& reasons = stats[0]["reasons"];
    EXPECT_EQ(reasons["not_running"], 1);
    EXPECT_EQ(reasons["malformed"], 7);   // empty, garbage, truncated, trailing, magic x2, flags
    EXPECT_EQ(reasons["version"], 1);
    EXPECT_EQ(reasons["oversize"], 2);
    EXPECT_EQ(reasons["out_of_order"], 2);
    EXPECT_EQ(reasons["rate"], 0);
    // Not again until 5 s later.
    EXPECT_TRUE(send(magic).messages.empty());

    // The session carries on: an ordinary message is answered as ever.
    auto event = messages_of(session.on_text(R"({"type": "event", "event": {"type": "tender_spot"}})", now));
    EXPECT_EQ(event.back()["type"], "update");

    // And the end of the session sends the final summary after "ended".
    auto ended = messages_of(session.on_text(R"({"type": "event", "event": {"type": "quit"}})", now + 1s));
    ASSERT_EQ(ended.size(), 2u);
    EXPECT_EQ(ended[0]["type"], "ended");
    EXPECT_EQ(ended[1]["type"], "motion_stats");
    EXPECT_EQ(ended[1]["received"], stats[0]["received"].get<int>() + 1);
}

// A script's JSON "frame" messages pass the same gate as the camera's binary frames: one budget of
// 30 frames a second per connection for both kinds, every frame counted in motion_stats, and a
// frame over the rate dropped without an answer. Before, JSON frames were analysed without limit
// and counted nowhere.
TEST_F(CameraStream, JsonFramesShareTheBinaryFramesRateBudgetAndCounts)
{
    Page page;
    auto session = start_on_thoracic_roll(page);
    auto frames = clip_frames("roll_clean_c");
    ASSERT_GE(frames.size(), 101u);
    auto json_frame = [](motion::Frame const& frame) { return json { { "type", "frame" }, { "frame", json::parse(motion::format_frame_json(frame)) } }.dump(); };

    // 100 JSON frames in one second, 10 ms apart: the bucket's 30 and the 30 it refills at most.
    std::size_t answered = 0;
    for (std::size_t i = 0; i < 100; ++i) {
        auto out = session->on_text(json_frame(frames[i]), t0 + std::chrono::milliseconds(10 * (i + 1)));
        for (auto const& message : messages_of(out))
            answered += message["type"] == "error" ? 1 : 0;
        page.see(out);
    }
    EXPECT_EQ(answered, 0u) << "a frame over the rate is dropped without an answer";
    // The budget is the connection's, not the JSON frames': a binary frame now is over it too.
    EXPECT_TRUE(session->on_binary(rcmf(frames[100]), t0 + 1000ms).messages.empty());

    page.see(session->on_text(R"({"type": "event", "event": {"type": "quit"}})", t0 + 1001ms));
    ASSERT_FALSE(page.stats.empty()) << "JSON frames are counted in motion_stats like binary ones";
    auto const& last = page.stats.back();
    EXPECT_EQ(last["received"], 101);
    auto const analysed = last["analysed"].get<int>();
    auto const rate = last["reasons"]["rate"].get<int>();
    EXPECT_GE(analysed, 55);
    EXPECT_LE(analysed, 61) << "at most 30 a second, after a first second's worth";
    EXPECT_EQ(analysed + rate, 101);
    EXPECT_EQ(last["dropped"], rate);

    // Outside a running session a JSON frame is still answered (a script wants to know) and counted.
    auto after = messages_of(session->on_text(json_frame(frames[0]), t0 + 3s));
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0]["code"], "conflict");
}

TEST_F(CameraStream, FramesCarryingARollerSightingAreAnalysedAndCountedInTheStats)
{
    Page page;
    auto session = start_on_thoracic_roll(page);
    auto frames = clip_frames("roll_clean_c");
    ASSERT_GE(frames.size(), 60u);
    frames.resize(60);
    // Every third frame carries a sighting (RCMF version 2), as the page's finder sends them.
    int with_roller = 0;
    for (std::size_t i = 0; i < frames.size(); i += 3, ++with_roller)
        frames[i].roller = motion::RollerSighting { 0.45f, 0.72f, 0.05f, 0.8f };
    play(*session, page, frames, t0);
    EXPECT_EQ(page.motion.size(), frames.size()) << "every frame, with a sighting or not, is answered";
    page.see(session->on_text(R"({"type": "event", "event": {"type": "quit"}})", t0 + frames.back().timestamp + 1s));
    ASSERT_FALSE(page.stats.empty());
    auto const& last = page.stats.back();
    EXPECT_EQ(last["analysed"], frames.size());
    EXPECT_EQ(last["roller_sightings"], with_roller);
    EXPECT_EQ(last["reasons"]["malformed"], 0);
    EXPECT_EQ(last["reasons"]["version"], 0);
}

// The same session twice, on the same injected time: once untouched, once under a flood of
// 1,000 frames a second (good, garbage, oversize, wrong version, replayed) with a safety stop at
// 40 s. Every cue that is not camera advice comes at the same session time with the same words,
// the stop included, and at most 30 frames a second are analysed.
TEST_F(CameraStream, AFloodOfFramesLeavesTheSessionTimingAndItsSafetyCuesUnchanged)
{
    auto const frames = clip_frames("roll_clean_b");
    auto run = [&](bool flood) {
        Page page;
        server::LiveSession session(*m_coach, 1.0);
        auto started = session.on_text(R"({"type": "start", "pain_before": 2})", t0);
        page.see(started);
        m_due = started.wake_at;
        std::size_t i = 0;
        std::int64_t t_us = 0;
        bool stopped = false;
        auto const end = t0 + 60s;
        for (auto now = t0 + 1ms; now <= end; now += 1ms) {
            wake_until(session, page, now);
            if (!stopped && now >= t0 + 40s) {
                auto out = session.on_text(R"({"type": "event", "event": {"type": "safety", "event": "numbness_one_leg"}})", now);
                page.see(out);
                stopped = true;
            }
            if (!flood)
                continue;
            std::vector<std::uint8_t> bytes;
            switch (i % 5) {
            case 0: {
                auto frame = frames[(i / 5) % frames.size()];
                t_us += 5000;
                frame.timestamp = motion::Timestamp { t_us };
                bytes = rcmf(frame);
                break;
            }
            case 1: bytes = { 1, 2, 3 }; break;
            case 2: bytes = std::vector<std::uint8_t>(8000, 7); break;
            case 3: bytes = rcmf(frames[0]); bytes[4] = 9; break;
            default: bytes = rcmf(frames[0]); break;   // an old timestamp
            }
            ++i;
            auto out = session.on_binary(bytes, now);
            if (out.wake_at)
                m_due = out.wake_at;
            page.see(out);
        }
        return page;
    };
    auto const calm = run(false);
    auto const flooded = run(true);

    auto not_form = [](std::vector<json> const& cues) {
        std::vector<json> out;
        for (auto const& cue : cues)
            if (cue["kind"] != "form")
                out.push_back({ { "kind", cue["kind"] }, { "text", cue["text"] }, { "at_ms", cue["at_ms"] }, { "priority", cue["priority"] } });
        return out;
    };
    auto const expected = not_form(calm.cues);
    auto const got = not_form(flooded.cues);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(got, expected);
    EXPECT_TRUE(std::any_of(got.begin(), got.end(), [](json const& c) { return c["kind"] == "stop" && c["at_ms"] == 40000; }))
        << "the safety stop at 40 s, on time";
    EXPECT_EQ(flooded.snapshot["phase"], calm.snapshot["phase"]);
    EXPECT_EQ(flooded.snapshot["session_elapsed_ms"], calm.snapshot["session_elapsed_ms"]);

    // Counted, not answered: at most 30 frames a second (plus the first second's burst) were
    // analysed while the session ran; the stats came every 5 s, not per frame.
    ASSERT_FALSE(flooded.stats.empty());
    auto const& last = flooded.stats.back();
    EXPECT_EQ(last["received"], 60'000);
    EXPECT_LE(last["analysed"].get<int>(), 30 * 40 + 30);
    EXPECT_GE(last["analysed"].get<int>(), 30 * 40 / 10);
    EXPECT_GT(last["reasons"]["rate"].get<int>(), 25'000);
    EXPECT_GT(last["reasons"]["not_running"].get<int>(), 12'000);
    EXPECT_GT(last["reasons"]["oversize"].get<int>(), 10'000);
    EXPECT_LE(flooded.stats.size(), 60u / 5 + 2);
    EXPECT_EQ(flooded.motion.size(), last["analysed"].get<std::size_t>());
}

TEST(FrameBudget, AllowsThirtyFramesASecondWithASecondsBurst)
{
    server::FrameBudget budget(30, 30);
    MonoTime now {};
    int taken = 0;
    for (int i = 0; i < 1000; ++i)
        taken += budget.try_take(now);
    EXPECT_EQ(taken, 30) << "the burst";
    taken = 0;
    for (int ms = 1; ms <= 10'000; ++ms)
        taken += budget.try_take(now + std::chrono::milliseconds(ms));
    EXPECT_NEAR(taken, 300, 1) << "then 30 a second";
    // Time going backwards (it cannot on a steady clock, but the budget never trusts it) gives nothing.
    EXPECT_FALSE(budget.try_take(now));
}

TEST(Framing, AWholeSideOnBodyIsWellFramedAndEachShortcomingIsNamed)
{
    auto frames = motion::parse_jsonl(read_text(footage / "roll_clean_c.lite.jsonl")).frames;
    ASSERT_FALSE(frames.empty());
    motion::FrameAnalysis seen;
    seen.posture = motion::Posture::SupineOnRoller;
    auto const& side_on = frames[frames.size() / 2];
    EXPECT_TRUE(server::assess_framing(side_on, seen, 0.5).ok);

    auto problems = [&](motion::Frame const& frame, motion::FrameAnalysis const& analysis = {}) {
        auto framing = server::assess_framing(frame, analysis, 0.5);
        EXPECT_EQ(framing.ok, framing.problems.empty());
        return std::vector<std::string>(framing.problems.begin(), framing.problems.end());
    };
    using Id = motion::LandmarkId;
    EXPECT_EQ(problems(motion::Frame {}), std::vector<std::string> { "no_body" });

    auto no_feet = side_on;
    no_feet.at(Id::LeftAnkle).present = false;
    no_feet.at(Id::RightAnkle).y = 1.2f;
    seen.posture = motion::Posture::SupineOnRoller;
    EXPECT_EQ(problems(no_feet, seen), std::vector<std::string> { "body_cut_off" });

    // Seen from the feet: shoulders and hips wide apart, the trunk short.
    auto facing = side_on;
    facing.at(Id::LeftShoulder) = { 0.40f, 0.50f, 0, 1 };
    facing.at(Id::RightShoulder) = { 0.60f, 0.50f, 0, 1 };
    facing.at(Id::LeftHip) = { 0.42f, 0.55f, 0, 1 };
    facing.at(Id::RightHip) = { 0.58f, 0.55f, 0, 1 };
    EXPECT_EQ(problems(facing, seen), std::vector<std::string> { "not_side_on" });

    // Filling the picture edge to edge.
    auto close = side_on;
    close.at(Id::Nose) = { 0.01f, close.at(Id::Nose).y, 0, 1 };
    close.at(Id::LeftAnkle) = { 0.99f, close.at(Id::LeftAnkle).y, 0, 1 };
    close.at(Id::RightAnkle) = { 0.99f, close.at(Id::RightAnkle).y, 0, 1 };
    EXPECT_EQ(problems(close, seen), std::vector<std::string> { "too_close" });

    // The analyser's own verdict counts: no posture placed means the body is not in view.
    seen.posture = motion::Posture::NotVisible;
    EXPECT_EQ(problems(side_on, seen), std::vector<std::string> { "body_cut_off" });
}

TEST(Framing, EveryFrameOfTheSideOnFootageWithTheWholeBodyInViewPassesTheGeometry)
{
    motion::FrameAnalysis seen;
    seen.posture = motion::Posture::SupineOnRoller;
    for (auto const* name : { "roll_clean_b", "roll_clean_c", "roll_clean_d", "roll_lumbar_b", "slip_lumbar_b", "slip_lumbar_c" }) {
        auto frames = motion::parse_jsonl(read_text(footage / (std::string(name) + ".lite.jsonl"))).frames;
        int bad = 0;
        for (auto const& frame : frames) {
            auto framing = server::assess_framing(frame, seen, 0.5);
            bad += std::count(framing.problems.begin(), framing.problems.end(), "not_side_on") + std::count(framing.problems.begin(), framing.problems.end(), "too_close");
        }
        EXPECT_EQ(bad, 0) << name;
    }
}
