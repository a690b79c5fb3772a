// What `rollcoach plan` and `rollcoach session` share: the profile options and the verdict
// (--verdict FILE, else the latest screening in the journal) with the journal's history.
// A missing journal is an empty history; an unreadable one is a warning (in notes), never a
// silent "all clear" for the verdict. Defined in cmd_plan.cpp.
#pragma once

#include "app_context.h"
#include "knowledge/safety.h"
#include "plan/plan.h"

#include <string>
#include <vector>

namespace rc::app {

// The profile as command-line options, shared by plan and session.
struct ProfileOptions {
    std::string experience { "first_time" };
    std::string sensitivity { "normal" };
    std::vector<std::string> rollers;
    int minutes { 5 };
    std::vector<std::string> focus;
    std::string when { "anytime" };
    std::string verdict_file;
};

// Adds --experience, --sensitivity, --roller, --minutes, --focus, --when and --verdict.
void add_profile_options(CLI::App& command, ProfileOptions& options);

// Parses the words into a plan::Profile; a wrong word is an InvalidArgument naming the choices.
Result<plan::Profile> profile_from(ProfileOptions const& options);

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
