// The motion analyser's numbers, read from data/knowledge/motion.toml.
//
// Every field has the default written in motion.toml, so a default-constructed MotionThresholds
// is what the analyser uses when nothing was loaded. load_knowledge_base() validates motion.toml
// when it is present (so nothing starts on a bad one); load_motion_thresholds() reads it, with the
// same checks and its source ids checked against sources.toml.
//
//   Result<MotionThresholds> t = load_motion_thresholds("data/knowledge");
//   if (!t) report(t.error());        // "motion.toml:12:1: [motion] lumbar_fraction ... (fix: ...)"
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rc::kb {

struct MotionThresholds {
    // A debounced check: the condition must last `lasts` seconds, and fires again only after
    // `repeats` seconds.
    struct Check {
        double lasts { 0.2 };
        double repeats { 8 };
    };

    double start_fraction { 0.43 };
    double lumbar_fraction { 0.709 };
    double neck_fraction { 0.05 };
    double too_fast_cm_s { 18 };
    double still_cm_s { 2 };
    double hold_start_seconds { 2 };
    double hold_end_seconds { 0.5 };
    double hold_good_seconds { 20 };
    double hold_too_long_seconds { 30 };
    double hold_reminder_seconds { 15 };
    double calibration_still_seconds { 0.8 };
    double calibration_still_cm { 1.5 };
    double head_unsupported_trunk_lengths { 0.5 };
    double hips_down_cm { 2.5 };
    double framing_bad_share { 0.6 };
    double clear_seconds { 1.0 };
    double angle_evidence_rise_deg { 1.5 };
    // Since any earlier frame, the trunk angle's lead over dead reckoning may have grown by at
    // most angle_evidence_travel_ratio cm per cm the body travelled since, plus
    // angle_evidence_travel_slack_cm (ratio 0 = no bound).
    double angle_evidence_travel_ratio { 1.5 };
    double angle_evidence_travel_slack_cm { 1 };
    // The hips are also down when, against the calibrated start, the trunk's reading of the
    // buttocks' height has dropped hips_drop_cm and the hips' height above the ankles
    // hips_drop_ankle_cm.
    double hips_drop_cm { 1.5 };
    double hips_drop_ankle_cm { 2 };
    // Roller sightings (the page's image finder): the least confidence one needs to count; the
    // start offset is learnt from this many sightings that agree within roller_agree_cm of
    // their median, taken while dead reckoning keeps the contact within roller_start_window_cm
    // of the start, and only if that offset is at most roller_start_max_cm.
    double roller_min_confidence { 0.5 };
    // A sighting between roller_weak_confidence and roller_min_confidence (unsure) counts only
    // where it agrees with what is known: toward the start offset, within roller_agree_cm of the
    // estimate, or where the roller was last seen in the picture (0 = unsure ones never count).
    double roller_weak_confidence { 0.1 };
    double roller_start_sightings { 5 };
    // How often the page looks for the roller outside the still start (seconds between looks);
    // the analyser does not use it, the footage scorer and the simulator thin sightings with it.
    double roller_look_interval_s { 0.15 };
    double roller_agree_cm { 3 };
    double roller_start_window_cm { 4 };
    double roller_start_max_cm { 12 };
    // The lumbar curve's correction to what a sighting shows, in cm per unit of C7-PSIS past
    // roller_lordosis_from_fraction.
    double roller_lordosis_cm_per_fraction { 14 };
    double roller_lordosis_from_fraction { 0.55 };
    Check lumbar { 0.0, 8 };
    Check neck { 0.2, 8 };
    Check too_fast { 0.3, 10 };
    Check head { 1.0, 15 };
    Check hips { 1.5, 15 };
    Check framing { 0.5, 10 };

    // Field name as written in motion.toml -> ids of its sources.
    std::map<std::string, std::vector<std::string>, std::less<>> source_ids;
};

}
