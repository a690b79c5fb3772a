// The shared body of `rollcoach screen` and `rollcoach checkin` (defined in cmd_screen.cpp):
// ask the questionnaire interactively or read --answers FILE.json, evaluate it, print the
// verdict as text or --json, and set the exit status from the tier (docs/triage.md):
//   0 proceed, 10 proceed_with_changes, 11 clinician_before_rolling, 12 clinician_soon,
//   13 clinician_today, 14 emergency, 15 incomplete (answers missing), 3 invalid answers file.
#pragma once

#include "app_context.h"

#include "knowledge/screening.h"

namespace rc::app {

enum TriageExitCode : int {
    TierProceed = 0,
    TierProceedWithChanges = 10,
    TierClinicianBeforeRolling = 11,
    TierClinicianSoon = 12,
    TierClinicianToday = 13,
    TierEmergency = 14,
    TierIncomplete = 15,
};

// A tier as the terminal names it: "get checked before rolling", "see a doctor today", ...
std::string tier_label(kb::Tier tier);

void add_questionnaire_command(CLI::App& app, AppContext& context, int& exit_code, kb::Questionnaire questionnaire,
    std::string const& name, std::string const& description);

}
