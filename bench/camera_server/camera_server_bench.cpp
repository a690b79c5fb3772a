// The server's cost of live camera frames (issue 14; target: under 1 % of one core at 15 fps).
// Real-model landmarks (tests/data/footage/heldout/roll_lumbar_b.lite.jsonl, MediaPipe Pose lite)
// go through LiveSession::on_binary exactly as the WebSocket layer hands them over: admission
// (size, running, token bucket, RCMF decoding, order), the analyser, the form cues through the
// session machine, the "motion" answer as JSON text, and the timer wake-ups of the session
// running beside it. Time is injected: 66.7 ms per frame (15 fps). Not included: Beast's
// WebSocket framing and the socket writes (bench/server measures the whole server).
//
//   camera_frames_at_15fps   one iteration = one pass over the 175-frame clip; CPU per frame =
//                            CPU time / 175; the counter core_share_at_15fps is that times 15.
//   dropped_frames_flood     one iteration = 1,000 frames of a flood inside one second (garbage,
//                            oversize, rate-limited): the cost of 1,000 frames/s of hostile input.
#include "coach/coach.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"
#include "motion/frame_codec.h"
#include "server/live_session.h"
#include "triage/verdict_json.h"

#include <benchmark/benchmark.h>
#include <cstring>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace rc;

namespace {

kb::KnowledgeBase const& knowledge()
{
    static kb::KnowledgeBase const kb = [] {
        auto loaded = kb::load_knowledge_base(fs::path(ROLLCOACH_SOURCE_DIR) / "data" / "knowledge");
        if (!loaded) {
            fmt::print(stderr, "{}\n", loaded.error().full_message());
            std::abort();
        }
        return std::move(*loaded);
    }();
    return kb;
}

std::vector<motion::Frame> const& clip()
{
    static std::vector<motion::Frame> const frames = [] {
        std::ifstream in(fs::path(ROLLCOACH_SOURCE_DIR) / "tests/data/footage/heldout/roll_lumbar_b.lite.jsonl");
        std::stringstream text;
        text << in.rdbuf();
        return motion::parse_jsonl(text.str()).frames;
    }();
    return frames;
}

// A coach on a throw-away journal with an all-clear screening, so a session can start.
struct World {
    FakeClock clock;
    fs::path dir { fs::temp_directory_path() / fmt::format("rc-camera-bench-{}", ::getpid()) };
    std::unique_ptr<coach::Coach> coach;

    World()
    {
        fs::create_directories(dir);
        auto journal = journal::open_journal(dir / "journal.db", journal::Purpose::Write);
        if (!journal)
            std::abort();
        journal::ScreeningRecord screening;
        screening.taken_at = clock.wall_now();
        screening.tier = "proceed";
        screening.verdict = kb::Verdict {};
        if (!(*journal)->add_screening(screening))
            std::abort();
        coach = std::make_unique<coach::Coach>(knowledge(), std::move(*journal), clock);
    }
    ~World()
    {
        coach.reset();
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
};

constexpr auto frame_interval = std::chrono::microseconds(66'667);

void camera_frames_at_15fps(benchmark::State& state)
{
    World world;
    auto const& frames = clip();
    std::unique_ptr<server::LiveSession> session;
    std::optional<MonoTime> due;
    MonoTime now = MonoTime {} + std::chrono::hours(1);
    std::int64_t t_us = 0;
    std::vector<std::vector<std::uint8_t>> lap(frames.size());
    std::size_t messages = 0, bytes_out = 0;
    bool ended = false;
    for (auto _ : state) {
        state.PauseTiming();
        // A new session when the last one ended (it runs at real speed beside the frames).
        if (!session || ended) {
            ended = false;
            session = std::make_unique<server::LiveSession>(*world.coach, 1.0);
            auto started = session->on_text(R"({"type": "start", "from_exercise": "thoracic_roll"})", now);
            due = started.wake_at;
        }
        for (std::size_t i = 0; i < frames.size(); ++i) {
            auto frame = frames[i];
            t_us += frame_interval.count();
            frame.timestamp = motion::Timestamp { t_us };
            lap[i].clear();
            motion::encode_binary_frame(frame, lap[i]);
        }
        state.ResumeTiming();
        for (auto const& bytes : lap) {
            now += frame_interval;
            while (due && *due <= now) {
                auto at = *due;
                due.reset();
                auto woken = session->on_timer(at);
                due = woken.wake_at;
                for (auto const& m : woken.messages)
                    ended = ended || m.find(R"("type":"ended")") != std::string::npos;
            }
            auto out = session->on_binary(bytes, now);
            if (out.wake_at)
                due = out.wake_at;
            messages += out.messages.size();
            for (auto const& m : out.messages) {
                bytes_out += m.size();
                ended = ended || m.find(R"("type":"ended")") != std::string::npos;
            }
            benchmark::DoNotOptimize(out);
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
    // Seconds of CPU per frame x 15 frames a second = the share of one core.
    // (Rates divide by CPU time; inverted, this is CPU time / (iterations x frames / 15).)
    state.counters["core_share_at_15fps"] = benchmark::Counter(static_cast<double>(frames.size()) / 15.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    state.counters["messages_per_frame"] = static_cast<double>(messages) / static_cast<double>(state.iterations() * frames.size());
    state.counters["answer_bytes_per_frame"] = static_cast<double>(bytes_out) / static_cast<double>(state.iterations() * frames.size());
}

void dropped_frames_flood(benchmark::State& state)
{
    World world;
    auto const& frames = clip();
    server::LiveSession session(*world.coach, 1.0);
    MonoTime now = MonoTime {} + std::chrono::hours(1);
    (void)session.on_text(R"({"type": "start", "from_exercise": "thoracic_roll"})", now);
    (void)session.on_text(R"({"type": "event", "event": {"type": "pause"}})", now);
    std::vector<std::uint8_t> good;
    motion::encode_binary_frame(frames[0], good);
    std::vector<std::uint8_t> garbage(good.size(), 0x5a);
    std::vector<std::uint8_t> oversize(5000, 0x41);
    std::int64_t t_us = 0;
    for (auto _ : state) {
        for (int i = 0; i < 1000; ++i) {
            now += std::chrono::milliseconds(1);
            if (i % 3 == 0) {
                t_us += 1000;
                std::memcpy(good.data() + 8, &t_us, sizeof t_us);
                benchmark::DoNotOptimize(session.on_binary(good, now));
            } else {
                benchmark::DoNotOptimize(session.on_binary(i % 3 == 1 ? garbage : oversize, now));
            }
        }
    }
    state.SetItemsProcessed(state.iterations() * 1000);
    // CPU seconds per 1,000 frames (one second of flood) = the share of one core it costs.
    state.counters["core_share_at_1000fps"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

}

BENCHMARK(camera_frames_at_15fps)->Unit(benchmark::kMicrosecond);
BENCHMARK(dropped_frames_flood)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
