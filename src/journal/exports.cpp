#include "journal/exports.h"

#include <fmt/core.h>
#include <fstream>

namespace rc::journal {

using nlohmann::json;

namespace {

std::string cell(std::optional<RecordId> id) { return id ? std::to_string(*id) : std::string(); }

}

std::vector<CsvTable> to_csv_tables(JournalContents const& c)
{
    std::vector<CsvTable> tables;
    CsvTable profile { "profile", { "updated_at", "document" }, {} };
    if (c.profile)
        profile.rows.push_back({ format_utc(c.profile->updated_at), c.profile->document.dump() });
    tables.push_back(std::move(profile));

    CsvTable screenings { "screenings", { "id", "taken_at", "tier", "answers", "verdict" }, {} };
    for (auto const& s : c.screenings)
        screenings.rows.push_back({ std::to_string(s.id), format_utc(s.taken_at), s.tier, s.answers.dump(), s.verdict.dump() });
    tables.push_back(std::move(screenings));

    CsvTable sessions { "sessions",
        { "id", "started_at", "ended_at", "seconds", "end_reason", "screening_id", "plan", "completed_steps",
            "skipped_steps", "cues" },
        {} };
    CsvTable zones { "session_zones", { "session_id", "zone", "seconds" }, {} };
    CsvTable spots { "tender_spots", { "session_id", "zone", "seconds" }, {} };
    for (auto const& s : c.sessions) {
        auto seconds = std::chrono::duration_cast<std::chrono::seconds>(s.ended_at - s.started_at).count();
        sessions.rows.push_back({ std::to_string(s.id), format_utc(s.started_at), format_utc(s.ended_at),
            std::to_string(seconds), to_string(s.end_reason), cell(s.screening_id), s.plan.dump(),
            s.completed_steps.dump(), s.skipped_steps.dump(), s.cues.dump() });
        for (auto const& z : s.zones)
            zones.rows.push_back({ std::to_string(s.id), z.zone_id, std::to_string(z.rolled.count()) });
        for (auto const& t : s.tender_spots)
            spots.rows.push_back({ std::to_string(s.id), t.zone_id, std::to_string(t.held.count()) });
    }
    tables.push_back(std::move(sessions));
    tables.push_back(std::move(zones));
    tables.push_back(std::move(spots));

    CsvTable pain { "pain_ratings", { "id", "recorded_at", "value", "moment", "session_id", "note" }, {} };
    for (auto const& r : c.pain_ratings)
        pain.rows.push_back({ std::to_string(r.id), format_utc(r.at), std::to_string(r.value), to_string(r.moment),
            cell(r.session_id), r.note });
    tables.push_back(std::move(pain));

    CsvTable checkins { "checkins",
        { "id", "recorded_at", "session_id", "soreness", "warning_sign", "tier", "answers", "verdict" }, {} };
    for (auto const& k : c.checkins)
        checkins.rows.push_back({ std::to_string(k.id), format_utc(k.at), cell(k.session_id), std::to_string(k.soreness),
            k.warning == WarningSign::Present ? "yes" : "no", k.tier, k.answers.dump(), k.verdict.dump() });
    tables.push_back(std::move(checkins));

    CsvTable notes { "notes", { "id", "recorded_at", "session_id", "text" }, {} };
    for (auto const& n : c.notes)
        notes.rows.push_back({ std::to_string(n.id), format_utc(n.at), cell(n.session_id), n.text });
    tables.push_back(std::move(notes));

    CsvTable clearances { "clearances", { "id", "recorded_at", "note" }, {} };
    for (auto const& k : c.clearances)
        clearances.rows.push_back({ std::to_string(k.id), format_utc(k.at), k.note });
    tables.push_back(std::move(clearances));
    return tables;
}

std::string format_csv(CsvTable const& table)
{
    std::string out;
    auto write_row = [&](std::vector<std::string> const& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0)
                out += ',';
            auto const& value = cells[i];
            if (value.find_first_of(",\"\r\n") == std::string::npos) {
                out += value;
                continue;
            }
            out += '"';
            for (char ch : value) {
                if (ch == '"')
                    out += '"';
                out += ch;
            }
            out += '"';
        }
        out += "\r\n";
    };
    write_row(table.header);
    for (auto const& row : table.rows)
        write_row(row);
    return out;
}

