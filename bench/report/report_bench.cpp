// The patient report (rollcoach report, GET /api/report.pdf) for a year of daily use: 365
// sessions with before/after pain ratings, a check-in a day (three with a warning sign, each
// cleared), a real screening verdict, a note every ten days. Target: the whole report <= 1 s.
// Each repetition is one call. Results: docs/benchmarks.md.
#include "coach/coach.h"
#include "journal/sqlite_journal.h"
#include "knowledge/loader.h"
#include "report/report_data.h"
#include "report/report_pdf.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <sstream>

namespace {

using namespace rc;
using namespace rc::journal;
using namespace std::chrono_literals;

std::filesystem::path const source_dir { ROLLCOACH_SOURCE_DIR };
WallTime const first_day { std::chrono::sys_days { std::chrono::year { 2025 } / 1 / 6 } + 7h };

std::string read_text(std::filesystem::path const& file)
{
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void must(bool ok, char const* what)
{
    if (!ok) {
        fmt::print(stderr, "report_bench: {} failed\n", what);
        std::abort();
    }
}

struct Year {
    kb::KnowledgeBase kb;
    FakeClock clock { first_day - 1h };
    std::unique_ptr<coach::Coach> coach;
};

Year& year()
{
    static Year* world = [] {
        auto* w = new Year;
        auto loaded = kb::load_knowledge_base(source_dir / "data" / "knowledge");
        must(bool(loaded), "loading the knowledge base");
        w->kb = std::move(*loaded);
        auto dir = std::filesystem::temp_directory_path() / "rollcoach-report-bench";
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        auto journal = SqliteJournal::open(dir / "journal.db", Creation::CreateFileOnly);
        must(bool(journal), "opening the journal");
        w->coach = std::make_unique<coach::Coach>(w->kb, std::move(*journal), w->clock);
        must(bool(w->coach->submit_screening(read_text(source_dir / "tests/scenarios/triage/all_clear_adult/answers.json"))),
            "the screening");
        auto writer = SqliteJournal::open(dir / "journal.db", Creation::MustExist);
        must(bool(writer), "opening a writer");
        auto warning_verdict = nlohmann::json::object();
        auto written = (*writer)->in_write_transaction([&]() -> Result<void> {
            for (int day = 0; day < 365; ++day) {
                auto start = first_day + std::chrono::days(day);
                SessionRecord session;
                session.started_at = start;
                session.ended_at = start + 10min;
                session.end_reason = day % 40 == 0 ? EndReason::Quit : EndReason::Completed;
                for (int cue = 0; cue < 24; ++cue)
                    session.cues.push_back({ { "at_ms", cue * 25000 }, { "kind", "say" }, { "text", "Roll slowly and breathe out" } });
                session.zones = { { "glutes", 180s }, { "lats", 150s }, { "thoracic_spine", 200s } };
                session.pain = { { 0, start, 6 - day / 90, PainMoment::Before, std::nullopt, "" },
                    { 0, session.ended_at, 4 - day / 120, PainMoment::After, std::nullopt, "" } };
                auto id = TRY((*writer)->add_session(session));
                bool warning = day % 120 == 100;
                TRY((*writer)->add_checkin({ 0, start + 24h, id, day % 5, warning ? WarningSign::Present : WarningSign::Absent,
                    warning ? "clinician_soon" : "proceed", { { "checkin_kind", warning ? "nerve" : "soreness" } }, warning_verdict }));
                if (warning)
                    TRY((*writer)->add_clearance({ 0, start + 48h, "Seen by the physiotherapist" }));
                if (day % 10 == 0)
                    TRY((*writer)->add_note({ 0, start + 1h, id, "Felt looser afterwards" }));
            }
            return {};
        });
        must(bool(written), "writing a year");
        w->clock.set_wall(first_day + std::chrono::days(366));
        return w;
    }();
    return *world;
}

void BM_GatherReport(benchmark::State& state)
{
    auto& y = year();
    for (auto _ : state) {
        auto data = report::gather_report(*y.coach);
        if (!data)
            state.SkipWithError("gather failed");
        benchmark::DoNotOptimize(data);
    }
}
BENCHMARK(BM_GatherReport)->Iterations(1)->Repetitions(20)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DrawReportPdf(benchmark::State& state)
{
    auto data = report::gather_report(*year().coach);
    must(bool(data), "gathering");
    for (auto _ : state) {
        auto pdf = report::render_report_pdf(*data);
        if (!pdf)
            state.SkipWithError("drawing failed");
        state.counters["bytes"] = double(pdf->size());
        benchmark::DoNotOptimize(pdf);
    }
}
BENCHMARK(BM_DrawReportPdf)->Iterations(1)->Repetitions(20)->Unit(benchmark::kMillisecond)->UseRealTime();

// What one `GET /api/report.pdf` costs.
void BM_WholeReport(benchmark::State& state)
{
    auto& y = year();
    for (auto _ : state) {
        auto data = report::gather_report(*y.coach);
        auto pdf = data ? report::render_report_pdf(*data) : Result<std::string>(data.error());
        if (!pdf)
            state.SkipWithError("report failed");
        benchmark::DoNotOptimize(pdf);
    }
}
BENCHMARK(BM_WholeReport)->Iterations(1)->Repetitions(20)->Unit(benchmark::kMillisecond)->UseRealTime();

}

BENCHMARK_MAIN();
