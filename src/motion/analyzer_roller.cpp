// The roller sightings (Frame::roller, the page's roller finder) fused with dead reckoning:
// Analyzer's members that read a sighting as a contact, learn the start offset from sightings
// that agree, and follow the roller's slip between sightings (docs/motion.md, "Roller
// sightings"). track_contact (analyzer.cpp) calls them.
#include "motion/analyzer.h"

#include <algorithm>
#include <cmath>

namespace rc::motion {

namespace {

constexpr double roller_radius_cm = 7.5;  // a standard 15 cm foam roller
constexpr double roller_jump_cm = 8.0;   // a sighting this far from the estimate needs a second one
constexpr double roller_confirm_cm = 4.0;  // ... within this of it
constexpr double roller_depth_tolerance = 0.12;  // sightings agreeing on the depth at the start
constexpr double roller_size_tolerance = 0.35;   // later: a disc this much larger or smaller is not the roller's end
// A sighting that puts the contact further toward the hips than this share of C7-PSIS (past the
// PSIS, under the sacrum) is a misfind: with the buttocks off the floor the roller cannot be
// there. 1.2 let two confident misfinds in a row through on slip_lumbar_d (read at 1.15).
constexpr double roller_beyond_sacrum = 1.05;
// An unsure sighting still counts where the roller was last seen in the picture: within this
// share of its radius, with a radius within roller_in_place_size of it, within a second.
constexpr double roller_in_place_radii = 0.5;
constexpr double roller_in_place_size = 0.2;
// The roller's slip is learnt from the sightings of the last 1.5 s, once the body has travelled
// at least 2 cm (dead reckoning) among them; a slope outside -0.5..1.2 is no roller's.
constexpr double roller_slip_window_s = 1.5;
constexpr double roller_slip_min_travel_cm = 2.0;
constexpr double roller_slip_min = -0.5;
constexpr double roller_slip_max = 1.2;
// A still moment's sightings before the calibration count only from this long (s) after the
// stream starts (or restarts after a gap).
constexpr double stream_settle_s = 0.5;

}

std::optional<double> Analyzer::contact_from_roller(Posed const& posed, RollerSighting const& roller, double aspect, double cm_per_unit, double depth) const
{
    // The back is tangent to the roller, so the contact lies on the back's normal through the
    // roller's centre: its place along the trunk is the centre's projection on the shoulder-hip
    // line. The disc seen end-on is the roller's near end, nearer the camera than the body: it
    // looks larger by the depth ratio k and sits k times further from the picture's centre.
    double k = depth;
    double cx = 0.5 * aspect, cy = 0.5;
    double x = cx + (roller.x * aspect - cx) / k, y = cy + (roller.y - cy) / k;
    double axis_x = (posed.shoulder.x - posed.hip.x) / posed.trunk_px, axis_y = (posed.shoulder.y - posed.hip.y) / posed.trunk_px;
    // The sighting and this frame's landmarks show the same instant, but the smoothed hips lag a
    // moving body (by 1-2 cm at a pass's speed), so the roller is measured from the hips as this
    // frame shows them when both are seen.
    Point hip = posed.hip;
    Point left = m_raw[static_cast<std::size_t>(LandmarkId::LeftHip)], right = m_raw[static_cast<std::size_t>(LandmarkId::RightHip)];
    if (left.valid && right.valid)
        hip = { (left.x + right.x) / 2, (left.y + right.y) / 2, true };
    double from_hip_cm = ((x - hip.x) * axis_x + (y - hip.y) * axis_y) * cm_per_unit;
    double c7_to_psis = expected_c7_to_psis(m_height_cm);
    double pivot_cm = c7_to_psis + psis_to_hip_fraction * m_height_cm;
    double contact = pivot_cm - from_hip_cm;
    // A sighting that puts the roller beyond the neck or the sacrum is a false find.
    if (contact < -0.2 * c7_to_psis || contact > roller_beyond_sacrum * c7_to_psis)
        return std::nullopt;
    return contact;
}

double Analyzer::with_lordosis(double contact_cm) const
{
    // Toward the lumbar spine the back curves (lordosis), so its tangent at the contact tilts
    // against the shoulder-hip line and the roller's centre sits nearer the hips than the
    // contact's perpendicular: the projection under-reads (roller_lordosis_cm_per_fraction,
    // measured on the tuning renders). Applied after the start offset is taken away, since that
    // offset is the camera's, not the back's.
    double lordosis = m_options.thresholds.roller_lordosis_cm_per_fraction;
    double c7_to_psis = expected_c7_to_psis(m_height_cm);
    double past = contact_cm / c7_to_psis - m_options.thresholds.roller_lordosis_from_fraction;
    if (past > 0 && lordosis > 0)
        contact_cm += lordosis * past / (1 - lordosis / c7_to_psis);
    return contact_cm;
}

void Analyzer::forget_roller_start()
{
    m_roller_start_known = false;
    m_roller_candidate_count = 0;
    m_roller_disagreeing = 0;
    m_roller_offset = 0;
    m_roller_seen = -1e18;
    m_roller_bias = 0;
    m_roller_pending_at = -1;
    m_roller_last_at = -1e18;
    m_roller_slip = 0;
    m_slip_count = 0;
    m_roller_span_low = m_roller_span_high = m_roller_prev_reckoned;
}

void Analyzer::learn_slip(double t, double reckoned, double seen)
{
    // How much the roller has been slipping lately: the slope of (sighting - dead reckoning)
    // against dead reckoning over the last roller_slip_window_s, a least-squares fit. 0 for a
    // roller that rolls, 1 for one that stays put on the floor while the body slides over it.
    m_slip_samples[m_slip_count++ % m_slip_samples.size()] = { t, reckoned, seen };
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, lo = 1e18, hi = -1e18;
    for (std::size_t i = 0; i < std::min(m_slip_count, m_slip_samples.size()); ++i) {
        SlipSample const& q = m_slip_samples[i];
        if (t - q.t > roller_slip_window_s)
            continue;
        double y = q.seen - q.reckoned;
        n += 1;
        sx += q.reckoned;
        sy += y;
        sxx += q.reckoned * q.reckoned;
        sxy += q.reckoned * y;
        lo = std::min(lo, q.reckoned);
        hi = std::max(hi, q.reckoned);
    }
    double spread = n * sxx - sx * sx;
    // Over less travel than roller_slip_min_travel_cm the sightings' jitter would be the slope.
    m_roller_slip = n >= 3 && hi - lo >= roller_slip_min_travel_cm && spread > 0
        ? std::clamp((n * sxy - sx * sy) / spread, roller_slip_min, roller_slip_max)
        : 0.0;
}

void Analyzer::learn_roller_start(Posed const& posed, RollerSighting const& roller, double aspect, double cm_per_unit, double t, double reckoned, double ratio, FrameAnalysis& out)
{
    // The sightings are read relative to the start: the camera's yaw and the keypoints' offsets
    // shift them by a constant (up to 6 cm on the tuning renders). That constant is learnt only
    // while dead reckoning is still exact (the body has hardly moved since the calibration, so
    // the roller cannot have slipped far), and only from sightings that agree with each other
    // and with dead reckoning: a misfind (the roller's far end, the other leg) must not set it.
    kb::MotionThresholds const& limits = m_options.thresholds;
    double start_cm = limits.start_fraction * expected_c7_to_psis(m_height_cm);
    if (std::abs(reckoned - start_cm) > limits.roller_start_window_cm)
        return;
    auto seen = contact_from_roller(posed, roller, aspect, cm_per_unit, ratio);
    if (!seen)
        return;
    out.roller_seen = true;
    out.roller_contact_cm = *seen;
    add_start_candidate(*seen - reckoned, ratio, t);
}

void Analyzer::remember_still_sighting(Posed const& posed, RollerSighting const& roller, double aspect, double cm_per_unit, double t, double centre_x, double centre_y, FrameAnalysis& out)
{
    // Before the calibration the body lies still at its start: the sightings of that still moment
    // show the start as well as those just after it, so they are kept and counted toward the
    // start offset when the calibration comes (replay_still_sightings). A page that looks every
    // third frame only then has twice as many to agree on before the first pass.
    auto ratio = usable_roller_ratio(roller, cm_per_unit);
    if (!ratio)
        return;
    auto seen = contact_from_roller(posed, roller, aspect, cm_per_unit, *ratio);
    if (!seen)
        return;
    out.roller_seen = true;
    out.roller_contact_cm = *seen;
    // Not from a stream's first half second: while the pose model and the finder settle, the
    // sightings of a body lying still wandered by up to 4 cm (tuning render roll_lumbar_c).
    if (t - m_stream_start < stream_settle_s)
        return;
    m_still_sightings[m_still_sighting_count++ % m_still_sightings.size()] = { t, *seen, *ratio, centre_x, centre_y };
}

void Analyzer::replay_still_sightings(double start_cm, double cm_per_unit, double t)
{
    std::size_t n = std::min(m_still_sighting_count, m_still_sightings.size());
    std::size_t first = m_still_sighting_count - n;
    for (std::size_t i = first; i < m_still_sighting_count; ++i) {
        StillSighting const& s = m_still_sightings[i % m_still_sightings.size()];
        if (s.t < m_still_since)
            continue;  // before this still moment: the body was elsewhere
        double along = ((s.centre_x - m_reference.x) * m_axis_x + (s.centre_y - m_reference.y) * m_axis_y) * cm_per_unit;
        add_start_candidate(s.seen - (start_cm + along / m_reference_gain), s.ratio, t);
    }
    m_still_sighting_count = 0;
}

void Analyzer::add_start_candidate(double residual, double ratio, double t)
{
    kb::MotionThresholds const& limits = m_options.thresholds;
    std::size_t slot = m_roller_candidate_count % m_roller_candidates.size();
    m_roller_candidates[slot] = { residual, ratio };
    ++m_roller_candidate_count;
    std::size_t n = std::min(m_roller_candidate_count, m_roller_candidates.size());
    auto need = static_cast<std::size_t>(limits.roller_start_sightings);
    if (n < need)
        return;
    // The newest 2 x need sightings: their median, and how many lie near it (size and place).
    std::size_t window = std::min(n, 2 * need);
    std::array<double, 32> residuals {}, ratios {};
    for (std::size_t i = 0; i < window; ++i) {
        auto const& c = m_roller_candidates[(m_roller_candidate_count - 1 - i) % m_roller_candidates.size()];
        residuals[i] = c.first;
        ratios[i] = c.second;
    }
    auto median = [](std::array<double, 32> values, std::size_t count) {
        std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(count / 2), values.begin() + static_cast<std::ptrdiff_t>(count));
        return values[count / 2];
    };
    double residual_median = median(residuals, window), ratio_median = median(ratios, window);
    double residual_sum = 0, ratio_sum = 0;
    std::size_t agreeing = 0;
    for (std::size_t i = 0; i < window; ++i) {
        if (std::abs(residuals[i] - residual_median) <= limits.roller_agree_cm && std::abs(ratios[i] / ratio_median - 1) <= roller_depth_tolerance) {
            ++agreeing;
            residual_sum += residuals[i];
            ratio_sum += ratios[i];
        }
    }
    if (agreeing < need || std::abs(residual_median) > limits.roller_start_max_cm)
        return;
    m_roller_start_known = true;
    m_roller_bias = residual_sum / static_cast<double>(agreeing);
    m_roller_depth = ratio_sum / static_cast<double>(agreeing);
    m_roller_offset = 0;
    m_roller_seen = t;
    m_roller_disagreeing = 0;
    m_roller_slip = 0;
    m_slip_count = 0;
    m_roller_span_low = m_roller_span_high = m_roller_prev_reckoned;
}

