// libFuzzer target for WebSocket messages on /ws/session: LiveSession::on_text, exactly as the
// server calls it, for a sequence of messages separated by '\n' (at most 32), with timer
// wake-ups delivered when due and time moving on between messages; then on_close records the
// session in a throw-away journal. The user is screened all-clear, so "start" reaches a session.
// Oracles: on_text never throws (a thrown exception would reach the transport: issue 11's
// 1e400); every outgoing message is a JSON object with a "type"; an error carries no internal
// exception text.
#include "fuzz_world.h"

#include "server/live_session.h"

#include <cstddef>
#include <cstdint>

namespace {

std::string_view current_input;

void check(rc::server::WsOutput const& output)
{
    for (auto const& message : output.messages) {
        auto json = nlohmann::json::parse(message, nullptr, false);
        if (json.is_discarded() || !json.is_object() || !json.contains("type"))
            rc::fuzz::fail("an outgoing message is not a typed JSON object", message);
        if (rc::fuzz::strict() && json["type"] == "error" && rc::fuzz::leaks_internal_text(message, current_input))
            rc::fuzz::fail("internal text in an error message", message);
    }
}

}

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size)
{
    using namespace rc;
    static std::unique_ptr<fuzz::World> world;
    static int runs = 0;
    if (!world || ++runs % 300 == 0) {
        world.reset();
        world = std::make_unique<fuzz::World>();
    }
    current_input = std::string_view(reinterpret_cast<char const*>(data), size);
    auto messages = fuzz::split(std::string_view(reinterpret_cast<char const*>(data), size), '\n', 32);
    server::LiveSession session(*world->coach, 60.0);
    MonoTime now {};
    std::optional<MonoTime> wake;
    auto run = [&](server::WsOutput output) {
        check(output);
        if (output.wake_at)
            wake = output.wake_at;
        return output.close;
    };
    bool closed = run(session.on_open(now));
    for (auto message : messages) {
        if (closed)
            break;
        // The message's length moves time on: 0 to 25.5 s of real time (60x in the session).
        now += std::chrono::milliseconds(100 * (message.size() % 256));
        // A few wake-ups per message: each one is a whole snapshot, and ASan makes them costly.
        for (int wakeups = 0; wake && *wake <= now && wakeups < 4 && !closed; ++wakeups) {
            auto due = *wake;
            wake.reset();
            closed = run(session.on_timer(due));
        }
        if (!closed && !(!fuzz::strict() && fuzz::has_number_overflow(message)))
            closed = run(session.on_text(std::string(message), now));
    }
    session.on_close(now);
    return 0;
}
