#include "server/clinic_api.h"

#include "clinic/password.h"
#include "clinic/patient_summary.h"
#include "coach/coach.h"
#include "coach/therapist_limits.h"
#include "journal/postgres_journal.h"
#include "journal/records.h"
#include "server/live_session.h"

#include <algorithm>
#include <charconv>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace rc::server {

using nlohmann::json;
using clinic::Account;
using clinic::AccountId;
using clinic::Role;

struct ClinicApi::Patient {
    std::unique_ptr<coach::Coach> coach;
    std::unique_ptr<Api> api;
    WsHandlerFactory sessions;
    MonoTime last_used {};
};

namespace {

// The patient detail's history: the newest sessions, check-ins and screenings, this many of each
// (the page lists 50 of each), more on request.
constexpr int detail_history_page = 50;
constexpr int detail_history_most = 5000;

// A delay after which an idle patient's journal is closed (its parked session is gone by then).
constexpr auto idle_close = std::chrono::minutes(10);

char const* const login_failed_message = "That email and password do not match an account.";

HttpResponse storage_failure(Error const& error)
{
    fmt::print(stderr, "rollcoach serve --clinic: {}\n", error.message);
    return error_response(503, "unavailable", "The clinic's database cannot be reached just now; nothing was changed. Try again in a moment.");
}

std::optional<std::string> cookie_value(HttpRequest const& request, std::string_view name)
{
    auto const* header = request.find_header("cookie");
    if (!header)
        return std::nullopt;
    std::string_view rest = *header;
    while (!rest.empty()) {
        auto const end = rest.find(';');
        auto part = rest.substr(0, end);
        while (!part.empty() && part.front() == ' ')
            part.remove_prefix(1);
        if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
            return std::string(part.substr(name.size() + 1));
        if (end == std::string_view::npos)
            break;
        rest.remove_prefix(end + 1);
    }
    return std::nullopt;
}

bool is_token(std::string const& text)
{
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool state_changing(HttpRequest const& request)
{
    return request.method != Method::Get && request.method != Method::Head;
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string today(Clock const& clock)
{
    return journal::format_utc(clock.wall_now()).substr(0, 10);
}

// Keeps a patient's coach open while one of their live sessions runs.
class HeldSession final : public WsHandler {
public:
    HeldSession(std::unique_ptr<WsHandler> inner, std::shared_ptr<void> hold)
        : m_inner(std::move(inner))
        , m_hold(std::move(hold))
    {
    }
    WsOutput on_open(MonoTime now) override { return m_inner->on_open(now); }
    WsOutput on_text(std::string const& text, MonoTime now) override { return m_inner->on_text(text, now); }
    WsOutput on_binary(std::span<std::uint8_t const> bytes, MonoTime now) override { return m_inner->on_binary(bytes, now); }
    WsOutput on_timer(MonoTime now) override { return m_inner->on_timer(now); }
    void on_close(MonoTime now) override { m_inner->on_close(now); }

private:
    std::unique_ptr<WsHandler> m_inner;
    std::shared_ptr<void> m_hold;
};

}

ClinicApi::ClinicApi(kb::KnowledgeBase const& kb, clinic::ClinicStore& store, Clock const& clock, ClinicOptions options)
    : m_kb(kb)
    , m_store(store)
    , m_clock(clock)
    , m_options(std::move(options))
    , m_limiter(m_options.login_limits)
    , m_public(ApiServices { kb, nullptr, std::nullopt })
{
}

ClinicApi::~ClinicApi() = default;

Result<std::optional<ClinicApi::Caller>> ClinicApi::authenticate(HttpRequest const& request)
{
    auto token = cookie_value(request, "rc_session");
    if (!token || !is_token(*token))
        return std::optional<Caller> {};
    auto login = TRY(m_store.find_login(*token, m_clock.wall_now()));
    if (!login)
        return std::optional<Caller> {};
    return std::optional<Caller>(Caller { std::move(*login), *token });
}

Result<std::shared_ptr<ClinicApi::Patient>> ClinicApi::open_patient(Account const& account)
{
    {
        std::lock_guard lock(m_patients_mutex);
        if (auto it = m_patients.find(account.id); it != m_patients.end()) {
            it->second->last_used = m_clock.now();
            return it->second;
        }
    }
    // Opened without the map's lock (a connection, perhaps the journal's migrations: tens of
    // milliseconds), so one patient's first request never holds up another's.
    journal::PostgresOptions options;
    options.schema = account.journal_schema;
    auto journal = TRY(journal::PostgresJournal::open(m_options.database, std::move(options)));
    auto patient = std::make_shared<Patient>();
    patient->coach = std::make_unique<coach::Coach>(m_kb, std::move(journal), m_clock);
    patient->coach->set_therapist_limits_source([&store = m_store, id = account.id]() -> Result<std::optional<coach::TherapistLimits>> {
        auto document = TRY(store.find_limits(id));
        if (!document)
            return std::optional<coach::TherapistLimits> {};
        return std::optional<coach::TherapistLimits>(TRY(coach::read_therapist_limits(*document)));
    });
    patient->api = std::make_unique<Api>(ApiServices { m_kb, patient->coach.get(), m_options.voice });
    patient->sessions = live_session_factory(*patient->coach, m_options.speed, resume_grace, SpoolSlot { m_options.spool, account.journal_schema });

    std::lock_guard lock(m_patients_mutex);
    auto const now = m_clock.now();
    if (auto it = m_patients.find(account.id); it != m_patients.end()) {
        // Another worker opened it meanwhile: theirs is the one (ours closes unused).
        it->second->last_used = now;
        return it->second;
    }
    if (m_patients.size() >= m_options.max_open_patients) {
        // Close journals idle for a while that no live session or request holds.
        std::erase_if(m_patients, [&](auto const& entry) { return entry.second.use_count() == 1 && now - entry.second->last_used > idle_close; });
    }
    patient->last_used = now;
    m_patients.emplace(account.id, patient);
    return patient;
}

void ClinicApi::audit(Caller const& caller, std::string const& action, std::optional<AccountId> patient, HttpRequest const& request)
{
    auto const& account = caller.login.account;
    if (auto written = m_store.add_audit(account.id, action, patient, request.path, m_clock.wall_now()); !written)
        fmt::print(stderr, "rollcoach serve --clinic: could not write the audit line ({} {} {}): {}\n", account.email, action, request.path,
            written.error().message);
}

HttpResponse ClinicApi::handle(HttpRequest const& request)
{
    auto const& path = request.path;
    if (path == "/api/health" || path == "/api/kb" || path.rfind("/api/kb/", 0) == 0)
        return m_public.handle(request);
    if (path == "/api/login") {
        if (request.method != Method::Post)
            return error_response(405, "method_not_allowed", "Log in with POST.");
        return login(request);
    }
    if (path.rfind("/api/invite/", 0) == 0)
        return invite(request, path.substr(std::string_view("/api/invite/").size()));

    auto caller = authenticate(request);
    if (!caller)
        return storage_failure(caller.error());
    if (path == "/api/logout" && request.method == Method::Post && !*caller)
        return logout(request);
    if (!*caller)
        return error_response(401, "unauthorized", "Log in first.");
    if (state_changing(request)) {
        auto const* sent = request.find_header("x-csrf-token");
        if (!sent || !clinic::same_secret(*sent, (*caller)->login.csrf))
            return error_response(403, "csrf", "This change was refused: the page's security token is missing or out of date. Reload the page and try again.");
    }
    if (path == "/api/logout") {
        if (request.method != Method::Post)
            return error_response(405, "method_not_allowed", "Log out with POST.");
        return logout(request);
    }
    if (path == "/api/me")
        return me(**caller);
    if ((*caller)->login.account.role == Role::Patient)
        return as_patient(request, **caller);
    return as_therapist(request, **caller);
}

HttpResponse ClinicApi::signed_in(Account const& account, clinic::NewLogin const& login, HttpRequest const& request)
{
    auto response = json_response(200, { { "role", clinic::to_string(account.role) }, { "name", account.name }, { "csrf", login.csrf } });
    auto const* proto = request.find_header("x-forwarded-proto");
    bool const secure = m_options.secure_cookies || (proto && lower(*proto) == "https");
    response.headers.emplace_back("Set-Cookie",
        fmt::format("rc_session={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", login.token,
            std::chrono::duration_cast<std::chrono::seconds>(clinic::login_lifetime).count(), secure ? "; Secure" : ""));
    return response;
}

HttpResponse ClinicApi::login(HttpRequest const& request)
{
    auto body = parse_json_body(request);
    if (!body || !body->is_object() || !(*body)["email"].is_string() || !(*body)["password"].is_string())
        return error_response(400, "invalid_argument", "Send {\"email\": \"...\", \"password\": \"...\"}.");
    auto const email = (*body)["email"].get<std::string>();
    auto const password = (*body)["password"].get<std::string>();
    clinic::LoginAttempt const attempt { lower(email), request.remote_address };
    auto const now = m_clock.now();
    if (auto wait = m_limiter.retry_after(attempt, now)) {
        auto response = json_response(429, { { "error", { { "code", "rate_limited" },
                                                             { "message", fmt::format("Too many failed logins. Try again in {} seconds.", wait->count()) },
                                                             { "retry_after_s", wait->count() } } } });
        response.headers.emplace_back("Retry-After", std::to_string(wait->count()));
        return response;
    }
    auto account = m_store.find_account_by_email(email);
    if (!account)
        return storage_failure(account.error());
    bool const ok = *account ? clinic::verify_password((*account)->password_hash, password) : (clinic::spend_verification_time(password), false);
    if (!ok) {
        m_limiter.record_failure(attempt, now);
        fmt::print(stderr, "rollcoach serve --clinic: failed login for {} from {}\n", attempt.account, request.remote_address);
        return error_response(401, "login_failed", login_failed_message);
    }
    m_limiter.record_success(attempt);
    auto login = m_store.create_login((*account)->id, m_clock.wall_now());
    if (!login)
        return storage_failure(login.error());
    // A patient's journal is opened now, on the worker thread, rather than by their first live
    // session on the I/O thread that times every session's cues (docs/clinic.md "Scale"). A
    // failure here is not the login's: the first use opens it again and says so.
    if ((*account)->role == Role::Patient)
        (void)open_patient(**account);
    return signed_in(**account, *login, request);
}

HttpResponse ClinicApi::logout(HttpRequest const& request)
{
    if (auto token = cookie_value(request, "rc_session"); token && is_token(*token))
        (void)m_store.delete_login(*token);
    HttpResponse response;
    response.status = 204;
    response.headers.emplace_back("Set-Cookie", "rc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return response;
}

HttpResponse ClinicApi::me(Caller const& caller)
{
    auto const& account = caller.login.account;
    json body = { { "role", clinic::to_string(account.role) }, { "name", account.name }, { "email", account.email }, { "csrf", caller.login.csrf } };
    if (account.role == Role::Patient)
        body["patient_id"] = clinic::patient_key(account.id);
    return json_response(200, body);
}

HttpResponse ClinicApi::invite(HttpRequest const& request, std::string const& token)
{
    char const* const unknown = "This invitation link is not known. Check the link, or ask your therapist for a new one.";
    if (!is_token(token))
        return error_response(404, "not_found", unknown);
    auto found = m_store.find_invite(token, m_clock.wall_now());
    if (!found)
        return storage_failure(found.error());
    if (!*found)
        return error_response(404, "not_found", unknown);
    auto const& invite = **found;
    if (invite.state == clinic::InviteState::Used)
        return error_response(410, "invite_used", "This invitation has already been used. Log in with your email and password, or ask your therapist for a new link.");
    if (invite.state == clinic::InviteState::Expired)
        return error_response(410, "invite_expired", "This invitation has expired. Ask your therapist for a new link.");
    if (request.method == Method::Get || request.method == Method::Head)
        return json_response(200, { { "name", invite.name }, { "email", invite.email }, { "expires", journal::format_utc(invite.expires_at) } });
    if (request.method != Method::Post)
        return error_response(405, "method_not_allowed", "Read an invitation with GET, accept it with POST.");

    auto body = parse_json_body(request);
    if (!body || !body->is_object() || !(*body)["password"].is_string())
        return error_response(400, "invalid_argument", "Send {\"password\": \"...\"}.");
    auto account = m_store.accept_invite(token, (*body)["password"].get<std::string>(), m_clock.wall_now());
    if (!account) {
        auto const& error = account.error();
        if (error.code == ErrorCode::InvalidData)
            return error_response(422, "invalid_password", error.message);
        if (error.message == "invite_used" || error.message == "invite_expired")
            return error_response(410, error.message, "This invitation can no longer be used. Ask your therapist for a new link.");
        if (error.code == ErrorCode::NotFound)
            return error_response(404, "not_found", unknown);
        if (error.code == ErrorCode::Conflict)   // a second invitation for an email that has an account by now
            return error_response(409, "conflict", "This email already has an account. Log in with it, or ask your therapist.");
        return storage_failure(error);
    }
    // The journal's tables are made now, so the therapist's list can read them at once.
    if (auto opened = open_patient(*account); !opened)
        return storage_failure(opened.error());
    auto login = m_store.create_login(account->id, m_clock.wall_now());
    if (!login)
        return storage_failure(login.error());
    return signed_in(*account, *login, request);
}

HttpResponse ClinicApi::as_patient(HttpRequest const& request, Caller const& caller)
{
    auto const& path = request.path;
    if (path.rfind("/api/clinic/patients/", 0) == 0) {
        // A patient naming a patient: never confirm that it exists.
        auto key = path.substr(std::string_view("/api/clinic/patients/").size());
        key = key.substr(0, key.find('/'));
        audit(caller, "denied", clinic::parse_patient_key(key), request);
        return error_response(404, "not_found", "There is no such patient.");
    }
    if (path == "/api/clinic" || path.rfind("/api/clinic/", 0) == 0)
        return error_response(403, "forbidden", "Only therapists can open this.");
    auto patient = open_patient(caller.login.account);
    if (!patient)
        return storage_failure(patient.error());
    auto response = (*patient)->api->handle(request);
    if (path == "/api/status" && response.status == 200) {
        try {
            auto body = json::parse(response.body);
            body["clinic"] = true;
            body["role"] = "patient";
            return json_response(200, body);
        } catch (json::exception const&) {
        }
    }
    return response;
}

HttpResponse ClinicApi::as_therapist(HttpRequest const& request, Caller const& caller)
{
    auto const& path = request.path;
    auto const& me = caller.login.account;
    if (path == "/api/status")
        return json_response(200, { { "clinic", true }, { "role", "therapist" }, { "name", me.name } });
    if (path == "/api/clinic/patients") {
        if (request.method != Method::Get && request.method != Method::Head)
            return error_response(405, "method_not_allowed", "The patient list is read with GET.");
        auto patients = m_store.patients_of(me.id);
        if (!patients)
            return storage_failure(patients.error());
        auto list = clinic::patient_summaries(m_store, *patients, m_clock.wall_now(), m_kb, m_summaries);
        if (!list)
            return storage_failure(list.error());
        audit(caller, "list_patients", std::nullopt, request);
        return json_response(200, { { "patients", std::move(*list) } });
    }
    if (path == "/api/clinic/invites") {
        if (request.method != Method::Post)
            return error_response(405, "method_not_allowed", "Invite a patient with POST.");
        auto body = parse_json_body(request);
        if (!body || !body->is_object() || !(*body)["name"].is_string() || !(*body)["email"].is_string())
            return error_response(400, "invalid_argument", "Send {\"name\": \"...\", \"email\": \"...\"}.");
        auto invite = m_store.create_invite(me.id, (*body)["name"].get<std::string>(), (*body)["email"].get<std::string>(), m_clock.wall_now());
        if (!invite) {
            auto const& error = invite.error();
            if (error.code == ErrorCode::InvalidData)
                return error_response(422, "invalid_argument", error.message);
            if (error.code == ErrorCode::Conflict)
                return error_response(409, "conflict", error.message);
            return storage_failure(error);
        }
        return json_response(201, { { "link", "/invite/" + invite->token }, { "expires", journal::format_utc(invite->expires_at) } });
    }
    if (path == "/api/clinic/audit") {
        std::optional<AccountId> patient;
        if (auto const* key = request.find_query("patient")) {
            patient = clinic::parse_patient_key(*key);
            if (!patient)
                return error_response(404, "not_found", "There is no patient with that id among yours.");
        }
        auto entries = m_store.audit(me.id, patient);
        if (!entries)
            return storage_failure(entries.error());
        json out = json::array();
        for (auto const& entry : *entries)
            out.push_back({ { "at", journal::format_utc(entry.at) }, { "therapist", entry.account }, { "action", entry.action },
                { "patient", entry.patient_id ? json(clinic::patient_key(*entry.patient_id)) : json(nullptr) }, { "route", entry.route } });
        return json_response(200, { { "entries", out } });
    }
    if (path.rfind("/api/clinic/patients/", 0) == 0) {
        auto rest = path.substr(std::string_view("/api/clinic/patients/").size());
        auto const slash = rest.find('/');
        auto key = rest.substr(0, slash);
        return patient_route(request, caller, key, slash == std::string::npos ? std::string() : rest.substr(slash + 1));
    }
    if (path.rfind("/api/clinic", 0) == 0)
        return error_response(404, "not_found", fmt::format("No clinic API at {}.", path));
    return error_response(403, "forbidden", "This is a patient's own page; a therapist sees a patient's data under /api/clinic/patients/.");
}

HttpResponse ClinicApi::patient_route(HttpRequest const& request, Caller const& caller, std::string const& key, std::string const& rest)
{
    auto const& me = caller.login.account;
    auto const id = clinic::parse_patient_key(key);
    std::optional<Account> patient;
    if (id) {
        auto found = m_store.find_account(*id);
        if (!found)
            return storage_failure(found.error());
        patient = std::move(*found);
    }
    // Unknown, not a patient, or another therapist's: the same 404, and a line in the audit log.
    if (!patient || patient->role != Role::Patient || patient->therapist_id != me.id) {
        audit(caller, "denied", id, request);
        return error_response(404, "not_found", "There is no patient with that id among yours.");
    }
    auto opened = open_patient(*patient);
    if (!opened)
        return storage_failure(opened.error());
    auto& coach = *(*opened)->coach;
    bool const get = request.method == Method::Get || request.method == Method::Head;

    auto delegate = [&](std::string const& action, std::string const& to_path) {
        audit(caller, action, patient->id, request);
        HttpRequest inner = request;
        inner.path = to_path;
        return (*opened)->api->handle(inner);
    };

    if (rest.empty()) {
        if (!get)
            return error_response(405, "method_not_allowed", "A patient's record is read with GET.");
        auto summary = clinic::patient_summaries(m_store, { *patient }, m_clock.wall_now(), m_kb, m_summaries);
        if (!summary)
            return storage_failure(summary.error());
        // The first page of the history, per kind (a year of daily sessions must not push the
        // screenings out): the page asks for more (?history=N) when the therapist wants older
        // entries; the report and the exports have everything.
        int history_limit = detail_history_page;
        if (auto const* asked = request.find_query("history")) {
            int n = 0;
            auto [end, ec] = std::from_chars(asked->data(), asked->data() + asked->size(), n);
            if (ec != std::errc() || end != asked->data() + asked->size() || n < 1 || n > detail_history_most)
                return error_response(400, "invalid_argument", fmt::format("history must be a number of entries from 1 to {}.", detail_history_most));
            history_limit = n;
        }
        auto stats = coach.stats(std::chrono::seconds(0), coach::Coach::SessionDays::Left);   // the page draws no streak calendar
        using journal::EntryKind;
        auto history = coach.history({ history_limit, { EntryKind::Session, EntryKind::CheckIn, EntryKind::Screening }, true });
        auto clearances = coach.clearances();
        auto limits = m_store.find_limits(patient->id);
        for (auto const* failed : { stats ? nullptr : &stats.error(), history ? nullptr : &history.error(),
                 clearances ? nullptr : &clearances.error(), limits ? nullptr : &limits.error() })
            if (failed)
                return storage_failure(*failed);
        json sessions = json::array(), checkins = json::array(), screenings = json::array();
        for (auto const& entry : *history) {
            auto const kind = entry.value("kind", std::string());
            if (kind == "session")
                sessions.push_back(entry);
            else if (kind == "checkin")
                checkins.push_back(entry);
            else if (kind == "screening")
                screenings.push_back(entry);
        }
        audit(caller, "read_patient", patient->id, request);
        // Each kind read up to the limit: fewer than that is all of that kind.
        auto complete = [&](json const& list) { return list.size() < std::size_t(history_limit); };
        json const history_page = { { "limit", history_limit }, { "complete", complete(sessions) && complete(checkins) && complete(screenings) },
            { "complete_kinds", { { "sessions", complete(sessions) }, { "checkins", complete(checkins) }, { "screenings", complete(screenings) } } } };
        return json_response(200, { { "patient", summary->at(0) }, { "stats", *stats }, { "sessions", sessions }, { "checkins", checkins },
                                      { "screenings", screenings }, { "clearances", (*clearances)["clearances"] }, { "history", history_page },
                                      { "limits", *limits ? **limits : coach::to_json(coach::TherapistLimits {}) } });
    }
    if (rest == "limits") {
        if (get) {
            auto limits = m_store.find_limits(patient->id);
            if (!limits)
                return storage_failure(limits.error());
            audit(caller, "read_limits", patient->id, request);
            return json_response(200, *limits ? **limits : coach::to_json(coach::TherapistLimits {}));
        }
        if (request.method != Method::Put)
            return error_response(405, "method_not_allowed", "Set the limits with PUT.");
        auto body = parse_json_body(request);
        if (!body)
            return error_response(400, "invalid_argument", body.error().message);
        auto limits = coach::parse_therapist_limits(m_kb, *body);
        if (!limits)
            return error_response(422, "invalid_data", limits.error().message);
        limits->set_by = me.name;
        limits->set_on = today(m_clock);
        auto document = coach::to_json(*limits);
        if (auto saved = m_store.save_limits(patient->id, document, me.id, m_clock.wall_now()); !saved)
            return storage_failure(saved.error());
        audit(caller, "change_limits", patient->id, request);
        return json_response(200, document);
    }
    if (rest == "clearance")
        return delegate(get ? "read_clearances" : "add_clearance", "/api/clearance");
    if (rest == "report.pdf")
        return get ? delegate("report", "/api/report.pdf") : error_response(405, "method_not_allowed", "The report is read with GET.");
    if (rest == "export")
        return get ? delegate("export", "/api/export") : error_response(405, "method_not_allowed", "The export is read with GET.");
    audit(caller, "denied", patient->id, request);
    return error_response(404, "not_found", "No such page for this patient.");
}

WsHandlerFactory ClinicApi::session_factory()
{
    return [this](HttpRequest const& request, BackgroundPoster background) -> std::unique_ptr<WsHandler> {
        auto caller = authenticate(request);
        if (!caller || !*caller || (*caller)->login.account.role != Role::Patient)
            return nullptr;   // answered 404 by the server: no session without a patient's login
        auto patient = open_patient((*caller)->login.account);
        if (!patient)
            return nullptr;
        // Background work (the record of a connection that closed, the parking's) keeps the
        // patient's coach open until it has run. A weak pointer in the poster itself: the
        // parking keeps the poster, and the patient keeps the parking.
        BackgroundPoster held;
        if (background)
            held = [background = std::move(background), patient = std::weak_ptr<Patient>(*patient)](std::function<void()> work) {
                background([hold = patient.lock(), work = std::move(work)] { work(); });
            };
        auto inner = (*patient)->sessions(request, std::move(held));
        if (!inner)
            return nullptr;
        return std::make_unique<HeldSession>(std::move(inner), *patient);
    };
}

}
