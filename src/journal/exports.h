// Exports of the whole journal for other programs: CSV (one file per table, for spreadsheets)
// and a FHIR R4 Bundle (for clinic systems). Both are computed from JournalContents, so any
// backend gets them; the lossless format is the JSON document (Journal::export_json), which
// coach::import_journal reads back.
//
// FHIR choices (docs/journal.md): a Bundle of type "collection"; each pain rating is an
// Observation coded LOINC 72514-3 with valueInteger; each session is an Observation too (not a
// Procedure, whose subject is mandatory in R4 and we hold no Patient resource), with
// effectivePeriod, and components for duration and minutes per zone.
#pragma once

#include "common/result.h"
#include "journal/record_json.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace rc::journal {

// One CSV table: a header and rows of already-formatted cells.
struct CsvTable {
    std::string name;   // file name without ".csv"
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

std::vector<CsvTable> to_csv_tables(JournalContents const& contents);
std::string format_csv(CsvTable const& table);   // RFC 4180: quotes cells holding , " CR or LF

// Writes <directory>/<table>.csv for every table; creates `directory` if needed and refuses to
// overwrite existing files. Returns the files written.
Result<std::vector<std::filesystem::path>> write_csv(JournalContents const& contents, std::filesystem::path const& directory);

nlohmann::json to_fhir_bundle(JournalContents const& contents);

}
