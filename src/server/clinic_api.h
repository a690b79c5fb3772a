// Clinic mode's front door to the API (`rollcoach serve --clinic --db postgresql://...`,
// docs/clinic.md; the contract with the web app is COORD.md section B):
//
//   POST /api/login {"email","password"}   200 {"role","name","csrf"} + cookie rc_session | 401 | 429
//   POST /api/logout                       204        GET /api/me   {"role","name","email","csrf","patient_id"?}
//   GET|POST /api/invite/{token}           the invitation, and accepting it with {"password"}
//   every other /api/* route and /ws/session   a patient's own journal, unchanged (Api)
//   /api/clinic/...                        the therapist's routes (api_clinic.cpp)
//
// Who may do what is decided here, on every request: no login -> 401; a state change without
// the login's X-CSRF-Token -> 403; a therapist only reaches their own patients, and a patient
// only their own journal; any other patient id -> 404, written to the audit log with every
// read or change of patient data by a therapist. Errors are {"error": {"code", "message"}}, as
// everywhere in the API (a 429 adds "retry_after_s" inside "error").
//
// Each patient gets their own Coach over a PostgresJournal in their schema, opened on first use
// and closed after a while unused (never while a live session holds it).
//
// Threads: handle() runs on every server worker at once and session_factory() on the I/O thread.
// One patient's requests are serialised by their Coach's mutex (their one journal connection);
// different patients' run side by side. The store has a pool of connections, the login limiter
// and the patient map their own mutexes; opening a patient's journal happens outside the map's.
#pragma once

#include "clinic/clinic_store.h"
#include "clinic/login_limiter.h"
#include "clinic/patient_summary.h"
#include "server/api.h"
#include "server/record_spool.h"
#include "server/ws_handler.h"

#include <map>
#include <memory>
#include <mutex>

namespace rc::server {

struct ClinicOptions {
    std::string database;                 // the postgresql:// URL of the clinic's database
    bool secure_cookies { false };        // behind a TLS proxy: cookies marked Secure (also when X-Forwarded-Proto: https)
    double speed { 1.0 };                 // live sessions' speed (tests)
    std::optional<VoiceOptions> voice;
    std::size_t max_open_patients { 64 }; // patients' journals kept open when idle
    clinic::LoginLimits login_limits {};
    std::shared_ptr<RecordSpool> spool;   // refused session records, per patient journal schema (record_spool.h)
};

class ClinicApi final : public RequestHandler {
public:
    ClinicApi(kb::KnowledgeBase const& kb, clinic::ClinicStore& store, Clock const& clock, ClinicOptions options);
    ~ClinicApi() override;
    HttpResponse handle(HttpRequest const& request) override;
    // /ws/session for the logged-in patient, on their own journal.
    WsHandlerFactory session_factory();
    // The patient list's kept summaries (clinic/patient_summary.h), for the tests.
    clinic::SummaryCache const& summaries() const { return m_summaries; }

private:
    struct Patient;
    struct Caller {
        clinic::Login login;
        std::string token;
    };

    Result<std::optional<Caller>> authenticate(HttpRequest const& request);
    Result<std::shared_ptr<Patient>> open_patient(clinic::Account const& account);

    HttpResponse login(HttpRequest const& request);
    HttpResponse logout(HttpRequest const& request);
    HttpResponse invite(HttpRequest const& request, std::string const& token);
    HttpResponse me(Caller const& caller);
    HttpResponse as_patient(HttpRequest const& request, Caller const& caller);
    HttpResponse as_therapist(HttpRequest const& request, Caller const& caller);
    HttpResponse patient_route(HttpRequest const& request, Caller const& caller, std::string const& key, std::string const& rest);
    HttpResponse signed_in(clinic::Account const& account, clinic::NewLogin const& login, HttpRequest const& request);
    void audit(Caller const& caller, std::string const& action, std::optional<clinic::AccountId> patient, HttpRequest const& request);

    kb::KnowledgeBase const& m_kb;
    clinic::ClinicStore& m_store;
    Clock const& m_clock;
    ClinicOptions m_options;
    clinic::LoginLimiter m_limiter;
    Api m_public;   // /api/health and /api/kb: no journal, no login
    std::mutex m_patients_mutex;
    std::map<clinic::AccountId, std::shared_ptr<Patient>> m_patients;
    clinic::SummaryCache m_summaries;
};

}
