// The FHIR R4 export (journal/exports.h): the journal as a Bundle of Patient, QuestionnaireResponse,
// Procedure and Observation resources.
#include "journal/export_text.h"
#include "journal/exports.h"
#include "journal/record_json.h"

#include <cmath>
#include <fmt/core.h>
#include <set>
#include <variant>

namespace rc::journal {

using nlohmann::json;

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

}
