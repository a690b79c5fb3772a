#include "knowledge/safety.h"

#include "common/enum_names.h"

#include <algorithm>
#include <array>
#include <utility>

namespace rc::kb {

namespace {

constexpr std::array tier_names {
    std::pair { Tier::Proceed, "proceed" },
    std::pair { Tier::ProceedWithChanges, "proceed_with_changes" },
    std::pair { Tier::ClinicianBeforeRolling, "clinician_before_rolling" },
    std::pair { Tier::ClinicianSoon, "clinician_soon" },
    std::pair { Tier::ClinicianToday, "clinician_today" },
    std::pair { Tier::Emergency, "emergency" },
};

constexpr std::array event_names {
    std::pair { SafetyEvent::NumbnessOneLeg, "numbness_one_leg" },
    std::pair { SafetyEvent::NumbnessSaddle, "numbness_saddle" },
    std::pair { SafetyEvent::SharpPain, "sharp_pain" },
    std::pair { SafetyEvent::PainHigh, "pain_high" },
    std::pair { SafetyEvent::Dizziness, "dizziness" },
    std::pair { SafetyEvent::FeelsWrong, "feels_wrong" },
};

}

char const* to_string(Tier tier) { return to_word(tier_names, tier); }
std::optional<Tier> parse_tier(std::string_view text) { return from_word(tier_names, text); }
char const* to_string(SafetyEvent event) { return to_word(event_names, event); }
std::optional<SafetyEvent> parse_safety_event(std::string_view text) { return from_word(event_names, text); }

char const* to_string(SafetyAction action)
{
    return action == SafetyAction::Stop ? "stop" : "back_off";
}

void PlanChanges::merge(PlanChanges const& other)
{
    for (auto const& zone : other.excluded_zones)
        if (std::find(excluded_zones.begin(), excluded_zones.end(), zone) == excluded_zones.end())
            excluded_zones.push_back(zone);
    soft_roller_only = soft_roller_only || other.soft_roller_only;
    gentle_pressure_only = gentle_pressure_only || other.gentle_pressure_only;
    if (other.max_session_length && (!max_session_length || *other.max_session_length < *max_session_length))
        max_session_length = other.max_session_length;
}

bool PlanChanges::empty() const
{
    return excluded_zones.empty() && !soft_roller_only && !gentle_pressure_only && !max_session_length;
}

}
