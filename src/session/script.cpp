#include "session/script.h"

#include "session/session_json.h"

#include <algorithm>
#include <fmt/core.h>

namespace rc::session {

Result<std::vector<ScriptEvent>> parse_script(nlohmann::json const& json)
{
    nlohmann::json const* list = &json;
    if (json.is_object() && json.contains("events"))
        list = &json.at("events");
    if (!list->is_array())
        return Error::invalid_data("a script is a JSON array of events like {\"at_ms\": 0, \"type\": \"start\"}");
    std::vector<ScriptEvent> events;
    long long last = 0;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto const& item = (*list)[i];
        if (!item.is_object() || !item.contains("at_ms") || !item.at("at_ms").is_number_integer())
            return Error::invalid_data(fmt::format("script event {}: needs an integer \"at_ms\" (milliseconds since start)", i + 1));
        auto const at = item.at("at_ms").get<long long>();
        if (at < last)
            return Error::invalid_data(fmt::format("script event {}: at_ms {} goes back in time (previous {})", i + 1, at, last));
        if (at > longest_script.count())
            return Error::invalid_data(fmt::format("script event {}: at_ms {} is more than a day after the start (at most {})", i + 1, at,
                longest_script.count()));
        last = at;
        auto event = parse_event(item);
        if (!event)
            return Error::invalid_data(fmt::format("script event {}: {}", i + 1, event.error().message));
        events.push_back({ Millis { at }, *event });
    }
    // Ratings may come before the start (the pain before the session); without a start at all,
    // the script gets one at 0 ms.
    bool const has_start = std::any_of(events.begin(), events.end(), [](ScriptEvent const& e) { return e.event.kind == EventKind::Start; });
    if (!has_start)
        events.insert(events.begin(), ScriptEvent { Millis { 0 }, Event::start() });
    return events;
}

ScriptResult run_script(SessionMachine& machine, std::vector<ScriptEvent> const& events)
{
    ScriptResult result;
    MonoTime const t0 {};
    MonoTime now = t0;
    auto append = [&](std::vector<Cue> cues) { result.cues.insert(result.cues.end(), cues.begin(), cues.end()); };
    for (auto const& e : events) {
        now = t0 + e.at;
        append(machine.step(now, e.event));
    }
    // Let the session finish: step from due time to due time so nothing is skipped.
    while (auto due = machine.next_due()) {
        now = std::max(now, *due);
        append(machine.advance(now));
    }
    result.summary = machine.summary(now);
    return result;
}

}
