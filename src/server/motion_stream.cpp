#include "server/motion_stream.h"

#include "motion/frame_codec.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace rc::server {

using nlohmann::json;
using motion::LandmarkId;

std::string_view to_string(FrameDrop reason)
{
    switch (reason) {
    case FrameDrop::Oversize: return "oversize";
    case FrameDrop::NotRunning: return "not_running";
    case FrameDrop::Rate: return "rate";
    case FrameDrop::Malformed: return "malformed";
    case FrameDrop::Version: return "version";
    case FrameDrop::OutOfOrder: return "out_of_order";
    case FrameDrop::NoAnalyser: return "no_analyser";
    }
    return "unknown";
}

FrameBudget::FrameBudget(double per_second, double burst)
    : m_per_second(per_second)
    , m_burst(burst)
    , m_tokens(burst)
{
}

bool FrameBudget::try_take(MonoTime now)
{
    if (m_last && now > *m_last)
        m_tokens = std::min(m_burst, m_tokens + std::chrono::duration<double>(now - *m_last).count() * m_per_second);
    if (!m_last || now > *m_last)
        m_last = now;
    if (m_tokens < 1)
        return false;
    m_tokens -= 1;
    return true;
}

namespace {

// The share of the picture, across or down, above which the body is "too close": a person
// side-on at 2-3 m fills well under it (every frame of tests/data/footage: at most 0.75 of the
// width and 0.46 of the height).
constexpr double too_close_span = 0.92;
// Left-right separation of the shoulders (or hips) over the trunk's length, above which the
// camera is not side-on: side-on clips in tests/data/footage stay under 0.25, side-lying ones
// (lat roll, shoulders stacked) at 0.62; seen from the feet the trunk is foreshortened and the
// ratio passes 1.
constexpr double not_side_on_ratio = 0.8;
// Fewer usable landmarks than this (of 33) is no body at all.
constexpr int min_landmarks_for_a_body = 6;

double round_to(double value, double step)
{
    return std::isfinite(value) ? std::round(value / step) * step : 0.0;
}

}

Framing assess_framing(motion::Frame const& frame, motion::FrameAnalysis const& analysis, double min_visibility)
{
    Framing framing;
    auto usable = [&](motion::Landmark const& l) {
        return l.present && l.visibility >= min_visibility && std::isfinite(l.x) && std::isfinite(l.y);
    };
    auto seen = [&](LandmarkId id) {
        auto const& l = frame.at(id);
        return usable(l) && l.x >= 0 && l.x <= 1 && l.y >= 0 && l.y <= 1;
    };
    int count = 0;
    double min_x = 1e9, max_x = -1e9, min_y = 1e9, max_y = -1e9;
    for (auto const& l : frame.landmarks) {
        if (!usable(l))
            continue;
        ++count;
        // The span inside the picture: a part outside it is cut off, not "close".
        double const x = std::clamp(static_cast<double>(l.x), 0.0, 1.0);
        double const y = std::clamp(static_cast<double>(l.y), 0.0, 1.0);
        min_x = std::min(min_x, x);
        max_x = std::max(max_x, x);
        min_y = std::min(min_y, y);
        max_y = std::max(max_y, y);
    }
    bool const shoulder = seen(LandmarkId::LeftShoulder) || seen(LandmarkId::RightShoulder);
    bool const hip = seen(LandmarkId::LeftHip) || seen(LandmarkId::RightHip);
    if (count < min_landmarks_for_a_body || (!shoulder && !hip)) {
        framing.problems.push_back("no_body");
    } else {
        // The parts the analyser's own framing check needs (motion/analyzer.cpp, update_framing).
        bool const whole = shoulder && hip && (seen(LandmarkId::LeftKnee) || seen(LandmarkId::RightKnee))
            && (seen(LandmarkId::LeftAnkle) || seen(LandmarkId::RightAnkle))
            && (seen(LandmarkId::Nose) || seen(LandmarkId::LeftEar) || seen(LandmarkId::RightEar));
        if (max_x - min_x > too_close_span || max_y - min_y > too_close_span)
            framing.problems.push_back("too_close");
        if (!whole)
            framing.problems.push_back("body_cut_off");
        double const aspect = frame.aspect > 0 ? frame.aspect : 16.0 / 9.0;
        auto const& ls = frame.at(LandmarkId::LeftShoulder);
        auto const& rs = frame.at(LandmarkId::RightShoulder);
        auto const& lh = frame.at(LandmarkId::LeftHip);
        auto const& rh = frame.at(LandmarkId::RightHip);
        if (usable(ls) && usable(rs) && usable(lh) && usable(rh)) {
            auto distance = [&](motion::Landmark const& a, motion::Landmark const& b) {
                return std::hypot((a.x - b.x) * aspect, static_cast<double>(a.y - b.y));
            };
            motion::Landmark shoulders { (ls.x + rs.x) / 2, (ls.y + rs.y) / 2, 0, 1 };
            motion::Landmark hips { (lh.x + rh.x) / 2, (lh.y + rh.y) / 2, 0, 1 };
            double const trunk = distance(shoulders, hips);
            double const across = std::max(distance(ls, rs), distance(lh, rh));
            if (trunk <= 0 || across / trunk > not_side_on_ratio)
                framing.problems.push_back("not_side_on");
        }
    }
    // The analyser's verdict wins over geometry: it cannot place a posture, or it has seen the
    // body out of frame long enough to say so (its camera_framing finding).
    bool const analyser_objects = analysis.posture == motion::Posture::NotVisible
        || std::any_of(analysis.findings.begin(), analysis.findings.end(), [](auto const& f) { return f.code == motion::FindingCode::CameraFraming; });
    if (analyser_objects && framing.problems.empty())
        framing.problems.push_back("body_cut_off");
    framing.ok = framing.problems.empty();
    return framing;
}

