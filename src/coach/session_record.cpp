#include "coach/session_record.h"

#include "plan/plan_json.h"
#include "session/session_json.h"

#include <algorithm>
#include <map>

namespace rc::coach {

using nlohmann::json;

namespace {

journal::EndReason end_reason_of(session::EndReason reason)
{
    switch (reason) {
    case session::EndReason::Completed: return journal::EndReason::Completed;
    case session::EndReason::SafetyStop: return journal::EndReason::StoppedWarning;
    default: return journal::EndReason::Quit;
    }
}

journal::PainMoment moment_of(session::RatingMoment moment)
{
    switch (moment) {
    case session::RatingMoment::Before: return journal::PainMoment::Before;
    case session::RatingMoment::After: return journal::PainMoment::After;
    default: return journal::PainMoment::During;
    }
}

}

SessionRecord make_session_record(session::SessionMachine const& machine, MonoTime now, WallTime started_at)
{
    auto const& cues = machine.emitted();
    auto const summary = machine.summary(now);
    auto const& plan = machine.plan();
    auto const step_of = [&](int index) -> plan::PlanStep const* {
        return index >= 0 && index < static_cast<int>(plan.steps.size()) ? &plan.steps[static_cast<std::size_t>(index)] : nullptr;
    };
    auto const wall = [&](Millis session_time) { return started_at + std::chrono::duration_cast<WallTime::duration>(session_time); };

    SessionRecord record;
    record.started_at = started_at;
    record.ended_at = wall(summary.active);
    record.end_reason = end_reason_of(summary.end_reason);
    record.plan = plan;
    record.cues = cues;
    for (int index : summary.completed_steps)
        if (auto const* step = step_of(index))
            record.completed_steps.push_back({ index, step->exercise_id });
    for (auto const& skip : summary.skipped)
        if (auto const* step = step_of(skip.step))
            record.skipped_steps.push_back({ skip.step, step->exercise_id, skip.phase });

    // Rolling time is credited to the step's zones, split evenly when it targets several.
    std::map<std::string, Millis> per_zone;
    for (std::size_t i = 0; i < summary.rolled.size() && i < plan.steps.size(); ++i) {
        auto const& zones = plan.steps[i].target_zones;
        if (summary.rolled[i] <= Millis { 0 } || zones.empty())
            continue;
        for (auto const& zone : zones)
            per_zone[zone] += summary.rolled[i] / static_cast<int>(zones.size());
    }
    for (auto const& [zone, time] : per_zone)
        if (auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time); seconds.count() > 0)
            record.zones.push_back({ zone, seconds });
    for (auto const& hold : summary.holds) {
        auto const* step = step_of(hold.step);
        record.tender_spots.push_back({ step && !step->target_zones.empty() ? step->target_zones.front() : std::string {},
            std::chrono::duration_cast<std::chrono::seconds>(hold.held) });
    }
    for (auto const& rating : summary.pain) {
        journal::PainRating pain;
        pain.value = rating.rating;
        pain.moment = moment_of(rating.moment);
        pain.at = rating.moment == session::RatingMoment::Before ? started_at
            : rating.moment == session::RatingMoment::After      ? record.ended_at
                                                                 : std::min(record.ended_at, wall(rating.at));
        record.pain.push_back(pain);
    }
    return record;
}

journal::SessionRecord to_journal_record(SessionRecord const& record)
{
    journal::SessionRecord stored;
    stored.started_at = record.started_at;
    stored.ended_at = record.ended_at;
    stored.end_reason = record.end_reason;
    stored.plan = record.plan;
    for (auto const& step : record.completed_steps)
        stored.completed_steps.push_back({ { "step", step.step }, { "exercise_id", step.exercise_id } });
    for (auto const& step : record.skipped_steps)
        stored.skipped_steps.push_back(
            { { "step", step.step }, { "exercise_id", step.exercise_id }, { "phase", session::to_string(step.phase) } });
    stored.cues = record.cues;
    stored.zones = record.zones;
    stored.tender_spots = record.tender_spots;
    stored.pain = record.pain;
    return stored;
}

}
