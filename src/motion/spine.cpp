#include "motion/spine.h"

#include <array>
#include <cmath>

namespace rc::motion {

namespace {

struct Level {
    std::string_view name;
    double fraction;
};

// Ernst 2013 anchors (C7 0, T4 .21, T7 .39, T10 .541, L1 .709, L4 .861, PSIS 1.0 at about S2),
// the levels between them spaced evenly.
constexpr std::array<Level, 20> levels { {
    { "C7", 0.0 }, { "T1", 0.0525 }, { "T2", 0.105 }, { "T3", 0.1575 }, { "T4", 0.21 },
    { "T5", 0.27 }, { "T6", 0.33 }, { "T7", 0.39 }, { "T8", 0.4403 }, { "T9", 0.4907 },
    { "T10", 0.541 }, { "T11", 0.597 }, { "T12", 0.653 }, { "L1", 0.709 }, { "L2", 0.7597 },
    { "L3", 0.8103 }, { "L4", 0.861 }, { "L5", 0.907 }, { "S1", 0.9535 }, { "S2", 1.0 },
} };

}

std::string_view to_string(SpinalZone zone)
{
    switch (zone) {
    case SpinalZone::Neck: return "neck";
    case SpinalZone::Thoracic: return "thoracic";
    case SpinalZone::Lumbar: return "lumbar";
    case SpinalZone::Sacrum: return "sacrum";
    }
    return "unknown";
}

double spinal_level_fraction(std::string_view name)
{
    for (auto const& level : levels)
        if (level.name == name)
            return level.fraction;
    return std::nan("");
}

std::string_view spinal_level_name(double fraction)
{
    if (!std::isfinite(fraction))
        return "unknown";
    if (fraction < -0.5 * levels[1].fraction)
        return "neck";
    if (fraction > 1.0 + 0.5 * (1.0 - levels[18].fraction))
        return "sacrum";
    std::size_t best = 0;
    for (std::size_t i = 1; i < levels.size(); ++i)
        if (std::abs(levels[i].fraction - fraction) < std::abs(levels[best].fraction - fraction))
            best = i;
    return levels[best].name;
}

SpinalZone spinal_zone(double fraction)
{
    if (fraction < 0.5 * t1_fraction)
        return SpinalZone::Neck;
    if (fraction < l1_fraction)
        return SpinalZone::Thoracic;
    if (fraction < 0.5 * (levels[17].fraction + levels[18].fraction))
        return SpinalZone::Lumbar;
    return SpinalZone::Sacrum;
}

BodyDimensions BodyDimensions::for_height(Centimetres height, Sex sex)
{
    // de Leva 1996 Table 4, mm for the reference subjects (male 1741 mm, female 1735 mm).
    bool male = sex == Sex::Male;
    double k = height.value / (male ? 174.1 : 173.5);
    BodyDimensions d;
    d.height = height.value;
    d.c7_to_hip = (male ? 60.3 : 61.5) * k;
    d.shoulder_to_hip = (male ? 51.6 : 49.8) * k;
    d.c7_to_psis = expected_c7_to_psis(height.value);
    d.head = (male ? 24.29 : 24.37) * k;
    d.upper_arm = (male ? 28.17 : 27.51) * k;
    d.forearm = (male ? 26.89 : 26.43) * k;
    d.hand = (male ? 8.62 : 7.80) * k;
    d.thigh = (male ? 42.22 : 36.85) * k;
    d.shank = (male ? 43.40 : 43.23) * k;
    d.foot = (male ? 25.81 : 22.83) * k;
    d.shoulder_width = (male ? 0.21 : 0.20) * height.value;
    d.hip_width = (male ? 0.10 : 0.105) * height.value;
    d.chest_depth = 0.055 * height.value;
    d.pelvis_depth = 0.055 * height.value;
    return d;
}

}
