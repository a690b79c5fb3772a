// The JSON form of each journal record, shared by the export/import document, the web server's
// API and `--json` listings. Times are UTC strings ("2026-01-05T08:00:00.000Z"); optional ids are
// null when absent. parse_* check every field and name the offending one:
// "sessions[3].started_at: expected a UTC time like 2026-01-05T08:00:00.000Z".
#pragma once

#include "common/result.h"
#include "journal/records.h"

#include <nlohmann/json.hpp>
#include <string_view>
#include <string>

namespace rc::journal {

nlohmann::json to_json(Profile const& profile);
nlohmann::json to_json(ScreeningRecord const& screening);
nlohmann::json to_json(SessionRecord const& session);   // without session.pain (ratings are listed on their own)
nlohmann::json to_json(PainRating const& rating);
nlohmann::json to_json(CheckIn const& checkin);
nlohmann::json to_json(Note const& note);
nlohmann::json to_json(Clearance const& clearance);
nlohmann::json to_json(HistoryEntry const& entry);

Result<Profile> parse_profile(nlohmann::json const& json, std::string const& where);
Result<ScreeningRecord> parse_screening(nlohmann::json const& json, std::string const& where);
Result<SessionRecord> parse_session(nlohmann::json const& json, std::string const& where);
Result<PainRating> parse_pain(nlohmann::json const& json, std::string const& where);
Result<CheckIn> parse_checkin(nlohmann::json const& json, std::string const& where);
Result<Note> parse_note(nlohmann::json const& json, std::string const& where);
Result<Clearance> parse_clearance(nlohmann::json const& json, std::string const& where);

// The export document: its "format" value and version. import refuses anything else.
inline constexpr char const* export_format_name = "rollcoach-journal";
inline constexpr int export_format_version = 1;

// The parsed export document, ready to be written by any backend.
struct JournalContents {
    int schema_version { 0 };
    std::optional<Profile> profile;
    std::vector<ScreeningRecord> screenings;
    std::vector<SessionRecord> sessions;
    std::vector<PainRating> pain_ratings;
    std::vector<CheckIn> checkins;
    std::vector<Note> notes;
    std::vector<Clearance> clearances;
};

nlohmann::json to_json(JournalContents const& contents);
// Strict: every problem is an InvalidData naming the field; nothing nlohmann throws gets out.
Result<JournalContents> parse_contents(nlohmann::json const& document);
// The same from the text of an export file (the import's parser; fuzzed as such).
Result<JournalContents> parse_contents_text(std::string_view text);

}
