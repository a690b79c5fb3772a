// The streamed exports against the journal's own whole-document export: a varied journal, larger
// than one page of every kind, must give the same document whichever way it is written.
#include "journal/exports.h"
#include "journal/record_json.h"
#include "journal/sqlite_journal.h"
#include "sample_records.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <map>
#include <set>

namespace rc::journal {
namespace {

using namespace std::chrono_literals;
using test::TempDir;
using test::open_at;

// Every kind of record, with every optional field both set and unset, text that needs escaping
// (quotes, newlines, non-ASCII, control characters) and more rows than one page (256) of
// sessions and pain ratings, so page boundaries are crossed.
void fill_varied(Journal& journal, int sessions)
{
    auto t = test::monday_8am();
    ASSERT_TRUE(journal.save_profile({ t, { { "experience", "some" }, { "name", "Zoë \"Z\" O'Neill\n\t\u0001" } } }));
    std::optional<RecordId> screening;
    for (int i = 0; i < sessions; ++i) {
        auto day = t + std::chrono::hours(24 * i);
        if (i % 50 == 0)
            screening = *journal.add_screening({ 0, day, i % 100 == 0 ? "proceed" : "proceed_with_changes",
                { { "age_over_50", i % 3 == 0 }, { "pain_now", i % 11 }, { "where", { "low_back", "hips" } }, { "weight", 71.5 } },
                { { "tier", "proceed" }, { "reasons", nlohmann::json::array({ "ok" }) } } });
        auto session = test::sample_session(day + 1h, i % 10, (i + 3) % 10);
        session.end_reason = i % 7 == 0 ? EndReason::StoppedWarning : (i % 5 == 0 ? EndReason::Quit : EndReason::Completed);
        session.screening_id = i % 4 == 0 ? std::nullopt : screening;
        if (i % 6 == 0)
            session.tender_spots.clear();
        if (i % 9 == 0)
            session.zones.clear();
        auto id = *journal.add_session(session);
        if (i % 2 == 0) {
            ASSERT_TRUE(journal.add_pain({ 0, day + 5h, i % 11, PainMoment::Standalone, std::nullopt, i % 4 ? "" : "stairs, \"bad\" día" }));
        }
        if (i % 3 == 0) {
            ASSERT_TRUE(journal.add_checkin({ 0, day + 25h, i % 6 ? std::optional<RecordId>(id) : std::nullopt, i % 11,
                i % 15 == 0 ? WarningSign::Present : WarningSign::Absent, "proceed", { { "sharp_pain", i % 15 == 0 } }, {} }));
        }
        if (i % 8 == 0) {
            ASSERT_TRUE(journal.add_note({ 0, day + 2h, i % 16 ? std::optional<RecordId>(id) : std::nullopt, "line one\nline two ✓" }));
        }
        if (i % 30 == 0) {
            ASSERT_TRUE(journal.add_clearance({ 0, day + 26h, i % 60 ? "GP, Dr \"Ng\"" : "" }));
        }
    }
}

std::string streamed_json(Journal& journal)
{
    StringSink out;
    auto written = write_json_export(journal, out);
    EXPECT_TRUE(written) << (written ? "" : written.error().message);
    return out.text();
}

TEST(StreamedExport, JsonOfAnEmptyJournalIsTheSameDocumentAsTheWholeExport)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    auto text = streamed_json(*journal);
    EXPECT_EQ(nlohmann::json::parse(text), *journal->export_json());
    EXPECT_NE(text.find("\"sessions\": []"), std::string::npos);
    EXPECT_NE(text.find("\"profile\": null"), std::string::npos);
}

TEST(StreamedExport, JsonOfAVariedJournalLargerThanAPageIsTheSameDocumentAsTheWholeExport)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    fill_varied(*journal, 600);
    auto text = streamed_json(*journal);
    auto whole = *journal->export_json();
    ASSERT_EQ(whole["sessions"].size(), 600u);
    EXPECT_EQ(nlohmann::json::parse(text), whole);
    // Formatted as the whole document was: each record exactly as dump(2) prints it, indented.
    auto first_session = whole["sessions"][0].dump(2);
    std::string indented;
    for (char ch : first_session) {
        indented += ch;
        if (ch == '\n')
            indented += "    ";
    }
    EXPECT_NE(text.find(indented), std::string::npos);
    // And it is importable as it is.
    auto parsed = parse_contents_text(text);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->pain_ratings.size(), whole["pain_ratings"].size());
}

