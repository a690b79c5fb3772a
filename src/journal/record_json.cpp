#include "journal/record_json.h"

#include "journal/journal.h"

#include <fmt/core.h>
#include <set>

namespace rc::journal {

using nlohmann::json;

namespace {

json optional_id_json(std::optional<RecordId> id) { return id ? json(*id) : json(nullptr); }

// Reads fields of one record; the first problem throws a FieldError naming the field.
struct FieldError {
    std::string message;
};

class Fields {
public:
    Fields(json const& object, std::string where)
        : m_object(object)
        , m_where(std::move(where))
    {
        if (!m_object.is_object())
            fail("", "expected an object");
    }

    [[noreturn]] void fail(std::string const& field, std::string const& expected) const
    {
        throw FieldError { fmt::format("{}{}{}: {}", m_where, field.empty() ? "" : ".", field, expected) };
    }

    json const& get(std::string const& field) const
    {
        auto it = m_object.find(field);
        if (it == m_object.end())
            fail(field, "missing");
        return *it;
    }

    RecordId id(std::string const& field = "id") const
    {
        auto const& value = get(field);
        if (!value.is_number_integer() || value.get<std::int64_t>() <= 0)
            fail(field, "expected a positive whole number");
        return value.get<RecordId>();
    }

    std::optional<RecordId> optional_id(std::string const& field) const
    {
        auto it = m_object.find(field);
        if (it == m_object.end() || it->is_null())
            return std::nullopt;
        return id(field);
    }

    WallTime time(std::string const& field) const
    {
        auto const& value = get(field);
        std::optional<WallTime> parsed;
        if (value.is_string())
            parsed = parse_utc(value.get<std::string>());
        if (!parsed)
            fail(field, "expected a UTC time like 2026-01-05T08:00:00.000Z");
        return *parsed;
    }

    std::string text(std::string const& field) const
    {
        auto const& value = get(field);
        if (!value.is_string())
            fail(field, "expected text");
        return value.get<std::string>();
    }

    int integer(std::string const& field, int min, int max) const
    {
        auto const& value = get(field);
        if (!value.is_number_integer() || value.get<std::int64_t>() < min || value.get<std::int64_t>() > max)
            fail(field, fmt::format("expected a whole number from {} to {}", min, max));
        return value.get<int>();
    }

    json document(std::string const& field, json::value_t type) const
    {
        auto const& value = get(field);
        if (value.type() != type)
            fail(field, type == json::value_t::array ? "expected a list" : "expected an object");
        return value;
    }

