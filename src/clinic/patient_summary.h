// The therapist's patient list in one database round trip: for every patient, read straight from
// the tables of their journal's schema (one UNION ALL query over the schemas): the last session,
// the days rolled in the last 28 days, background pain ratings (before a session or on their own)
// of the last 28 days, the newest screening, warning-sign check-ins and sessions stopped for a
// safety reason in the last 28 days.
//
// A flagged answer (a screening's red flag, a check-in's warning sign) that a clinician's clearance
// in force covers (coach/clearance.h: covers(), the rule the plan obeys) is not a warning any more:
// it moves to "cleared" with who cleared it and on which day, and no longer sorts the patient
// first. The patient's detail still lists the screening, the check-in and the clearance.
//
// adherence_4w = distinct days with a session / days planned (the weekly goal, 5, times 4 weeks),
// at most 1. Sorted: patients with warnings first, then by last session, newest first.
//
//   auto list = TRY(patient_summaries(store, TRY(store.patients_of(therapist)), clock.wall_now(),
//                                     kb.thresholds.clearance_valid_months));
#pragma once

#include "clinic/clinic_store.h"

#include <nlohmann/json.hpp>

namespace rc::clinic {

inline constexpr int planned_days_per_week = 5;

// "p_12" <-> 12 (the ids the API shows).
std::string patient_key(AccountId id);
std::optional<AccountId> parse_patient_key(std::string const& key);

// {"id", "name", "email", "last_session", "adherence_4w", "pain_trend", "warnings", "cleared"} per
// patient; each of "cleared" is a warning plus "cleared_by" (null for a bare clearance) and "cleared_on".
Result<nlohmann::json> patient_summaries(ClinicStore& store, std::vector<Account> const& patients, WallTime now, int clearance_valid_months);

}