TEST(StreamedExport, JsonWithOnlyLaterKindsStillHasEveryArray)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    ASSERT_TRUE(journal->add_clearance({ 0, test::monday_8am(), "only this" }));
    auto text = streamed_json(*journal);
    EXPECT_EQ(nlohmann::json::parse(text), *journal->export_json());
}

TEST(VisitRecords, GivesEachKindOldestFirstAndSessionsWithTheirRatings)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    fill_varied(*journal, 300);
    std::vector<std::size_t> kinds;
    std::map<std::size_t, RecordId> last_id;
    bool ordered = true;
    std::size_t sessions_with_two_ratings = 0;
    auto walked = journal->visit_records([&](AnyRecord const& record) -> Result<void> {
        if (kinds.empty() || kinds.back() != record.index())
            kinds.push_back(record.index());
        auto id = std::visit([](auto const& r) { return r.id; }, record);
        ordered = ordered && id > last_id[record.index()];
        last_id[record.index()] = id;
        if (auto const* session = std::get_if<SessionRecord>(&record))
            sessions_with_two_ratings += session->pain.size() == 2 && session->pain[0].moment == PainMoment::Before;
        return {};
    });
    ASSERT_TRUE(walked) << walked.error().message;
    EXPECT_EQ(kinds, (std::vector<std::size_t> { 0, 1, 2, 3, 4, 5 }));
    EXPECT_TRUE(ordered);
    EXPECT_EQ(sessions_with_two_ratings, 300u);
}

TEST(VisitRecords, AnErrorFromTheVisitorStopsTheWalkAndIsReturned)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    fill_varied(*journal, 10);
    int seen = 0;
    auto walked = journal->visit_records([&](AnyRecord const&) -> Result<void> {
        if (++seen == 3)
            return Error::io("the disk is full");
        return {};
    });
    ASSERT_FALSE(walked);
    EXPECT_EQ(walked.error().message, "the disk is full");
    EXPECT_EQ(seen, 3);
}

TEST(FileSink, WritesPiecesLargerThanItsBufferIntactAndRenamesOnlyOnCommit)
{
    TempDir dir;
    auto sink = FileSink::create_new(dir / "out.json");
    ASSERT_TRUE(sink);
    std::string big(FileSink::buffer_size * 3 + 17, 'x');
    big[0] = 'a';
    big.back() = 'z';
    ASSERT_TRUE((*sink)->write("<"));
    ASSERT_TRUE((*sink)->write(big));
    ASSERT_TRUE((*sink)->write(">"));
    EXPECT_FALSE(std::filesystem::exists(dir / "out.json"));
    ASSERT_TRUE((*sink)->commit());
    EXPECT_EQ(test::read_bytes(dir / "out.json"), "<" + big + ">");
    EXPECT_FALSE(FileSink::create_new(dir / "out.json"));   // never overwrites
}

TEST(FileSink, AnAbandonedExportLeavesNothingBehind)
{
    TempDir dir;
    {
        auto sink = FileSink::create_new(dir / "half.json");
        ASSERT_TRUE(sink);
        ASSERT_TRUE((*sink)->write(std::string(FileSink::buffer_size * 2, 'x')));
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "half.json"));
    EXPECT_FALSE(std::filesystem::exists(dir / "half.json.partial"));
}

TEST(FhirExport, EveryResourceIsAboutThePatientAndEveryReferenceResolvesInTheBundle)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    fill_varied(*journal, 40);
    StringSink out;
    ASSERT_TRUE(write_fhir_export(*journal, out));
    auto bundle = nlohmann::json::parse(out.text());
    std::set<std::string> urls;
    for (auto const& entry : bundle["entry"]) {
        EXPECT_TRUE(urls.insert(entry["fullUrl"].get<std::string>()).second) << entry["fullUrl"];
    }
    for (auto const& entry : bundle["entry"]) {
        auto const& resource = entry["resource"];
        if (resource["resourceType"] == "Patient")
            continue;
        EXPECT_TRUE(urls.contains(resource["subject"]["reference"].get<std::string>())) << resource["id"];
        if (resource.contains("partOf")) {
            for (auto const& part : resource["partOf"]) {
                EXPECT_TRUE(urls.contains(part["reference"].get<std::string>())) << resource["id"];
            }
        }
    }
}

}
}
