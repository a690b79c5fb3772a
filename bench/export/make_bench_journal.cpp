// Writes a journal of `days` of daily use straight into SQLite (no in-memory document, so it can
// make journals of any size): each day a session (three zones, two tender spots, a plan and
// two dozen cues), before/after pain ratings and a next-day check-in; a screening every 90 days,
// a note every 10, a warning-sign check-in and its clearance every 120.
//
//   make_bench_journal JOURNAL.db DAYS      (about 5 KB of JSON export per day)
#include "journal/sqlite_journal.h"

#include <cstdlib>
#include <fmt/core.h>
#include <string>

using namespace rc;
using namespace rc::journal;
using namespace std::chrono_literals;

int main(int argc, char** argv)
{
    if (argc != 3) {
        fmt::print(stderr, "usage: make_bench_journal JOURNAL.db DAYS\n");
        return 2;
    }
    int const days = std::atoi(argv[2]);
    auto opened = SqliteJournal::open(argv[1], Creation::CreateFileOnly);
    if (!opened) {
        fmt::print(stderr, "make_bench_journal: {}\n", opened.error().message);
        return 1;
    }
    auto& journal = **opened;
    WallTime const first_day { std::chrono::sys_days { std::chrono::year { 2025 } / 1 / 6 } + 19h };
    auto written = journal.in_write_transaction([&]() -> Result<void> {
        TRY(journal.save_profile({ first_day, { { "experience", "regular" }, { "rollers_owned", { "soft_foam", "peanut" } } } }));
        for (int day = 0; day < days; ++day) {
            auto start = first_day + std::chrono::days(day) + std::chrono::minutes(day % 90);
            if (day % 90 == 0)
                TRY(journal.add_screening({ 0, start - 1h, "proceed", { { "age", 44 }, { "saddle_numbness", "no" } },
                    { { "tier", "proceed" }, { "reasons", nlohmann::json::array() }, { "changes", nlohmann::json::object() } } }));
            SessionRecord session;
            session.started_at = start;
            session.ended_at = start + 9min;
            session.end_reason = day % 17 == 0 ? EndReason::Quit : EndReason::Completed;
            nlohmann::json steps = nlohmann::json::array();
            for (auto zone : { "thoracic_spine", "lats", "glutes" })
                steps.push_back({ { "zone", zone }, { "exercise", std::string(zone) + "_roll" }, { "seconds", 120 }, { "sets", 2 } });
            session.plan = { { "steps", steps }, { "pressure", "moderate" }, { "roller", "soft_foam" } };
            session.completed_steps = nlohmann::json::array({ 0, 1, 2 });
            for (int cue = 0; cue < 24; ++cue)
                session.cues.push_back({ { "at_ms", cue * 22000 }, { "kind", "say" }, { "text", "Roll slowly and breathe out long" } });
            session.zones = { { "glutes", 180s }, { "lats", 150s }, { "thoracic_spine", 200s } };
            session.tender_spots = { { "thoracic_spine", 30s }, { "glutes", 40s } };
            session.pain = { { 0, start, 3 + day % 4, PainMoment::Before, std::nullopt, "" },
                { 0, session.ended_at, 2 + day % 3, PainMoment::After, std::nullopt, "" } };
            auto id = TRY(journal.add_session(session));
            bool warning = day % 120 == 119;
            TRY(journal.add_checkin({ 0, start + 14h, id, day % 8, warning ? WarningSign::Present : WarningSign::Absent,
                warning ? "clinician_soon" : "proceed", { { "checkin_kind", warning ? "nerve" : "soreness" }, { "checkin_intensity", day % 8 } },
                { { "tier", warning ? "clinician_soon" : "proceed" }, { "reasons", nlohmann::json::array() } } }));
            if (warning)
                TRY(journal.add_clearance({ 0, start + 30h, "Seen by the physiotherapist" }));
            if (day % 10 == 0)
                TRY(journal.add_note({ 0, start + 2h, id, "Felt looser afterwards" }));
        }
        return {};
    });
    if (!written) {
        fmt::print(stderr, "make_bench_journal: {}\n", written.error().message);
        return 1;
    }
    return 0;
}
