// Where along the back: spinal levels, zones and body proportions.
//
// Positions along the back are measured from the C7 spinous process toward the sacrum, as a
// fraction of the C7-to-PSIS distance (0 = C7, 1 = PSIS, about S2) or in centimetres. Level
// positions come from Ernst et al. 2013 (T4 21%, T7 39%, T10 54.1%, L1 70.9%, L4 86.1% of a mean
// 50.9 cm C7-PSIS distance), with the levels between those anchors spaced evenly. Segment
// lengths come from de Leva 1996 (Table 4), scaled by body height.
//
//   spinal_level_name(0.40) == "T7";  spinal_zone(0.75) == SpinalZone::Lumbar
#pragma once

#include "common/units.h"

#include <string_view>

namespace rc::motion {

enum class SpinalZone { Neck, Thoracic, Lumbar, Sacrum };

std::string_view to_string(SpinalZone zone);

// The fraction of C7-PSIS where a named level's spinous process lies ("C7", "T1".."T12",
// "L1".."L5", "S1", "S2"); nothing for unknown names.
double spinal_level_fraction(std::string_view level);

// The nearest named level to a fraction; above C7 reads "neck", past S2 reads "sacrum".
std::string_view spinal_level_name(double fraction);

// Neck: above halfway from C7 to T1. Lumbar: from the L1 spinous process. Sacrum: past halfway
// from L5 to S1.
SpinalZone spinal_zone(double fraction);

inline constexpr double l1_fraction = 0.709;
inline constexpr double t1_fraction = 0.0525;
inline constexpr double mean_c7_psis_cm = 50.9;
inline constexpr double reference_height_cm = 174.0;

enum class Sex { Male, Female };

// de Leva 1996 segment lengths for one body, in centimetres.
struct BodyDimensions {
    double height { 174 };
    double c7_to_hip { 0 };       // C7 to the mid-hip-joint centre
    double shoulder_to_hip { 0 }; // shoulder-joint midpoint to mid-hip
    double c7_to_psis { 0 };      // Ernst 2013 scaled by height
    double head { 0 };            // C7 to vertex
    double upper_arm { 0 };
    double forearm { 0 };
    double hand { 0 };
    double thigh { 0 };
    double shank { 0 };
    double foot { 0 };
    double shoulder_width { 0 };  // between shoulder joint centres
    double hip_width { 0 };       // between hip joint centres
    double chest_depth { 0 };     // back surface to shoulder joint centre
    double pelvis_depth { 0 };    // back surface to hip joint centre

    static BodyDimensions for_height(Centimetres height, Sex sex);
};

// The C7-PSIS length expected for a body height when nothing else is known.
inline double expected_c7_to_psis(double height_cm) { return mean_c7_psis_cm * height_cm / reference_height_cm; }
// The shoulder-to-hip keypoint length expected for a body height (mean of de Leva's sexes).
inline double expected_shoulder_to_hip(double height_cm) { return (51.6 / 174.1 + 49.8 / 173.5) / 2.0 * height_cm; }

}
