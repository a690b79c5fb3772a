// Speed of the motion analyser (targets: >= 1,000,000 frames/s and p99 <= 5 us per frame for
// the analysis without parsing; >= 1,000,000 frames/s for binary parsing; JSON Lines reported).
// Frames come from the simulator: a 60 s thoracic roll with mistakes, so every check runs.
#include "motion/analyzer.h"
#include "motion/body_simulator.h"
#include "motion/frame_codec.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>

using namespace rc::motion;

namespace {

std::vector<Frame> const& frames()
{
    static std::vector<Frame> cached = [] {
        auto sim = simulate({ .exercise = "thoracic_roll", .mistakes = { Mistake::Lumbar, Mistake::Fast, Mistake::HandsOff }, .seed = 4242, .duration_s = 60 });
        std::vector<Frame> out;
        for (auto const& f : sim->frames)
            out.push_back(f.frame);
        return out;
    }();
    return cached;
}

// The same frames, each with a roller sighting under the middle of the back (as the page's
// roller finder would add), so the fusion's code path runs on every frame.
std::vector<Frame> const& frames_with_roller()
{
    static std::vector<Frame> cached = [] {
        std::vector<Frame> out = frames();
        for (Frame& f : out) {
            Landmark const& s = f.at(LandmarkId::LeftShoulder);
            Landmark const& h = f.at(LandmarkId::LeftHip);
            f.roller = RollerSighting { (s.x + h.x) / 2, (s.y + h.y) / 2 + 0.05f, 0.04f };
        }
        return out;
    }();
    return cached;
}

// Frames replayed with ever-increasing timestamps, so every push is analysed.
Frame shifted(Frame frame, std::int64_t lap)
{
    frame.timestamp += Timestamp { lap * 61'000'000 };
    return frame;
}

void analysis(benchmark::State& state)
{
    auto const& source = frames();
    auto analyzer = *Analyzer::create({ .exercise = "thoracic_roll", .body_height = rc::Centimetres { 175 } });
    std::size_t i = 0;
    std::int64_t lap = 0;
    Frame frame = source[0];
    for (auto _ : state) {
        state.PauseTiming();
        frame = shifted(source[i], lap);
        if (++i == source.size())
            i = 0, ++lap;
        state.ResumeTiming();
        benchmark::DoNotOptimize(analyzer.push(frame));
    }
    state.SetItemsProcessed(state.iterations());
}

// Throughput without the timing pauses: a whole pre-shifted lap per iteration.
void analysis_throughput(benchmark::State& state)
{
    auto const& source = state.range(0) ? frames_with_roller() : frames();
    auto analyzer = *Analyzer::create({ .exercise = "thoracic_roll", .body_height = rc::Centimetres { 175 } });
    std::int64_t lap = 0;
    std::vector<Frame> batch(source.size());
    for (auto _ : state) {
        state.PauseTiming();
        for (std::size_t i = 0; i < source.size(); ++i)
            batch[i] = shifted(source[i], lap);
        ++lap;
        state.ResumeTiming();
        for (auto const& frame : batch)
            benchmark::DoNotOptimize(analyzer.push(frame));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(source.size()));
}

// Per-frame latency distribution: p50 and p99 in nanoseconds (steady_clock around each push).
void analysis_latency(benchmark::State& state)
{
    auto const& source = frames();
    std::vector<double> samples;
    for (auto _ : state) {
        auto analyzer = *Analyzer::create({ .exercise = "thoracic_roll", .body_height = rc::Centimetres { 175 } });
        for (std::int64_t lap = 0; lap < 5; ++lap) {
            for (auto const& f : source) {
                Frame frame = shifted(f, lap);
                auto start = std::chrono::steady_clock::now();
                benchmark::DoNotOptimize(analyzer.push(frame));
                auto end = std::chrono::steady_clock::now();
                samples.push_back(static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count()));
            }
        }
    }
    std::sort(samples.begin(), samples.end());
    state.counters["p50_ns"] = samples[samples.size() / 2];
    state.counters["p99_ns"] = samples[samples.size() * 99 / 100];
    state.counters["max_ns"] = samples.back();
}

void binary_parsing(benchmark::State& state)
{
    std::vector<std::uint8_t> bytes;
    for (auto const& f : frames())
        encode_binary_frame(f, bytes);
    std::size_t count = frames().size();
    for (auto _ : state) {
        std::size_t offset = 0;
        for (std::size_t i = 0; i < count; ++i) {
            auto decoded = decode_binary_frame(std::span(bytes).subspan(offset));
            offset += decoded->consumed;
            benchmark::DoNotOptimize(decoded);
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}

void json_lines_parsing(benchmark::State& state)
{
    std::vector<std::string> lines;
    for (auto const& f : frames())
        lines.push_back(format_frame_json(f));
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(parse_frame_json(lines[i]));
        if (++i == lines.size())
            i = 0;
    }
    state.SetItemsProcessed(state.iterations());
}

}

BENCHMARK(analysis);
BENCHMARK(analysis_throughput)->Arg(0)->Arg(1)->ArgName("roller");
BENCHMARK(analysis_latency)->Iterations(3);
BENCHMARK(binary_parsing);
BENCHMARK(json_lines_parsing);
BENCHMARK_MAIN();
