#include "knowledge/model.h"

#include <algorithm>
#include <array>

namespace rc::kb {

namespace {

constexpr std::array<std::pair<std::string_view, ZoneStatus>, 3> zone_statuses { {
    { "target", ZoneStatus::Target },
    { "caution", ZoneStatus::Caution },
    { "no-go", ZoneStatus::NoGo },
} };

constexpr std::array<std::pair<std::string_view, BodyRegion>, 8> body_regions { {
    { "neck", BodyRegion::Neck },
    { "upper_back", BodyRegion::UpperBack },
    { "mid_back", BodyRegion::MidBack },
    { "lower_back", BodyRegion::LowerBack },
    { "side", BodyRegion::Side },
    { "hip", BodyRegion::Hip },
    { "leg", BodyRegion::Leg },
    { "arm", BodyRegion::Arm },
} };

constexpr std::array<std::pair<std::string_view, Firmness>, 4> firmnesses { {
    { "soft", Firmness::Soft },
    { "medium", Firmness::Medium },
    { "firm", Firmness::Firm },
    { "very_firm", Firmness::VeryFirm },
} };

constexpr std::array<std::pair<std::string_view, Sides>, 2> sides_names { {
    { "none", Sides::None },
    { "left_and_right", Sides::LeftAndRight },
} };

constexpr std::array<std::pair<std::string_view, ExerciseKind>, 2> exercise_kinds { {
    { "rolling", ExerciseKind::Rolling },
    { "finisher", ExerciseKind::Finisher },
} };

template<typename Table, typename E>
char const* name_of(Table const& table, E value)
{
    for (auto const& [name, v] : table)
        if (v == value)
            return name.data();
    return "unknown";
}

template<typename T>
T const* find_by_id(std::vector<T> const& items, std::string_view id)
{
    auto it = std::find_if(items.begin(), items.end(), [&](T const& item) { return item.id == id; });
    return it == items.end() ? nullptr : &*it;
}

}

char const* to_string(ZoneStatus status) { return name_of(zone_statuses, status); }
char const* to_string(BodyRegion region) { return name_of(body_regions, region); }
char const* to_string(Firmness firmness) { return name_of(firmnesses, firmness); }
char const* to_string(Sides sides) { return name_of(sides_names, sides); }
char const* to_string(ExerciseKind kind) { return name_of(exercise_kinds, kind); }

Words<ZoneStatus> zone_status_words() { return zone_statuses; }
Words<BodyRegion> body_region_words() { return body_regions; }
Words<Firmness> firmness_words() { return firmnesses; }
Words<Sides> sides_words() { return sides_names; }
Words<ExerciseKind> exercise_kind_words() { return exercise_kinds; }

Source const* KnowledgeBase::find_source(std::string_view id) const { return find_by_id(sources, id); }
Zone const* KnowledgeBase::find_zone(std::string_view id) const { return find_by_id(zones, id); }
Tool const* KnowledgeBase::find_tool(std::string_view id) const { return find_by_id(tools, id); }
Exercise const* KnowledgeBase::find_exercise(std::string_view id) const { return find_by_id(exercises, id); }
Rule const* KnowledgeBase::find_rule(std::string_view id) const { return find_by_id(rules, id); }
Routine const* KnowledgeBase::find_routine(std::string_view id) const { return find_by_id(routines, id); }

}
