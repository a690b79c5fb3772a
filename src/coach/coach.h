// Coach: the application core. Every front-end (the CLI subcommands, the terminal coach, the
// web server's API and live sessions) asks it, and none re-implements what it decides:
// - screening and the next-day check-in: evaluate the answers, store the verdict;
// - whether the user may roll now (may_roll: the one policy);
// - today's plan: profile + verdict + history (todays_plan);
// - recording a finished session as one typed SessionRecord (record_session);
// - the history lines, statistics, clearances and exports the front-ends show.
// The journal behind it only stores and reads.
//
// Thread-safe: one mutex serialises every use of the journal, so the API worker and the
// sessions' I/O thread may both call it. Time comes from the injected Clock.
//
//   coach::Coach coach(kb, std::move(journal), clock);
//   auto plan = coach.todays_plan();   // Conflict until a proceed-tier screening is on record
//
// A coach without a journal (nullptr: the CLI before anything was ever recorded) has no
// screening, an empty history, and refuses to store.
#pragma once

#include "coach/checkin_context.h"
#include "coach/clearance.h"
#include "coach/session_stop.h"
#include "coach/session_record.h"
#include "coach/therapist_limits.h"
#include "common/clock.h"
#include "common/result.h"
#include "journal/exports.h"
#include "journal/journal.h"
#include "knowledge/model.h"
#include "plan/plan.h"
#include "triage/answers.h"

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace rc::coach {

// Said by every front-end when nobody has answered the safety questions yet.
extern char const* const no_screening_message;

// What today's plan is made from. Empty fields come from the journal: the latest screening's
// verdict, the stored profile (or the default one).
struct PlanRequest {
    std::optional<plan::Profile> profile;
    std::optional<kb::Verdict> verdict;   // a saved verdict (rollcoach plan --verdict FILE)
};

// Why the user may roll: the verdict in force (after a clinician's clearance, coach/clearance.h)
// and the history the plan respects.
struct Permission {
    kb::Verdict verdict;
    plan::History history;
    std::vector<std::string> clearance_notes;   // the limits a clinician set, for the plan's notes
    std::optional<std::string> clearance_pressure_why;
    std::optional<TherapistLimits> therapist_limits;   // clinic mode: what the patient's therapist set
};

// Clinic mode: where the coach reads the limits a patient's therapist set (nothing: none set).
using TherapistLimitsSource = std::function<Result<std::optional<TherapistLimits>>()>;

// Why the user may not roll now, for every front-end to show the same words:
// kind "no_screening" | "unfinished" | "stop_tier" | "warning_sign" | "session_stop" (the last
// session stopped for a warning sign: session_stop.h); tier is the verdict's (or
// the check-in's) tier; reason is the sentence to show; flags are the flagged answers a
// clinician's clearance could cover (none for an emergency).
struct Refusal {
    std::string kind;
    std::optional<kb::Tier> tier;
    std::string reason;
    std::string what_to_do;
    std::vector<std::string> clearable;   // rule ids
    // what_to_do without the CLI's command, for a page that shows its own form (session_stop only).
    std::string advice;
    nlohmann::json to_json() const;
};

class Coach {
public:
    Coach(kb::KnowledgeBase const& kb, std::unique_ptr<journal::Journal> journal, Clock const& clock);

    kb::KnowledgeBase const& kb() const { return m_kb; }

    // Clinic mode: the plan also obeys the limits this source gives (coach/therapist_limits.h).
    // Set once, before the coach is shared.
    void set_therapist_limits_source(TherapistLimitsSource source) { m_therapist_limits = std::move(source); }
    Clock const& clock() const { return m_clock; }

    // {"screening": {"tier", "taken_at"} | null, "unfinished": bool, "profile": bool,
    //  "checkin_due": bool, "blocked": bool, "may_roll": bool (after clearances)}
    Result<nlohmann::json> status();

    nlohmann::json screening_questions() const;
    // The check-in as it is asked now: without what the journal knows (coach/checkin_context.h).
    Result<nlohmann::json> checkin_questions();
    // The hours since the last session the journal recorded, and whether it is recent.
    Result<CheckinContext> checkin_context_now();
    // Evaluates and stores; returns the verdict ready to show (triage::verdict_to_json).
    // Malformed JSON is an InvalidArgument (HTTP 400), answers that are not valid InvalidData (422).
    Result<nlohmann::json> submit_screening(std::string const& body);
    Result<nlohmann::json> submit_checkin(std::string const& body);
    // The verdict for the answers so far, stored nowhere (the web asks after each answer, to stop
    // at once on an emergency or "today" answer). Same shape and errors as submit_*, plus
    // "stored": false and "settled": true when the answers so far already settle an emergency or
    // "today" tier (triage::settles_at_once): stop asking, store them, show the advice.
    Result<nlohmann::json> evaluate_only(kb::Questionnaire questionnaire, std::string const& body);
    // The same in two steps for answers already read (rollcoach screen, checkin): the verdict,
    // then keeping the answers and the verdict (a check-in is linked to the latest session and
    // a stop tier in it is a warning sign that blocks sessions until cleared). A check-in's
    // answers get what the journal knows first (fill_from_journal): every front-end calls
    // complete_answers before evaluate.
    Result<kb::Verdict> evaluate(kb::Questionnaire questionnaire, triage::Answers const& answers) const;
    Result<triage::Answers> complete_answers(kb::Questionnaire questionnaire, triage::Answers answers);
    Result<journal::RecordId> keep_answers(kb::Questionnaire questionnaire, triage::Answers const& answers, kb::Verdict const& verdict);

    Result<nlohmann::json> profile();
    Result<nlohmann::json> save_profile(std::string const& body);

    // The one may-I-roll policy: a verdict on record (or given), not a stop tier, and no
    // uncleared warning-sign check-in, once the clinician's clearances in force are applied.
    // Refused with a Conflict whose message says what to do (the same words as refusal()).
    Result<Permission> may_roll(std::optional<kb::Verdict> const& verdict = std::nullopt);
    // Why may_roll refuses, or nothing when it would not.
    Result<std::optional<Refusal>> refusal(std::optional<kb::Verdict> const& verdict = std::nullopt);
    Result<plan::Plan> todays_plan(PlanRequest const& request = {});

    // The newest entries (all kinds together, or as the query asks), each with its plain-language
    // line (coach/history_lines.h).
    Result<std::vector<journal::HistoryEntry>> history_entries(journal::HistoryQuery const& query);
    Result<std::vector<journal::HistoryEntry>> history_entries(int limit) { return history_entries(journal::HistoryQuery { limit }); }
    Result<nlohmann::json> history(journal::HistoryQuery const& query);
    Result<nlohmann::json> history(int limit) { return history(journal::HistoryQuery { limit }); }
    // SessionDays::Listed adds "session_days", the streak calendar's days (a read of the newest
    // 400 entries); a page that draws no calendar (the therapist's patient detail) leaves it out.
    enum class SessionDays { Listed, Left };
    Result<nlohmann::json> stats(std::chrono::seconds utc_offset, SessionDays session_days = SessionDays::Listed);
    // A clinician's clearance (coach/clearance.h): body {"by", "on", "covers", "limits", "note"};
    // malformed JSON is InvalidArgument (400), a request that breaks a rule InvalidData (422).
    // Returns the stored clearance as clearances() lists it.
    Result<nlohmann::json> add_clearance(std::string const& body);
    // One export (journal/exports.h) written to `out` as the journal is walked, under the coach's
    // lock; csv_table names the one CSV table (an unknown or empty one is an error listing them).
    Result<void> export_journal(journal::ExportFormat format, std::string const& csv_table, journal::OutputSink& out);
    // Runs `read` with the journal under the coach's lock, for read-only views built elsewhere
    // (the PDF report). Without a journal, `read` gets nothing.
    Result<void> read_journal(std::function<Result<void>(journal::Journal*)> const& read);
    // {"clearances": [...newest first], "flagged": [{"rule_id", "tier", "message", "clearable",
    //  "covered_by"}], "valid_months": 3}
    Result<nlohmann::json> clearances();

    // Stores the session with the screening it ran under.
    Result<journal::RecordId> record_session(SessionRecord const& record);
    // The same, unless the journal already has this session (the same start, end and end reason:
    // journal::SessionKey, the key the import's merge uses); then the stored session's id. For a
    // record written again after a refusal that may have been committed after all, or replayed
    // from the server's spool (server/record_spool.h): it is never stored twice.
    Result<journal::RecordId> record_session_once(SessionRecord const& record);
    Result<journal::RecordId> record_session_once(journal::SessionRecord stored);

private:
    Result<journal::Journal*> journal_locked();
    Result<std::optional<kb::Verdict>> latest_verdict_locked();
    struct Decision {
        Permission permission;
        std::optional<Refusal> refusal;
    };
    Result<Decision> decide_locked(std::optional<kb::Verdict> const& given);
    Result<void> apply_latest_checkin_locked(Permission& permission);
    Result<std::vector<StoredClearance>> clearances_locked();
    Result<std::vector<Flag>> flags_locked();
    Result<std::optional<SessionStop>> session_stop_locked();
    Result<bool> screened_since_locked(WallTime at);
    Result<bool> warning_lifted_locked(journal::CheckIn const& warning);
    Result<CheckinContext> checkin_context_locked();

    kb::KnowledgeBase const& m_kb;
    std::unique_ptr<journal::Journal> m_journal;
    Clock const& m_clock;
    TherapistLimitsSource m_therapist_limits;
    std::mutex m_mutex;
};

}
