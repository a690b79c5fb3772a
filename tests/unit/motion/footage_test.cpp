#include "footage_evaluation.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace rc::motion;

namespace {

std::filesystem::path const footage { MOTION_FOOTAGE_DIR };

FootageReport scored(std::string const& set, std::string const& model, rc::kb::MotionThresholds const& thresholds = {},
    RollerCue roller = RollerCue::Ignored)
{
    FootageReport r = evaluate_footage(footage / set, model, thresholds, roller);
    std::cout << set << " / " << model << ":\n" << r.summary();
    return r;
}

// Dead reckoning alone (the analyser before the trunk-angle evidence), for the before/after.
rc::kb::MotionThresholds dead_reckoning_only()
{
    rc::kb::MotionThresholds t;
    t.angle_evidence_rise_deg = 0;
    return t;
}

}

// The targets on the held-out clips, landmarks alone. Since 2026-12-01 (issue 13, second
// fusion round) these are the three old held-out clips that were never diagnosed while tuning
// (roll_clean_b, roll_lumbar_b, roll_clean_d: rolling rollers, no sightings); the seven that
// were (the slipping ones and those with sightings) moved to tuning/, and the lead's sealed set
// is the held-out check of the fusion. Measured on the three: median 1.43 cm, p90 2.89 cm, the
// drift warned 0.24 s after crossing L1, no false warning (the targets, asserted as targets).
TEST(RenderedFootage, HeldOutClipsThroughTheLiteModelMeetTheTargets)
{
    FootageReport r = scored("heldout", "lite");
    ASSERT_GE(r.clips.size(), 3u);
    EXPECT_LE(r.contact_median_error_cm, 2.5);
    EXPECT_LE(r.contact_p90_error_cm, 5.0);
    EXPECT_GE(r.lumbar_episodes, 1);
    EXPECT_EQ(r.lumbar_detected, r.lumbar_episodes);
    EXPECT_LE(r.lumbar_median_latency_s, 0.7);
    EXPECT_GE(r.recognition_rate, 0.95);
    EXPECT_GE(r.lumbar_precision, 0.95);
    EXPECT_EQ(r.false_lumbar_or_neck_warnings, 0);
    EXPECT_EQ(r.clean_clips_without_false_warning, r.clean_clips);
    EXPECT_EQ(r.head_warnings_false, 0);
    EXPECT_EQ(r.hips_warnings_false, 0);
    EXPECT_EQ(r.fast_warnings_false, 0);
}

// The same three through the full model: median 1.46 cm, p90 2.76 cm, the drift warned 0.16 s
// after crossing L1, no false warning.
TEST(RenderedFootage, HeldOutClipsThroughTheFullModelMeetTheTargets)
{
    FootageReport r = scored("heldout", "full");
    ASSERT_GE(r.clips.size(), 3u);
    EXPECT_LE(r.contact_median_error_cm, 2.5);
    EXPECT_LE(r.contact_p90_error_cm, 5.0);
    EXPECT_EQ(r.lumbar_detected, r.lumbar_episodes);
    EXPECT_GE(r.recognition_rate, 0.95);
    EXPECT_GE(r.lumbar_precision, 0.95);
    EXPECT_EQ(r.false_lumbar_or_neck_warnings, 0);
    EXPECT_EQ(r.head_warnings_false, 0);
    EXPECT_EQ(r.hips_warnings_false, 0);
    EXPECT_EQ(r.fast_warnings_false, 0);
}

TEST(RenderedFootage, TuningClipsKeepWhatWasTunedOnThem)
{
    // What was tuned on them holds: the hands check, hips down against the user's own start
    // (roll_hips_g and roll_fast_hips_f: missed, with a false lumbar and a false too_fast,
    // before) and no false warnings. The slipping clips' lumbar drifts are still missed from
    // landmarks alone (docs/motion.md), so recall is not asserted.
    FootageReport r = scored("tuning", "lite");
    EXPECT_GE(r.clips.size(), 5u);
    EXPECT_EQ(r.hands_off_warned, r.hands_off_episodes);
    // tn_slip_lumbar_c's false head_unsupported (its visible elbow and wrist 0.46-0.48 trunk
    // lengths from the ears for a second) went with the threshold's move from 0.45 to 0.5.
    EXPECT_EQ(r.head_warnings_false, 0);
    // From landmarks alone, hips down is missed on three of the five tuning clips that have it
    // (tn_slip_hips_a, tn2_roll_hips_a, tn2_slip_hips_a: cameras 10-25 cm, where the hips' height
    // above the ankles does not drop), and the trunk-angle evidence then gives a false lumbar
    // warning on two of them. With the roller in sight all five are warned (next tests). The
    // bounds are what the clips give (docs/motion.md, third round). Since the lumbar warning fires
    // on the first frame past L1 (sixth round) there was a third: roll_fast_hips_f, whose hips
    // stay down, lost its hips-sinking reading for over a second, and the trunk-angle evidence
    // read 0.71 for two frames. Since the seventh round the evidence stays off after the hips
    // have sunk until the trunk is back to its start's angle, and that warning is gone.
    // The eighth round added six hips-down clips (tn3_*, cameras 6-32 cm): from landmarks alone
    // three of them are missed and three give a false lower-back warning (tn3_roll_hips_a, _b and
    // _e: the trunk steepens before the hips check sees them sink), and one a false too_fast
    // (tn3_roll_hips_a). Since the ninth round the trunk angle's lead over dead reckoning grows
    // only as the body travels (angle_evidence_travel_ratio), and all five are gone.
    EXPECT_EQ(r.false_lumbar_or_neck_warnings, 0);
    for (ClipScore const& c : r.clips)
        if (c.name == "roll_fast_hips_f") {
            EXPECT_EQ(c.lumbar_warnings, 0) << "its hips stay down; the steep trunk is theirs";
        }
    EXPECT_GE(r.hips_episodes, 5);
    EXPECT_GE(r.hips_warned, 2);
    EXPECT_EQ(r.hips_warnings_false, 0);
    EXPECT_LE(r.fast_warnings_false, 2);   // tn_slip_hips_a's and tn3_roll_hips_a's (found, not fixed)
}