    std::string const& where() const { return m_where; }

private:
    json const& m_object;
    std::string m_where;
};

template<typename F>
auto parse_with(F&& body) -> Result<std::invoke_result_t<F>>
{
    try {
        return body();
    } catch (FieldError const& e) {
        return Error::invalid_data(e.message);
    }
}

}

json to_json(Profile const& profile)
{
    return { { "updated_at", format_utc(profile.updated_at) }, { "document", profile.document } };
}

json to_json(ScreeningRecord const& s)
{
    return { { "id", s.id }, { "taken_at", format_utc(s.taken_at) }, { "tier", s.tier }, { "answers", s.answers },
        { "verdict", s.verdict } };
}

json to_json(SessionRecord const& s)
{
    auto zones = json::array();
    for (auto const& zone : s.zones)
        zones.push_back({ { "zone", zone.zone_id }, { "seconds", zone.rolled.count() } });
    auto spots = json::array();
    for (auto const& spot : s.tender_spots)
        spots.push_back({ { "zone", spot.zone_id }, { "seconds", spot.held.count() } });
    return { { "id", s.id }, { "started_at", format_utc(s.started_at) }, { "ended_at", format_utc(s.ended_at) },
        { "end_reason", to_string(s.end_reason) }, { "screening_id", optional_id_json(s.screening_id) }, { "plan", s.plan },
        { "completed_steps", s.completed_steps }, { "skipped_steps", s.skipped_steps }, { "cues", s.cues },
        { "zones", zones }, { "tender_spots", spots } };
}

json to_json(PainRating const& r)
{
    return { { "id", r.id }, { "recorded_at", format_utc(r.at) }, { "value", r.value }, { "moment", to_string(r.moment) },
        { "session_id", optional_id_json(r.session_id) }, { "note", r.note } };
}

json to_json(CheckIn const& c)
{
    return { { "id", c.id }, { "recorded_at", format_utc(c.at) }, { "session_id", optional_id_json(c.session_id) },
        { "soreness", c.soreness }, { "warning_sign", c.warning == WarningSign::Present }, { "tier", c.tier },
        { "answers", c.answers }, { "verdict", c.verdict } };
}

json to_json(Note const& n)
{
    return { { "id", n.id }, { "recorded_at", format_utc(n.at) }, { "session_id", optional_id_json(n.session_id) },
        { "text", n.text } };
}

json to_json(Clearance const& c)
{
    return { { "id", c.id }, { "recorded_at", format_utc(c.at) }, { "note", c.note }, { "detail", c.detail } };
}

json to_json(HistoryEntry const& e)
{
    return { { "kind", to_string(e.kind) }, { "id", e.id }, { "at", format_utc(e.at) }, { "summary", e.summary },
        { "detail", e.detail } };
}

Result<Profile> parse_profile(json const& value, std::string const& where)
{
    return parse_with([&] {
        Fields f(value, where);
        return Profile { f.time("updated_at"), f.document("document", json::value_t::object) };
    });
}

Result<ScreeningRecord> parse_screening(json const& value, std::string const& where)
{
    return parse_with([&] {
        Fields f(value, where);
        auto answers = f.get("answers");
        auto verdict = f.get("verdict");
        return ScreeningRecord { f.id(), f.time("taken_at"), f.text("tier"), answers, verdict };
    });
}

Result<SessionRecord> parse_session(json const& value, std::string const& where)
{
    return parse_with([&] {
        Fields f(value, where);
        SessionRecord s;
        s.id = f.id();
        s.started_at = f.time("started_at");
        s.ended_at = f.time("ended_at");
        if (s.ended_at < s.started_at)
            f.fail("ended_at", "a session cannot end before it starts");
        auto reason = parse_end_reason(f.text("end_reason"));
        if (!reason)
            f.fail("end_reason", "expected completed, quit or stopped_warning");
        s.end_reason = *reason;
        s.screening_id = f.optional_id("screening_id");
        s.plan = f.get("plan");
        s.completed_steps = f.document("completed_steps", json::value_t::array);
        s.skipped_steps = f.document("skipped_steps", json::value_t::array);
        s.cues = f.document("cues", json::value_t::array);
        auto zones = f.document("zones", json::value_t::array);
        std::set<std::string> seen;
        for (std::size_t i = 0; i < zones.size(); ++i) {
            Fields z(zones[i], fmt::format("{}.zones[{}]", where, i));
            auto zone = z.text("zone");
            if (!seen.insert(zone).second)
                z.fail("zone", "listed twice in one session");
            s.zones.push_back({ zone, std::chrono::seconds(z.integer("seconds", 0, 1'000'000'000)) });
        }
        auto spots = f.document("tender_spots", json::value_t::array);
        for (std::size_t i = 0; i < spots.size(); ++i) {
            Fields t(spots[i], fmt::format("{}.tender_spots[{}]", where, i));
            s.tender_spots.push_back({ t.text("zone"), std::chrono::seconds(t.integer("seconds", 0, 1'000'000'000)) });
        }
        return s;
    });
}

Result<PainRating> parse_pain(json const& value, std::string const& where)
{
    return parse_with([&] {
        Fields f(value, where);
        PainRating r;
        r.id = f.id();
        r.at = f.time("recorded_at");
        r.value = f.integer("value", 0, 10);
        auto moment = parse_pain_moment(f.text("moment"));
        if (!moment)
            f.fail("moment", "expected before, after, during or standalone");
        r.moment = *moment;
        r.session_id = f.optional_id("session_id");
        r.note = f.text("note");
        return r;
    });
}

Result<CheckIn> parse_checkin(json const& value, std::string const& where)
{
    return parse_with([&] {
        Fields f(value, where);
        CheckIn c;
        c.id = f.id();
        c.at = f.time("recorded_at");
        c.session_id = f.optional_id("session_id");
        c.soreness = f.integer("soreness", 0, 10);
        auto const& warning = f.get("warning_sign");
        if (!warning.is_boolean())
            f.fail("warning_sign", "expected true or false");
        c.warning = warning.get<bool>() ? WarningSign::Present : WarningSign::Absent;
        c.tier = f.text("tier");
        c.answers = f.get("answers");
        c.verdict = f.get("verdict");
        return c;
    });
}

Result<Note> parse_note(json const& value, std::string const& where)
{
    return parse_with([&] {
        Fields f(value, where);
        return Note { f.id(), f.time("recorded_at"), f.optional_id("session_id"), f.text("text") };
    });
}

Result<Clearance> parse_clearance(json const& value, std::string const& where)
{
    return parse_with([&] {
        Fields f(value, where);
        Clearance c { f.id(), f.time("recorded_at"), f.text("note") };
        // Exports made before schema 4 have no detail: a bare clearance.
        if (value.contains("detail"))
            c.detail = f.document("detail", json::value_t::object);
        return c;
    });
}

json to_json(JournalContents const& contents)
{
    json document;
    document["format"] = export_format_name;
    document["format_version"] = export_format_version;
    document["schema_version"] = contents.schema_version;
    document["profile"] = contents.profile ? to_json(*contents.profile) : json(nullptr);
    auto list = [](auto const& records) {
        auto array = json::array();
        for (auto const& record : records)
            array.push_back(to_json(record));
        return array;
    };
    document["screenings"] = list(contents.screenings);
    document["sessions"] = list(contents.sessions);
    document["pain_ratings"] = list(contents.pain_ratings);
    document["checkins"] = list(contents.checkins);
    document["notes"] = list(contents.notes);
    document["clearances"] = list(contents.clearances);
    return document;
}

namespace {

template<typename T, typename Parse>
Result<void> parse_list(json const& document, char const* name, Parse parse, std::vector<T>& out)
{
    auto it = document.find(name);
    if (it == document.end())
        return Error::invalid_data(fmt::format("{}: missing (an export always lists it, even when empty)", name));
    if (!it->is_array())
        return Error::invalid_data(fmt::format("{}: expected a list", name));
    std::set<RecordId> ids;
    for (std::size_t i = 0; i < it->size(); ++i) {
        auto record = parse((*it)[i], fmt::format("{}[{}]", name, i));
        if (!record)
            return record.error();
        if (!ids.insert(record->id).second)
            return Error::invalid_data(fmt::format("{}[{}].id: {} appears twice", name, i, record->id));
        out.push_back(std::move(*record));
    }
    return {};
}

}

namespace {

Result<JournalContents> parse_contents_checked(json const& document)
{
    // "format" is checked for its type first: value("format", "") throws when it holds a number.
    if (!document.is_object() || !document.contains("format") || !document["format"].is_string()
        || document["format"].get<std::string>() != export_format_name)
        return Error::invalid_data(fmt::format("This is not a rollcoach journal export (its \"format\" is not \"{}\"). "
                                               "Use a file made by `rollcoach export --format json`.",
            export_format_name));
    if (!document.contains("format_version") || !document["format_version"].is_number_integer()
        || document["format_version"].get<int>() != export_format_version)
        return Error::invalid_data(fmt::format("This export has format_version {}; this rollcoach reads version {}. "
                                               "Update rollcoach to import it.",
            document.value("format_version", json(nullptr)).dump(), export_format_version));
    JournalContents contents;
    contents.schema_version = document.value("schema_version", 0);
    if (auto profile = document.find("profile"); profile != document.end() && !profile->is_null()) {
        contents.profile = TRY(parse_profile(*profile, "profile"));
    }
    TRY(parse_list(document, "screenings", parse_screening, contents.screenings));
    TRY(parse_list(document, "sessions", parse_session, contents.sessions));
    TRY(parse_list(document, "pain_ratings", parse_pain, contents.pain_ratings));
    TRY(parse_list(document, "checkins", parse_checkin, contents.checkins));
    TRY(parse_list(document, "notes", parse_note, contents.notes));
    TRY(parse_list(document, "clearances", parse_clearance, contents.clearances));

    // References must point inside the document.
    std::set<RecordId> session_ids, screening_ids;
    for (auto const& s : contents.sessions)
        session_ids.insert(s.id);
    for (auto const& s : contents.screenings)
        screening_ids.insert(s.id);
    for (std::size_t i = 0; i < contents.sessions.size(); ++i)
        if (auto id = contents.sessions[i].screening_id; id && !screening_ids.count(*id))
            return Error::invalid_data(fmt::format("sessions[{}].screening_id: there is no screening {} in the file", i, *id));
    auto check_session = [&](char const* list, std::size_t i, std::optional<RecordId> id) -> Result<void> {
        if (id && !session_ids.count(*id))
            return Error::invalid_data(fmt::format("{}[{}].session_id: there is no session {} in the file", list, i, *id));
        return {};
    };
    for (std::size_t i = 0; i < contents.pain_ratings.size(); ++i)
        TRY(check_session("pain_ratings", i, contents.pain_ratings[i].session_id));
    for (std::size_t i = 0; i < contents.checkins.size(); ++i)
        TRY(check_session("checkins", i, contents.checkins[i].session_id));
    for (std::size_t i = 0; i < contents.notes.size(); ++i)
        TRY(check_session("notes", i, contents.notes[i].session_id));
    return contents;
}

}

Result<JournalContents> parse_contents(json const& document)
{
    // The checks above name the field at fault; a value of an unexpected type deeper down makes
    // nlohmann throw, and that stays here as one plain message.
    try {
        return parse_contents_checked(document);
    } catch (json::exception const&) {
        return Error::invalid_data("The export has a field of the wrong type (a word where a number belongs, or the other way "
                                   "round). Use a file made by `rollcoach export --format json`.");
    }
}

Result<JournalContents> parse_contents_text(std::string_view text)
{
    try {
        return parse_contents(json::parse(text.begin(), text.end()));
    } catch (json::parse_error const& e) {
        return Error::invalid_data(fmt::format("not valid JSON (byte {}). Use a file made by `rollcoach export --format json`.", e.byte));
    } catch (json::exception const&) {
        return Error::invalid_data("a number in the file is too large to read. Use a file made by `rollcoach export --format json`.");
    }
}

Result<std::vector<Clearance>> Journal::find_clearances()
{
    auto contents = TRY(parse_contents(TRY(export_json())));
    return std::move(contents.clearances);
}

}