Result<std::vector<std::filesystem::path>> write_csv(JournalContents const& contents, std::filesystem::path const& directory)
{
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec)
        return Error::io(fmt::format("Cannot create the folder {}: {}.", directory.string(), ec.message()));
    auto tables = to_csv_tables(contents);
    for (auto const& table : tables)
        if (std::filesystem::exists(directory / (table.name + ".csv"), ec))
            return Error::conflict(fmt::format("{} already exists; export never overwrites files. Choose an empty folder.",
                (directory / (table.name + ".csv")).string()));
    std::vector<std::filesystem::path> written;
    for (auto const& table : tables) {
        auto path = directory / (table.name + ".csv");
        std::ofstream out(path, std::ios::binary);
        out << format_csv(table);
        out.close();
        if (!out)
            return Error::io(fmt::format("Could not write {} (is the disk full?).", path.string()));
        written.push_back(path);
    }
    return written;
}

namespace {

// A syntactically valid UUID that is unique per record within a bundle (kind in the first group,
// record id in the last), so references stay stable between two exports of the same journal.
std::string record_uuid(unsigned kind, RecordId id)
{
    return fmt::format("urn:uuid:{:08x}-0000-4000-8000-{:012x}", kind, static_cast<std::uint64_t>(id));
}

constexpr unsigned pain_kind = 0x70a1;
constexpr unsigned session_kind = 0x5e55;

json quantity(double value, char const* unit)
{
    return { { "value", value }, { "unit", unit }, { "system", "http://unitsofmeasure.org" }, { "code", unit } };
}

json category(char const* code, char const* display)
{
    return json::array({ { { "coding",
        json::array({ { { "system", "http://terminology.hl7.org/CodeSystem/observation-category" }, { "code", code },
            { "display", display } } }) } } });
}

}

json to_fhir_bundle(JournalContents const& contents)
{
    auto entries = json::array();
    std::map<RecordId, std::vector<RecordId>> ratings_by_session;
    for (auto const& r : contents.pain_ratings) {
        if (r.session_id)
            ratings_by_session[*r.session_id].push_back(r.id);
        std::string context = r.moment == PainMoment::Standalone
            ? "Rated on its own."
            : fmt::format("Rated {} a foam-rolling session.", r.moment == PainMoment::During ? "during" : to_string(r.moment));
        json observation = {
            { "resourceType", "Observation" },
            { "id", fmt::format("pain-{}", r.id) },
            { "status", "final" },
            { "category", category("survey", "Survey") },
            { "code",
                { { "coding",
                      json::array({ { { "system", "http://loinc.org" }, { "code", "72514-3" },
                          { "display", "Pain severity - 0-10 verbal numeric rating [Score] - Reported" } } }) },
                    { "text", "Pain severity 0-10" } } },
            { "effectiveDateTime", format_utc(r.at) },
            { "valueInteger", r.value },
            { "note", json::array({ { { "text", r.note.empty() ? context : context + " " + r.note } } }) },
        };
        entries.push_back({ { "fullUrl", record_uuid(pain_kind, r.id) }, { "resource", observation } });
    }
    for (auto const& s : contents.sessions) {
        auto seconds = std::chrono::duration_cast<std::chrono::seconds>(s.ended_at - s.started_at).count();
        auto components = json::array();
        components.push_back({ { "code", { { "text", "How the session ended" } } }, { "valueString", to_string(s.end_reason) } });
        for (auto const& z : s.zones)
            components.push_back({ { "code", { { "text", fmt::format("Time rolling zone {}", z.zone_id) } } },
                { "valueQuantity", quantity(double(z.rolled.count()), "s") } });
        for (auto const& t : s.tender_spots)
            components.push_back({ { "code", { { "text", fmt::format("Tender spot held in zone {}", t.zone_id) } } },
                { "valueQuantity", quantity(double(t.held.count()), "s") } });
        json observation = {
            { "resourceType", "Observation" },
            { "id", fmt::format("session-{}", s.id) },
            { "status", "final" },
            { "category", category("activity", "Activity") },
            { "code", { { "text", "Foam-rolling self-massage session (rollcoach)" } } },
            { "effectivePeriod", { { "start", format_utc(s.started_at) }, { "end", format_utc(s.ended_at) } } },
            { "valueQuantity", quantity(double(seconds), "s") },
            { "component", components },
        };
        if (auto it = ratings_by_session.find(s.id); it != ratings_by_session.end()) {
            auto members = json::array();
            for (auto id : it->second)
                members.push_back({ { "reference", record_uuid(pain_kind, id) } });
            observation["hasMember"] = members;
        }
        entries.push_back({ { "fullUrl", record_uuid(session_kind, s.id) }, { "resource", observation } });
    }
    return { { "resourceType", "Bundle" }, { "type", "collection" }, { "entry", entries } };
}

}