// The ninth round: from landmarks alone (what the page sends when its finder sees no roller) the
// trunk angle's lead over dead reckoning may grow only as the body travels over the roller. A
// trunk that steepens with the body in place was the hips sinking unseen: ten false lower-back
// warnings over the tuning clips, the hips clips and sealed sets 1 and 9 (all seen before; the
// ratio was chosen on the tuning clips, where 1 to 2 scored the same). The bound takes them all
// away and loses no drift on any set; on the example it also stops the angle over-reading
// the slip (p90 9.2 -> 3.9 cm). Where it costs: p90 up to 1 cm worse on a few sets (a slip's depth
// is credited a little later).
TEST(RenderedFootage, FromLandmarksAloneATrunkSteepeningInPlaceGivesNoLowerBackWarning)
{
    rc::kb::MotionThresholds unbounded;
    unbounded.angle_evidence_travel_ratio = 0;
    int false_before = 0, false_after = 0, drifts_before = 0, drifts_after = 0;
    for (std::string set : { "tuning", "heldout", "heldout_fresh", "heldout_hips", "heldout_sealed", "heldout_sealed2", "heldout_sealed3",
             "heldout_sealed4", "heldout_sealed5", "heldout_sealed6", "heldout_sealed7", "heldout_sealed8", "heldout_sealed9" }) {
        FootageReport before = scored(set, "lite", unbounded);
        FootageReport after = scored(set, "lite");
        false_before += before.false_lumbar_or_neck_warnings;
        false_after += after.false_lumbar_or_neck_warnings;
        drifts_before += before.lumbar_detected;
        drifts_after += after.lumbar_detected;
        EXPECT_GE(after.lumbar_detected, before.lumbar_detected) << set;
        EXPECT_LE(after.contact_p90_error_cm, before.contact_p90_error_cm + 1.0) << set;
    }
    EXPECT_EQ(false_before, 10);
    EXPECT_EQ(false_after, 0);
    EXPECT_EQ(drifts_after, drifts_before);
    FootageReport slip_before = scored("example", "lite", unbounded);
    FootageReport slip_after = scored("example", "lite");
    EXPECT_EQ(slip_after.lumbar_detected, 1);
    EXPECT_LT(slip_after.contact_p90_error_cm, slip_before.contact_p90_error_cm - 3.0);
}

// The slipping-roller clip: the body slides over a roller that stays put, so dead
// reckoning alone reads half the travel.
TEST(RenderedFootage, TheSlippingRollerExampleIsScored)
{
    FootageReport r = scored("example", "lite");
    ASSERT_EQ(r.clips.size(), 1u);
    EXPECT_GE(r.lumbar_episodes, 1);
}

// The trunk-angle evidence must pay for itself: it fixes much of the slipping-roller clip (p90
// 14.9 -> 9.2 cm, the drift warned); on the held-out clips it gains no drift and, now that it
// stands down while the hips are down, costs no false warning (it cost one on roll_fast_hips_f
// before, and p90 6.57 -> 6.77 cm is what it costs now).
TEST(RenderedFootage, TrunkAngleEvidenceHelpsTheSlipAndCostsNoFalseWarningOnHeldOutClips)
{
    FootageReport slip_before = scored("example", "lite", dead_reckoning_only());
    FootageReport slip_after = scored("example", "lite");
    EXPECT_LT(slip_after.contact_p90_error_cm, slip_before.contact_p90_error_cm);
    EXPECT_GT(slip_after.lumbar_detected, slip_before.lumbar_detected);
    FootageReport before = scored("heldout", "lite", dead_reckoning_only());
    FootageReport after = scored("heldout", "lite");
    EXPECT_LE(after.contact_median_error_cm, before.contact_median_error_cm + 0.3);
    EXPECT_LE(after.contact_p90_error_cm, before.contact_p90_error_cm + 0.5);
    EXPECT_LE(after.false_lumbar_or_neck_warnings, before.false_lumbar_or_neck_warnings);
    EXPECT_LE(after.fast_warnings_false, before.fast_warnings_false);
}

// Posture recognition on renders of the other exercises (lat, glute, hip flexor, cat-cow; the
// thoracic and peanut rolls share the supine posture the back-roll clips above score). These
// clips were never used to tune the classifier.
TEST(RenderedFootage, EveryExerciseIsRecognisedOnItsRenders)
{
    for (std::string model : { "lite", "full" }) {
        auto scores = evaluate_recognition(footage / "exercises", model);
        EXPECT_GE(scores.size(), 5u) << model;
        for (RecognitionScore const& s : scores) {
            std::cout << "exercises / " << model << ": " << s.name << " (" << s.exercise << ") recognised in " << s.recognised << "/" << s.frames
                      << " frames" << (s.most_common_wrong.empty() ? "" : ", else mostly " + s.most_common_wrong) << "\n";
            EXPECT_GE(s.share(), 0.95) << s.name << " through " << model;
        }
    }
}

// The roller in the picture (the camera page's finder, tools/footage/roller_sightings.mjs) on the
// tuning clips that have sightings: evidence of where the roller is that dead reckoning lacks
// when the roller slips. The fusion was built and tuned on these clips; since 2026-12-01 they
// include the seven clips moved from heldout/ (docs/motion.md says why) and the tn_* renders
// made for the second round (low cameras, high and low starts, clean passes to T11-T12).
TEST(RenderedFootage, RollerSightingsCatchTheSlipOnTheTuningClips)
{
    FootageReport without = scored("tuning", "lite");
    FootageReport with = scored("tuning", "lite", {}, RollerCue::Used);
    auto clip = [](FootageReport const& r, std::string const& name) {
        return *std::find_if(r.clips.begin(), r.clips.end(), [&](ClipScore const& c) { return c.name == name; });
    };
    ClipScore before = clip(without, "slip_lumbar_a"), after = clip(with, "slip_lumbar_a");
    EXPECT_GT(after.roller_sightings, 50);
    EXPECT_LT(after.contact_median_error_cm, 2.0);   // 5.18 cm without
    EXPECT_LT(after.contact_median_error_cm, before.contact_median_error_cm);
    EXPECT_EQ(after.lumbar_detected, after.lumbar_episodes);
    // Measured 2026-12-01, third round (lite, 30 tuning clips, sightings on 29): median 1.37 cm,
    // p90 3.74 cm, drifts warned in time 13/15, precision 0.88, hips down 5/5; landmarks alone
    // 2.48 cm, 9.96 cm, 0/15, hips down 2/5. (Second round, 20 clips: 1.69 cm, 5.67 cm, 8/10,
    // 0.75.) The bounds are those values with a margin.
    EXPECT_GE(with.lumbar_detected, without.lumbar_detected + 12);
    // slip_lumbar_b (no start offset agreed) is missed; tn_slip_lumbar_b (start 0.48) is late.
    EXPECT_GE(with.lumbar_detected, with.lumbar_episodes - 2);
    EXPECT_LE(with.contact_median_error_cm, 1.6);
    EXPECT_LE(with.contact_p90_error_cm, 4.2);
    EXPECT_LT(with.contact_p90_error_cm, without.contact_p90_error_cm);
    EXPECT_EQ(clip(with, "slip_lumbar_e").lumbar_detected, 1);   // camera 7 cm high
    EXPECT_EQ(clip(with, "slip_lumbar_d").lumbar_detected, 1);   // two thirds of its good sightings unsure
    EXPECT_EQ(clip(with, "tn_slip_lumbar_a").lumbar_detected, 1);   // camera 6 cm high
    EXPECT_EQ(clip(with, "roll_neck_a").neck_true_warnings, 1);
    // Either witness warns (the sightings cannot take away the landmarks' neck warning). The two
    // false lumbar warnings come from the start the analyser assumes (0.43): tn_slip_clean_b
    // starts at 0.38 and tn2_roll_clean_a at 0.40, with deep passes to T11-T12. No false neck
    // warning.
    EXPECT_LE(with.false_lumbar_or_neck_warnings, 2);
    for (ClipScore const& c : with.clips)
        EXPECT_EQ(c.neck_warnings, c.neck_true_warnings) << c.name;
    // The trunk over the sighted contact; all but tn3_slip_hips_f (added in the eighth round,
    // missed with sightings too, at 12.5 and at 6 frames a second; not looked into yet).
    EXPECT_GE(with.hips_warned, with.hips_episodes - 1);
    EXPECT_GE(with.hips_episodes, 5);
    EXPECT_EQ(with.hips_warnings_false, 0);
    // roll_fast_hips_f's passes peak at 17.5-22 cm/s, over 18 for less than the check's 0.3 s:
    // the scorer counts no fast pass there, the analyser warns once.
    EXPECT_LE(with.fast_warnings_false, 1);
    EXPECT_EQ(with.head_warnings_false, 0);
}

