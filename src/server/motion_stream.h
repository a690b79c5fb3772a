// MotionStream: the gate in front of a live session's motion analyser, for every landmark frame
// a connection sends (issue 14, docs/web.md "Live camera frames"). The browser's camera sends one
// RCMF frame, version 1 or 2 (src/motion/frame_codec.h; version 2 may carry a roller sighting),
// per WebSocket binary message; admit() decides, cheaply and before any analysis, whether a frame
// is analysed or dropped, and counts every drop by reason. A script's JSON {"type": "frame"}
// message goes through the same gate in two steps (arrive(), then in_order() once the frame is
// parsed), so both kinds share one rate budget and one set of counts. Nothing is answered per
// frame dropped for the rate or its order: stats_if_due() gives a {"type": "motion_stats"}
// summary at most every stats_interval while frames arrive, and stats() one at the end of the
// session.
//
// Checks, in order (the cheap ones first, so a flood costs little):
//   oversize      more than max_frame_bytes (binary frames; a JSON frame is bounded by the
//                 WebSocket's message limit)
//   not_running   no session running on this connection (before start, after the end)
//   rate          over the token bucket: frames_per_second, with a burst of one second's worth
//   malformed     not an RCMF frame (wrong magic, short, bad fields, trailing bytes)
//   version       an RCMF frame of a version this build does not read (not 1 or 2)
//   out_of_order  a timestamp not after the last admitted frame's (the page's camera clock only
//                 moves forward)
// and, after admission, no_analyser: the session's exercise has no motion analysis.
//
// The rate is measured on the connection's monotonic time (the `now` the server passes in),
// never on the frames' own timestamps, which the sender controls.
//
//   MotionStream stream;
//   if (auto frame = stream.admit(bytes, running, now)) { analyse(*frame); stream.count_analysed(); }
//   if (auto stats = stream.stats_if_due(now)) send(stats->dump());
//
//   // a JSON frame: the same checks, the parsing in between
//   if (!stream.arrive(running, now))
//       if (auto parsed = motion::parse_frame(message["frame"]))
//           if (auto frame = stream.in_order(std::move(*parsed))) { analyse(*frame); stream.count_analysed(); }
#pragma once

#include "common/clock.h"
#include "motion/analyzer.h"
#include "motion/landmarks.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace rc::server {

enum class FrameDrop { Oversize, NotRunning, Rate, Malformed, Version, OutOfOrder, NoAnalyser };
inline constexpr std::size_t frame_drop_count = 7;
std::string_view to_string(FrameDrop reason);   // "oversize", "not_running", "rate", ...

// A token bucket: `per_second` tokens a second, at most `burst` saved up. Starts full.
class FrameBudget {
public:
    FrameBudget(double per_second, double burst);
    bool try_take(MonoTime now);

private:
    double m_per_second;
    double m_burst;
    double m_tokens;
    std::optional<MonoTime> m_last;
};

// What the camera's view lacks, for the page's framing check (green or red outline).
// Problems: "no_body" (next to nothing of a person in view), "body_cut_off" (a part every check
// needs, head, shoulder, hip, knee or ankle, missing or outside the picture), "too_close" (the
// body fills nearly the whole picture), "not_side_on" (shoulders or hips wide apart: the phone
// looks along the body, not at its side).
struct Framing {
    bool ok { true };
    std::vector<std::string_view> problems;
};
Framing assess_framing(motion::Frame const& frame, motion::FrameAnalysis const& analysis, double min_visibility);

// The compact per-frame answer: {"type": "motion", "t_us", "posture", "exercise", "calibrated",
// "contact_known", "fraction", "level", "zone", "speed_cm_s", "holding", "hold_seconds",
// "roller_start_learning", "framing": {"ok", "problems"}, "findings": [{"code", "severity", "message"}]}.
// roller_start_learning: the analyser is learning where the roller started, so the page should
// look for the roller on every frame (it looks on every third otherwise).
nlohmann::json motion_message(motion::FrameAnalysis const& analysis, Framing const& framing);

class MotionStream {
public:
    static constexpr std::size_t max_frame_bytes { 4096 };
    static constexpr double frames_per_second { 30 };
    static constexpr std::chrono::seconds stats_interval { 5 };

    MotionStream();

    // The frame to analyse, or nothing: then the drop is counted under its reason.
    std::optional<motion::Frame> admit(std::span<std::uint8_t const> bytes, bool running, MonoTime now);

    // A frame that does not come as RCMF bytes (a JSON "frame" message), in two steps around its
    // parsing. arrive() counts it as received and applies not_running and rate: the reason it was
    // dropped (counted), or nothing when it may be parsed. A frame that does not parse is the
    // caller's to count (count_dropped(FrameDrop::Malformed)). in_order() then admits a parsed
    // frame whose timestamp is after the last admitted one's, or counts it out_of_order.
    std::optional<FrameDrop> arrive(bool running, MonoTime now);
    std::optional<motion::Frame> in_order(motion::Frame frame);
    // The frame admit() last returned was analysed (and, if it carried a roller sighting, the
    // analyser had it: counted as roller_sightings).
    void count_analysed()
    {
        ++m_analysed;
        if (m_admitted_roller)
            ++m_roller_analysed;
    }
    // An admitted frame that could not be analysed after all.
    void count_dropped(FrameDrop reason) { ++m_dropped[static_cast<std::size_t>(reason)]; }

    // {"type": "motion_stats", ...} if frames arrived since the last one and stats_interval has
    // passed since then (or since the first frame).
    std::optional<nlohmann::json> stats_if_due(MonoTime now);
    // {"type": "motion_stats", "received", "analysed", "roller_sightings", "dropped", "reasons": {...}},
    // now. roller_sightings: analysed frames that carried a roller sighting (RCMF version 2).
    nlohmann::json stats(MonoTime now);

    std::uint64_t received() const { return m_received; }
    std::uint64_t analysed() const { return m_analysed; }
    std::uint64_t roller_sightings() const { return m_roller_analysed; }  // analysed with a sighting
    std::uint64_t dropped() const;
    std::uint64_t dropped(FrameDrop reason) const { return m_dropped[static_cast<std::size_t>(reason)]; }

private:
    void count_received(MonoTime now);
    std::optional<motion::Frame> drop(FrameDrop reason);

    FrameBudget m_budget;
    std::optional<motion::Timestamp> m_last_timestamp;
    std::uint64_t m_received { 0 };
    std::uint64_t m_analysed { 0 };
    std::uint64_t m_roller_analysed { 0 };
    bool m_admitted_roller { false };       // the frame admit() last returned carried a sighting
    std::array<std::uint64_t, frame_drop_count> m_dropped {};
    std::optional<MonoTime> m_stats_at;     // the last stats sent, or the first frame
    std::uint64_t m_received_at_stats { 0 };
};

}
