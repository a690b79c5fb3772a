#include "session/session_json.h"

#include "common/echo.h"

#include <cstdint>
#include <fmt/core.h>

namespace rc::session {

namespace {

using json = nlohmann::json;

long long count(Millis m) { return static_cast<long long>(m.count()); }

template<typename T>
T unwrap(Result<T> result)
{
    if (!result)
        throw std::invalid_argument(result.error().message);
    return std::move(result).value();
}

// A whole number from `low` to `high` in j[key]. nlohmann's get<int>() would turn true into 1,
// 7.9 into 7 and 4294967303 into 7 (and a huge double into undefined behaviour), so a hostile
// or careless client could press "pain 7" by sending something else: refuse all of those.
int whole_number(json const& j, char const* key, char const* what, int low, int high)
{
    auto const& value = j.at(key);
    if (!value.is_number_integer())
        throw std::invalid_argument(fmt::format("{} must be a whole number from {} to {}, not {}", what, low, high, value.dump()));
    bool const in_range = value.is_number_unsigned() ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(high)
                                                     : value.get<std::int64_t>() >= low && value.get<std::int64_t>() <= high;
    if (!in_range)
        throw std::invalid_argument(fmt::format("{} {} is out of range: use {} to {}", what, value.dump(), low, high));
    return static_cast<int>(value.get<std::int64_t>());
}

}

void to_json(json& j, Cue const& c)
{
    j = json {
        { "kind", to_string(c.kind) },
        { "text", c.text },
        { "at_ms", count(c.at) },
        { "step", c.step },
        { "exercise_id", c.exercise_id },
        { "side", plan::to_string(c.side) },
        { "step_remaining_ms", count(c.step_remaining) },
        { "step_total_ms", count(c.step_total) },
        { "session_remaining_ms", count(c.session_remaining) },
        { "session_total_ms", count(c.session_total) },
        { "speak", c.speak == Speak::Yes },
        { "priority", to_string(c.priority) },
        { "code", c.code },
        { "detail", c.detail },
    };
    if (c.stop_kind != StopKind::None)
        j["stop_kind"] = to_string(c.stop_kind);
}

void from_json(json const& j, Cue& c)
{
    c = Cue {};
    c.kind = unwrap(parse_cue_kind(j.at("kind").get<std::string>()));
    c.text = j.value("text", std::string {});
    c.at = Millis { j.value("at_ms", 0LL) };
    c.step = j.value("step", -1);
    c.exercise_id = j.value("exercise_id", std::string {});
    c.side = unwrap(plan::parse_side(j.value("side", std::string { "none" })));
    c.step_remaining = Millis { j.value("step_remaining_ms", 0LL) };
    c.step_total = Millis { j.value("step_total_ms", 0LL) };
    c.session_remaining = Millis { j.value("session_remaining_ms", 0LL) };
    c.session_total = Millis { j.value("session_total_ms", 0LL) };
    c.speak = j.value("speak", true) ? Speak::Yes : Speak::No;
    c.priority = unwrap(parse_priority(j.value("priority", std::string { "normal" })));
    c.code = j.value("code", std::string {});
    c.detail = j.value("detail", std::string {});
    c.stop_kind = unwrap(parse_stop_kind(j.value("stop_kind", std::string { "none" })));
}

void to_json(json& j, Event const& e)
{
    j = json { { "type", to_string(e.kind) } };
    switch (e.kind) {
    case EventKind::Start:
        if (e.from_step != 0)
            j["from_step"] = e.from_step;
        break;
    case EventKind::Pain:
        j["rating"] = e.rating;
        break;
    case EventKind::Safety:
        j["event"] = kb::to_string(e.safety);
        if (e.with_pain)
            j["rating"] = *e.with_pain;
        break;
    case EventKind::FormCheck:
        j["code"] = e.code;
        j["message"] = e.message;
        break;
    default:
        break;
    }
}

void from_json(json const& j, Event& e)
{
    e = Event {};
    if (!j.is_object())
        throw std::invalid_argument("an event must be a JSON object with a \"type\"");
    e.kind = unwrap(parse_event_kind(j.at("type").get<std::string>()));
    switch (e.kind) {
    case EventKind::Start:
        e.from_step = j.contains("from_step") && !j.at("from_step").is_null() ? whole_number(j, "from_step", "from_step", 0, 99) : 0;
        break;
    case EventKind::Pain:
        e.rating = whole_number(j, "rating", "pain rating", 0, 10);
        break;
    case EventKind::Safety: {
        auto const name = j.at("event").get<std::string>();
        auto const parsed = kb::parse_safety_event(name);
        if (!parsed)
            throw std::invalid_argument(fmt::format("unknown safety event '{}': use numbness_one_leg, numbness_saddle, "
                                                    "sharp_pain, pain_high, dizziness or feels_wrong",
                echo_excerpt(name)));
        e.safety = *parsed;
        if (j.contains("rating") && !j.at("rating").is_null())
            e.with_pain = whole_number(j, "rating", "pain rating", 0, 10);
        break;
    }
    case EventKind::FormCheck:
        e.code = j.at("code").get<std::string>();
        e.message = j.value("message", std::string {});
        break;
    default:
        break;
    }
}

Result<Event> parse_event(json const& j)
{
    // Our own checks throw std::invalid_argument with a sentence for the user; nlohmann's
    // exceptions carry internal text, so they become one plain message here.
    try {
        return j.get<Event>();
    } catch (json::exception const&) {
        return Error::invalid_argument("invalid event: it needs a \"type\" (start, pause, resume, skip, back, tender_spot, "
                                       "pain with a whole-number \"rating\" 0-10, breath_check, safety with an \"event\", quit, "
                                       "form_check with a \"code\") and fields of the right type");
    } catch (std::exception const& e) {
        return Error::invalid_argument(fmt::format("invalid event: {}", e.what()));
    }
}

void to_json(json& j, PainRating const& r)
{
    j = json { { "at_ms", count(r.at) }, { "rating", r.rating }, { "step", r.step } };
}

void to_json(json& j, Snapshot const& s)
{
    j = json {
        { "phase", to_string(s.phase) },
        { "paused", s.paused },
        { "step", s.step },
        { "step_count", s.step_count },
        { "exercise_id", s.exercise_id },
        { "exercise_name", s.exercise_name },
        { "tool_name", s.tool_name },
        { "side", plan::to_string(s.side) },
        { "instructions", s.instructions },
        { "phase_elapsed_ms", count(s.phase_elapsed) },
        { "phase_total_ms", count(s.phase_total) },
        { "step_elapsed_ms", count(s.step_elapsed) },
        { "step_total_ms", count(s.step_total) },
        { "session_elapsed_ms", count(s.session_elapsed) },
        { "session_total_ms", count(s.session_total) },
        { "progress", s.progress },
        { "next", s.next ? json(*s.next) : json(nullptr) },
        { "end_reason", to_string(s.end_reason) },
    };
    if (s.hold)
        j["hold"] = json { { "elapsed_ms", count(s.hold->elapsed) }, { "total_ms", count(s.hold->total) }, { "on_spot_ms", count(s.hold->on_spot) } };
    else
        j["hold"] = nullptr;
    j["last_cue"] = s.last_cue ? json(*s.last_cue) : json(nullptr);
    j["advice"] = s.advice ? json(*s.advice) : json(nullptr);
}

void to_json(json& j, Summary const& s)
{
    j = json {
        { "end_reason", to_string(s.end_reason) },
        { "active_ms", count(s.active) },
        { "paused_ms", count(s.paused) },
        { "steps_total", s.steps_total },
        { "steps_completed", s.steps_completed },
        { "tender_spots", s.tender_spots },
        { "back_offs", s.back_offs },
        { "pain", s.pain },
        { "stop_rule", s.stop_rule },
        { "stop_message", s.stop_message },
    };
}

}
