#include "footage_evaluation.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <iostream>

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

// The targets on the held-out clips (never used to tune), landmarks alone. Where the
// analyser falls short of a target, the bound asserted is what it reaches (measured 2026-12-01
// on ten clips, after the hips check against the user's own start), and docs/motion.md records
// the gap. These clips had been looked at while the fusion and the hips check were changed;
// heldout_fresh/ below has not.
TEST(RenderedFootage, HeldOutClipsThroughTheLiteModelMeetTheTargets)
{
    FootageReport r = scored("heldout", "lite");
    ASSERT_GE(r.clips.size(), 10u);
    // Targets met: median 1.97 cm, first warning 0.24 s, recognition 100 %, precision 1 (2/2),
    // no false lumbar, neck, head, too_fast or hips_down warning, hips down warned (1/1;
    // roll_fast_hips_f was missed, with a false lumbar and a false too_fast, before).
    EXPECT_LE(r.contact_median_error_cm, 2.5);
    EXPECT_GE(r.lumbar_episodes, 5);
    EXPECT_LE(r.lumbar_median_latency_s, 0.7);
    EXPECT_GE(r.recognition_rate, 0.95);
    EXPECT_GE(r.lumbar_precision, 0.95);
    EXPECT_EQ(r.false_lumbar_or_neck_warnings, 0);
    EXPECT_EQ(r.clean_clips_without_false_warning, r.clean_clips);
    EXPECT_EQ(r.head_warnings_false, 0);
    EXPECT_EQ(r.hips_warnings_false, 0);
    EXPECT_EQ(r.fast_warnings_false, 0);
    EXPECT_GE(r.hips_episodes, 1);
    EXPECT_EQ(r.hips_warned, r.hips_episodes);
    // Regression bounds, short of the targets: the slipping rollers are read at about half their
    // travel from landmarks alone (p90 6.77 cm, recall 1/5: three slips missed and one rolling
    // drift warned late).
    EXPECT_LE(r.contact_p90_error_cm, 7.0);
    EXPECT_GE(r.lumbar_detected, 1);
}

TEST(RenderedFootage, HeldOutClipsThroughTheFullModelMeetTheTargets)
{
    FootageReport r = scored("heldout", "full");
    ASSERT_GE(r.clips.size(), 10u);
    EXPECT_LE(r.contact_median_error_cm, 2.5);
    EXPECT_GE(r.recognition_rate, 0.95);
    EXPECT_GE(r.lumbar_precision, 0.95);
    EXPECT_EQ(r.false_lumbar_or_neck_warnings, 0);
    EXPECT_EQ(r.head_warnings_false, 0);
    EXPECT_EQ(r.hips_warnings_false, 0);
    EXPECT_EQ(r.fast_warnings_false, 0);
    EXPECT_EQ(r.hips_warned, r.hips_episodes);
    // Regression bounds with the lite model's gaps: measured p90 6.19 cm, recall 1/5.
    EXPECT_LE(r.contact_p90_error_cm, 6.5);
    EXPECT_GE(r.lumbar_detected, 1);
}

TEST(RenderedFootage, TuningClipsKeepWhatWasTunedOnThem)
{
    // What was tuned on them holds: the hands check, hips down against the user's own start
    // (roll_hips_g: missed, with a false lumbar and a false too_fast, before) and no false
    // warnings. The slipping clip's lumbar drift is still missed from landmarks alone
    // (docs/motion.md), so recall is not asserted.
    FootageReport r = scored("tuning", "lite");
    EXPECT_GE(r.clips.size(), 5u);
    EXPECT_EQ(r.hands_off_warned, r.hands_off_episodes);
    EXPECT_EQ(r.head_warnings_false, 0);
    EXPECT_EQ(r.false_lumbar_or_neck_warnings, 0);
    EXPECT_GE(r.hips_episodes, 1);
    EXPECT_EQ(r.hips_warned, r.hips_episodes);
    EXPECT_EQ(r.hips_warnings_false, 0);
    EXPECT_EQ(r.fast_warnings_false, 0);
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

// The roller in the picture (the camera page's finder, on every third frame of the tuning clips
// slip_lumbar_a, roll_lumbar_a and roll_neck_a and every frame of roll_hips_g, slip_lumbar_e and
// slip_clean_f): evidence of where the roller is that dead reckoning lacks when the roller slips.
// The fusion was built and tuned on these clips only.
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
    EXPECT_EQ(with.lumbar_detected, with.lumbar_episodes);   // 0/2 in time without
    // 8.5 cm without, 4.51 cm with (measured 2026-12-01 on the seven tuning clips, the start
    // offset learnt from eight agreeing sightings).
    EXPECT_LE(with.contact_p90_error_cm, 4.8);
    EXPECT_EQ(clip(with, "slip_lumbar_e").lumbar_detected, 1);   // camera 7 cm high
    EXPECT_EQ(clip(with, "roll_neck_a").neck_true_warnings, 1);
    // Either witness warns (the sightings cannot take away the landmarks' neck warning), and no
    // warning is false on the tuning clips any more.
    EXPECT_EQ(with.false_lumbar_or_neck_warnings, 0);
    EXPECT_EQ(with.hips_warned, with.hips_episodes);
}

