// The exercises the motion code knows, by their ids in data/knowledge/exercises.toml.
//
// This is the one list of them in code: the analyser, the simulator and the accuracy evaluation
// read it, and a test checks each id against the shipped knowledge base.
#pragma once

#include <string_view>

namespace rc::motion {

inline constexpr std::string_view motion_exercises[] = {
    "thoracic_roll", "lat_roll", "glute_roll", "hip_flexor_roll", "peanut_erector_roll", "cat_cow",
};

}
