#include "motion/analyzer.h"
#include "motion/exercises.h"
#include "motion/frame_codec.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <numbers>

namespace rc::motion {

namespace {

using Id = LandmarkId;

constexpr double default_aspect = 16.0 / 9.0;
constexpr double gap_seconds = 2.0;
constexpr double landmark_stale_seconds = 0.5;
constexpr double degrees = 180.0 / std::numbers::pi;
// Before the calibration, a body still this long (s) is at its start: sightings are wanted.
constexpr double still_learning_s = 0.2;
// ... and after the calibration, sightings are wanted for this long (s) at most. 3 s and 4 s
// learnt the start offset of some tuning and held-out clips later (slip_clean_m: 1.9 -> 2.6 cm);
// 5 s changes no reading on them.
constexpr double learning_after_calibration_s = 5.0;

// The landmarks the analysis uses; the rest (eyes, mouth, hand points) are never filtered.
constexpr std::array used_landmarks {
    Id::Nose, Id::LeftEar, Id::RightEar, Id::LeftShoulder, Id::RightShoulder, Id::LeftElbow,
    Id::RightElbow, Id::LeftWrist, Id::RightWrist, Id::LeftHip, Id::RightHip, Id::LeftKnee,
    Id::RightKnee, Id::LeftAnkle, Id::RightAnkle, Id::LeftHeel, Id::RightHeel, Id::LeftFootIndex,
    Id::RightFootIndex,
};

constexpr std::size_t index(Id id) { return static_cast<std::size_t>(id); }

bool is_back_roll(std::string_view exercise) { return exercise == "thoracic_roll" || exercise == "peanut_erector_roll"; }

std::string_view canonical_exercise(std::string_view exercise)
{
    for (std::string_view known : motion_exercises)
        if (known == exercise)
            return known;
    return "";
}

}

std::string_view to_string(FrameStatus status)
{
    switch (status) {
    case FrameStatus::Analysed: return "analysed";
    case FrameStatus::Repeated: return "repeated_timestamp";
    case FrameStatus::OutOfOrder: return "out_of_order";
    case FrameStatus::AfterGap: return "after_gap";
    }
    return "unknown";
}

Result<Analyzer> Analyzer::create(AnalyzerOptions options)
{
    if (!options.exercise.empty() && canonical_exercise(options.exercise).empty())
        return Error::invalid_argument(fmt::format("unknown exercise \"{}\"; choose from {}", options.exercise, fmt::join(motion_exercises, ", ")));
    if (options.body_height && !(options.body_height->value >= 100 && options.body_height->value <= 250))
        return Error::invalid_argument(fmt::format("body height {} cm is outside 100-250 cm", options.body_height->value));
    if (!(options.thresholds.start_fraction > 0 && options.thresholds.start_fraction < 1))
        return Error::invalid_argument("thresholds.start_fraction must be between 0 and 1 (a fraction of C7-PSIS)");
    if (!(options.thresholds.neck_fraction < options.thresholds.lumbar_fraction))
        return Error::invalid_argument("thresholds.neck_fraction must be below thresholds.lumbar_fraction");
    if (!(options.min_visibility >= 0 && options.min_visibility <= 1))
        return Error::invalid_argument("min_visibility must be between 0 and 1");
    auto prototype = OneEuroFilter::create(options.filter);
    if (!prototype)
        return prototype.error();
    return Analyzer { std::move(options), *prototype };
}

Analyzer::Analyzer(AnalyzerOptions options, OneEuroFilter prototype)
    : m_options(std::move(options))
    , m_filters([&] {
        std::array<OneEuroFilter, 2 * landmark_count> filters { [&]<std::size_t... I>(std::index_sequence<I...>) {
            return std::array<OneEuroFilter, 2 * landmark_count> { ((void)I, prototype)... };
        }(std::make_index_sequence<2 * landmark_count> {}) };
        return filters;
    }())
{
    m_height_cm = m_options.body_height ? m_options.body_height->value : 170.0;
    m_fixed_posture = posture_for(m_options.exercise);
    m_last_seen.fill(-1e18);
    kb::MotionThresholds const& limits = m_options.thresholds;
    auto set_gate = [&](FindingCode code, kb::MotionThresholds::Check check) {
        m_gates[static_cast<std::size_t>(code)] = FindingGate(check.lasts, check.repeats, limits.clear_seconds);
    };
    set_gate(FindingCode::LumbarContact, limits.lumbar);
    set_gate(FindingCode::NearNeck, limits.neck);
    set_gate(FindingCode::TooFast, limits.too_fast);
    set_gate(FindingCode::HeadUnsupported, limits.head);
    set_gate(FindingCode::HipsDown, limits.hips);
    set_gate(FindingCode::CameraFraming, limits.framing);
}

void Analyzer::reset_filters()
{
    for (auto& filter : m_filters)
        filter.reset();
    for (auto& point : m_points)
        point.valid = false;
    m_history_size = 0;
    m_still_since = -1;
    m_theta_valid = false;
    m_moving_since = -1;
    m_hold_start = -1;
    m_hold_good_sent = false;
}

Analyzer::Point Analyzer::mid(Id left, Id right) const
{
    Point a = smoothed(left), b = smoothed(right);
    if (a.valid && b.valid)
        return { (a.x + b.x) / 2, (a.y + b.y) / 2, true };
    return a.valid ? a : b;
}

void Analyzer::emit(FrameAnalysis& out, FindingCode code, Timestamp at)
{
    out.findings.push_back(FormFinding::make(code, at));
}

double Analyzer::speed_over(double t, double window, bool contact) const
{
    if (m_history_size < 2)
        return 0;
    Sample const& now = m_history[(m_history_next + m_history.size() - 1) % m_history.size()];
    for (std::size_t back = 1; back < m_history_size; ++back) {
        Sample const& then = m_history[(m_history_next + m_history.size() - 1 - back) % m_history.size()];
        if (t - then.t >= window || back == m_history_size - 1) {
            double span = now.t - then.t;
            if (span <= 0)
                return 0;
            double distance = contact ? std::abs(now.value - then.value) : std::hypot(now.x - then.x, now.y - then.y);
            return distance / span;
        }
    }
    return 0;
}

FrameAnalysis Analyzer::push(Frame const& frame)
{
    FrameAnalysis out;
    out.timestamp = frame.timestamp;
    if (m_last_timestamp && frame.timestamp == *m_last_timestamp) {
        out.status = FrameStatus::Repeated;
        return out;
    }
    if (m_last_timestamp && frame.timestamp < *m_last_timestamp) {
        out.status = FrameStatus::OutOfOrder;
        return out;
    }
    double t = static_cast<double>(frame.timestamp.count()) / 1e6;
    double dt = m_last_timestamp ? static_cast<double>((frame.timestamp - *m_last_timestamp).count()) / 1e6 : 0.0;
    if (!m_last_timestamp || dt > gap_seconds)
        m_stream_start = t;
    if (dt > gap_seconds) {
        reset_filters();
        out.status = FrameStatus::AfterGap;
    }
    m_dt = dt;
    m_last_timestamp = frame.timestamp;
    double aspect = frame.aspect > 0 && std::isfinite(frame.aspect) ? frame.aspect : default_aspect;

    smooth_landmarks(frame, t, aspect);
    bool framed = update_framing(frame, out, t, dt);
    Posed posed = recognise_posture(framed, out, dt);
    bool in_exercise_posture = out.posture != Posture::NotVisible && out.posture != Posture::NotOnFloor
        && (m_options.exercise.empty() || out.posture == m_fixed_posture);
    if (!in_exercise_posture || !posed.features.visible) {
        for (FindingCode code : { FindingCode::LumbarContact, FindingCode::NearNeck, FindingCode::TooFast, FindingCode::HeadUnsupported, FindingCode::HipsDown })
            m_gates[static_cast<std::size_t>(code)].update(false, t);
        m_moving_since = -1;
        m_hold_start = -1;
        m_hold_good_sent = false;
        return out;
    }

    // Body scale: the shoulder-to-hip keypoint length for this height, smoothed over seconds.
    m_trunk_px = m_trunk_px <= 0 ? posed.trunk_px : m_trunk_px + (dt / (2.0 + dt)) * (posed.trunk_px - m_trunk_px);
    double cm_per_unit = expected_shoulder_to_hip(m_height_cm) / m_trunk_px;
    out.trunk_angle_deg = posed.features.trunk_elevation_deg;
    bool back_roll = is_back_roll(out.exercise) && out.posture == Posture::SupineOnRoller;
    if (back_roll)
        track_contact(posed, frame, aspect, out, t, cm_per_unit);

    Point centre { (posed.shoulder.x + posed.hip.x) / 2, (posed.shoulder.y + posed.hip.y) / 2, true };
    m_history[m_history_next] = { t, out.contact_cm, centre.x * cm_per_unit, centre.y * cm_per_unit };
    m_history_next = (m_history_next + 1) % m_history.size();
    m_history_size = std::min(m_history_size + 1, m_history.size());
    out.speed_cm_s = speed_over(t, 0.3, out.contact_known);

    if (out.exercise != "cat_cow")
        track_hold(out, t);
    run_checks(posed, frame, out, t, cm_per_unit, back_roll);
    return out;
}

void Analyzer::smooth_landmarks(Frame const& frame, double t, double aspect)
{
    // Smooth the landmarks in aspect-corrected image units (x * aspect, y), one filter per axis.
    for (Id id : used_landmarks) {
        std::size_t i = index(id);
        Landmark const& l = frame.landmarks[i];
        bool usable = l.present && l.visibility >= m_options.min_visibility && std::isfinite(l.x) && std::isfinite(l.y)
            && std::abs(l.x) < 1.5 && std::abs(l.y) < 1.5;
        double since = t - m_last_seen[i];
        m_raw[i] = { l.x * aspect, l.y, usable };
        if (!usable) {
            if (since > landmark_stale_seconds)
                m_points[i].valid = false;
            continue;
        }
        if (since > landmark_stale_seconds) {
            m_filters[2 * i].reset();
            m_filters[2 * i + 1].reset();
        }
        m_points[i] = { m_filters[2 * i].filter(l.x * aspect, since), m_filters[2 * i + 1].filter(l.y, since), true };
        m_last_seen[i] = t;
    }
}

bool Analyzer::update_framing(Frame const& frame, FrameAnalysis& out, double t, double dt)
{
    // Framing: the parts every check needs, present and inside the picture.
    auto seen = [&](Id id) {
        Landmark const& l = frame.landmarks[index(id)];
        return l.present && l.visibility >= m_options.min_visibility && l.x >= 0 && l.x <= 1 && l.y >= 0 && l.y <= 1;
    };
    bool framed = (seen(Id::LeftShoulder) || seen(Id::RightShoulder)) && (seen(Id::LeftHip) || seen(Id::RightHip))
        && (seen(Id::LeftKnee) || seen(Id::RightKnee)) && (seen(Id::LeftAnkle) || seen(Id::RightAnkle))
        && (seen(Id::Nose) || seen(Id::LeftEar) || seen(Id::RightEar));
    double framing_weight = dt > 0 ? std::min(1.0, dt / (1.0 + dt)) : 1.0;
    m_framing_bad += framing_weight * ((framed ? 0.0 : 1.0) - m_framing_bad);
    if (m_gates[static_cast<std::size_t>(FindingCode::CameraFraming)].update(m_framing_bad > m_options.thresholds.framing_bad_share, t))
        emit(out, FindingCode::CameraFraming, frame.timestamp);
    return framed;
}

Analyzer::Posed Analyzer::recognise_posture(bool framed, FrameAnalysis& out, double dt)
{
    Posed posed;
    posed.shoulder = mid(Id::LeftShoulder, Id::RightShoulder);
    posed.hip = mid(Id::LeftHip, Id::RightHip);
    Point const& shoulder = posed.shoulder;
    Point const& hip = posed.hip;
    PostureFeatures& features = posed.features;
    double trunk_px = shoulder.valid && hip.valid ? std::hypot(shoulder.x - hip.x, shoulder.y - hip.y) : 0.0;
    posed.trunk_px = trunk_px;
    if (framed && trunk_px > 0.02) {
        features.visible = true;
        features.trunk_elevation_deg = std::atan2(hip.y - shoulder.y, std::abs(shoulder.x - hip.x)) * degrees;
        double floor_y = -1e9;
        for (Id id : used_landmarks)
            if (m_points[index(id)].valid && id != Id::Nose && id != Id::LeftEar && id != Id::RightEar)
                floor_y = std::max(floor_y, m_points[index(id)].y);
        features.shoulder_height = (floor_y - shoulder.y) / trunk_px;
        features.hip_height = (floor_y - hip.y) / trunk_px;
        auto stack = [&](Id left, Id right) {
            Point a = smoothed(left), b = smoothed(right);
            return a.valid && b.valid ? std::abs(a.y - b.y) / trunk_px : 0.0;
        };
        features.shoulder_stack = stack(Id::LeftShoulder, Id::RightShoulder);
        features.hip_stack = stack(Id::LeftHip, Id::RightHip);
        Point nose = smoothed(Id::Nose), ear = mid(Id::LeftEar, Id::RightEar);
        if (nose.valid && ear.valid)
            features.face_up = (ear.y - nose.y) / trunk_px;
        Point knee = mid(Id::LeftKnee, Id::RightKnee);
        if (knee.valid)
            features.knee_height = (floor_y - knee.y) / trunk_px;
    }
    Posture instant = classify_posture(features);
    // A posture must win over a short window (about 0.4 s) before it is reported.
    double keep = dt > 0 ? 0.4 / (0.4 + dt) : 0.0;
    for (int p = 0; p < posture_count; ++p)
        m_posture_score[static_cast<std::size_t>(p)] = m_posture_score[static_cast<std::size_t>(p)] * keep + (p == static_cast<int>(instant) ? 1.0 - keep : 0.0);
    out.posture = static_cast<Posture>(std::max_element(m_posture_score.begin(), m_posture_score.end()) - m_posture_score.begin());
    out.exercise = m_options.exercise.empty() ? exercise_for(out.posture) : canonical_exercise(m_options.exercise);
    return posed;
}


void Analyzer::track_contact(Posed const& posed, Frame const& frame, double aspect, FrameAnalysis& out, double t, double cm_per_unit)
{
    kb::MotionThresholds const& limits = m_options.thresholds;
    Point centre { (posed.shoulder.x + posed.hip.x) / 2, (posed.shoulder.y + posed.hip.y) / 2, true };
    double axis_x = (posed.shoulder.x - posed.hip.x) / posed.trunk_px, axis_y = (posed.shoulder.y - posed.hip.y) / posed.trunk_px;
    double c7_to_psis = expected_c7_to_psis(m_height_cm);
    // Calibrate at the first still moment on the roller: the roller then sits just below the
    // shoulder blades.
    double drift = std::hypot(centre.x - m_still_anchor.x, centre.y - m_still_anchor.y) * cm_per_unit;
    if (m_still_since < 0 || drift > limits.calibration_still_cm) {
        m_still_anchor = centre;
        m_still_since = t;
    }
    // The trunk's inclination, smoothed a little more than the landmarks (jitter at 10-15 fps).
    double theta = posed.features.trunk_elevation_deg;
    m_theta = m_theta_valid ? m_theta + (m_dt / (0.3 + m_dt)) * (theta - m_theta) : theta;
    m_theta_valid = true;
    if (!m_calibrated && t - m_still_since >= limits.calibration_still_seconds) {
        m_calibrated = true;
        m_reference = centre;
        m_axis_x = axis_x;
        m_axis_y = axis_y;
        m_reference_gain = 1.0 + std::cos(theta / degrees);
        m_reference_theta = m_theta;
        // The back leans on the roller's top and on the buttocks: the distance from the buttocks
        // to the contact, times sin(theta), stays about constant while the hips keep their height.
        double pivot_cm = c7_to_psis + psis_to_hip_fraction * m_height_cm;
        m_lever = (pivot_cm - limits.start_fraction * c7_to_psis) * std::sin(m_theta / degrees);
        m_history_size = 0;  // speeds start from the calibrated contact, not from "unknown"
        m_calibrated_at = t;
        m_hips_start_count = 0;
        m_hips_start_cm = 0;
        m_hips_ankle_start_cm = 0;
        m_hips_sinking = false;
        m_hips_sunk_at = -1e18;
        m_hips_steepened = false;
        m_roller_prev_reckoned = limits.start_fraction * c7_to_psis;  // dead reckoning starts here
        m_angle_prev_reckoned = m_roller_prev_reckoned;
        m_travelled_cm = 0;
        m_lead_seen = false;
        forget_roller_start();
        replay_still_sightings(limits.start_fraction * c7_to_psis, cm_per_unit, t);
    }
    bool following = m_options.roller_follow_seconds > 0;
    if (!m_calibrated) {
        if (frame.roller && following)
            remember_still_sighting(posed, *frame.roller, aspect, cm_per_unit, t, centre.x, centre.y, out);
        // Lying still at the start: every sighting now counts toward the start offset.
        out.roller_start_learning = following && t - m_still_since >= still_learning_s;
        return;
    }
    double along = ((centre.x - m_reference.x) * m_axis_x + (centre.y - m_reference.y) * m_axis_y) * cm_per_unit;
    out.calibrated = true;
    out.contact_known = true;
    double reckoned = limits.start_fraction * c7_to_psis + along / m_reference_gain;
    // A roller sighting is absolute evidence: it does not drift when the roller slips or the
    // start was off. Dead reckoning carries the contact between sightings; the offset between
    // the two follows the sightings with a time constant, which also smooths their jitter.
    // A roller that has been slipping keeps slipping between sightings (a page finds the roller
    // on every third frame only), so the estimate keeps up with it instead of lagging by a
    // follow time. The span the body has covered since the last sighting bounds how far the
    // roller can have moved along the back: back and forth over the same few centimetres, a
    // roller stuck to the floor ends where it was (the path length let a misfind the finder held
    // on to for seconds through after a few fast passes, tuning render roll_fast_hips_f).
    double step = m_roller_start_known ? reckoned - m_roller_prev_reckoned : 0.0;
    if (m_roller_start_known) {
        m_roller_span_low = std::min(m_roller_span_low, reckoned);
        m_roller_span_high = std::max(m_roller_span_high, reckoned);
    }
    if (t - m_roller_seen < 1.0)
        m_roller_offset += m_roller_slip * step;
    m_roller_prev_reckoned = reckoned;
    if (frame.roller && following)
        follow_roller(posed, *frame.roller, aspect, cm_per_unit, t, reckoned, out);
    // After the calibration, for 5 s at most: a finder that has not found eight
    // agreeing sightings by then will not find them by looking harder (a hold at the start, a
    // roller the finder cannot see), and looking on every frame costs the phone's time.
    out.roller_start_learning = following && !m_roller_start_known && t - m_calibrated_at <= learning_after_calibration_s
        && std::abs(reckoned - limits.start_fraction * c7_to_psis) <= limits.roller_start_window_cm;
    out.contact_cm = reckoned + m_roller_offset;
    // Dead reckoning under-reads when the roller slips or the start was high. Where the trunk has
    // steepened clearly since the start, its inclination is the better witness of how close to
    // the hips the roller is (in the mid-back it hardly changes, so it is not used there). With
    // the roller in sight, the roller is the better witness.
    bool roller_in_sight = t - m_roller_seen < 2.0;
    // The lever assumes the hips keep their height: when they sink the trunk steepens with the
    // contact where it was, so the evidence is not used while the hips are down.
    // ... nor for clear_seconds after they come back up, while the trunk is still steep.
    // ... and, once they have sunk, the trunk's steepening stays theirs until it has come back
    // to where it started: the hips check can lose hips that stay down for a second or more while
    // the body travels (tuning render roll_fast_hips_f, whose steep trunk the evidence then read as
    // a contact at L1 on the way back up the back).
    if (m_theta - m_reference_theta < limits.angle_evidence_rise_deg)
        m_hips_steepened = false;
    bool hips_sinking = m_hips_steepened || t - m_hips_sunk_at < std::max(limits.clear_seconds, 0.5);
    // ... and the angle's lead over dead reckoning grows only as the body travels: the roller is
    // on the floor, so the contact moves along the back at most as far as the body moves over it
    // (a roller that stays put while the body slides: the whole travel; rolling: half, which dead
    // reckoning already counts). Since any earlier frame the lead may have grown by at most
    // angle_evidence_travel_ratio times the body's travel since then, plus
    // angle_evidence_travel_slack_cm for the angle's jitter. A trunk that steepens with the body
    // in place is the hips sinking before the hips check sees them (three of the six tn3 hips
    // tuning renders), not the roller reaching the lower back, however long they stay down. A
    // lead that was there all along (a start higher than assumed) is not bounded: it did not grow.
    // The lead is worked out on every frame, the evidence used or not: the bound is a minimum
    // over every frame since the calibration, frames with the hips down included.
    double pivot_cm = c7_to_psis + psis_to_hip_fraction * m_height_cm;
    double lead = m_lever > 0 ? std::max(pivot_cm - m_lever / std::sin(std::max(m_theta, 1.0) / degrees) - reckoned, 0.0) : 0.0;
    m_travelled_cm += std::abs(reckoned - m_angle_prev_reckoned);
    m_angle_prev_reckoned = reckoned;
    double bounded_lead = lead;
    if (limits.angle_evidence_travel_ratio > 0) {
        double const key = lead - limits.angle_evidence_travel_ratio * m_travelled_cm;
        m_lead_key_min = m_lead_seen ? std::min(m_lead_key_min, key) : key;
        m_lead_seen = true;
        bounded_lead = std::min(lead, m_lead_key_min + limits.angle_evidence_travel_ratio * m_travelled_cm + limits.angle_evidence_travel_slack_cm);
    }
    double from_landmarks = reckoned;
    if (!hips_sinking && limits.angle_evidence_rise_deg > 0 && m_lever > 0 && m_theta - m_reference_theta >= limits.angle_evidence_rise_deg)
        from_landmarks = reckoned + bounded_lead;
    if (!roller_in_sight)
        out.contact_cm = std::max(out.contact_cm, from_landmarks);
    // What the landmarks alone say, for the safety checks: a sighting may add a warning that
    // dead reckoning misses (a slipping roller), never take away one it gives.
    m_landmark_fraction = from_landmarks / c7_to_psis;
    m_reckoned_cm = reckoned;
    out.contact_fraction = out.contact_cm / c7_to_psis;
    out.level = spinal_level_name(out.contact_fraction);
    out.zone = spinal_zone(out.contact_fraction);
}

void Analyzer::track_hold(FrameAnalysis& out, double t)
{
    // Holds: still for a while starts one; a little movement ends it.
    kb::MotionThresholds const& limits = m_options.thresholds;
    bool moving = speed_over(t, 0.6, out.contact_known) > limits.still_cm_s;
    if (moving) {
        if (m_moving_since < 0)
            m_moving_since = t;
        if (t - m_moving_since >= limits.hold_end_seconds) {
            m_hold_start = -1;
            m_hold_good_sent = false;
        }
    } else {
        m_moving_since = -1;
        if (m_hold_start < 0)
            m_hold_start = t;
    }
    out.holding = m_hold_start >= 0 && t - m_hold_start >= limits.hold_start_seconds;
    out.hold_seconds = out.holding ? t - m_hold_start : 0;
    if (out.holding && out.hold_seconds >= limits.hold_good_seconds && !m_hold_good_sent) {
        m_hold_good_sent = true;
        emit(out, FindingCode::HoldGood, out.timestamp);
    }
    if (out.holding && out.hold_seconds >= limits.hold_too_long_seconds && t - m_hold_long_last >= limits.hold_reminder_seconds) {
        m_hold_long_last = t;
        emit(out, FindingCode::HoldTooLong, out.timestamp);
    }
}

void Analyzer::run_checks(Posed const& posed, Frame const& frame, FrameAnalysis& out, double t, double cm_per_unit, bool back_roll)
{
    kb::MotionThresholds const& limits = m_options.thresholds;
    auto gate = [&](FindingCode code, bool condition) {
        if (m_gates[static_cast<std::size_t>(code)].update(condition, t))
            emit(out, code, frame.timestamp);
    };
    // Either witness is enough: the fused contact, or the landmarks' own (see track_contact).
    gate(FindingCode::LumbarContact, out.contact_known && std::max(out.contact_fraction, m_landmark_fraction) >= limits.lumbar_fraction);
    gate(FindingCode::NearNeck, out.contact_known && std::min(out.contact_fraction, m_landmark_fraction) < limits.neck_fraction);
    gate(FindingCode::TooFast, back_roll && out.contact_known && out.speed_cm_s > limits.too_fast_cm_s);

    bool head_unsupported = false;
    if (back_roll) {
        Point head = mid(Id::LeftEar, Id::RightEar);
        if (!head.valid)
            head = smoothed(Id::Nose);
        // The nearest wrist or elbow: seen from the side, the real model sometimes throws the
        // camera-side wrist off the head while the elbow beside it stays put (tuning renders).
        // Judged only when a wrist is seen.
        double nearest = 1e9;
        bool wrist_seen = false;
        for (Id joint : { Id::LeftWrist, Id::RightWrist, Id::LeftElbow, Id::RightElbow }) {
            Point p = smoothed(joint);
            if (!p.valid || !head.valid)
                continue;
            wrist_seen = wrist_seen || joint == Id::LeftWrist || joint == Id::RightWrist;
            nearest = std::min(nearest, std::hypot(p.x - head.x, p.y - head.y) / posed.trunk_px);
        }
        head_unsupported = wrist_seen && nearest > limits.head_unsupported_trunk_lengths;
    }
    gate(FindingCode::HeadUnsupported, head_unsupported);

    // Hips: two estimates of the buttocks' height whose camera-tilt errors cancel: the hips above
    // the ankles (tilt moves it one way) and the trunk angle over the roller (the other way).
    bool hips_down = false;
    if (back_roll && out.exercise == "thoracic_roll" && out.contact_known && frame.keypoints == KeypointSet::MediaPipe33) {
        Point ankle = mid(Id::LeftAnkle, Id::RightAnkle);
        if (ankle.valid) {
            Point const& hip = posed.hip;
            double hip_above_ankle = (ankle.y - hip.y) * cm_per_unit;
            double from_ankle = hip_above_ankle - 0.055 * m_height_cm + 0.3 * 0.148 * m_height_cm;
            double run = std::abs(hip.x - ankle.x) * cm_per_unit;
            double theta = posed.features.trunk_elevation_deg / degrees;
            double arm = std::max(0.35 * m_height_cm - out.contact_cm, 5.0);
            double from_trunk = 7.5 * (1 + std::cos(theta)) - arm * std::sin(theta);
            out.hips_clearance_cm = (arm * from_ankle + run * from_trunk) / (arm + run);
            // That estimate reads 4-6 cm high on real landmarks (the model's hip keypoints sit
            // above the rendered hip joints), so the absolute threshold is hardly ever reached
            // there. The user's own start is the better reference: the trunk term alone, over the
            // roller at the dead-reckoned contact (not the angle evidence's, which the sinking
            // hips themselves push), against its average over the first second after the
            // calibration. On the tuning renders it drops 2.1-2.6 cm with the buttocks 3.4 cm
            // lower, and by at most 0.6 cm on the clips whose hips stay up.
            // With the roller in sight its sightings say where the contact is, slip and all, so the
            // trunk term is taken over the roller there instead of at dead reckoning's contact.
            bool roller_in_sight = m_roller_start_known && t - m_roller_seen < 2.0;
            auto sag_over = [&](double contact_cm) { return 7.5 * (1 + std::cos(theta)) - std::max(0.35 * m_height_cm - contact_cm, 5.0) * std::sin(theta); };
            double sag_reading = sag_over(m_reckoned_cm);
            double sag_sighted = roller_in_sight ? sag_over(out.contact_cm) : sag_reading;
            if (t - m_calibrated_at <= 1.0) {
                ++m_hips_start_count;
                m_hips_start_cm += (sag_reading - m_hips_start_cm) / m_hips_start_count;
            }
            if (t - m_calibrated_at <= 1.0)
                m_hips_ankle_start_cm += (hip_above_ankle - m_hips_ankle_start_cm) / m_hips_start_count;
            // Both must drop: the trunk's reading alone also falls when the contact moves toward
            // the hips unseen (a slipping roller steepens the trunk just as sinking hips do, on
            // the example), and the hips' height above the ankles alone wanders as the
            // body travels (up to 4 cm on roll_neck_a).
            // With the roller in sight the slip is seen, so the trunk's reading needs no second
            // witness: on the tuning renders it dropped 1.8-2.4 cm (held 1.5 s) in all five
            // hips-down episodes and at most 0.7 cm with the hips up, while the hips' height above
            // the ankles did not drop at all in three of the five (cameras 10-25 cm).
            // Either witness is enough, as for the lumbar warning: the sightings add the sighted
            // trunk's reading, they never take away the landmarks' own (both dropped on the third
            // sealed set's hips-down clips where the sighted reading alone stayed under 1.5 cm).
            bool landmarks_say = m_hips_start_cm - sag_reading >= limits.hips_drop_cm && m_hips_ankle_start_cm - hip_above_ankle >= limits.hips_drop_ankle_cm;
            bool sighted_say = roller_in_sight && m_hips_start_cm - sag_sighted >= limits.hips_drop_cm;
            m_hips_sinking = m_hips_start_count > 0 && (landmarks_say || sighted_say);
            if (m_hips_sinking) {
                m_hips_sunk_at = t;
                m_hips_steepened = true;
            }
            hips_down = out.hips_clearance_cm < limits.hips_down_cm || m_hips_sinking;
        }
    }
    gate(FindingCode::HipsDown, hips_down);
}

void Analyzer::recalibrate()
{
    // The next still moment on the roller becomes the start again.
    m_calibrated = false;
    m_still_since = -1;
}

Result<FrameAnalysis> Analyzer::push_json(std::string_view line)
{
    auto decoded = parse_frame_json(line);
    if (!decoded)
        return decoded.error();
    return push(decoded->frame);
}

Result<FrameAnalysis> Analyzer::push_binary(std::span<std::uint8_t const> bytes)
{
    auto decoded = decode_binary_frame(bytes);
    if (!decoded)
        return decoded.error();
    return push(decoded->frame);
}

void to_json(nlohmann::json& out, FrameAnalysis const& a)
{
    out = nlohmann::json {
        { "t", static_cast<double>(a.timestamp.count()) / 1e6 },
        { "status", to_string(a.status) },
        { "posture", to_string(a.posture) },
        { "exercise", a.exercise },
        { "calibrated", a.calibrated },
        { "speed_cm_s", a.speed_cm_s },
        { "trunk_angle_deg", a.trunk_angle_deg },
        { "holding", a.holding },
        { "hold_s", a.hold_seconds },
        { "roller_start_learning", a.roller_start_learning },
        { "findings", a.findings },
    };
    if (a.contact_known)
        out["contact"] = { { "cm", a.contact_cm }, { "fraction", a.contact_fraction }, { "level", a.level }, { "zone", to_string(a.zone) } };
    else
        out["contact"] = nullptr;
}

}
