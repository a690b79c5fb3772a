// The session machine's cost: a whole default session run in virtual time, and one advance()
// call with nothing due (what a front-end pays on every poll).
#include "common/paths.h"
#include "knowledge/loader.h"
#include "plan/plan.h"
#include "session/session_machine.h"

#include <benchmark/benchmark.h>

using namespace rc;

namespace {

struct Fixture {
    kb::KnowledgeBase kb;
    plan::Plan plan;
};

Fixture const& fixture()
{
    static Fixture const f = [] {
        auto kb = kb::load_knowledge_base(shipped_data_dir() / "knowledge");
        if (!kb)
            throw std::runtime_error(kb.error().full_message());
        auto plan = plan::make_plan(*kb, plan::Profile {}, kb::Verdict {}, plan::History {});
        if (!plan)
            throw std::runtime_error(plan.error().message);
        return Fixture { std::move(*kb), std::move(*plan) };
    }();
    return f;
}

void BM_WholeSessionInVirtualTime(benchmark::State& state)
{
    auto const& f = fixture();
    std::size_t cues = 0;
    for (auto _ : state) {
        auto machine = session::SessionMachine::create(f.kb, f.plan);
        auto all = machine->planned_cues();
        cues = all.size();
        benchmark::DoNotOptimize(all);
    }
    state.counters["cues"] = static_cast<double>(cues);
}
BENCHMARK(BM_WholeSessionInVirtualTime);

void BM_AdvanceWithNothingDue(benchmark::State& state)
{
    auto const& f = fixture();
    auto machine = session::SessionMachine::create(f.kb, f.plan);
    MonoTime const t0 {};
    machine->step(t0, session::Event::start());
    auto const now = t0 + std::chrono::milliseconds { 100 };
    machine->advance(now);
    for (auto _ : state)
        benchmark::DoNotOptimize(machine->advance(now));
}
BENCHMARK(BM_AdvanceWithNothingDue);

void BM_SnapshotForTheUi(benchmark::State& state)
{
    auto const& f = fixture();
    auto machine = session::SessionMachine::create(f.kb, f.plan);
    MonoTime const t0 {};
    machine->step(t0, session::Event::start());
    auto const now = t0 + std::chrono::milliseconds { 30'000 };
    machine->advance(now);
    for (auto _ : state)
        benchmark::DoNotOptimize(machine->snapshot(now));
}
BENCHMARK(BM_SnapshotForTheUi);

}

BENCHMARK_MAIN();