std::optional<double> Analyzer::usable_roller_ratio(RollerSighting const& roller, double cm_per_unit) const
{
    // Under roller_weak_confidence a sighting does not count at all. The disc's size against the
    // roller's known size gives its depth ratio; a size no roller end could have is a misfind.
    kb::MotionThresholds const& limits = m_options.thresholds;
    bool weak = !(roller.confidence >= limits.roller_min_confidence);
    if (weak && !(limits.roller_weak_confidence > 0 && roller.confidence >= limits.roller_weak_confidence))
        return std::nullopt;
    double ratio = roller.radius / (roller_radius_cm / cm_per_unit);
    if (!(ratio > 0.7 && ratio < 2.0))
        return std::nullopt;
    return ratio;
}

void Analyzer::follow_roller(Posed const& posed, RollerSighting const& roller, double aspect, double cm_per_unit, double t, double reckoned, FrameAnalysis& out)
{
    kb::MotionThresholds const& limits = m_options.thresholds;
    // A sighting the finder is unsure of counts only where it agrees with what is already known
    // (below); under roller_weak_confidence, or with a size no roller end could have, not at all.
    auto usable = usable_roller_ratio(roller, cm_per_unit);
    if (!usable)
        return;
    bool weak = !(roller.confidence >= limits.roller_min_confidence);
    double ratio = *usable;
    if (!m_roller_start_known) {
        // Unsure sightings count here too: the offset still needs roller_start_sightings of them
        // agreeing on place and size, which misfinds scattered over the picture do not.
        learn_roller_start(posed, roller, aspect, cm_per_unit, t, reckoned, ratio, out);
        return;
    }
    // The camera does not move, so the depth ratio learnt at the start holds: a sighting whose
    // size is far from it is something else (the finder's radius alone varies by up to a
    // quarter from frame to frame at a 7 cm camera, tuning render slip_lumbar_e), and says
    // nothing about the estimate either way.
    if (std::abs(ratio / m_roller_depth - 1) > roller_size_tolerance)
        return;
    std::optional<double> seen = contact_from_roller(posed, roller, aspect, cm_per_unit, m_roller_depth);
    if (seen) {
        out.roller_seen = true;
        out.roller_contact_cm = *seen;
        *seen = with_lordosis(*seen - m_roller_bias);
        // A sighting far from the estimate counts only when the next one agrees with it: one
        // misfind (the roller's far end, a fold of clothing) must not move the contact.
        double innovation = *seen - reckoned - m_roller_offset;
        // An unsure sighting counts where it agrees with the estimate, or where the roller was
        // last seen in the picture (a slipping roller stays put there while the body moves on).
        bool in_place = t - m_roller_last_at < 1.0
            && std::hypot((roller.x - m_roller_last.x) * aspect, roller.y - m_roller_last.y) < roller_in_place_radii * m_roller_last.radius
            && std::abs(roller.radius / m_roller_last.radius - 1) < roller_in_place_size;
        if (weak && !in_place && std::abs(innovation) > limits.roller_agree_cm)
            return;
        bool agreed = m_roller_pending_at >= 0 && t - m_roller_pending_at < 1.0 && std::abs(*seen - m_roller_pending) < roller_confirm_cm;
        // The roller moves along the back only as the body travels over it (a roller stuck to the
        // floor moves the contact by the body's whole travel, which dead reckoning reads as half):
        // a jump larger than the body's travel since the last sighting that counted is something
        // else, however many sightings agree on it (a circle the finder is sure of where the
        // buttocks meet the floor, tuning render roll_fast_hips_f).
        if (std::abs(innovation) > roller_jump_cm + (m_roller_span_high - m_roller_span_low))
            agreed = false;
        if (std::abs(innovation) > roller_jump_cm && !agreed) {
            m_roller_pending = *seen;
            m_roller_pending_at = t;
        } else {
            double since = std::min(t - m_roller_seen, 1.0);
            double gain = since / (m_options.roller_follow_seconds + since);
            m_roller_offset += gain * innovation;
            learn_slip(t, reckoned, *seen);
            m_roller_span_low = m_roller_span_high = m_roller_prev_reckoned;
            m_roller_seen = t;
            m_roller_pending_at = -1;
            m_roller_disagreeing = 0;
            m_roller_last = roller;
            m_roller_last_at = t;
            out.roller_used = true;
            return;
        }
    }
    // Sightings that keep disagreeing with the estimate and with each other: the start offset
    // (or the depth) was learnt from something else. Forget it and go back to dead reckoning;
    // it is learnt again the next time the body is at its start.
    if (++m_roller_disagreeing >= 3 * static_cast<int>(limits.roller_start_sightings))
        forget_roller_start();
}

}
