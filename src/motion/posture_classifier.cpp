#include "motion/posture_classifier.h"

#include <cmath>

namespace rc::motion {

std::string_view to_string(Posture posture)
{
    switch (posture) {
    case Posture::NotVisible: return "not_visible";
    case Posture::SupineOnRoller: return "supine_on_roller";
    case Posture::SideLying: return "side_lying";
    case Posture::SeatedFigureFour: return "seated_figure_four";
    case Posture::Prone: return "prone";
    case Posture::HandsAndKnees: return "hands_and_knees";
    case Posture::NotOnFloor: return "not_on_floor";
    }
    return "unknown";
}

std::string_view exercise_for(Posture posture)
{
    switch (posture) {
    case Posture::SupineOnRoller: return "thoracic_roll";
    case Posture::SideLying: return "lat_roll";
    case Posture::SeatedFigureFour: return "glute_roll";
    case Posture::Prone: return "hip_flexor_roll";
    case Posture::HandsAndKnees: return "cat_cow";
    case Posture::NotVisible:
    case Posture::NotOnFloor: return "";
    }
    return "";
}

Posture posture_for(std::string_view exercise)
{
    if (exercise == "thoracic_roll" || exercise == "peanut_erector_roll")
        return Posture::SupineOnRoller;
    if (exercise == "lat_roll")
        return Posture::SideLying;
    if (exercise == "glute_roll")
        return Posture::SeatedFigureFour;
    if (exercise == "hip_flexor_roll")
        return Posture::Prone;
    if (exercise == "cat_cow")
        return Posture::HandsAndKnees;
    return Posture::NotVisible;
}

Posture classify_posture(PostureFeatures const& f)
{
    if (!f.visible)
        return Posture::NotVisible;
    // Standing or kneeling upright: a steep trunk with the hips well off the floor.
    if (f.trunk_elevation_deg > 65 && f.hip_height > 0.9)
        return Posture::NotOnFloor;
    // Lying on the side: the shoulders (and hips) stack one above the other in a side view.
    if (f.shoulder_stack > 0.35 && f.hip_stack > 0.15 && std::abs(f.trunk_elevation_deg) < 45)
        return Posture::SideLying;
    // On hands and knees the whole trunk is high above the floor, and the thighs stand upright:
    // the hips are most of a thigh length (about 0.8 trunk lengths) above the knees. Prone on the
    // forearms over a roller lifts the trunk almost as high, but the legs trail behind with the
    // hips little above the knees (rendered hip-flexor roll: 0.3 trunk lengths).
    if (f.hip_height > 0.6 && f.shoulder_height > 0.7 && std::abs(f.trunk_elevation_deg) < 40 && f.hip_height - f.knee_height > 0.45)
        return Posture::HandsAndKnees;
    // Sitting, leaning back on the hands: a steep trunk with the shoulders high, hips low. (A
    // supine trunk with the hips down and the roller low on the back is steep too, but its
    // shoulders stay lower.)
    if (f.trunk_elevation_deg > 32 && f.shoulder_height > 1.05)
        return Posture::SeatedFigureFour;
    if (f.hip_height > 1.0)
        return Posture::NotOnFloor;
    // Lying along the floor: the face tells back from front.
    return f.face_up >= 0 ? Posture::SupineOnRoller : Posture::Prone;
}

}
