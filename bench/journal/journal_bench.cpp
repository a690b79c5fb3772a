// Ten years of daily use (3,650 sessions, each with before/after ratings, three zones, two tender
// spots, a dozen cues and a next-day check-in), then the queries a user waits for:
// `rollcoach stats` (target p99 <= 5 ms), `rollcoach history` (p99 <= 5 ms) and a full JSON
// export (<= 1 s). Each query repetition is one call, so the p99 row is the 99th percentile of
// single calls. Results: docs/benchmarks.md.
//
// ROLLCOACH_BENCH_DB=postgresql://... runs the same on the PostgreSQL backend: the database must
// exist and be empty (the benchmark imports into it).
#include "coach/import_merge.h"
#include "journal/open_journal.h"
#include "journal/record_json.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace {

using namespace rc;
using namespace rc::journal;
using namespace std::chrono_literals;

constexpr int days_of_use = 3650;
WallTime const first_day = WallTime { std::chrono::sys_days { std::chrono::year { 2016 } / 1 / 4 } + 19h };

nlohmann::json ten_years()
{
    JournalContents contents;
    contents.profile = Profile { first_day, { { "experience", "regular" }, { "rollers_owned", { "soft_foam", "peanut" } } } };
    RecordId pain_id = 0;
    for (int day = 0; day < days_of_use; ++day) {
        auto start = first_day + std::chrono::hours(24 * day) + std::chrono::minutes(day % 90);
        SessionRecord session;
        session.id = day + 1;
        session.started_at = start;
        session.ended_at = start + 9min;
        session.end_reason = day % 17 == 0 ? EndReason::Quit : EndReason::Completed;
        nlohmann::json steps = nlohmann::json::array();
        for (auto zone : { "upper_back", "lats", "glutes" })
            steps.push_back({ { "zone", zone }, { "exercise", std::string(zone) + "_roll" }, { "seconds", 120 }, { "sets", 2 } });
        session.plan = { { "steps", steps }, { "pressure", "moderate" }, { "roller", "soft_foam" } };
        session.completed_steps = nlohmann::json::array({ 0, 1, 2 });
        for (int cue = 0; cue < 12; ++cue)
            session.cues.push_back({ { "at_ms", cue * 45000 }, { "kind", "say" }, { "text", "Roll slowly, breathe out long" } });
        session.zones = { { "glutes", 180s }, { "lats", 150s }, { "upper_back", 200s } };
        session.tender_spots = { { "upper_back", 30s }, { "glutes", 40s } };
        contents.sessions.push_back(session);
        contents.pain_ratings.push_back({ ++pain_id, start, 3 + day % 4, PainMoment::Before, session.id, "" });
        contents.pain_ratings.push_back({ ++pain_id, session.ended_at, 2 + day % 3, PainMoment::After, session.id, "" });
        contents.checkins.push_back({ day + 1, start + 14h, session.id, day % 8, WarningSign::Absent, "proceed",
            { { "sharp_pain", false }, { "numbness", false } }, { { "tier", "proceed" } } });
    }
    return to_json(contents);
}

// One filled journal for every benchmark, built through the real import path: an SQLite file in
// a temporary folder, or the PostgreSQL database in ROLLCOACH_BENCH_DB.
std::filesystem::path const& filled_journal()
{
    static std::filesystem::path const path = [] {
        std::filesystem::path location;
        if (char const* db = std::getenv("ROLLCOACH_BENCH_DB"); db && *db) {
            location = db;
        } else {
            auto dir = std::filesystem::temp_directory_path() / "rollcoach-journal-bench";
            std::filesystem::remove_all(dir);
            std::filesystem::create_directories(dir);
            location = dir / "journal.db";
        }
        auto journal = open_journal(location, Purpose::Write);
        if (!journal || !coach::import_journal(**journal, ten_years(), coach::ImportMode::RefuseIfNotEmpty))
            std::abort();
        return location;
    }();
    return path;
}

Journal& journal()
{
    static auto opened = open_journal(filled_journal(), Purpose::Write);
    if (!opened)
        std::abort();
    return **opened;
}

StatsRequest today_request()
{
    StatsRequest request;
    request.now = first_day + std::chrono::hours(24 * (days_of_use - 1)) + 3h;
    request.utc_offset = 1h;
    return request;
}

double percentile(std::vector<double> const& values, double p)
{
    auto sorted = values;
    std::sort(sorted.begin(), sorted.end());
    auto index = std::min(sorted.size() - 1, std::size_t(p * double(sorted.size() - 1) + 0.5));
    return sorted[index];
}

void single_call_statistics(benchmark::internal::Benchmark* bench, int repetitions)
{
    bench->Iterations(1)
        ->Repetitions(repetitions)
        ->ReportAggregatesOnly(true)
        ->Unit(benchmark::kMillisecond)
        ->ComputeStatistics("p99", [](std::vector<double> const& v) { return percentile(v, 0.99); })
        ->ComputeStatistics("max", [](std::vector<double> const& v) { return *std::max_element(v.begin(), v.end()); });
}

void BM_Stats(benchmark::State& state)
{
    auto& j = journal();
    auto request = today_request();
    for (auto _ : state) {
        auto stats = j.compute_stats(request);
        if (!stats || stats->total_sessions != days_of_use)
            state.SkipWithError("stats failed");
        benchmark::DoNotOptimize(stats);
    }
}
BENCHMARK(BM_Stats)->Apply([](auto* b) { single_call_statistics(b, 500); });

void BM_History20(benchmark::State& state)
{
    auto& j = journal();
    for (auto _ : state) {
        auto entries = j.history(20);
        if (!entries || entries->size() != 20)
            state.SkipWithError("history failed");
        benchmark::DoNotOptimize(entries);
    }
}
BENCHMARK(BM_History20)->Apply([](auto* b) { single_call_statistics(b, 500); });

void BM_History200(benchmark::State& state)
{
    auto& j = journal();
    for (auto _ : state) {
        auto entries = j.history(200);
        benchmark::DoNotOptimize(entries);
    }
}
BENCHMARK(BM_History200)->Apply([](auto* b) { single_call_statistics(b, 200); });

void BM_PlanningHistory(benchmark::State& state)
{
    auto& j = journal();
    auto request = today_request();
    for (auto _ : state) {
        auto history = j.history_for_planning(request);
        benchmark::DoNotOptimize(history);
    }
}
BENCHMARK(BM_PlanningHistory)->Apply([](auto* b) { single_call_statistics(b, 500); });

// What `rollcoach export --format json` does: read everything and serialise it.
void BM_ExportJson(benchmark::State& state)
{
    auto& j = journal();
    for (auto _ : state) {
        auto document = j.export_json();
        if (!document)
            state.SkipWithError("export failed");
        auto text = document->dump(2);
        state.counters["bytes"] = double(text.size());
        benchmark::DoNotOptimize(text);
    }
}
BENCHMARK(BM_ExportJson)->Apply([](auto* b) { single_call_statistics(b, 10); });

// Opening includes what every CLI command pays once: SQLite's quick integrity check, or
// PostgreSQL's connection and schema check.
void BM_OpenJournal(benchmark::State& state)
{
    auto const& path = filled_journal();
    for (auto _ : state) {
        auto opened = open_journal(path, Purpose::Read);
        if (!opened)
            state.SkipWithError("open failed");
        benchmark::DoNotOptimize(opened);
    }
}
BENCHMARK(BM_OpenJournal)->Apply([](auto* b) { single_call_statistics(b, 30); });

}

BENCHMARK_MAIN();
