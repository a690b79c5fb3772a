// Posture recognition from one frame's geometry, and the exercise each posture means.
//
// Inputs are scale-free features of a side view (lengths in trunk lengths, angles in degrees):
// how steep the trunk is, how high shoulders and hips are above the lowest visible point (the
// floor), how far the left and right shoulders sit apart vertically (stacked when lying on the
// side), and whether the face points up or down.
//
//   Posture p = classify_posture(features);   // e.g. Posture::SupineOnRoller
//   exercise_for(p) == "thoracic_roll"
#pragma once

#include <string_view>

namespace rc::motion {

enum class Posture { NotVisible, SupineOnRoller, SideLying, SeatedFigureFour, Prone, HandsAndKnees, NotOnFloor };

inline constexpr int posture_count = 7;

std::string_view to_string(Posture posture);

// The exercise a posture most likely belongs to ("" for NotVisible / NotOnFloor). Thoracic and
// peanut rolls share a posture; without a chosen exercise the supine roll reads as thoracic.
std::string_view exercise_for(Posture posture);

// The posture an exercise is done in (NotVisible for unknown exercises).
Posture posture_for(std::string_view exercise);

struct PostureFeatures {
    bool visible { false };
    double trunk_elevation_deg { 0 }; // shoulders above hips: positive
    double shoulder_height { 0 };     // above the floor, in trunk lengths
    double hip_height { 0 };
    double shoulder_stack { 0 };      // |left - right| vertical, in trunk lengths (0 if unknown)
    double hip_stack { 0 };
    double face_up { 0 };             // nose ahead of the ears toward "up", in trunk lengths
    double knee_height { 0 };
};

Posture classify_posture(PostureFeatures const& features);

}
