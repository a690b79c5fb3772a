// A 2D side-view body simulator that produces landmark frames with labelled ground truth.
//
// No labelled video of foam rolling exists, so the analyser is tuned and tested on this. A body
// (height 150-200 cm, either sex, de Leva 1996 segment lengths, Ernst 2013 spinal levels, a
// person-to-person spread of the C7-PSIS length) performs one exercise in front of a pinhole
// camera at floor level (2-3.5 m away, a few degrees of tilt, facing left or right). For the
// back rolls a 15 cm roller rolls without slipping: when the body moves d along the floor the
// contact moves d/2 along the back, the other way. Landmarks get noise, jitter, dropped frames
// and low-visibility joints. Everything derives from the seed: same seed, same frames.
//
//   auto sim = simulate({ .exercise = "thoracic_roll", .mistakes = { Mistake::Lumbar }, .seed = 7 });
//   for (auto const& f : sim->frames) analyzer.push(f.frame);
#pragma once

#include "common/result.h"
#include "motion/exercises.h"
#include "motion/landmarks.h"
#include "motion/spine.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rc::motion {

enum class Mistake { Lumbar, Neck, Fast, HandsOff, HipsDown, LongHold, Framing };

std::string_view to_string(Mistake mistake);
// "lumbar,fast" -> { Lumbar, Fast }; names: lumbar, neck, fast, hands, hips, long, framing.
Result<std::vector<Mistake>> parse_mistakes(std::string_view list);

// The exercises the simulator and the recogniser know.
inline constexpr auto const& simulated_exercises = motion_exercises;
bool is_known_exercise(std::string_view exercise);

enum class HandsPosition { BehindHead, OnChest, OnFloor, Overhead, UnderShoulders };
std::string_view to_string(HandsPosition hands);

// What was really happening in one frame.
struct FrameTruth {
    std::string_view exercise;
    std::string_view posture;          // as Posture names it (posture_classifier.h)
    bool on_roller_back { false };     // thoracic / peanut: contact along the back is defined
    double contact_cm { 0 };           // from C7 toward the sacrum, along the back
    double contact_fraction { 0 };     // of this body's C7-PSIS length
    std::string_view level;            // "T7", "L2", "neck", ...
    std::string_view zone;             // neck / thoracic / lumbar / sacrum
    double speed_cm_s { 0 };           // rolling speed of the contact along the back (or of the body)
    HandsPosition hands { HandsPosition::BehindHead };
    double hips_height_cm { 0 };       // lowest point of the pelvis above the floor
    bool holding { false };            // still on one spot (a hold), not rolling
    bool in_view { true };             // the whole body is inside the picture
};

struct SimulatedFrame {
    Frame frame;
    FrameTruth truth;
};

struct Subject {
    double height_cm { 175 };
    Sex sex { Sex::Male };
    double c7_to_psis_cm { 50.9 };
    double camera_distance_m { 3 };
    double camera_height_cm { 10 };
    double camera_tilt_deg { 0 };
    bool facing_right { true };
    double fps { 30 };
    double noise_cm { 1 };
};

// Article: the setup the analyser assumes (start 0.40-0.46 of C7-PSIS, a roller that rolls
// without slipping, planted feet, camera 5-30 cm high at 25-30 fps). Widened breaks each of
// those on purpose: start 0.36-0.50, half the rolls on a slipping roller (partly or fully),
// feet re-planted once, camera up to 60 cm high, 10-30 fps, and the knees, ankles and feet
// swapped left for right in bursts covering about a third of the frames (as the lite model does).
// The same seed gives the same body and passes in both; Widened draws its extras elsewhere.
enum class Realism { Article, Widened };

struct SimulationOptions {
    std::string exercise { "thoracic_roll" };
    std::vector<Mistake> mistakes {};
    std::uint64_t seed { 1 };
    double duration_s { 60 };
    Realism realism { Realism::Article };
    // A roller sighting (Frame::roller) on every Nth frame of a back roll, 0 for none: where the
    // roller's near end is in the picture, with a finder's errors (jitter of about a pixel, a
    // radius off by 5-8 %, a third of the good sightings unsure, misfinds: see simulate()).
    int roller_every { 0 };
};

struct Simulation {
    Subject subject;
    std::vector<SimulatedFrame> frames;
};

// The rolling geometry of a back roll, exposed for tests: where the roller and the body are when
// the contact sits at `fraction` of C7-PSIS, having started at `start_fraction`, with the
// buttocks `hips_lift` cm off the floor. x is along the floor, headward positive.
struct BackRollGeometry {
    double roller_centre_x { 0 };
    double roller_centre_y { 0 };
    double c7_x { 0 };
    double c7_y { 0 };
    double trunk_angle_rad { 0 };   // hip -> C7 above horizontal
    double back_to_roller_cm { 0 }; // distance from the roller's centre to the back line
};
BackRollGeometry compute_back_roll_geometry(BodyDimensions const& body, double fraction, double start_fraction, double hips_lift);

// Fails only for an unknown exercise or a non-positive duration.
Result<Simulation> simulate(SimulationOptions const& options);

}

#include <nlohmann/json_fwd.hpp>

namespace rc::motion {

// {"t": .., "exercise": .., "posture": .., "contact_cm": .., "level": .., ...}: one truth line.
void to_json(nlohmann::json& out, FrameTruth const& truth);

}
