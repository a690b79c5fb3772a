#include "coach/therapist_limits.h"

#include "common/day_words.h"
#include "common/echo.h"

#include <algorithm>
#include <fmt/core.h>
#include <functional>

namespace rc::coach {

using nlohmann::json;

namespace {

// The clinic form shows these refusals as they are: each names the field with the form's words
// first ("Zones to leave out"), then the JSON key for a caller of the raw API, and repeats at most
// a short printable excerpt of what was sent.
Result<std::vector<std::string>> read_ids(json const& value, char const* words, char const* key,
    std::function<bool(std::string const&)> const& known, char const* what)
{
    std::vector<std::string> ids;
    if (value.is_null())
        return ids;
    if (!value.is_array())
        return Error::invalid_data(fmt::format("{} must be a list of {}s, or none ({}: a list of ids; GET /api/kb lists them)", words, what, key));
    for (auto const& item : value) {
        if (!item.is_string() || !known(item.get<std::string>()))
            return Error::invalid_data(fmt::format("{}: \"{}\" is not a {} rollcoach knows ({}: GET /api/kb lists them)", words,
                echo_excerpt(item.is_string() ? item.get<std::string>() : item.dump()), what, key));
        auto id = item.get<std::string>();
        if (std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(std::move(id));
    }
    return ids;
}

Result<TherapistLimits> read(kb::KnowledgeBase const* kb, json const& body, bool with_signature)
{
    if (!body.is_object())
        return Error::invalid_data("send the limits as a JSON object, such as {\"excluded_zones\": [], \"max_minutes\": 5}");
    TherapistLimits out;
    for (auto const& [key, value] : body.items()) {
        if (key == "excluded_zones") {
            out.excluded_zones = TRY(read_ids(value, "Zones to leave out", "excluded_zones", [&](std::string const& id) { return !kb || kb->find_zone(id); }, "zone"));
        } else if (key == "exercises_off") {
            out.exercises_off = TRY(read_ids(value, "Exercises", "exercises_off", [&](std::string const& id) { return !kb || kb->find_exercise(id); }, "exercise"));
        } else if (key == "max_minutes") {
            if (value.is_null())
                continue;
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > 60)
                return Error::invalid_data("Longest session must be whole minutes from 1 to 60, or empty for no limit (max_minutes: 1-60 or null)");
            out.max_minutes = value.get<int>();
        } else if (key == "roller") {
            if (value.is_null())
                continue;
            std::optional<kb::Firmness> firmness;
            for (auto const& [word, level] : kb::firmness_words())
                if (value.is_string() && value.get<std::string>() == word)
                    firmness = level;
            if (!firmness || *firmness == kb::Firmness::VeryFirm)
                return Error::invalid_data("Firmest roller allowed must be soft, medium or firm, or no limit (roller: \"soft\", \"medium\", \"firm\" or null)");
            out.roller = *firmness;
        } else if (key == "pressure") {
            if (value.is_null() || value == "moderate")
                continue;   // moderate is already the firmest pressure a plan asks for
            if (value != "gentle")
                return Error::invalid_data("Pressure must be gentle or moderate, or no limit (pressure: \"gentle\", \"moderate\" or null)");
            out.gentle_pressure = true;
        } else if (key == "set_by" || key == "set_on") {
            if (with_signature && value.is_string())
                (key == "set_by" ? out.set_by : out.set_on) = value.get<std::string>();
        } else {
            return Error::invalid_data(fmt::format("limits: unknown key \"{}\"; use excluded_zones, max_minutes, roller, pressure "
                                                   "or exercises_off",
                echo_excerpt(key)));
        }
    }
    return out;
}

}

bool TherapistLimits::empty() const
{
    return excluded_zones.empty() && !max_minutes && !roller && !gentle_pressure && exercises_off.empty();
}

Result<TherapistLimits> parse_therapist_limits(kb::KnowledgeBase const& kb, json const& body)
{
    return read(&kb, body, false);
}

Result<TherapistLimits> read_therapist_limits(json const& document)
{
    return read(nullptr, document, true);
}

json to_json(TherapistLimits const& limits)
{
    return {
        { "excluded_zones", limits.excluded_zones },
        { "max_minutes", limits.max_minutes ? json(*limits.max_minutes) : json(nullptr) },
        { "roller", limits.roller ? json(kb::to_string(*limits.roller)) : json(nullptr) },
        { "pressure", limits.gentle_pressure ? json("gentle") : json(nullptr) },
        { "exercises_off", limits.exercises_off },
        { "set_by", limits.set_by },
        { "set_on", limits.set_on },
    };
}

kb::PlanChanges plan_changes(TherapistLimits const& limits)
{
    kb::PlanChanges changes;
    changes.excluded_zones = limits.excluded_zones;
    changes.soft_roller_only = limits.roller == kb::Firmness::Soft;
    changes.gentle_pressure_only = limits.gentle_pressure;
    if (limits.max_minutes)
        changes.max_session_length = std::chrono::minutes(*limits.max_minutes);
    return changes;
}

std::string set_by_words(TherapistLimits const& limits, Day today)
{
    if (limits.set_by.empty())
        return {};
    if (limits.set_on.empty())
        return fmt::format(" ({})", limits.set_by);
    auto const day = parse_day(limits.set_on);
    return fmt::format(" ({}, {})", limits.set_by, day ? day_in_words(*day, today) : limits.set_on);
}

std::vector<std::string> therapist_notes(kb::KnowledgeBase const& kb, TherapistLimits const& limits, Day today)
{
    auto const who = set_by_words(limits, today);
    std::vector<std::string> notes;
    for (auto const& line : limit_lines(kb, plan_changes(limits)))
        notes.push_back(fmt::format("{}: your therapist set this{}.", line, who));
    if (limits.roller && *limits.roller != kb::Firmness::Soft)
        notes.push_back(fmt::format("No roller firmer than {}: your therapist set this{}.", kb::to_string(*limits.roller), who));
    if (!limits.exercises_off.empty()) {
        std::string names;
        for (auto const& id : limits.exercises_off) {
            auto const* exercise = kb.find_exercise(id);
            names += (names.empty() ? "" : ", ") + (exercise ? exercise->name : id);
        }
        notes.push_back(fmt::format("Switched off: {}: your therapist set this{}.", names, who));
    }
    return notes;
}

}