json motion_message(motion::FrameAnalysis const& analysis, Framing const& framing)
{
    json findings = json::array();
    for (auto const& finding : analysis.findings)
        findings.push_back({ { "code", motion::to_string(finding.code) }, { "severity", motion::to_string(finding.severity) }, { "message", finding.message } });
    json problems = json::array();
    for (auto problem : framing.problems)
        problems.push_back(problem);
    return {
        { "type", "motion" },
        { "t_us", analysis.timestamp.count() },
        { "posture", motion::to_string(analysis.posture) },
        { "exercise", analysis.exercise },
        { "calibrated", analysis.calibrated },
        { "contact_known", analysis.contact_known },
        { "fraction", round_to(analysis.contact_fraction, 0.001) },
        { "level", analysis.contact_known ? analysis.level : std::string_view {} },
        { "zone", motion::to_string(analysis.zone) },
        { "speed_cm_s", round_to(analysis.speed_cm_s, 0.1) },
        { "holding", analysis.holding },
        { "hold_seconds", round_to(analysis.hold_seconds, 0.1) },
        { "roller_start_learning", analysis.roller_start_learning },
        { "framing", { { "ok", framing.ok }, { "problems", std::move(problems) } } },
        { "findings", std::move(findings) },
    };
}

MotionStream::MotionStream()
    : m_budget(frames_per_second, frames_per_second)
{
}

std::optional<motion::Frame> MotionStream::drop(FrameDrop reason)
{
    m_admitted_roller = false;
    ++m_dropped[static_cast<std::size_t>(reason)];
    return std::nullopt;
}

void MotionStream::count_received(MonoTime now)
{
    ++m_received;
    if (!m_stats_at)
        m_stats_at = now;
}

std::optional<FrameDrop> MotionStream::arrive(bool running, MonoTime now)
{
    count_received(now);
    std::optional<FrameDrop> reason;
    if (!running)
        reason = FrameDrop::NotRunning;
    else if (!m_budget.try_take(now))
        reason = FrameDrop::Rate;
    if (reason)
        drop(*reason);
    return reason;
}

std::optional<motion::Frame> MotionStream::in_order(motion::Frame frame)
{
    if (m_last_timestamp && frame.timestamp <= *m_last_timestamp)
        return drop(FrameDrop::OutOfOrder);
    m_last_timestamp = frame.timestamp;
    m_admitted_roller = frame.roller.has_value();
    return frame;
}

std::optional<motion::Frame> MotionStream::admit(std::span<std::uint8_t const> bytes, bool running, MonoTime now)
{
    if (bytes.size() > max_frame_bytes) {
        count_received(now);
        return drop(FrameDrop::Oversize);
    }
    if (arrive(running, now))
        return std::nullopt;
    // The codec says why a frame is bad; here only the counts matter, and a newer version is
    // told apart from garbage so that a page ahead of its server shows up in the stats.
    if (bytes.size() >= 5 && std::memcmp(bytes.data(), "RCMF", 4) == 0
        && (bytes[4] < motion::binary_frame_oldest_version || bytes[4] > motion::binary_frame_version))
        return drop(FrameDrop::Version);
    auto decoded = motion::decode_binary_frame(bytes);
    if (!decoded || decoded->consumed != bytes.size())
        return drop(FrameDrop::Malformed);
    return in_order(std::move(decoded->frame));
}

std::uint64_t MotionStream::dropped() const
{
    std::uint64_t total = 0;
    for (auto count : m_dropped)
        total += count;
    return total;
}

std::optional<json> MotionStream::stats_if_due(MonoTime now)
{
    if (!m_stats_at || m_received == m_received_at_stats || now - *m_stats_at < stats_interval)
        return std::nullopt;
    return stats(now);
}

json MotionStream::stats(MonoTime now)
{
    m_stats_at = now;
    m_received_at_stats = m_received;
    json reasons = json::object();
    for (std::size_t i = 0; i < frame_drop_count; ++i)
        reasons[std::string(to_string(static_cast<FrameDrop>(i)))] = m_dropped[i];
    return {
        { "type", "motion_stats" },
        { "received", m_received },
        { "analysed", m_analysed },
        { "roller_sightings", m_roller_analysed },
        { "dropped", dropped() },
        { "reasons", std::move(reasons) },
    };
}

}
