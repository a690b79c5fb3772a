// The motion analyser: landmark frames in, per-frame analysis and form findings out.
//
// One Analyzer per session (per camera stream). It is pure and clock-free: time comes with the
// frames. push() never fails: a frame it cannot use (repeated or out-of-order timestamp) is
// reported in FrameAnalysis::status and changes nothing; a gap over two seconds resets the
// smoothing but keeps the calibration.
//
// What it does per frame: One Euro smoothing of the landmarks it uses, body scale (the
// shoulder-to-hip keypoint length against de Leva proportions for the body height), posture
// and exercise recognition, and for the back rolls the roller's contact along the back. That
// contact comes from a setup calibration (the roller starts just below the shoulder blades, at
// start_fraction of C7-PSIS) and the rolling geometry: the body travels (1 + cos(trunk angle))
// times as far along its axis as the contact moves along the back. Findings are debounced
// (a condition must last) and rate-limited (a warning repeats only after a pause).
//
//   auto analyzer = Analyzer::create({ .exercise = "thoracic_roll", .body_height = Centimetres { 172 } });
//   FrameAnalysis a = analyzer->push(frame);
//   for (FormFinding const& f : a.findings) send(f.code, f.message);
//   nlohmann::json j = a;   // streamable
#pragma once

#include "common/result.h"
#include "common/units.h"
#include "knowledge/motion_thresholds.h"
#include "motion/finding_gate.h"
#include "motion/form_finding.h"
#include "motion/landmarks.h"
#include "motion/one_euro_filter.h"
#include "motion/posture_classifier.h"
#include "motion/spine.h"

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rc::motion {

struct AnalyzerOptions {
    // The exercise the session is doing ("" = recognise it from the posture). With an exercise
    // chosen, its checks run whenever its posture is seen.
    std::string exercise {};
    // The user's height improves the centimetre scale; without it 170 cm is assumed.
    std::optional<Centimetres> body_height {};
    // Landmark smoothing (normalized image units). Tuned on simulator seeds 1000-1999.
    OneEuroParams filter { .min_cutoff = 0.8, .beta = 4.0, .derivative_cutoff = 1.0 };
    double min_visibility { 0.5 };
    // Roller sightings (Frame::roller, an image cue outside the pose model): how quickly the
    // contact follows them, in seconds (0 = ignore them). Between sightings dead reckoning
    // carries the contact. Chosen on the tuning render slip_lumbar_a only (docs/motion.md):
    // 0.5 s warned its drift late, 0.3 s and less in time.
    double roller_follow_seconds { 0.2 };
    // Boundaries, speeds, hold times, debounces and clearances: data/knowledge/motion.toml
    // (kb::load_motion_thresholds). Where the roller starts is thresholds.start_fraction.
    kb::MotionThresholds thresholds {};
};

enum class FrameStatus { Analysed, Repeated, OutOfOrder, AfterGap };
std::string_view to_string(FrameStatus status);

struct FrameAnalysis {
    Timestamp timestamp { 0 };
    FrameStatus status { FrameStatus::Analysed };
    Posture posture { Posture::NotVisible };
    std::string_view exercise;          // chosen or recognised ("" when unknown)
    bool calibrated { false };          // the back-roll start position is known
    bool contact_known { false };
    double contact_cm { 0 };            // from C7 along the back
    double contact_fraction { 0 };      // of C7-PSIS
    std::string_view level;             // nearest spinal level
    SpinalZone zone { SpinalZone::Thoracic };
    double speed_cm_s { 0 };            // contact speed (back rolls) or body speed
    double trunk_angle_deg { 0 };
    double hips_clearance_cm { 0 };     // back rolls: buttocks above the floor (estimate)
    // This frame's roller sighting, read as an absolute contact (cm from C7) before the start
    // offset; roller_used says whether it moved the estimate (it may wait for agreement).
    bool roller_seen { false };
    bool roller_used { false };
    double roller_contact_cm { 0 };
    // The roller's start offset is being learnt: the body lies still at its start (before or
    // just after the calibration) and the offset is not known yet. A sighting on every frame now
    // helps most; a page that looks for the roller on some frames only should look on each.
    bool roller_start_learning { false };
    bool holding { false };
    double hold_seconds { 0 };
    std::vector<FormFinding> findings;  // usually empty
};

void to_json(nlohmann::json& out, FrameAnalysis const& analysis);

class Analyzer {
public:
    static Result<Analyzer> create(AnalyzerOptions options);

    FrameAnalysis push(Frame const& frame);
    // Parse and push one JSON line / one binary frame; parse failures come back as errors and
    // leave the analyser unchanged.
    Result<FrameAnalysis> push_json(std::string_view line);
    Result<FrameAnalysis> push_binary(std::span<std::uint8_t const> bytes);

    // The user confirms they are at the start again (just below the shoulder blades): the next
    // still moment on the roller re-fixes the reference, as at the beginning of a set.
    void recalibrate();

    AnalyzerOptions const& options() const { return m_options; }

private:
    explicit Analyzer(AnalyzerOptions options, OneEuroFilter prototype);

    // PSIS lies about 9 cm above the hip-joint line in a 166 cm body (the renders' convention).
    static constexpr double psis_to_hip_fraction = 9.0 / 166.0;

    struct Point {
        double x { 0 };
        double y { 0 };
        bool valid { false };
    };
    struct Sample {
        double t { 0 };
        double value { 0 };
        double x { 0 };
        double y { 0 };
    };

    struct Posed {
        PostureFeatures features;
        Point shoulder, hip;
        double trunk_px { 0 };
    };

    void reset_filters();
    // push(), by concern: smoothing, framing, posture, the back-roll contact, holds, checks.
    void smooth_landmarks(Frame const& frame, double t, double aspect);
    bool update_framing(Frame const& frame, FrameAnalysis& out, double t, double dt);
    Posed recognise_posture(bool framed, FrameAnalysis& out, double dt);
    void track_contact(Posed const& posed, Frame const& frame, double aspect, FrameAnalysis& out, double t, double cm_per_unit);
    // The contact (cm from C7) that a roller sighting shows, for a roller end `depth` times nearer
    // the camera than the body, or nothing if it is implausible.
    std::optional<double> contact_from_roller(Posed const& posed, RollerSighting const& roller, double aspect, double cm_per_unit, double depth) const;
    // Roller sightings -> m_roller_offset: the start offset first, then the slip.
    void follow_roller(Posed const& posed, RollerSighting const& roller, double aspect, double cm_per_unit, double t, double reckoned, FrameAnalysis& out);
    void learn_roller_start(Posed const& posed, RollerSighting const& roller, double aspect, double cm_per_unit, double t, double reckoned, double ratio, FrameAnalysis& out);
    // Sightings while the body lies still before the calibration, kept for the start offset.
    void remember_still_sighting(Posed const& posed, RollerSighting const& roller, double aspect, double cm_per_unit, double t, double centre_x, double centre_y, FrameAnalysis& out);
    void replay_still_sightings(double start_cm, double cm_per_unit, double t);
    void add_start_candidate(double residual, double ratio, double t);
    // The sighting's depth ratio (its disc against the roller's size), if it may count at all.
    std::optional<double> usable_roller_ratio(RollerSighting const& roller, double cm_per_unit) const;
    void forget_roller_start();
    double with_lordosis(double contact_cm) const;
    void learn_slip(double t, double reckoned, double seen);
    void track_hold(FrameAnalysis& out, double t);
    void run_checks(Posed const& posed, Frame const& frame, FrameAnalysis& out, double t, double cm_per_unit, bool back_roll);
    Point smoothed(LandmarkId id) const { return m_points[static_cast<std::size_t>(id)]; }
    Point mid(LandmarkId left, LandmarkId right) const;
    void emit(FrameAnalysis& out, FindingCode code, Timestamp at);
    double speed_over(double t, double window, bool contact) const;

    AnalyzerOptions m_options;
    double m_height_cm { 170 };
    Posture m_fixed_posture { Posture::NotVisible };
    std::array<OneEuroFilter, 2 * landmark_count> m_filters;
    std::array<Point, landmark_count> m_points {};
    std::array<Point, landmark_count> m_raw {};  // this frame's landmarks as seen, unsmoothed (invalid when not usable)
    std::array<double, landmark_count> m_last_seen {};
    std::array<double, posture_count> m_posture_score {};
    std::optional<Timestamp> m_last_timestamp;
    double m_trunk_px { 0 };
    double m_framing_bad { 0 };

    // Back-roll calibration.
    bool m_calibrated { false };
    double m_still_since { -1 };
    Point m_still_anchor {};
    Point m_reference {};
    double m_axis_x { 1 }, m_axis_y { 0 };
    double m_reference_gain { 2 };
    double m_reference_theta { 0 };
    double m_lever { 0 };          // cm: (buttocks-to-contact distance) x sin(trunk angle) at the start
    double m_theta { 0 };          // trunk angle, smoothed
    bool m_theta_valid { false };
    double m_dt { 0 };
    double m_roller_offset { 0 };   // cm: what the roller sightings add to dead reckoning
    double m_roller_seen { -1e18 }; // when a sighting last counted
    double m_roller_depth { 1 };    // the roller's near end is this much nearer than the body
    bool m_roller_start_known { false };
    double m_roller_bias { 0 };     // cm: the sightings' constant offset, measured at the start
    // Sightings at the start, (sighting - dead reckoning, depth ratio), until enough agree.
    std::array<std::pair<double, double>, 32> m_roller_candidates {};
    std::size_t m_roller_candidate_count { 0 };
    struct StillSighting {
        double t, seen, ratio, centre_x, centre_y;
    };
    std::array<StillSighting, 32> m_still_sightings {};  // before the calibration (remember_still_sighting)
    std::size_t m_still_sighting_count { 0 };
    double m_stream_start { 0 };  // the first frame, or the first after a gap
    int m_roller_disagreeing { 0 };  // sightings in a row the estimate has not followed
    double m_roller_pending { 0 };  // a sighting far from the estimate, waiting for a second one
    double m_roller_pending_at { -1 };
    RollerSighting m_roller_last {};   // the last sighting that counted, where it was in the picture
    double m_roller_last_at { -1e18 };
    double m_roller_slip { 0 };            // the offset's change per cm of dead reckoning: 0 rolling, 1 slipping
    double m_roller_span_low { 0 };        // the span of dead reckoning since the last sighting that counted
    double m_roller_span_high { 0 };
    double m_roller_prev_reckoned { 0 };   // dead reckoning on the previous frame
    struct SlipSample {
        double t, reckoned, seen;
    };
    std::array<SlipSample, 24> m_slip_samples {};  // the sightings that counted lately, for learn_slip
    std::size_t m_slip_count { 0 };
    double m_hips_start_cm { 0 };   // the buttocks' estimated height over the first second after calibration
    double m_hips_ankle_start_cm { 0 };
    int m_hips_start_count { 0 };
    double m_calibrated_at { 0 };
    bool m_hips_sinking { false };  // both hips readings have dropped from the start (last frame)
    double m_hips_sunk_at { -1e18 };
    bool m_hips_steepened { false };  // the hips have sunk and the trunk has not flattened since
    // The bound on how far the trunk angle's lead over dead reckoning may have grown (track_contact):
    // the least of lead - ratio * travelled over every frame since the calibration.
    double m_lead_key_min { 0 };
    bool m_lead_seen { false };
    double m_travelled_cm { 0 };        // the body's travel since the calibration, both ways
    double m_angle_prev_reckoned { 0 }; // dead reckoning on the previous frame
    double m_reckoned_cm { 0 };
    double m_landmark_fraction { 0 };  // the contact from landmarks alone (no sightings), this frame

    std::array<Sample, 64> m_history {};
    std::size_t m_history_next { 0 };
    std::size_t m_history_size { 0 };

    double m_moving_since { -1 };
    double m_hold_start { -1 };
    bool m_hold_good_sent { false };
    double m_hold_long_last { -1e18 };

    std::array<FindingGate, finding_code_count> m_gates {};
};

}
