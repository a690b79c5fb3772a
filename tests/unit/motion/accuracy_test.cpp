// The accuracy targets, asserted on a fixed simulated test set. The seeds (900000 on)
// were never used while tuning (tuning used 1000-2999); see docs/motion.md for the numbers.
#include "motion/accuracy_evaluation.h"
#include "motion/analyzer.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <iostream>

using namespace rc::motion;

TEST(MotionAccuracy, MeetsTheTargetsOnTheSeededTestSet)
{
    AccuracyReport r = evaluate_accuracy({ .first_seed = 900000, .clean_thoracic = 100, .lumbar_sequences = 60, .per_exercise = 8, .recognition_seconds = 30, .tell_height = true });
    RecordProperty("summary", r.summary());
    std::cout << r.summary() << "\n";
    EXPECT_GE(r.lumbar_episodes, 50);
    EXPECT_GE(r.lumbar_recall, 0.95);
    EXPECT_GE(r.lumbar_precision, 0.95);
    EXPECT_LE(r.contact_median_error_cm, 3.0);
    EXPECT_LE(r.speed_median_relative_error, 0.20);
    EXPECT_GE(r.recognition_rate, 0.95);
    EXPECT_GE(r.clean_rate, 0.99);
}

// The widened simulator breaks the analyser's assumptions (start 0.36-0.50, slipping rollers,
// re-planted feet, camera up to 60 cm, 10-30 fps, left/right swaps). The bounds are what the
// analyser reaches there today (docs/motion.md records the gap to the targets); they guard
// against getting worse.
TEST(MotionAccuracy, WidenedSimulatorStaysWithinTheMeasuredBounds)
{
    rc::kb::MotionThresholds dead_reckoning;
    dead_reckoning.angle_evidence_rise_deg = 0;
    AccuracyReport before = evaluate_accuracy({ .first_seed = 900000, .clean_thoracic = 100, .lumbar_sequences = 60, .per_exercise = 8, .recognition_seconds = 30, .tell_height = true, .realism = Realism::Widened, .thresholds = dead_reckoning });
    std::cout << "widened, dead reckoning alone:\n" << before.summary() << "\n";
    AccuracyReport r = evaluate_accuracy({ .first_seed = 900000, .clean_thoracic = 100, .lumbar_sequences = 60, .per_exercise = 8, .recognition_seconds = 30, .tell_height = true, .realism = Realism::Widened });
    RecordProperty("summary", r.summary());
    std::cout << "widened:\n" << r.summary() << "\n";
    EXPECT_GE(r.lumbar_episodes, 90);
    // Issue targets met here: precision, contact median and p90, recognition, clean rolls.
    EXPECT_GE(r.lumbar_precision, 0.95);
    EXPECT_LE(r.contact_median_error_cm, 2.5);
    EXPECT_LE(r.contact_p90_error_cm, 5.0);
    EXPECT_GE(r.recognition_rate, 0.95);
    EXPECT_GE(r.clean_rate, 0.99);
    // Short of the 0.95 target (measured 0.818 on 2026-12-01, 0.848 with the 0.1 s lumbar
    // debounce, 0.909 since the warning fires on the first frame past L1, 2026-12-02): the bound
    // guards against worse.
    EXPECT_GE(r.lumbar_recall, 0.89);
    // The trunk-angle evidence must not lose what dead reckoning alone found.
    EXPECT_GE(r.lumbar_recall, before.lumbar_recall);
    EXPECT_LE(r.contact_p90_error_cm, before.contact_p90_error_cm + 0.3);
}

