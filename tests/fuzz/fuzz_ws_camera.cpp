// libFuzzer target for camera frames on /ws/session (issue 14): LiveSession::on_binary, exactly as
// the server calls it, inside a running session on the thoracic roll. The input is a list of
// records, each [kind u8][length u8][payload]:
//   kind % 4 == 0  the payload as one binary message (garbage, truncated, any size up to 255)
//   kind % 4 == 1  a well-formed RCMF v1 frame whose timestamp and landmarks come from the
//                  payload (so the analyser itself is reached with hostile numbers)
//   kind % 4 == 2  the payload as a text message ("calibrate", events, frames...)
//   kind % 4 == 3  time moves on by payload[0] * 10 ms (timer wake-ups delivered when due)
// Oracles: nothing throws; every outgoing message is a typed JSON object; a "motion" message
// echoes the timestamp of a frame that was sent; the final "motion_stats" adds up
// (received = analysed + dropped, and received = the binary messages sent).
#include "fuzz_world.h"

#include "motion/frame_codec.h"
#include "server/live_session.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <set>

namespace {

void check(rc::server::WsOutput const& output, std::set<std::int64_t> const& sent, std::optional<nlohmann::json>& last_stats)
{
    for (auto const& message : output.messages) {
        auto json = nlohmann::json::parse(message, nullptr, false);
        if (json.is_discarded() || !json.is_object() || !json.contains("type"))
            rc::fuzz::fail("an outgoing message is not a typed JSON object", message);
        if (json["type"] == "motion" && (!json["t_us"].is_number_integer() || !sent.contains(json["t_us"].get<std::int64_t>())))
            rc::fuzz::fail("a motion message echoes no timestamp that was sent", message);
        if (json["type"] == "motion_stats") {
            if (json["received"].get<std::uint64_t>() != json["analysed"].get<std::uint64_t>() + json["dropped"].get<std::uint64_t>())
                rc::fuzz::fail("motion_stats do not add up", message);
            if (json["roller_sightings"].get<std::uint64_t>() > json["analysed"].get<std::uint64_t>())
                rc::fuzz::fail("motion_stats count more frames with a sighting than were analysed", message);
            last_stats = json;
        }
    }
}

std::vector<std::uint8_t> crafted_frame(std::uint8_t const* payload, std::size_t size)
{
    // Half of them version 2 with a roller sighting after the landmarks (its bytes from the
    // payload too, its reserved byte 0: fuzz_motion_binary tries the others), half version 1.
    bool const roller = size > 0 && (payload[0] & 1) != 0;
    std::vector<std::uint8_t> bytes(rc::motion::binary_frame_size + (roller ? rc::motion::binary_roller_size : 0), 0);
    std::memcpy(bytes.data(), "RCMF", 4);
    bytes[4] = roller ? rc::motion::binary_frame_version : rc::motion::binary_frame_oldest_version;
    bytes[5] = roller ? rc::motion::binary_flag_roller : 0;
    bytes[6] = static_cast<std::uint8_t>(rc::motion::landmark_count);
    // The payload overwrites the timestamp, the aspect and the landmarks, in that order, and
    // repeats; presence bytes are kept at 0 or 1 so most landmarks are used.
    for (std::size_t i = 8; size > 0 && i < bytes.size(); ++i)
        bytes[i] = payload[(i - 8) % size];
    bytes[15] &= 0x0f;   // keep timestamps positive and mostly increasing
    if (roller)
        bytes.back() = 0;
    for (std::size_t l = 0; l < rc::motion::landmark_count; ++l) {
        auto& present = bytes[rc::motion::binary_header_size + l * rc::motion::binary_landmark_size + 7];
        present = present & 1u;
    }
    return bytes;
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
    server::LiveSession session(*world->coach, 60.0);
    MonoTime now {};
    std::optional<MonoTime> wake;
    std::set<std::int64_t> sent;
    std::optional<nlohmann::json> last_stats;
    std::uint64_t binary = 0;
    auto run = [&](server::WsOutput output) {
        check(output, sent, last_stats);
        if (output.wake_at)
            wake = output.wake_at;
        return output.close;
    };
    bool closed = run(session.on_text(R"({"type": "start", "from_exercise": "thoracic_roll"})", now));
    std::size_t at = 0;
    for (int records = 0; at + 2 <= size && records < 256 && !closed; ++records) {
        std::uint8_t const kind = data[at] % 4;
        std::size_t const length = std::min<std::size_t>(data[at + 1], size - at - 2);
        std::uint8_t const* payload = data + at + 2;
        at += 2 + length;
        switch (kind) {
        case 0:
            ++binary;
            closed = run(session.on_binary({ payload, length }, now));
            break;
        case 1: {
            auto bytes = crafted_frame(payload, length);
            std::int64_t t_us = 0;
            std::memcpy(&t_us, bytes.data() + 8, sizeof t_us);   // little-endian, as the format
            sent.insert(t_us);
            ++binary;
            closed = run(session.on_binary(bytes, now));
            break;
        }
        case 2:
            closed = run(session.on_text(std::string(reinterpret_cast<char const*>(payload), length), now));
            break;
        default:
            now += std::chrono::milliseconds(10 * (length > 0 ? payload[0] : 1));
            for (int wakeups = 0; wake && *wake <= now && wakeups < 4 && !closed; ++wakeups) {
                auto due = *wake;
                wake.reset();
                closed = run(session.on_timer(due));
            }
        }
    }
    // Ending the session sends the final counts: every binary message is in them.
    if (!closed)
        run(session.on_text(R"({"type": "event", "event": {"type": "quit"}})", now));
    if (binary > 0 && last_stats && (*last_stats)["received"].get<std::uint64_t>() > binary)
        fuzz::fail("motion_stats count more frames than were sent", last_stats->dump());
    session.on_close(now);
    return 0;
}
