// What `rollcoach plan` and `rollcoach session` need besides the profile: the verdict
// (--verdict FILE, else the latest screening in the journal) and the journal's history.
// A missing journal is an empty history; an unreadable one is a warning (in notes), never a
// silent "all clear" for the verdict. Defined in cmd_plan.cpp.
#pragma once

#include "app_context.h"
#include "knowledge/safety.h"
#include "plan/plan.h"

#include <string>
#include <vector>

namespace rc::app {

struct PlanningInputs {
    kb::Verdict verdict;
    plan::History history;
    std::vector<std::string> notes;
    // True when the verdict came from a screening (the journal's latest, or --verdict FILE);
    // false when nobody has answered the safety questions yet.
    bool screened { false };
};

Result<PlanningInputs> load_planning_inputs(AppContext const& context, std::string const& verdict_file);

}