// The same widened test set with what the page sends by default: a roller sighting on every third
// frame, with a finder's errors (simulate(), roller_every). The sightings' model is this
// simulator's author's, like the rest of it; the rendered footage (motion_footage_test) is the
// check from outside. Nothing was tuned on these runs.
TEST(MotionAccuracy, WidenedSimulatorWithRollerSightings)
{
    AccuracyReport without = evaluate_accuracy({ .first_seed = 900000, .clean_thoracic = 100, .lumbar_sequences = 60, .per_exercise = 0, .recognition_seconds = 30, .tell_height = true, .realism = Realism::Widened });
    AccuracyReport r = evaluate_accuracy({ .first_seed = 900000, .clean_thoracic = 100, .lumbar_sequences = 60, .per_exercise = 0, .recognition_seconds = 30, .tell_height = true, .realism = Realism::Widened, .roller_every = 3 });
    RecordProperty("summary", r.summary());
    std::cout << "widened, sightings on every third frame:\n" << r.summary() << "\n";
    EXPECT_GE(r.lumbar_episodes, 90);
    // Measured 2026-12-01, with each body's lumbar under-read drawn from what the renders showed
    // (0-0.4 per unit past 0.55): recall 0.869 (86/99, median latency 0.17 s), precision 0.989,
    // median 1.61 cm, p90 3.68 cm, clean rolls 99/100 (without sightings 0.848, 1.0, 1.81, 4.53;
    // with sightings on a back that has no curve, 0.919). Since the lumbar warning fires on the
    // first frame past L1 (2026-12-02): 0.879 (87/99), 0.978, 1.61 cm, 3.67 cm, 98/100, and
    // without sightings 0.909 (90/99), 1.0: the landmarks alone gained six drifts in time from it,
    // the sightings one, and one clean roll gained a false warning. With sightings this simulator
    // is three drifts short of the landmarks alone; on the rendered clips the sightings are what
    // catch the slips (motion_footage_test), so that is the check that counts.
    EXPECT_GE(r.lumbar_recall, 0.87);
    EXPECT_GE(r.lumbar_recall, without.lumbar_recall - 0.04);
    EXPECT_GE(r.lumbar_precision, 0.95);
    EXPECT_LE(r.contact_median_error_cm, 2.5);
    EXPECT_LE(r.contact_p90_error_cm, 5.0);
    EXPECT_GE(r.clean_rate, 0.98);
}

// The same with the page's cadence: a frame at least roller_look_interval_s (0.15 s) after the
// last look, and every frame while the analyser is learning where the roller started
// (AccuracyPlan::roller_page_cadence; every third frame until the eighth round). Nothing was
// tuned on these runs either.
TEST(MotionAccuracy, WidenedSimulatorWithRollerSightingsAtThePagesCadence)
{
    AccuracyReport third = evaluate_accuracy({ .first_seed = 900000, .clean_thoracic = 100, .lumbar_sequences = 60, .per_exercise = 0, .recognition_seconds = 30, .tell_height = true, .realism = Realism::Widened, .roller_every = 3 });
    AccuracyReport r = evaluate_accuracy({ .first_seed = 900000, .clean_thoracic = 100, .lumbar_sequences = 60, .per_exercise = 0, .recognition_seconds = 30, .tell_height = true, .realism = Realism::Widened, .roller_every = 3, .roller_page_cadence = true });
    RecordProperty("summary", r.summary());
    std::cout << "widened, sightings as the page looks:\n" << r.summary() << "\nevery third frame only:\n" << third.summary() << "\n";
    EXPECT_GE(r.lumbar_episodes, 90);
    // Measured 2026-12-01: recall 0.859 (85/99, median latency 0.13 s), precision 0.978, median
    // 1.74 cm, p90 3.71 cm, clean rolls 98/100; every third frame of the same every-frame draws:
    // 0.869, 0.989, 1.71, 3.63, 99/100. On this simulator the start offset learnt sooner costs
    // a warning or two; on the renders it is what follows a slipping roller from the first pass
    // (docs/motion.md, "The page's cadence"). Since the lumbar warning fires on the first frame
    // past L1 (2026-12-02): 0.889 (88/99), 0.967, 1.74 cm, 3.71 cm, 98/100; every third frame
    // 0.879, 0.978, 1.61 cm, 3.67 cm, 98/100. Since the eighth round (a look every 0.15 s, the
    // start offset from five agreeing sightings instead of eight): 0.889 (88/99), 0.967 (89/92),
    // 1.73 cm, 3.72 cm, clean rolls 96/100; with eight sightings and the new cadence 97/100. On
    // this simulator's model of a finder the start learnt from fewer sightings costs two clean
    // rolls and gains no drift; on the renders at the page's frame rate it gains drifts and
    // hips-down warnings (docs/motion.md, "The eighth round"), and those are the check from
    // outside.
    EXPECT_GE(r.lumbar_recall, 0.85);
    EXPECT_GE(r.lumbar_recall, third.lumbar_recall - 0.03);
    EXPECT_GE(r.lumbar_precision, 0.95);
    EXPECT_LE(r.contact_median_error_cm, 2.5);
    EXPECT_LE(r.contact_p90_error_cm, 5.0);
    EXPECT_GE(r.clean_rate, 0.96);
}

