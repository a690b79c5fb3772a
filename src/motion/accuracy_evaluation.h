// Measures the analyser against the simulator's ground truth: the accuracy targets
// computed over a seeded test set. Used by the accuracy test (fixed test seeds) and by the
// report in docs/motion.md; tuning used other seeds.
//
//   AccuracyReport r = evaluate_accuracy({ .first_seed = 900000 });
//   r.lumbar_recall >= 0.95
#pragma once

#include "knowledge/motion_thresholds.h"
#include "motion/body_simulator.h"

#include <cstdint>
#include <string>

namespace rc::motion {

struct AccuracyPlan {
    std::uint64_t first_seed { 900000 };
    int clean_thoracic { 100 };   // 60 s clean thoracic rolls
    int lumbar_sequences { 40 };  // thoracic rolls drifting onto the lumbar spine
    int per_exercise { 8 };       // recognition: sequences of each exercise
    double recognition_seconds { 30 };
    bool tell_height { true };    // pass the subject's height to the analyser
    Realism realism { Realism::Article };
    kb::MotionThresholds thresholds {};   // the analyser's (motion.toml defaults)
    int roller_every { 0 };               // simulated roller sightings on every Nth frame (0: none)
    // As the page looks (RollerSighter), with roller_every > 0: a frame at least
    // thresholds.roller_look_interval_s after the last one it looked at, and every frame while the
    // analyser says it is learning the roller's start (FrameAnalysis::roller_start_learning, the
    // previous frame's answer). The sightings are simulated on every frame and thinned.
    bool roller_page_cadence { false };
};

struct AccuracyReport {
    int lumbar_episodes { 0 };
    int lumbar_detected { 0 };    // warned within 1 s of crossing L1
    int lumbar_warnings { 0 };
    int lumbar_true_warnings { 0 };
    double lumbar_recall { 0 };
    double lumbar_precision { 0 };
    double lumbar_median_latency_s { 0 };
    double contact_median_error_cm { 0 };
    double contact_p90_error_cm { 0 };
    double contact_max_error_cm { 0 };
    double speed_median_relative_error { 0 };
    double recognition_rate { 0 };
    int clean_sequences { 0 };
    int clean_without_false_warning { 0 };
    double clean_rate { 0 };

    std::string summary() const;
};

AccuracyReport evaluate_accuracy(AccuracyPlan const& plan);

}
