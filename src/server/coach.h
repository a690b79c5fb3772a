// Coach: the server's one door to the core. It owns the journal and answers in JSON what the
// API and the live sessions ask: screening and check-in (triage), the profile, today's plan,
// history, statistics and exports, and recording a finished session.
//
// Thread-safe: one mutex serialises every use of the journal, so the API worker and the
// sessions' I/O thread may both call it. Time comes from the injected Clock.
//
//   Coach coach(kb, std::move(journal), clock);
//   auto plan = coach.todays_plan();        // Conflict until a proceed-tier screening exists
#pragma once

#include "common/clock.h"
#include "common/result.h"
#include "journal/journal.h"
#include "knowledge/model.h"
#include "plan/plan.h"

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace rc::server {

// Everything the journal keeps about one live session when it ends.
struct SessionOutcome {
    WallTime started_at {};
    WallTime ended_at {};
    journal::EndReason end_reason { journal::EndReason::Completed };
    nlohmann::json plan;
    nlohmann::json completed_steps = nlohmann::json::array();
    nlohmann::json skipped_steps = nlohmann::json::array();
    nlohmann::json cues = nlohmann::json::array();
    std::vector<journal::ZoneTime> zones;
    std::vector<journal::TenderSpot> tender_spots;
    std::optional<int> pain_before;
    std::optional<int> pain_after;
    std::vector<int> pain_during;
};

class Coach {
public:
    Coach(kb::KnowledgeBase const& kb, std::unique_ptr<journal::Journal> journal, Clock const& clock);

    kb::KnowledgeBase const& kb() const { return m_kb; }
    Clock const& clock() const { return m_clock; }

    // {"screening": {"tier", "taken_at"} | null, "profile": bool, "checkin_due": bool, "blocked": bool}
    Result<nlohmann::json> status();

    nlohmann::json screening_questions() const;
    nlohmann::json checkin_questions() const;
    // Evaluates and stores; returns the verdict ready to show (triage::verdict_to_json).
    Result<nlohmann::json> submit_screening(std::string const& body);
    Result<nlohmann::json> submit_checkin(std::string const& body);

    Result<nlohmann::json> profile();
    Result<nlohmann::json> save_profile(std::string const& body);

    // Refused (Conflict) without a screening, after a stop-tier one, or while a warning-sign
    // check-in is uncleared; the message says what to do.
    Result<plan::Plan> todays_plan();

    Result<nlohmann::json> history(int limit);
    Result<nlohmann::json> stats(std::chrono::seconds utc_offset);
    Result<nlohmann::json> add_clearance(std::string const& body);
    // format: "json" | "fhir" | "csv" (csv needs a table name; an empty one lists the tables).
    Result<std::string> export_journal(std::string const& format, std::string const& table);

    Result<journal::RecordId> record_session(SessionOutcome const& outcome);

private:
    Result<std::optional<kb::Verdict>> latest_verdict_locked();

    kb::KnowledgeBase const& m_kb;
    std::unique_ptr<journal::Journal> m_journal;
    Clock const& m_clock;
    std::mutex m_mutex;
};

}
