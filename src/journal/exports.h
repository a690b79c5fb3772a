// Exports of the whole journal for other programs, written piece by piece to an OutputSink as the
// journal is walked (Journal::visit_records), so memory stays flat whatever the journal's size:
// - JSON: the lossless document (docs/journal.md) that coach::import_journal reads back; it parses
//   to the same value as Journal::export_json(), its top-level keys in walking order;
// - CSV: one table per file (for spreadsheets), or one table on its own (the web download);
// - FHIR R4: a Bundle (type collection) a clinic system can import: a Patient, a
//   QuestionnaireResponse for each screening and check-in, an Observation per pain rating (LOINC
//   72514-3), and each session as a Procedure (zones as body sites) with an Observation of its
//   minutes per zone. Choices and codes: docs/journal.md, "FHIR".
//
//   auto out = FileSink::create_new("journal.json");
//   TRY(write_export(journal, ExportFormat::Json, {}, **out));
//   TRY((*out)->commit());
#pragma once

#include "common/result.h"
#include "journal/journal.h"

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rc::journal {

// Where a streamed export goes: bytes in order, in pieces of any size.
class OutputSink {
public:
    virtual ~OutputSink() = default;
    virtual Result<void> write(std::string_view bytes) = 0;
};

// Collects everything in memory (tests, small answers).
class StringSink final : public OutputSink {
public:
    Result<void> write(std::string_view bytes) override;
    std::string const& text() const { return m_text; }

private:
    std::string m_text;
};

// Writes to a file descriptor through a fixed 64 KiB buffer. create_new() writes a new file under
// a temporary name that commit() renames into place, so an export interrupted half-way never
// looks complete and an existing file is never overwritten.
class FileSink final : public OutputSink {
public:
    static constexpr std::size_t buffer_size = 64 * 1024;

    static Result<std::unique_ptr<FileSink>> create_new(std::filesystem::path const& path);
    // An open descriptor (standard output), not closed by the sink.
    static std::unique_ptr<FileSink> on_descriptor(int fd, std::string name);
    ~FileSink() override;

    Result<void> write(std::string_view bytes) override;
    // Flushes; for create_new(), syncs, closes and renames the file into place.
    Result<void> commit();

private:
    FileSink(int fd, std::string name, std::filesystem::path partial, std::filesystem::path final_path);
    Result<void> flush();

    int m_fd { -1 };
    std::string m_name;
    std::filesystem::path m_partial;   // empty: not our file
    std::filesystem::path m_final;
    std::string m_buffer;
    bool m_committed { false };
};

enum class ExportFormat { Json, Csv, Fhir };
Result<ExportFormat> parse_export_format(std::string_view text);

// The CSV tables, in the order written: profile, screenings, sessions, session_zones, tender_spots,
// pain_ratings, checkins, notes, clearances.
std::vector<std::string> const& csv_table_names();

// One export to `out`. `csv_table` names the one CSV table to write (required for Csv, ignored
// otherwise); an unknown name is an error listing the known ones.
Result<void> write_export(Journal& journal, ExportFormat format, std::string_view csv_table, OutputSink& out);

Result<void> write_json_export(Journal& journal, OutputSink& out);
Result<void> write_fhir_export(Journal& journal, OutputSink& out);
Result<void> write_csv_table(Journal& journal, std::string_view table, OutputSink& out);

// Writes <directory>/<table>.csv for every table in one walk of the journal; creates `directory`
// if needed and refuses to overwrite existing files. Returns the files written.
Result<std::vector<std::filesystem::path>> write_csv(Journal& journal, std::filesystem::path const& directory);

// One CSV row, RFC 4180: cells holding , " CR or LF are quoted; the row ends with CRLF.
std::string format_csv_row(std::vector<std::string> const& cells);

// The FHIR resources for one record (a session gives a Procedure and an Observation), each as a
// Bundle entry {"fullUrl", "resource"}. Exposed for tests.
std::vector<nlohmann::json> fhir_entries(AnyRecord const& record);
nlohmann::json fhir_patient_entry(std::optional<Profile> const& profile);

}
