// What the CLI subcommands share to reach the coach: the profile options of `plan` and
// `session`, the plan request they make (the profile from the options, --verdict FILE), and the
// coach over the knowledge base and the journal. The coach decides; these only turn options into
// its inputs. Defined in cmd_plan.cpp.
#pragma once

#include "app_context.h"

#include "coach/coach.h"
#include "journal/open_journal.h"
#include "knowledge/model.h"

#include <memory>
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

// The plan request: the profile from the options, the verdict from --verdict FILE if given.
Result<coach::PlanRequest> plan_request_from(ProfileOptions const& options);

// A coach over the knowledge base and the journal, for one command. Purpose::Read opens the
// journal read-only, and a journal that does not exist yet is no journal (no screening, no
// history) rather than an error.
struct CliCoach {
    kb::KnowledgeBase kb;
    SystemClock clock;
    std::unique_ptr<coach::Coach> coach;
};
Result<std::unique_ptr<CliCoach>> open_coach(AppContext const& context, journal::Purpose purpose);

}
