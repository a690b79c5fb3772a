// A real-time session at speed 1 on the monotonic clock, measuring how late each cue is emitted
// compared with its due time (start + at_ms): the loop sleeps with clock_nanosleep(TIMER_ABSTIME)
// until SessionMachine::next_due(), then calls advance(). Sessions of the shipped default plan
// (or a longer plan for --minutes) run back to back until the requested time has passed.
//
//   session_timing --seconds 60        (make bench)
//   session_timing --minutes 10 [--json]
//
// Reports: cue count, lateness p50 / p99 / max, and drift = mean lateness over the last tenth of
// the run minus the first tenth (a schedule that accumulated error would grow here).
#include "common/paths.h"
#include "knowledge/loader.h"
#include "plan/plan.h"
#include "session/session_machine.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace rc;
using namespace std::chrono;

namespace {

void sleep_until(steady_clock::time_point when)
{
    auto const ns = duration_cast<nanoseconds>(when.time_since_epoch()).count();
    timespec ts { static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) { }
}

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0.0;
    std::sort(sorted.begin(), sorted.end());
    auto const index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(index, sorted.size() - 1)];
}

}

int main(int argc, char** argv)
{
    double seconds = 60;
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        std::string const arg = argv[i];
        if (arg == "--seconds" && i + 1 < argc)
            seconds = std::strtod(argv[++i], nullptr);
        else if (arg == "--minutes" && i + 1 < argc)
            seconds = 60 * std::strtod(argv[++i], nullptr);
        else if (arg == "--json")
            json = true;
        else {
            fmt::print(stderr, "usage: session_timing [--seconds N | --minutes N] [--json]\n");
            return 2;
        }
    }
    auto kb = kb::load_knowledge_base(shipped_data_dir() / "knowledge");
    if (!kb) {
        fmt::print(stderr, "session_timing: {}\n", kb.error().full_message());
        return 1;
    }
    plan::Profile profile;
    profile.experience = plan::Experience::Regular;
    profile.minutes_available = std::chrono::minutes { std::clamp(static_cast<int>(seconds / 60 + 0.999), 5, 30) };
    auto plan = plan::make_plan(*kb, profile, kb::Verdict {}, plan::History {});
    if (!plan) {
        fmt::print(stderr, "session_timing: {}\n", plan.error().message);
        return 1;
    }

    std::vector<double> lateness_ms;   // in emission order
    auto const run_start = steady_clock::now();
    auto const run_end = run_start + duration_cast<steady_clock::duration>(duration<double>(seconds));
    int sessions = 0;
    while (steady_clock::now() < run_end) {
        auto machine = session::SessionMachine::create(*kb, *plan);
        auto const start = steady_clock::now();
        machine->step(start, session::Event::start());
        ++sessions;
        while (auto due = machine->next_due()) {
            if (*due >= run_end)
                break;
            sleep_until(*due);
            auto const now = steady_clock::now();
            for (auto const& cue : machine->advance(now)) {
                auto const due_at = start + cue.at;
                lateness_ms.push_back(duration<double, std::milli>(now - due_at).count());
            }
        }
        if (!machine->finished())
            break;
    }
    auto const elapsed = duration<double>(steady_clock::now() - run_start).count();

    auto const n = lateness_ms.size();
    auto const tenth = std::max<std::size_t>(1, n / 10);
    double first = 0, last = 0;
    for (std::size_t i = 0; i < tenth && i < n; ++i) {
        first += lateness_ms[i];
        last += lateness_ms[n - 1 - i];
    }
    double const drift = n ? (last - first) / static_cast<double>(tenth) : 0.0;
    double const p50 = percentile(lateness_ms, 0.50);
    double const p99 = percentile(lateness_ms, 0.99);
    double const max = n ? *std::max_element(lateness_ms.begin(), lateness_ms.end()) : 0.0;
    if (json) {
        nlohmann::json out { { "seconds", elapsed }, { "sessions", sessions }, { "cues", n }, { "p50_ms", p50 }, { "p99_ms", p99 },
            { "max_ms", max }, { "drift_ms", drift } };
        fmt::print("{}\n", out.dump(2));
    } else {
        fmt::print("session_timing: {:.0f} s real time, {} session(s), {} cues\n", elapsed, sessions, n);
        fmt::print("  cue lateness p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms; drift (last tenth - first tenth) {:+.3f} ms\n", p50, p99,
            max, drift);
    }
    return 0;
}
