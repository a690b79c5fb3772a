// The report's data from a varied journal (weeks with a gap, zones, pain, a warning-sign check-in
// and its clearance) and the PDF read back as text by poppler's pdftotext: the numbers computed
// here must be the ones printed there.
#include "../shipped_kb.h"
#include "coach/coach.h"
#include "journal/sqlite_journal.h"
#include "knowledge/loader.h"
#include "report/report_data.h"
#include "report/report_pdf.h"
#include "sample_records.h"
#include "test_support.h"

#include <cstdio>
#include <fmt/core.h>
#include <fstream>
#include <initializer_list>
#include <gtest/gtest.h>
#include <sstream>

namespace rc::report {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using journal::test::TempDir;

fs::path const source_dir { ROLLCOACH_SOURCE_DIR };

using rc::test::shipped_kb;

std::string read_text(fs::path const& file)
{
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string answers_of(std::string const& scenario) { return read_text(source_dir / "tests/scenarios/triage" / scenario / "answers.json"); }

// pdftotext's reading of a PDF, whitespace runs folded to one space so wrapped lines still match.
std::string pdf_text(std::string const& pdf, TempDir const& dir)
{
    auto file = dir / "report.pdf";
    std::ofstream(file, std::ios::binary) << pdf;
    auto command = fmt::format("pdftotext -enc UTF-8 '{}' '{}'", file.string(), (dir / "report.txt").string());
    EXPECT_EQ(std::system(command.c_str()), 0) << "pdftotext (poppler-utils) is needed: scripts/install-deps.sh installs it";
    std::string folded;
    for (char ch : read_text(dir / "report.txt")) {
        bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\f';
        if (space && (folded.empty() || folded.back() == ' '))
            continue;
        folded += space ? ' ' : ch;
    }
    return folded;
}

// A month of use: sessions most days with a week's gap, pain falling, a nerve-symptom check-in
// (a warning sign) and a clearance after it.
struct World {
    TempDir dir;
    FakeClock clock;
    std::unique_ptr<coach::Coach> coach;

    World()
    {
        auto journal = journal::SqliteJournal::open(dir / "j.db", journal::Creation::CreateFileOnly);
        EXPECT_TRUE(journal);
        coach = std::make_unique<coach::Coach>(shipped_kb(), std::move(*journal), clock);
    }

    // A clinician's clearance of the check-in's nerve-symptom flag, dated today (coach/clearance.h).
    std::string clearance_body(std::string const& by) const
    {
        return nlohmann::json { { "by", by }, { "on", journal::format_utc(clock.wall_now()).substr(0, 10) },
            { "covers", { "checkin_nerve_symptoms" } } }
            .dump();
    }

    void fill()
    {
        ASSERT_TRUE(coach->submit_screening(answers_of("all_clear_adult")));
        auto writer = journal::SqliteJournal::open(dir / "j.db", journal::Creation::MustExist);
        ASSERT_TRUE(writer);
        auto start = clock.wall_now();
        for (int day = 0; day < 28; ++day) {
            if (day >= 14 && day < 21)
                continue;   // a week off
            auto session = journal::test::sample_session(start + std::chrono::days(day) + 1h, 6 - day / 6, 4 - day / 8);
            session.zones = { { "thoracic_spine", 240s }, { "glutes", 120s } };
            ASSERT_TRUE((*writer)->add_session(session));
        }
        clock.advance(std::chrono::days(28));
        ASSERT_TRUE(coach->submit_checkin(answers_of("checkin_nerve_symptoms_in_the_neck")));
        clock.advance(24h);
        ASSERT_TRUE(coach->add_clearance(clearance_body("Dr Okafor, physiotherapist")));
        clock.advance(1h);
    }
};

TEST(ReportData, CountsWeeksWithTheirGapZonesPainAndCheckIns)
{
    World world;
    world.fill();
    auto data = gather_report(*world.coach);
    ASSERT_TRUE(data) << data.error().message;
    EXPECT_EQ(data->total_sessions, 21);
    EXPECT_DOUBLE_EQ(data->total_minutes, 210.0);
    ASSERT_EQ(data->weeks.size(), 4u);
    EXPECT_EQ(data->weeks[0].sessions, 7);
    EXPECT_EQ(data->weeks[2].sessions, 0);   // the week off shows as a zero
    ASSERT_EQ(data->zones.size(), 2u);
    EXPECT_EQ(data->zones[0].zone_id, "thoracic_spine");
    EXPECT_DOUBLE_EQ(data->zones[0].minutes, 84.0);
    EXPECT_NE(data->zones[0].name, "thoracic_spine");   // the knowledge base's name
    EXPECT_EQ(data->pain.size(), 21u);
    EXPECT_EQ(data->checkin_count, 1);
    EXPECT_EQ(data->checkin_warnings, 1);
    ASSERT_TRUE(data->screening);
    EXPECT_EQ(data->screening->tier, "proceed");
    ASSERT_EQ(data->clearances.size(), 1u);
}

TEST(ReportData, AWarningSignComesWithTheCitationsItsRuleRestsOn)
{
    World world;
    world.fill();
    auto data = gather_report(*world.coach);
    ASSERT_TRUE(data);
    ASSERT_FALSE(data->warnings.empty());
    bool cited = false;
    for (auto const& warning : data->warnings)
        for (auto const& source : warning.sources)
            cited = cited || shipped_kb().find_source(source) == nullptr;   // a citation, not a bare id
    EXPECT_TRUE(cited);
    EXPECT_NE(data->warnings[0].what.find("check-in"), std::string::npos);
}

// A session stopped for numbness is cited like any other warning sign (it read "no citation
// recorded": the lookup searched the zone rules, not the in-session rules), and today's plan
// gives the coach's refusal until it has been checked.
TEST(ReportData, ASessionStoppedForAWarningSignIsCitedAndRefusesTodaysPlan)
{
    World world;
    ASSERT_TRUE(world.coach->submit_screening(answers_of("all_clear_adult")));
    world.clock.advance(1h);
    auto session = journal::test::sample_session(world.clock.wall_now(), 3, 3);
    session.end_reason = journal::EndReason::StoppedWarning;
    session.cues = nlohmann::json::array({ { { "at_ms", 60000 }, { "kind", "stop" }, { "code", "stop_numbness_one_leg" },
        { "text", "Stop now. Numbness or tingling down one leg could be a sign that a nerve is irritated." } } });
    ASSERT_TRUE(world.coach->record_session_once(session));
    auto data = gather_report(*world.coach);
    ASSERT_TRUE(data);
    auto stop = std::find_if(data->warnings.begin(), data->warnings.end(),
        [](auto const& w) { return w.what.find("A session was stopped by a warning sign") != std::string::npos; });
    ASSERT_NE(stop, data->warnings.end());
    ASSERT_FALSE(stop->sources.empty()) << stop->what;
    for (auto const& source : stop->sources)
        EXPECT_EQ(shipped_kb().find_source(source), nullptr) << "a citation, not a bare id: " << source;
    EXPECT_FALSE(data->plan.allowed);
    EXPECT_NE(data->plan.refusal.find("stopped for a warning sign"), std::string::npos) << data->plan.refusal;
}

TEST(ReportData, TodaysPlanIsGivenOnceTheWarningIsClearedAndRefusedBefore)
{
    World world;
    ASSERT_TRUE(world.coach->submit_screening(answers_of("all_clear_adult")));
    ASSERT_TRUE(world.coach->submit_checkin(answers_of("checkin_nerve_symptoms_in_the_neck")));
    auto blocked = gather_report(*world.coach);
    ASSERT_TRUE(blocked);
    EXPECT_FALSE(blocked->plan.allowed);
    EXPECT_FALSE(blocked->plan.refusal.empty());
    world.clock.advance(1h);
    ASSERT_TRUE(world.coach->add_clearance(world.clearance_body("Dr Okafor, physiotherapist")));
    world.clock.advance(1h);
    auto cleared = gather_report(*world.coach);
    ASSERT_TRUE(cleared);
    EXPECT_TRUE(cleared->plan.allowed) << cleared->plan.refusal;
    EXPECT_FALSE(cleared->plan.steps.empty());
}

// The report drawn as a PDF, as pdftotext reads it (empty, with a failure, if it was not drawn).
std::string report_text(ReportData const& data, TempDir const& dir)
{
    auto pdf = render_report_pdf(data);
    EXPECT_TRUE(pdf) << (pdf ? "" : pdf.error().message);
    if (!pdf)
        return {};
    EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
    return pdf_text(*pdf, dir);
}

// Each phrase of `present` is in the report's text, and none of `absent`.
void expect_phrases(std::string const& text, std::initializer_list<char const*> present, std::initializer_list<char const*> absent = {})
{
    for (auto const* expected : present)
        EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\nin: " << text;
    for (auto const* wrong : absent)
        EXPECT_EQ(text.find(wrong), std::string::npos) << "found: " << wrong << "\nin: " << text;
}

TEST(ReportPdf, TheTextHoldsEverySectionAndTheComputedNumbers)
{
    World world;
    world.fill();
    auto data = gather_report(*world.coach);
    ASSERT_TRUE(data);
    TempDir dir;
    auto text = report_text(*data, dir);
    expect_phrases(text, { "rollcoach report", "21 sessions, 210 minutes in all", "Pain over time", "Sessions per week",
        "Minutes per zone", "Next-day check-ins", "1 check-in, 1 with a warning sign", "Screening result and clearances",
        "Latest screening on Monday 5 January 2026: proceed.", "cleared by Dr Okafor, physiotherapist on Tuesday 3 February 2026, for checkin nerve symptoms; valid until Sunday 3 May 2026",
        "Today's plan",
        "Warning signs and their sources", "Sources:", "84 min", "4 weeks from the first session to the last" });
    EXPECT_NE(text.find(data->zones[0].name), std::string::npos);
    EXPECT_NE(text.find(data->warnings[0].sources.at(0)), std::string::npos);
}

TEST(ReportPdf, OneOfSomethingIsCountedInTheSingular)
{
    // A first week of use: one session, one screening, one day of ratings. The report once said
    // "1 sessions", "1 days" and "1 weeks" to the clinician reading it.
    World world;
    ASSERT_TRUE(world.coach->submit_screening(answers_of("all_clear_adult")));
    auto writer = journal::SqliteJournal::open(world.dir / "j.db", journal::Creation::MustExist);
    ASSERT_TRUE(writer);
    auto session = journal::test::sample_session(world.clock.wall_now() + 1h, 5, 3);
    session.zones = { { "thoracic_spine", 60s } };
    ASSERT_TRUE((*writer)->add_session(session));
    world.clock.advance(2h);
    auto data = gather_report(*world.coach);
    ASSERT_TRUE(data);
    ASSERT_EQ(data->total_sessions, 1);
    TempDir dir;
    expect_phrases(report_text(*data, dir),
        { "1 session, ", "on 1 day;", "1 screening.", "1 week from the first session to the last", "1 session a week on average" },
        { "1 sessions", "1 days", "1 weeks", "1 screenings", "1 check-ins" });
}

TEST(ReportPdf, AnEmptyJournalStillGivesAValidPdfThatSaysNoSessionsYet)
{
    World world;
    auto data = gather_report(*world.coach);
    ASSERT_TRUE(data);
    EXPECT_EQ(data->total_sessions, 0);
    TempDir dir;
    expect_phrases(report_text(*data, dir), { "No sessions yet", "No screening on record", "No plan today" });
}

TEST(ReportPdf, ACoachWithNoJournalAtAllGivesTheSameEmptyReport)
{
    FakeClock clock;
    coach::Coach coach(shipped_kb(), nullptr, clock);
    auto data = gather_report(coach);
    ASSERT_TRUE(data) << data.error().message;
    TempDir dir;
    expect_phrases(report_text(*data, dir), { "No sessions yet" });
}

TEST(ReportPdf, AFailingOutputIsReportedNotIgnored)
{
    struct FullDisk final : journal::OutputSink {
        Result<void> write(std::string_view) override { return Error::io("the disk is full"); }
    } full;
    World world;
    auto data = gather_report(*world.coach);
    ASSERT_TRUE(data);
    auto drawn = render_report_pdf(*data, full);
    ASSERT_FALSE(drawn);
    EXPECT_EQ(drawn.error().message, "the disk is full");
}


// A screening that stopped rolling, lifted by a clinician's clearance: the report once said
// "Please don't roll yet" above the plan the clearance allowed, and gave the clearance's dates as
// ISO dates and its flag as a rule id.
TEST(ReportPdf, AStopAClearanceLiftedIsSaidToBeCoveredAboveThePlan)
{
    World world;
    ASSERT_TRUE(world.coach->submit_screening(answers_of("all_clear_adult")));
    auto answers = nlohmann::json::parse(answers_of("all_clear_adult"));
    answers["answers"]["cancer_history"] = "yes";
    ASSERT_TRUE(world.coach->submit_screening(answers.dump()));
    ASSERT_FALSE(world.coach->todays_plan()) << "the screening stops rolling until a clinician clears it";
    auto const today = journal::format_utc(world.clock.wall_now()).substr(0, 10);
    ASSERT_TRUE(world.coach->add_clearance(nlohmann::json { { "by", "Dr Patel, GP" }, { "on", today }, { "covers", { "cancer_history" } } }.dump()));
    world.clock.advance(1h);
    auto data = gather_report(*world.coach);
    ASSERT_TRUE(data) << data.error().message;
    ASSERT_TRUE(data->plan.allowed);
    TempDir dir;
    expect_phrases(report_text(*data, dir),
        { "clinician before rolling.", "A clinician's clearance below covers this", "for cancer history;",
            "cleared by Dr Patel, GP on Monday 5 January 2026", "valid until Sunday 5 April 2026" },
        { "Please don't roll yet", "cancer_history", "2026-01-05", "2026-04-05" });
}

}
}