// The fresh held-out clips (tests/data/footage/heldout_fresh), rendered after the fusion and the
// hips check had been changed and never looked at while doing so: the honest check of both.
TEST(RenderedFootage, SealedHeldOutClipsWithAndWithoutSightings)
{
    // Twelve clips rendered by the lead while the fusion's second round was tuned elsewhere, kept
    // out of the tuner's checkout and scored once, 2026-12-01, with the code frozen at f32093e
    // (tests/data/footage/README.md, "heldout_sealed"). What they gave is asserted: the targets
    // that held as targets, the others as bounds a regression would cross.
    FootageReport without = scored("heldout_sealed", "lite");
    FootageReport with = scored("heldout_sealed", "lite", {}, RollerCue::Used);
    ASSERT_EQ(with.clips.size(), 12u);
    EXPECT_EQ(with.lumbar_episodes, 6);
    EXPECT_EQ(with.clean_clips, 6);
    // Landmarks alone: median 2.38 cm, p90 10.60 cm, 1 of 6 drifts warned in time, one false
    // lumbar warning (roll_hips_i, hips down under a 10 cm camera, missed) and one false too_fast
    // there; since the ninth round (the angle's lead bounded by the travel) no false lumbar warning.
    EXPECT_LE(without.contact_median_error_cm, 2.5);
    EXPECT_LE(without.contact_p90_error_cm, 11.0);
    EXPECT_GE(without.lumbar_detected, 1);
    EXPECT_EQ(without.false_lumbar_or_neck_warnings, 0);
    EXPECT_GE(without.recognition_rate, 0.95);
    // With sightings: median 2.10 cm and p90 4.51 cm (targets met), 5 of 6 drifts warned in time
    // (roll_lumbar_e's late), precision 0.75: false lumbar warnings on roll_hips_i and on
    // slip_clean_j (a low start under a 5 cm camera). No false neck, head or too_fast warning.
    EXPECT_LE(with.contact_median_error_cm, 2.5);
    // Since the eighth round (the start offset from five agreeing sightings, not eight) the p90
    // with a sighting on every frame is 5.11 cm (4.42 before it); as the page looks, 4.98 cm.
    EXPECT_LE(with.contact_p90_error_cm, 5.2);
    EXPECT_LE(scored("heldout_sealed", "lite", {}, RollerCue::Page).contact_p90_error_cm, 5.0);
    EXPECT_GE(with.lumbar_detected, 5);
    EXPECT_LE(with.lumbar_median_latency_s, 0.7);
    EXPECT_GE(with.lumbar_precision, 0.74);
    EXPECT_LE(with.false_lumbar_or_neck_warnings, 2);
    EXPECT_EQ(with.fast_warnings_false + with.head_warnings_false + with.hips_warnings_false, 0);
    EXPECT_GE(with.recognition_rate, 0.95);
    // Sightings never take a warning away: every drift the landmarks warn, the fusion warns too.
    EXPECT_GE(with.lumbar_detected, without.lumbar_detected);
    // Re-scored with the third round's code (these clips had been seen by then, so this is not a
    // held-out score for it): median 1.61 cm, p90 4.42 cm, 5 of 6 in time and the sixth later,
    // precision 1.0, hips down 1 of 1, no false warning.
    EXPECT_EQ(with.lumbar_detected + with.lumbar_warned_late, with.lumbar_episodes);
    EXPECT_EQ(with.hips_warned, with.hips_episodes);
}

TEST(RenderedFootage, FreshHeldOutClipsWithAndWithoutSightings)
{
    FootageReport without = scored("heldout_fresh", "lite");
    FootageReport with = scored("heldout_fresh", "lite", {}, RollerCue::Used);
    ASSERT_GE(without.clips.size(), 2u);
    // Measured 2026-12-01 on slip_lumbar_f (slipping lumbar drift, camera 9 cm) and slip_clean_g
    // (clean slip, camera 45 cm; two thirds of its sightings under the confidence threshold).
    // Landmarks alone: median 2.69 cm, p90 9.45 cm, the drift missed (bounds), no false warning
    // (target). With sightings: median 0.88 cm, p90 2.75 cm, the drift warned in time, no false
    // warning: every target met on these two clips (asserted as targets). roll_hips_h (hips down,
    // rendered later with the sealed batch) keeps them: lite with sightings 1.07 / 2.74 cm.
    // Since roller_start_max_cm went from 10 to 12 cm (2026-12-02, the fifth round, to stop three
    // held-out slips' sightings being ignored), slip_clean_g's unsure sightings, about 10 cm from
    // where the assumed start expects them, set a start offset, and its deep clean pass gets a
    // false lower-back warning: precision 0.5 here. A missed drift was judged the worse failure.
    EXPECT_EQ(without.false_lumbar_or_neck_warnings, 0);
    EXPECT_EQ(without.hips_warnings_false, 0);
    EXPECT_EQ(without.fast_warnings_false, 0);
    EXPECT_LE(without.contact_median_error_cm, 3.0);
    EXPECT_LE(without.contact_p90_error_cm, 10.0);
    EXPECT_GE(with.lumbar_episodes, 1);
    EXPECT_LE(with.contact_median_error_cm, 2.5);
    EXPECT_LE(with.contact_p90_error_cm, 5.0);
    EXPECT_EQ(with.lumbar_detected, with.lumbar_episodes);
    EXPECT_LE(with.lumbar_median_latency_s, 0.7);
    EXPECT_GE(with.lumbar_precision, 0.5);
    EXPECT_LE(with.false_lumbar_or_neck_warnings, 1);
    EXPECT_EQ(with.hips_warned, with.hips_episodes);   // roll_hips_h
    EXPECT_EQ(with.fast_warnings_false + with.hips_warnings_false + with.head_warnings_false, 0);
}

