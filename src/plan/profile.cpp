#include "plan/profile.h"

#include "common/enum_names.h"

#include <array>
#include <fmt/core.h>
#include <utility>

namespace rc::plan {

namespace {

constexpr std::array experience_names { std::pair { Experience::FirstTime, "first_time" },
    std::pair { Experience::Some, "some" }, std::pair { Experience::Regular, "regular" } };
constexpr std::array sensitivity_names { std::pair { Sensitivity::Normal, "normal" },
    std::pair { Sensitivity::High, "high" } };
constexpr std::array focus_names { std::pair { Focus::MidBack, "mid_back" },
    std::pair { Focus::LatsAndShoulders, "lats_and_shoulders" },
    std::pair { Focus::GlutesAndHips, "glutes_and_hips" }, std::pair { Focus::HipFlexors, "hip_flexors" } };
constexpr std::array when_names { std::pair { When::Anytime, "anytime" },
    std::pair { When::BeforeBed, "before_bed" }, std::pair { When::AfterWorkout, "after_workout" } };

template<typename Key, typename Table>
Result<Key> parse_from(Table const& table, std::string_view text, std::string_view what)
{
    if (auto value = from_word(table, text))
        return *value;
    return Error::invalid_argument(fmt::format("unknown {} '{}': use one of {}", what, text, word_list(table)));
}

}

char const* to_string(Experience value) { return to_word(experience_names, value); }
char const* to_string(Sensitivity value) { return to_word(sensitivity_names, value); }
char const* to_string(Focus value) { return to_word(focus_names, value); }
char const* to_string(When value) { return to_word(when_names, value); }
Result<Experience> parse_experience(std::string_view text) { return parse_from<Experience>(experience_names, text, "experience"); }
Result<Sensitivity> parse_sensitivity(std::string_view text) { return parse_from<Sensitivity>(sensitivity_names, text, "sensitivity"); }
Result<Focus> parse_focus(std::string_view text) { return parse_from<Focus>(focus_names, text, "focus"); }
Result<When> parse_when(std::string_view text) { return parse_from<When>(when_names, text, "time of day"); }

}
