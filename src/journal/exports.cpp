#include "journal/exports.h"

#include "journal/export_text.h"
#include "journal/record_json.h"

#include <algorithm>
#include <array>
#include <fmt/core.h>
#include <functional>
#include <variant>

namespace rc::journal {

using nlohmann::json;
namespace fs = std::filesystem;

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

namespace {

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