// The second sealed set (tests/data/footage/heldout_sealed2, seeds 201-212): rendered in another
// checkout before the third round began and scored once, 2026-12-01, with the code frozen at
// e1e9e3f (docs/motion.md, "The third round"). What it gave is asserted: the targets that held as
// targets, the others as bounds a regression would cross.
TEST(RenderedFootage, SecondSealedSetWithAndWithoutSightings)
{
    FootageReport without = scored("heldout_sealed2", "lite");
    FootageReport with = scored("heldout_sealed2", "lite", {}, RollerCue::Used);
    ASSERT_EQ(with.clips.size(), 12u);
    EXPECT_EQ(with.lumbar_episodes, 6);
    EXPECT_EQ(with.clean_clips, 6);
    // Landmarks alone: median 2.30 cm, p90 9.59 cm, 1 of 6 drifts in time, no false warning.
    EXPECT_LE(without.contact_median_error_cm, 2.5);
    EXPECT_LE(without.contact_p90_error_cm, 10.0);
    EXPECT_GE(without.lumbar_detected, 1);
    EXPECT_EQ(without.false_lumbar_or_neck_warnings, 0);
    EXPECT_GE(without.recognition_rate, 0.95);
    // With sightings on every frame: median 1.89 cm (target met), p90 5.23 cm, 3 of 6 drifts in
    // time and the other 3 later, precision 0.75 (the two clean deep passes from low starts),
    // hips down 1 of 2, no false neck, head, too_fast or hips_down warning.
    EXPECT_LE(with.contact_median_error_cm, 2.0);
    EXPECT_LE(with.contact_p90_error_cm, 5.5);
    EXPECT_GE(with.lumbar_detected, 3);
    EXPECT_EQ(with.lumbar_detected + with.lumbar_warned_late, with.lumbar_episodes);
    EXPECT_GE(with.lumbar_precision, 0.74);
    EXPECT_LE(with.false_lumbar_or_neck_warnings, 2);
    EXPECT_GE(with.hips_warned, 1);
    EXPECT_EQ(with.fast_warnings_false + with.head_warnings_false + with.hips_warnings_false, 0);
    for (ClipScore const& c : with.clips)
        EXPECT_EQ(c.neck_warnings, c.neck_true_warnings) << c.name;
    EXPECT_GE(with.lumbar_detected, without.lumbar_detected);
}

// The fourth sealed set (tests/data/footage/heldout_sealed4, seeds 501-512): rendered after the
// second and third sets had been scored and looked at, and scored once with the final code
// (5513e9c). Nothing was changed after. What it gave is asserted.
TEST(RenderedFootage, FourthSealedSetWithAndWithoutSightings)
{
    FootageReport without = scored("heldout_sealed4", "lite");
    FootageReport with = scored("heldout_sealed4", "lite", {}, RollerCue::Used);
    ASSERT_EQ(with.clips.size(), 12u);
    EXPECT_EQ(with.lumbar_episodes, 6);
    EXPECT_EQ(with.clean_clips, 6);
    // Landmarks alone: median 2.48 cm, p90 9.70 cm, no drift in time (one later), no false
    // warning, hips down missed (slip_hips_d, camera 15 cm, slipping roller).
    EXPECT_LE(without.contact_median_error_cm, 2.5);
    EXPECT_LE(without.contact_p90_error_cm, 10.0);
    EXPECT_EQ(without.false_lumbar_or_neck_warnings, 0);
    // With sightings on every frame: median 1.05 cm, p90 2.79 cm, all six drifts in time
    // (median 0.24 s): targets met. Precision 0.75: the two clean deep passes from low starts
    // (roll_clean_j 0.41, slip_clean_q 0.38). Hips down missed on slip_hips_d.
    EXPECT_LE(with.contact_median_error_cm, 2.5);
    EXPECT_LE(with.contact_p90_error_cm, 5.0);
    EXPECT_EQ(with.lumbar_detected, with.lumbar_episodes);
    EXPECT_LE(with.lumbar_median_latency_s, 0.7);
    EXPECT_GE(with.lumbar_precision, 0.74);
    EXPECT_LE(with.false_lumbar_or_neck_warnings, 2);
    EXPECT_EQ(with.fast_warnings_false + with.head_warnings_false + with.hips_warnings_false, 0);
    for (ClipScore const& c : with.clips)
        EXPECT_EQ(c.neck_warnings, c.neck_true_warnings) << c.name;
    EXPECT_GE(with.recognition_rate, 0.95);
}

// What the last two sealed sets (seven drifts and five clips without one each) gave with the
// sightings as the page takes them, asserted alike: the reading targets as targets, the warnings
// as bounds a regression would cross. Each test adds what is its own.
namespace {

void expect_as_the_page_looked_at_a_sealed_set(FootageReport const& page)
{
    ASSERT_EQ(page.clips.size(), 12u);
    EXPECT_EQ(page.lumbar_episodes, 7);
    EXPECT_EQ(page.clean_clips, 5);
    EXPECT_LE(page.contact_median_error_cm, 2.5);
    EXPECT_LE(page.contact_p90_error_cm, 5.0);
    EXPECT_GE(page.lumbar_detected, 5);
    EXPECT_EQ(page.lumbar_detected + page.lumbar_warned_late, page.lumbar_episodes);
    EXPECT_LE(page.lumbar_median_latency_s, 0.7);
    EXPECT_GE(page.lumbar_precision, 0.85);
    EXPECT_LE(page.false_lumbar_or_neck_warnings, 1);
    EXPECT_EQ(page.hips_warned, page.hips_episodes);
    EXPECT_EQ(page.fast_warnings_false + page.head_warnings_false + page.hips_warnings_false, 0);
    for (ClipScore const& c : page.clips)
        EXPECT_EQ(c.neck_warnings, c.neck_true_warnings) << c.name;
    EXPECT_GE(page.recognition_rate, 0.95);
}

}