// How angle_evidence_rise_deg was chosen: on the widened simulator's tuning seeds (1000 on),
// never the test seeds. Run by hand: motion_accuracy_test --gtest_also_run_disabled_tests
// --gtest_filter=*Tune*
TEST(MotionAccuracy, DISABLED_TuneTheAngleEvidenceOnTuningSeeds)
{
    for (double rise : { 0.0, 0.75, 1.0, 1.5, 2.0, 3.0 }) {
        rc::kb::MotionThresholds t;
        t.angle_evidence_rise_deg = rise;
        AccuracyReport r = evaluate_accuracy({ .first_seed = 1000, .clean_thoracic = 60, .lumbar_sequences = 60, .per_exercise = 0, .recognition_seconds = 30, .tell_height = true, .realism = Realism::Widened, .thresholds = t });
        std::cout << "rise " << rise << ":\n" << r.summary() << "\n";
    }
}

// too_fast and hips_down on the simulator's tuning seeds (1000 on): how often each mistake is
// warned, and whether hips on the floor make the trunk-angle evidence read a lumbar contact that
// is not there (the trunk steepens when the hips sink). Run by hand like the test above.
TEST(MotionAccuracy, DISABLED_TuneHipsAndFastOnTuningSeeds)
{
    for (Mistake mistake : { Mistake::HipsDown, Mistake::Fast }) {
        for (Realism realism : { Realism::Article, Realism::Widened }) {
            int sequences = 0, warned = 0, false_lumbar = 0, with_false_lumbar = 0;
            std::vector<double> over_read_hips_down;
            for (std::uint64_t seed = 1000; seed < 1040; ++seed) {
                auto sim = simulate({ .exercise = "thoracic_roll", .mistakes = { mistake }, .seed = seed, .duration_s = 60, .realism = realism });
                auto analyzer = *Analyzer::create({ .exercise = "thoracic_roll", .body_height = rc::Centimetres { sim->subject.height_cm } });
                bool any = false;
                int false_here = 0;
                double max_fraction = 0;
                for (auto const& f : sim->frames) {
                    max_fraction = std::max(max_fraction, f.truth.contact_fraction);
                    FrameAnalysis a = analyzer.push(f.frame);
                    if (a.contact_known && f.truth.on_roller_back && f.truth.hips_height_cm < 2.5)
                        over_read_hips_down.push_back(a.contact_cm - f.truth.contact_cm);
                    for (auto const& finding : a.findings) {
                        any = any || finding.code == (mistake == Mistake::HipsDown ? FindingCode::HipsDown : FindingCode::TooFast);
                        false_here += finding.code == FindingCode::LumbarContact && f.truth.contact_fraction < 0.66;
                    }
                }
                ++sequences;
                warned += any;
                false_lumbar += false_here;
                with_false_lumbar += false_here > 0;
            }
            std::cout << (mistake == Mistake::HipsDown ? "hips" : "fast") << (realism == Realism::Widened ? " widened" : " article") << ": warned in "
                      << warned << "/" << sequences << " sequences; lumbar warnings with the true contact below 0.66: " << false_lumbar << " in " << with_false_lumbar
                      << " sequences\n";
            if (!over_read_hips_down.empty()) {
                std::sort(over_read_hips_down.begin(), over_read_hips_down.end());
                std::cout << "  contact read minus truth with the hips down: median " << over_read_hips_down[over_read_hips_down.size() / 2] << " cm, p90 "
                          << over_read_hips_down[over_read_hips_down.size() * 9 / 10] << " cm over " << over_read_hips_down.size() << " frames\n";
            }
        }
    }
}