// The same fusion on the held-out clips whose frames were kept (rendered after the roller finder
// existed), scored without and with their sightings. Nothing was tuned on them.
TEST(RenderedFootage, RollerSightingsOnTheHeldOutClipsThatHaveThem)
{
    FootageReport without = scored("heldout", "lite");
    FootageReport with = scored("heldout", "lite", {}, RollerCue::Used);
    ASSERT_EQ(with.clips.size(), without.clips.size());
    int clips_with_sightings = 0;
    for (std::size_t i = 0; i < with.clips.size(); ++i) {
        ClipScore const& before = without.clips[i];
        ClipScore const& after = with.clips[i];
        if (after.roller_sightings == 0)
            continue;
        ++clips_with_sightings;
        std::cout << "held out with sightings: " << after.name << " median " << before.contact_median_error_cm << " -> " << after.contact_median_error_cm
                  << " cm; lumbar " << before.lumbar_detected << "/" << before.lumbar_episodes << " -> " << after.lumbar_detected << "/" << after.lumbar_episodes
                  << "; lumbar warnings " << before.lumbar_warnings << " (" << before.lumbar_true_warnings << " true) -> " << after.lumbar_warnings << " ("
                  << after.lumbar_true_warnings << " true)\n";
    }
    EXPECT_GE(clips_with_sightings, 7);
    // Measured 2026-12-01 with the finder's confidence and the fusion that learns the start
    // offset from agreeing sightings (seven held-out clips with sightings among ten): recall 1/5
    // -> 3/5, p90 6.77 -> 5.80 cm, median 1.97 -> 1.76 cm; one false lumbar warning
    // (slip_clean_e, as before) against none from landmarks alone. slip_lumbar_b (camera 8 cm,
    // a third of its sightings misfinds) no longer warns about the neck: its misfinds are under
    // the confidence threshold or disagree. slip_lumbar_d's drift is missed (two thirds of its
    // sightings are under the threshold). Not safe to turn on by default: docs/motion.md.
    EXPECT_GE(with.lumbar_detected, without.lumbar_detected + 2);
    EXPECT_LE(with.contact_p90_error_cm, 6.0);
    EXPECT_LT(with.contact_p90_error_cm, without.contact_p90_error_cm);
    EXPECT_LE(with.contact_median_error_cm, 2.5);
    EXPECT_LE(with.false_lumbar_or_neck_warnings, 1);
    EXPECT_EQ(with.hips_warned, with.hips_episodes);
}

// The fresh held-out clips (tests/data/footage/heldout_fresh), rendered after the fusion and the
// hips check had been changed and never looked at while doing so: the honest check of both.
TEST(RenderedFootage, FreshHeldOutClipsWithAndWithoutSightings)
{
    FootageReport without = scored("heldout_fresh", "lite");
    FootageReport with = scored("heldout_fresh", "lite", {}, RollerCue::Used);
    ASSERT_GE(without.clips.size(), 2u);
    // Measured 2026-12-01 on slip_lumbar_f (slipping lumbar drift, camera 9 cm) and slip_clean_g
    // (clean slip, camera 45 cm; two thirds of its sightings under the confidence threshold).
    // Landmarks alone: median 2.69 cm, p90 9.45 cm, the drift missed (bounds), no false warning
    // (target). With sightings: median 0.88 cm, p90 2.75 cm, the drift warned in time, no false
    // warning: every target met on these two clips (asserted as targets).
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
    EXPECT_GE(with.lumbar_precision, 0.95);
    EXPECT_EQ(with.false_lumbar_or_neck_warnings, 0);
    EXPECT_EQ(with.fast_warnings_false + with.hips_warnings_false + with.head_warnings_false, 0);
}