// The fifth sealed set (tests/data/footage/heldout_sealed5, seeds 601-612): rendered in another
// checkout while the fourth round (the page's cadence, the still start's sightings) was made, and
// scored once with its code (20714f7). Seven drifts, five on slipping rollers; five without (two
// clean deep passes, one from a 0.37 start; hips down; a clean slip).
TEST(RenderedFootage, FifthSealedSetAsThePageLooksForTheRoller)
{
    FootageReport without = scored("heldout_sealed5", "lite");
    FootageReport every = scored("heldout_sealed5", "lite", {}, RollerCue::Used);
    FootageReport page = scored("heldout_sealed5", "lite", {}, RollerCue::Page);
    FootageReport third = scored("heldout_sealed5", "lite", {}, RollerCue::Third);
    // Landmarks alone: median 2.89 cm, p90 10.81 cm, 1 of 7 drifts in time, no false warning.
    EXPECT_LE(without.contact_median_error_cm, 3.0);
    EXPECT_LE(without.contact_p90_error_cm, 11.0);
    EXPECT_EQ(without.false_lumbar_or_neck_warnings, 0);
    // As the page now looks (every third frame, every frame while the start is learnt): median
    // 1.90 cm, p90 4.36 cm (targets met), 5 of 7 drifts in time and the other 2 later
    // (roll_lumbar_m and slip_lumbar_x, starts 0.47 and 0.46), precision 0.88 (slip_clean_r, a
    // deep pass from a 0.37 start), hips down 1 of 1. The same as sightings on every frame
    // (1.82 cm, 4.19 cm, 5/7, 0.88); every third frame throughout: 1.91 cm, 4.79 cm, 3/7 (3
    // later, 1 missed), 0.86.
    // Since the eighth round (a look every 150 ms, the start offset from five agreeing sightings):
    // as the page looks 1.83 cm, 4.24 cm, 6 of 7 in time, the seventh later, precision 0.88;
    // every third frame throughout 1.94 cm, 4.63 cm, 5 of 7 (2 later), 0.88.
    expect_as_the_page_looked_at_a_sealed_set(page);
    EXPECT_GE(page.lumbar_detected, third.lumbar_detected + 1);
    EXPECT_GE(every.lumbar_detected, 5);
    EXPECT_LE(every.contact_p90_error_cm, 5.0);
}

// The sixth sealed set (tests/data/footage/heldout_sealed6, seeds 701-712): rendered in another
// checkout after the fifth was scored, and scored once with the round's final code (787320b),
// which also stops asking for sightings 5 s after the calibration. Seven drifts, five on
// slipping rollers, starts 0.38-0.49; five without.
TEST(RenderedFootage, SixthSealedSetAsThePageLooksForTheRoller)
{
    FootageReport without = scored("heldout_sealed6", "lite");
    FootageReport page = scored("heldout_sealed6", "lite", {}, RollerCue::Page);
    FootageReport third = scored("heldout_sealed6", "lite", {}, RollerCue::Third);
    // Landmarks alone: median 2.45 cm, p90 10.54 cm, 2 of 7 drifts in time, no false warning,
    // hips down missed. Since the ninth round (the trunk angle's lead grows only as the body
    // travels) 2.41 cm and 11.14 cm: a slip's depth is credited a little later; the same drifts.
    EXPECT_LE(without.contact_median_error_cm, 2.5);
    EXPECT_LE(without.contact_p90_error_cm, 11.5);
    EXPECT_EQ(without.false_lumbar_or_neck_warnings, 0);
    // As the page looks: median 1.80 cm, p90 4.59 cm (targets met), 5 of 7 drifts in time and the
    // other 2 later (slip_lumbar_ad and slip_lumbar_af, starts 0.47 and 0.49), precision 0.88
    // (slip_clean_u, a deep pass from a 0.41 start), hips down 1 of 1. Every third frame
    // throughout: 2.18 cm, 6.61 cm, 4/7 (1 later, 2 missed), 0.83, hips down missed.
    // Since the eighth round: as the page looks 1.76 cm, 4.49 cm, 6 of 7 in time, the seventh
    // later, precision 0.88, hips down 1 of 1; every third frame throughout 1.93 cm, 4.86 cm, 6 of
    // 7 (the seventh missed), 0.75, hips down missed.
    expect_as_the_page_looked_at_a_sealed_set(page);
    EXPECT_GT(page.lumbar_detected + page.lumbar_warned_late, third.lumbar_detected + third.lumbar_warned_late);
    EXPECT_GT(page.hips_warned, third.hips_warned);
    EXPECT_LT(page.contact_p90_error_cm, third.contact_p90_error_cm);
}

