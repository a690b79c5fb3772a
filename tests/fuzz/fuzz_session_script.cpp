// libFuzzer target for session scripts and events (rollcoach session --script, the
// WebSocket's "event" messages, the scenario suite): parse_script and parse_event on any JSON,
// then a script that parses is run through a SessionMachine on today's plan of an all-clear
// user. The text is parsed without exceptions, as nlohmann does for any caller.
// Oracles: an accepted event survives a round trip through to_json; a script's times never go
// backwards; running it ends (bounded by the plan) without throwing.
#include "fuzz_world.h"

#include "session/event.h"
#include "session/script.h"
#include "session/session_json.h"
#include "session/session_machine.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size)
{
    using namespace rc;
    static fuzz::World world;
    static plan::Plan const plan = [] {
        auto planned = world.coach->todays_plan();
        if (!planned)
            fuzz::fail("no plan for an all-clear user", planned.error().message);
        return *planned;
    }();

    std::string_view text(reinterpret_cast<char const*>(data), size);
    (void)session::parse_event_kind(text);
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded())
        return 0;

    if (auto event = session::parse_event(json)) {
        nlohmann::json written = *event;
        auto again = session::parse_event(written);
        if (!again)
            fuzz::fail("to_json wrote an event parse_event refuses", written.dump());
        if (again->kind != event->kind || again->rating != event->rating || again->code != event->code)
            fuzz::fail("an event changed in a round trip", written.dump());
    }

    auto script = session::parse_script(json);
    if (!script)
        return 0;
    for (size_t i = 1; i < script->size(); ++i) {
        if ((*script)[i].at < (*script)[i - 1].at)
            fuzz::fail("a script whose times go backwards was accepted", text);
    }
    if (script->size() > 200)
        return 0;   // parsing is what is fuzzed here; long scripts only slow the run down
    auto machine = session::SessionMachine::create(fuzz::knowledge(), plan);
    if (!machine)
        fuzz::fail("no machine for today's plan", machine.error().message);
    (void)session::run_script(*machine, *script);
    return 0;
}