namespace {

// A replay folder (tools/footage/replay_page.mjs's output) made here: one clip's truth moved 2 s
// later (the held still start) and what the server would have said, one line per truth frame with
// the true contact plus `offset`, lines for the held start, and the lumbar warnings at the given
// clip times.
std::filesystem::path replay_of(std::string const& name, double offset, std::vector<double> const& lumbar_at)
{
    double const start = 2.0;
    auto dir = std::filesystem::temp_directory_path() / ("rc-replay-test-" + name + "-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ifstream in(footage / "heldout_sealed6" / (name + ".truth.json"));
    auto truth = nlohmann::json::parse(in);
    std::ofstream out(dir / (name + ".replay.jsonl"));
    // The held start: far off the truth, and not counted.
    for (double t = 0; t < start; t += 0.5)
        out << nlohmann::json { { "t", t }, { "contact_known", true }, { "fraction", 0.9 }, { "findings", nlohmann::json::array() } }.dump() << "\n";
    std::vector<double> pending = lumbar_at;
    for (auto& f : truth["frames"]) {
        double t = f["t"].get<double>();
        f["t"] = t + start;
        auto findings = nlohmann::json::array();
        if (!pending.empty() && pending.front() <= t + 1e-9) {
            findings.push_back("lumbar_contact");
            pending.erase(pending.begin());
        }
        out << nlohmann::json { { "t", t + start }, { "contact_known", true }, { "fraction", f["contact_frac_c7_psis"].get<double>() + offset }, { "findings", findings },
                   { "sighting", false } }.dump() << "\n";
    }
    std::ofstream(dir / (name + ".truth.json")) << truth.dump();
    return dir;
}

double first_lumbar_crossing(std::string const& name)
{
    std::ifstream in(footage / "heldout_sealed6" / (name + ".truth.json"));
    auto truth = nlohmann::json::parse(in);
    for (auto const& f : truth["frames"])
        if (f["contact_frac_c7_psis"].get<double>() >= 0.709)
            return f["t"].get<double>();
    return -1;
}

}

// The replay scorer reads what the server told the page and applies the same rules as the
// analyser's own runs: contact errors over the clip's frames only, a drift warned in time within
// 0.7 s of crossing L1, a warning far from any lumbar contact false.
TEST(RenderedFootage, AReplayIsScoredOnWhatTheServerSaid)
{
    std::string const drift = "slip_lumbar_ab";
    double crossing = first_lumbar_crossing(drift);
    ASSERT_GT(crossing, 1.0);
    {
        auto dir = replay_of(drift, 0.02, { crossing + 0.3 });
        FootageReport r = evaluate_replay(dir);
        ASSERT_EQ(r.clips.size(), 1u);
        EXPECT_EQ(r.clips[0].frames_with_contact, 100) << "the held start is not the clip";
        EXPECT_NEAR(r.contact_median_error_cm, 0.02 * 48.32, 0.01);
        EXPECT_EQ(r.lumbar_episodes, 1);
        EXPECT_EQ(r.lumbar_detected, 1);
        EXPECT_DOUBLE_EQ(r.lumbar_precision, 1.0);
        EXPECT_FALSE(r.recognition_measured);
        std::filesystem::remove_all(dir);
    }
    {
        // Late (1.2 s after the crossing), and one warning during the still start: false.
        auto dir = replay_of(drift, 0, { 0.5, crossing + 1.2 });
        FootageReport r = evaluate_replay(dir);
        EXPECT_EQ(r.lumbar_detected, 0);
        EXPECT_EQ(r.lumbar_warned_late, 1);
        EXPECT_EQ(r.false_lumbar_or_neck_warnings, 1);
        EXPECT_DOUBLE_EQ(r.lumbar_precision, 0.5);
        EXPECT_EQ(r.contact_median_error_cm, 0);
        std::filesystem::remove_all(dir);
    }
}

namespace {

// What a sealed set's report keeps, offline or as deployed: its seven drifts, the contact targets,
// at least `in_time` drifts warned within 0.7 s and `warned` warned at all, the precision, at most
// `false_warnings` false lumbar or neck warnings, every hips-down warned, no false too-fast,
// head or hips warning and no false neck warning on any clip.
struct SealedBounds {
    int in_time;
    int warned;
    double precision;
    int false_warnings;
};

void expect_sealed_bounds(FootageReport const& r, std::string const& label, SealedBounds b)
{
    EXPECT_EQ(r.lumbar_episodes, 7) << label;
    EXPECT_LE(r.contact_median_error_cm, 2.5) << label;
    EXPECT_LE(r.contact_p90_error_cm, 5.0) << label;
    EXPECT_GE(r.lumbar_detected, b.in_time) << label;
    EXPECT_GE(r.lumbar_detected + r.lumbar_warned_late, b.warned) << label;
    EXPECT_GE(r.lumbar_precision, b.precision) << label;
    EXPECT_LE(r.false_lumbar_or_neck_warnings, b.false_warnings) << label;
    EXPECT_EQ(r.hips_warned, r.hips_episodes) << label << ": with the user's height the hips-down is warned";
    EXPECT_EQ(r.fast_warnings_false + r.head_warnings_false + r.hips_warnings_false, 0) << label;
    for (ClipScore const& c : r.clips)
        EXPECT_EQ(c.neck_warnings, c.neck_true_warnings) << label << " " << c.name;
}

}

// The fifth and sixth sealed sets played through the web app as deployed (make footage-replay,
// tests/data/footage/replay_sealed5 and replay_sealed6, 2026-12-02): Chromium's fake camera played
// each clip to the page, whose own pose model and roller finder ran at the pace this machine
// allowed (42-66 of each clip's 100 frames), with the body's height typed into the camera
// settings; `rollcoach serve` analysed what the page sent. Nothing was tuned on these runs.
// What the server said: 11 of 14 drifts warned within 0.7 s, the other three later (starts
// 0.47-0.49), none missed; precision 0.88 (the deep clean passes of slip_clean_r and
// slip_clean_u, starts 0.37 and 0.41); median 1.74 cm, p90 3.87 cm; hips down 2 of 2. The page's
// frames analysed again here give the same. Without the height (170 cm assumed, as the page sent
// before it had the setting) the sixth set's hips-down (a 163 cm body) was missed.
TEST(RenderedFootage, FifthAndSixthSealedSetsPlayedThroughTheWebAppAsDeployed)
{
    int detected = 0, episodes = 0;
    for (std::string const set : { "replay_sealed5", "replay_sealed6" }) {
        FootageReport said = evaluate_replay(footage / set);
        std::cout << set << " / what the server said:\n" << said.summary();
        FootageReport again = scored(set, "page");
        ASSERT_EQ(said.clips.size(), 12u) << set;
        for (FootageReport const* r : { &said, &again }) {
            // None missed: all seven warned, five of them in time.
            expect_sealed_bounds(*r, set, { .in_time = 5, .warned = 7, .precision = 0.85, .false_warnings = 1 });
            EXPECT_EQ(r->hips_episodes, 1) << set;
            for (ClipScore const& c : r->clips)
                EXPECT_GE(c.frames_with_contact, 30) << set << " " << c.name << ": the page analysed too few frames to judge";
        }
        EXPECT_GE(again.recognition_rate, 0.95) << set;
        detected += said.lumbar_detected;
        episodes += said.lumbar_episodes;
    }
    EXPECT_GE(detected, 11) << "of " << episodes;
}

// A sealed set scored the three ways it was deployed: offline with sightings as the page looks,
// what the server said when the set was played through the web app (replay_<set>), and the
// page's own frames analysed again here.
struct SealedScores {
    FootageReport page, said, again;
};

SealedScores score_sealed(std::string const& set, std::string const& replay)
{
    SealedScores s { scored(set, "lite", {}, RollerCue::Page), evaluate_replay(footage / replay), scored(replay, "page") };
    std::cout << replay << " / what the server said:\n" << s.said.summary();
    EXPECT_EQ(s.page.clips.size(), 12u) << set;
    EXPECT_EQ(s.said.clips.size(), 12u) << replay;
    return s;
}

// The seventh sealed set (tests/data/footage/heldout_sealed7, seeds 801-812, starts and cameras
// drawn at random): rendered in a checkout of its own after roller_start_max_cm went from 10 to
// 12 cm (the fifth round), and scored once, offline and played through the web app as deployed
// (replay_sealed7), 2026-12-02. No clip's start offset came near either limit, so the change
// neither helped nor hurt here. Offline as the page looks: median 1.85 cm, p90 3.91 cm, 6 of 7
// drifts in time, slip_lumbar_ak (start 0.49) missed, precision 0.86 (slip_clean_x, a deep pass
// from 0.37), hips down 1 of 1. As deployed: 1.73 / 3.53 cm, 5 of 7 in time, slip_lumbar_ai
// (start 0.49) later and slip_lumbar_ak missed, precision 0.75 (slip_clean_x and roll_clean_o,
// deep passes from 0.37 and 0.39), hips down 1 of 1: the starts nothing measures, at both ends.
TEST(RenderedFootage, SeventhSealedSetOfflineAndAsDeployed)
{
    auto [page, said, again] = score_sealed("heldout_sealed7", "replay_sealed7");
    ASSERT_EQ(page.clips.size(), 12u);
    ASSERT_EQ(said.clips.size(), 12u);
    // At most one drift missed.
    expect_sealed_bounds(page, "offline", { .in_time = 5, .warned = 6, .precision = 0.75, .false_warnings = 2 });
    expect_sealed_bounds(said, "what the server said", { .in_time = 5, .warned = 6, .precision = 0.75, .false_warnings = 2 });
    expect_sealed_bounds(again, "the page's frames again", { .in_time = 5, .warned = 6, .precision = 0.75, .false_warnings = 2 });
    // Since the eighth round, offline: 6 of 7 in time as before, but precision 0.75 (roll_clean_o,
    // a deep pass from 0.39, is warned too, as it was as deployed).
    EXPECT_GE(page.lumbar_detected, 6);
    EXPECT_GE(page.lumbar_precision, 0.75);
    EXPECT_GE(page.recognition_rate, 0.95);
}

// The ceiling of any analyser that does not know where on the back the user started (sixth round,
// 2026-12-02): a reader that sees every sealed clip's true contact exactly but, as the analyser
// must, takes the still start for 0.43 of C7-PSIS. Warning at L1, as the analyser does, it warns
// all 45 drifts of sets 1-7 within 0.7 s and still gives a false lower-back warning on 4 of the 38
// clean clips (deep passes from low starts, read 2-3 cm long): precision 0.92, under the
// target. Warning 1 cm further down (0.73 of C7-PSIS) the same reader meets both targets on sets
// 1-8 (recall 0.98, precision 0.98): the targets are not out of reach without the start, but they
// leave about a centimetre for every other error, and this analyser's reading toward the lumbar
// spine is off by more (docs/motion.md, sixth round: moved to 0.73 it warns 36 of 52 in time).
// The lower-back warning's counts summed over several sets' reports.
struct WarningTally {
    int episodes = 0, detected = 0, false_warnings = 0, clean = 0, clean_warned = 0, warnings = 0, true_warnings = 0;
    void add(FootageReport const& r)
    {
        episodes += r.lumbar_episodes;
        detected += r.lumbar_detected;
        false_warnings += r.false_lumbar_or_neck_warnings;
        clean += r.clean_clips;
        clean_warned += r.clean_clips - r.clean_clips_without_false_warning;
        for (ClipScore const& c : r.clips) {
            warnings += c.lumbar_warnings;
            true_warnings += c.lumbar_true_warnings;
        }
    }
};

TEST(RenderedFootage, AReaderBlindToTheStartNeedsTheContactWithinACentimetre)
{
    std::vector<std::string> const sets { "heldout_sealed", "heldout_sealed2", "heldout_sealed3", "heldout_sealed4", "heldout_sealed5", "heldout_sealed6", "heldout_sealed7" };
    WarningTally at_l1;
    for (std::string const& set : sets) {
        FootageReport r = evaluate_start_blind(footage / set);
        at_l1.add(r);
        for (ClipScore const& c : r.clips)
            EXPECT_EQ(c.neck_warnings, c.neck_true_warnings) << set << " " << c.name;
        // The offset is its only error: a clip that started at 0.43 is read exactly.
        for (ClipScore const& c : r.clips) {
            auto meta = nlohmann::json::parse(std::ifstream(footage / set / (c.name + ".truth.json")))["meta"];
            if (std::abs(meta["start_fraction"].get<double>() - 0.43) < 1e-9) {
                EXPECT_EQ(c.contact_median_error_cm, 0) << set << " " << c.name;
            }
        }
    }
    EXPECT_EQ(at_l1.episodes, 45);
    EXPECT_EQ(at_l1.detected, 45) << "every drift can be warned in time without knowing the start";
    EXPECT_EQ(at_l1.clean, 38);
    EXPECT_EQ(at_l1.clean_warned, 4);
    EXPECT_EQ(at_l1.false_warnings, 4);
    EXPECT_LT(static_cast<double>(at_l1.true_warnings) / at_l1.warnings, 0.95) << "warning at L1, precision stays under the target";

    // Measuring the start a little (seventh round: the roller's picture, were the camera's yaw
    // known, would take its error from 1.7 to 1.4 cm SD) is not enough at L1; about two thirds
    // of the error must go.
    WarningTally better, much_better;
    for (std::string const& set : sets) {
        better.add(evaluate_start_blind(footage / set, {}, 0.82));
        much_better.add(evaluate_start_blind(footage / set, {}, 0.6));
    }
    EXPECT_EQ(better.detected, 45);
    EXPECT_LT(static_cast<double>(better.true_warnings) / better.warnings, 0.95);
    EXPECT_GE(static_cast<double>(much_better.true_warnings) / much_better.warnings, 0.95);

    // The same reader warning 1 cm past L1, on sets 1-8.
    rc::kb::MotionThresholds later;
    later.lumbar_fraction = 0.73;
    WarningTally past_l1;
    for (std::string const& set : { sets[0], sets[1], sets[2], sets[3], sets[4], sets[5], sets[6], std::string("heldout_sealed8") })
        past_l1.add(evaluate_start_blind(footage / set, later));
    EXPECT_EQ(past_l1.episodes, 52);
    EXPECT_GE(static_cast<double>(past_l1.detected) / past_l1.episodes, 0.95);
    EXPECT_GE(static_cast<double>(past_l1.true_warnings) / past_l1.warnings, 0.95);
}

// The page on 2 cores analysed 5-8 frames a second, not the renders' 12.5 (sixth round,
// 2026-12-02): sets 5-7 analysed offline at 6 frames/s, sightings as the page looks. Measured:
// 16 of 21 drifts in time (17 at 12.5 frames/s), median 1.85-1.92 cm; hips down 1 of 3 (3 of 3
// at 12.5, and 3 of 3 as deployed, where the replay's held start gave the analyser four more
// seconds of stillness). On the tuning clips 6 frames/s loses four slips whose start offset is no
// longer learnt in the renders' 2 s still start (13 of 15 in time to 9). The bounds are what it
// reaches.
TEST(RenderedFootage, AtThePagesFrameRateTheAnalysisHoldsOnTheLatestSealedSets)
{
    int in_time = 0, episodes = 0;
    for (std::string const set : { "heldout_sealed5", "heldout_sealed6", "heldout_sealed7" }) {
        FootageReport every = evaluate_footage(footage / set, "lite", {}, RollerCue::Page);
        FootageReport six = evaluate_footage(footage / set, "lite", {}, RollerCue::Page, true, 6.0);
        std::cout << set << " at 6 frames/s:\n" << six.summary();
        ASSERT_EQ(six.clips.size(), every.clips.size());
        for (std::size_t i = 0; i < six.clips.size(); ++i) {
            EXPECT_LE(six.clips[i].frames, every.clips[i].frames / 2 + 1) << set << " " << six.clips[i].name;
            EXPECT_GE(six.clips[i].frames, every.clips[i].frames / 2 - 1) << set << " " << six.clips[i].name;
        }
        EXPECT_LE(six.contact_median_error_cm, 2.5) << set;
        EXPECT_LE(six.contact_p90_error_cm, 5.0) << set;
        EXPECT_LE(six.false_lumbar_or_neck_warnings, 1) << set;
        in_time += six.lumbar_detected;
        episodes += six.lumbar_episodes;
    }
    EXPECT_EQ(episodes, 21);
    EXPECT_GE(in_time, 16);
}

// The eighth sealed set (tests/data/footage/heldout_sealed8, seeds 901-912, starts and cameras
// drawn at random): rendered in a checkout of its own at the start of the sixth round, not looked
// at until the round's one change (the lumbar warning on the first frame past L1) was committed,
// then scored once, offline and played through the web app as deployed (replay_sealed8; the page
// reached 74-86 of each clip's 100 frames), 2026-12-02. Offline as the page looks: median
// 2.06 cm, p90 4.88 cm, 6 of 7 drifts in time (4 with the fifth round's 0.1 s debounce, the
// other two later), roll_lumbar_r (start 0.48, camera 6 cm) missed, no false warning, hips down
// 1 of 1. As deployed: 2.10 / 4.44 cm, 5 of 7 in time (slip_lumbar_al 0.87 s after crossing L1,
// roll_lumbar_r missed), no false warning, hips down 1 of 1; the page's frames analysed again
// here give 6 of 7 (5 with the 0.1 s debounce). Its draw had one deep pass from a low start
// (slip_clean_ab, 0.38), and the start-blind ceiling gives no false warning on it.
TEST(RenderedFootage, EighthSealedSetOfflineAndAsDeployed)
{
    auto [page, said, again] = score_sealed("heldout_sealed8", "replay_sealed8");
    ASSERT_EQ(page.clips.size(), 12u);
    ASSERT_EQ(said.clips.size(), 12u);
    rc::kb::MotionThresholds fifth_round;
    fifth_round.lumbar.lasts = 0.1;
    FootageReport before = scored("heldout_sealed8", "lite", fifth_round, RollerCue::Page);
    // Since the eighth round, offline: 5 of 7 in time and both others later (slip_lumbar_al
    // 0.72 s after crossing L1; roll_lumbar_r, missed before), no false warning; the fifth round's
    // debounce gives 5 of 7 in time as well now.
    expect_sealed_bounds(page, "offline", { .in_time = 5, .warned = 7, .precision = 1.0, .false_warnings = 0 });
    expect_sealed_bounds(said, "what the server said", { .in_time = 5, .warned = 6, .precision = 1.0, .false_warnings = 0 });
    expect_sealed_bounds(again, "the page's frames again", { .in_time = 6, .warned = 6, .precision = 1.0, .false_warnings = 0 });
    EXPECT_EQ(before.lumbar_detected, 5) << "the fifth round's debounce, side by side";
    EXPECT_GE(page.lumbar_detected, before.lumbar_detected);
    EXPECT_EQ(page.false_lumbar_or_neck_warnings, before.false_lumbar_or_neck_warnings);
    EXPECT_GE(page.recognition_rate, 0.95);
    for (ClipScore const& c : said.clips)
        EXPECT_GE(c.frames_with_contact, 30) << c.name << ": the page analysed too few frames to judge";
}

// The ninth sealed set (tests/data/footage/heldout_sealed9, seeds 1001-1012, starts and cameras
// drawn at random): rendered in a checkout of its own at the start of the eighth round, not
// looked at until the round's code was final (12e1e82: the page looks every 150 ms, the start
// offset from five agreeing sightings), then scored once, offline and played through the web
// app as deployed, both as it is (replay_sealed9) and with the page and knowledge as they were
// (replay_sealed9_every_third: every third frame, eight sightings; same server binary, whose
// span guard alone changes nothing on any clip), one after the other at a load of 1-3,
// 2026-12-02. Offline as the page looks: median 1.79 cm, p90 3.87 cm, 7 of 7 drifts in time,
// precision 0.88 (roll_clean_q, a deep pass from 0.38, which the start-blind reader warns too),
// hips down 1 of 1; the code before gave the same counts. As deployed: 1.57 / 3.15 cm, 7 of 7,
// 0.88, hips 1 of 1; as it was: 1.52 / 3.54 cm, the same counts. The draw left the change nothing
// to win here. The page sent 889 frames against 1,054 as it was: the finder on every frame at
// the page's pace costs about a sixth of its frames.
TEST(RenderedFootage, NinthSealedSetOfflineAndAsDeployed)
{
    auto [page, said, again] = score_sealed("heldout_sealed9", "replay_sealed9");
    FootageReport before = evaluate_replay(footage / "replay_sealed9_every_third");
    expect_sealed_bounds(page, "offline", { .in_time = 7, .warned = 7, .precision = 0.85, .false_warnings = 1 });
    expect_sealed_bounds(said, "what the server said", { .in_time = 7, .warned = 7, .precision = 0.85, .false_warnings = 1 });
    expect_sealed_bounds(again, "the page's frames again", { .in_time = 7, .warned = 7, .precision = 0.85, .false_warnings = 1 });
    expect_sealed_bounds(before, "as it was", { .in_time = 7, .warned = 7, .precision = 0.85, .false_warnings = 1 });
    EXPECT_EQ(before.clips.size(), 12u);
    for (ClipScore const& c : said.clips)
        EXPECT_GE(c.frames_with_contact, 30) << c.name << ": the page analysed too few frames to judge";
}

// Six held-out hips-down clips (tests/data/footage/heldout_hips, drawn with six tuning ones,
// tn3_*, by random.Random(2026120210); eighth round, not looked at until its code was final),
// scored once. As deployed, as it is (replay_hips) and as it was (replay_hips_every_third): hips
// down 5 of 6 both ways and no false warning; roll_hips_hd (camera 35 cm) is missed every way.
// Offline as the page looks, 5 of 6 either way at 12.5 frames a second; at 6 frames a second 4
// of 6 and one false lower-back warning with the new code (roll_hips_hb, its hips missed and its
// steep trunk read as the lumbar spine), 5 of 6 with the old: one clip traded back and forth,
// which on six clips is noise, not evidence either way.
TEST(RenderedFootage, HeldOutHipsDownOfflineAndAsDeployed)
{
    FootageReport said = evaluate_replay(footage / "replay_hips");
    FootageReport before = evaluate_replay(footage / "replay_hips_every_third");
    FootageReport page = scored("heldout_hips", "lite", {}, RollerCue::Page);
    FootageReport six = evaluate_footage(footage / "heldout_hips", "lite", {}, RollerCue::Page, true, 6.0);
    ASSERT_EQ(said.clips.size(), 6u);
    EXPECT_EQ(said.hips_episodes, 6);
    EXPECT_GE(said.hips_warned, 5);
    EXPECT_GE(before.hips_warned, 5);
    EXPECT_GE(page.hips_warned, 5);
    EXPECT_GE(six.hips_warned, 4);
    EXPECT_LE(six.false_lumbar_or_neck_warnings, 1);
    for (FootageReport const* r : { &said, &before, &page })
        EXPECT_EQ(r->false_lumbar_or_neck_warnings, 0);
    for (FootageReport const* r : { &said, &before, &page, &six })
        EXPECT_EQ(r->hips_warnings_false + r->fast_warnings_false + r->head_warnings_false, 0);
}
