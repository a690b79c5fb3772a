// Clinic mode's API against a real PostgreSQL server (postgres_server.h): logins, rate limits,
// CSRF, roles on every therapist route, 404 and an audit line for another patient's id,
// invitations, one journal per patient, and the therapist's limits in the patient's plan.
#include "clinic_api_fixture.h"

namespace rc::server::test {
namespace {

TEST_F(ClinicApiTest, LoginSetsAStrictHttpOnlyCookieAndLogoutEndsIt)
{
    auto response = call("POST", "/api/login", R"({"email":"ALEX@clinic.example","password":"therapist-password-1"})");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(body_of(response)["role"], "therapist");
    EXPECT_EQ(body_of(response)["name"], "Alex Moreau");
    auto cookie = set_cookie(response);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure"), std::string::npos);   // plain HTTP on loopback
    Login login { cookie.substr(0, cookie.find(';')), body_of(response)["csrf"] };

    auto me = call("GET", "/api/me", {}, &login);
    ASSERT_EQ(me.status, 200);
    EXPECT_EQ(body_of(me)["email"], "alex@clinic.example");
    EXPECT_EQ(body_of(me)["csrf"], login.csrf);

    EXPECT_EQ(call("POST", "/api/logout", {}, &login).status, 204);
    EXPECT_EQ(call("GET", "/api/me", {}, &login).status, 401);
}

TEST_F(ClinicApiTest, CookieIsSecureBehindAnHttpsProxy)
{
    HttpRequest request;
    request.method = Method::Post;
    request.path = "/api/login";
    request.body = R"({"email":"alex@clinic.example","password":"therapist-password-1"})";
    request.headers["x-forwarded-proto"] = "https";
    auto response = m_api->handle(request);
    ASSERT_EQ(response.status, 200);
    EXPECT_NE(set_cookie(response).find("; Secure"), std::string::npos);
}

TEST_F(ClinicApiTest, WrongPasswordAndUnknownEmailGetTheSameAnswer)
{
    auto wrong = call("POST", "/api/login", R"({"email":"alex@clinic.example","password":"not-the-password"})");
    auto unknown = call("POST", "/api/login", R"({"email":"nobody@clinic.example","password":"not-the-password"})");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.body, unknown.body);
    EXPECT_EQ(body_of(wrong)["error"]["code"], "login_failed");
    EXPECT_EQ(body_of(wrong)["error"]["message"], "That email and password do not match an account.");
    EXPECT_TRUE(set_cookie(wrong).empty());
}

// One error shape for the whole API: the clinic's routes answered {"error": "<code>", "message"}
// where every other route answers {"error": {"code", "message"}}, so a client needed two readers.
TEST_F(ClinicApiTest, ClinicErrorsHaveTheSameShapeAsEveryOtherApiError)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto const expect_api_shape = [](HttpResponse const& response, std::string const& code) {
        auto const body = body_of(response);
        ASSERT_TRUE(body.is_object()) << response.body;
        EXPECT_EQ(body.size(), 1u) << "only \"error\" at the top: " << response.body;
        ASSERT_TRUE(body["error"].is_object()) << response.body;
        EXPECT_EQ(body["error"]["code"], code) << response.body;
        EXPECT_TRUE(body["error"]["message"].is_string()) << response.body;
    };
    // The knowledge base's own 404, through the same front door, is the reference shape.
    expect_api_shape(call("GET", "/api/kb/explain/no_such_thing"), "not_found");
    expect_api_shape(call("GET", "/api/nowhere", {}, &alex), "forbidden");
    expect_api_shape(call("GET", "/api/clinic/nowhere", {}, &alex), "not_found");
    expect_api_shape(call("GET", "/api/clinic/patients/p_999999", {}, &alex), "not_found");
    expect_api_shape(call("GET", "/api/me"), "unauthorized");
    expect_api_shape(call("POST", "/api/login", R"({"email": 7})"), "invalid_argument");
    expect_api_shape(call("POST", "/api/login", R"({"email":"alex@clinic.example","password":"wrong-wrong-wrong"})"), "login_failed");
    expect_api_shape(call("GET", "/api/invite/" + std::string(64, 'a')), "not_found");
    expect_api_shape(call("PUT", "/api/clinic/patients/p_1/limits", R"({"max_minutes":5})", &alex, false), "csrf");
}

TEST_F(ClinicApiTest, AfterFiveFailuresEvenTheRightPasswordWaitsUntilTheWindowPasses)
{
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(call("POST", "/api/login", R"({"email":"alex@clinic.example","password":"guess-guess-guess"})").status, 401);
    auto limited = call("POST", "/api/login", R"({"email":"alex@clinic.example","password":"therapist-password-1"})");
    ASSERT_EQ(limited.status, 429);
    EXPECT_EQ(body_of(limited)["error"]["code"], "rate_limited");
    EXPECT_GT(body_of(limited)["error"]["retry_after_s"].get<int>(), 0);
    // Another account from the same client is not blocked by this account's failures.
    EXPECT_EQ(call("POST", "/api/login", R"({"email":"bea@clinic.example","password":"therapist-password-2"})").status, 200);
    m_clock.advance(16min);
    EXPECT_EQ(call("POST", "/api/login", R"({"email":"alex@clinic.example","password":"therapist-password-1"})").status, 200);
}

TEST_F(ClinicApiTest, OneClientGuessingManyEmailsIsRateLimited)
{
    for (int i = 0; i < 20; ++i)
        call("POST", "/api/login", json { { "email", fmt::format("guess{}@clinic.example", i) }, { "password", "x-x-x-x-x-x" } }.dump(), nullptr,
            true, "10.1.2.3");
    auto limited = call("POST", "/api/login", R"({"email":"alex@clinic.example","password":"therapist-password-1"})", nullptr, true, "10.1.2.3");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(call("POST", "/api/login", R"({"email":"alex@clinic.example","password":"therapist-password-1"})", nullptr, true, "10.1.2.4").status,
        200);
}

TEST_F(ClinicApiTest, WithoutALoginEveryJournalAndClinicRouteIs401)
{
    for (auto const* target : { "/api/status", "/api/plan", "/api/history", "/api/stats", "/api/export?format=json", "/api/report.pdf",
             "/api/clearance", "/api/me", "/api/clinic/patients", "/api/clinic/patients/p_1", "/api/clinic/audit" }) {
        auto response = call("GET", target);
        EXPECT_EQ(response.status, 401) << target;
        EXPECT_EQ(body_of(response)["error"]["code"], "unauthorized") << target;
    }
    EXPECT_EQ(call("POST", "/api/screening", "{}").status, 401);
    // The knowledge base and the health check are public.
    EXPECT_EQ(call("GET", "/api/health").status, 200);
    EXPECT_EQ(call("GET", "/api/kb/zones").status, 200);
}

TEST_F(ClinicApiTest, StateChangesWithoutTheCsrfTokenAreRefused)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto sam = invite_patient(alex, "Sam", "sam@example.org");
    auto const id = patient_id(sam);

    Login forged = sam;
    forged.csrf = std::string(64, 'a');
    for (auto const* who : { &sam, &forged }) {
        bool const with = who == &forged;
        auto screening = call("POST", "/api/screening", all_clear_answers(sam), who, with);
        EXPECT_EQ(screening.status, 403);
        EXPECT_EQ(body_of(screening)["error"]["code"], "csrf");
        EXPECT_EQ(call("POST", "/api/profile", "{}", who, with).status, 403);
        EXPECT_EQ(call("POST", "/api/logout", {}, who, with).status, 403);
    }
    EXPECT_EQ(call("PUT", "/api/clinic/patients/" + id + "/limits", R"({"max_minutes":5})", &alex, false).status, 403);
    EXPECT_EQ(call("POST", "/api/clinic/invites", R"({"name":"Kim","email":"kim@example.org"})", &alex, false).status, 403);
    EXPECT_EQ(call("POST", "/api/clinic/patients/" + id + "/clearance", "{}", &alex, false).status, 403);
    // Nothing was stored: the patient still has no screening, and is still logged in.
    EXPECT_TRUE(body_of(call("GET", "/api/status", {}, &sam))["screening"].is_null());
    EXPECT_EQ(call("POST", "/api/screening", all_clear_answers(sam), &sam).status, 200);
}

TEST_F(ClinicApiTest, APatientIsRefusedEveryTherapistRoute)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto sam = invite_patient(alex, "Sam", "sam@example.org");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    auto const kim_id = patient_id(kim);
    EXPECT_EQ(call("GET", "/api/clinic/patients", {}, &sam).status, 403);
    EXPECT_EQ(call("GET", "/api/clinic/audit", {}, &sam).status, 403);
    EXPECT_EQ(call("POST", "/api/clinic/invites", R"({"name":"Lee","email":"lee@example.org"})", &sam).status, 403);
    // Another patient's id: 404, never 403 (that would confirm it exists), and logged.
    for (auto const& suffix : { std::string(), std::string("/limits"), std::string("/report.pdf"), std::string("/export?format=json") }) {
        auto response = call("GET", "/api/clinic/patients/" + kim_id + suffix, {}, &sam);
        EXPECT_EQ(response.status, 404) << suffix;
    }
    EXPECT_EQ(call("PUT", "/api/clinic/patients/" + kim_id + "/limits", R"({"max_minutes":1})", &sam).status, 404);
    EXPECT_EQ(call("POST", "/api/clinic/patients/" + kim_id + "/clearance", "{}", &sam).status, 404);
    auto entries = m_store->audit(m_store->find_account_by_email("sam@example.org")->value().id, clinic::parse_patient_key(kim_id));
    ASSERT_TRUE(entries);
    EXPECT_EQ(entries->size(), 6u);
    for (auto const& entry : *entries)
        EXPECT_EQ(entry.action, "denied");
    // The limits were not changed by the refused PUT.
    EXPECT_TRUE(body_of(call("GET", "/api/clinic/patients/" + kim_id + "/limits", {}, &alex))["max_minutes"].is_null());
}

TEST_F(ClinicApiTest, ATherapistGets404AndAnAuditLineForAnotherTherapistsPatientOnEveryRoute)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto bea = log_in("bea@clinic.example", "therapist-password-2");
    auto sam = invite_patient(alex, "Sam", "sam@example.org");
    auto const sam_id = patient_id(sam);
    struct Route {
        char const* method;
        std::string suffix;
        std::string body;
    };
    std::vector<Route> const routes { { "GET", "", "" }, { "GET", "/limits", "" }, { "PUT", "/limits", R"({"max_minutes":2})" },
        { "GET", "/clearance", "" }, { "POST", "/clearance", "{}" }, { "GET", "/report.pdf", "" }, { "GET", "/export?format=fhir", "" },
        { "GET", "/export?format=csv&table=sessions", "" } };
    for (auto const& route : routes) {
        auto response = call(route.method, "/api/clinic/patients/" + sam_id + route.suffix, route.body, &bea);
        EXPECT_EQ(response.status, 404) << route.method << " " << route.suffix;
        EXPECT_EQ(body_of(response)["error"]["code"], "not_found");
        // Unknown and malformed ids get the very same answer.
        EXPECT_EQ(call(route.method, "/api/clinic/patients/p_999999" + route.suffix, route.body, &bea).body, response.body);
        EXPECT_EQ(call(route.method, "/api/clinic/patients/x'--" + route.suffix, route.body, &bea).body, response.body);
    }
    auto denied = audit_actions(bea, sam_id);
    EXPECT_EQ(denied.size(), routes.size());
    for (auto const& action : denied)
        EXPECT_EQ(action, "denied");
    EXPECT_TRUE(body_of(call("GET", "/api/clinic/patients", {}, &bea))["patients"].empty());
    // Alex's own log has nothing from Bea's tries; the limits are untouched.
    EXPECT_TRUE(audit_actions(alex, sam_id).empty());
    EXPECT_TRUE(body_of(call("GET", "/api/clinic/patients/" + sam_id + "/limits", {}, &alex))["max_minutes"].is_null());
}

TEST_F(ClinicApiTest, EveryTherapistReadAndChangeOfPatientDataIsAudited)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto sam = invite_patient(alex, "Sam", "sam@example.org");
    auto const id = patient_id(sam);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(sam), &sam).status, 200);

    EXPECT_EQ(call("GET", "/api/clinic/patients", {}, &alex).status, 200);
    auto detail = call("GET", "/api/clinic/patients/" + id, {}, &alex);
    ASSERT_EQ(detail.status, 200) << detail.body;
    auto const document = body_of(detail);
    EXPECT_EQ(document["patient"]["id"], id);
    EXPECT_EQ(document["screenings"].size(), 1u);
    EXPECT_TRUE(document.contains("stats"));
    EXPECT_TRUE(document["clearances"].is_array());
    EXPECT_EQ(call("GET", "/api/clinic/patients/" + id + "/limits", {}, &alex).status, 200);
    EXPECT_EQ(call("PUT", "/api/clinic/patients/" + id + "/limits", R"({"max_minutes":4})", &alex).status, 200);
    auto report = call("GET", "/api/clinic/patients/" + id + "/report.pdf", {}, &alex);
    EXPECT_EQ(report.status, 200);
    EXPECT_EQ(report.content_type, "application/pdf");
    EXPECT_EQ(call("GET", "/api/clinic/patients/" + id + "/export?format=json", {}, &alex).status, 200);
    EXPECT_EQ(call("GET", "/api/clinic/patients/" + id + "/clearance", {}, &alex).status, 200);
    // A clearance that breaks a rule is refused by the same code as the patient's own route.
    auto refused = call("POST", "/api/clinic/patients/" + id + "/clearance", R"({"by":"Alex"})", &alex);
    EXPECT_TRUE(refused.status == 422 || refused.status == 409) << refused.status << " " << refused.body;

    auto actions = audit_actions(alex, id);
    std::vector<std::string> const expected { "add_clearance", "read_clearances", "export", "report", "change_limits", "read_limits", "read_patient" };
    EXPECT_EQ(actions, expected);
    auto all = body_of(call("GET", "/api/clinic/audit", {}, &alex))["entries"];
    EXPECT_EQ(all.back()["action"], "list_patients");
    EXPECT_EQ(all.front()["therapist"], "Alex Moreau");
    EXPECT_EQ(all.front()["patient"], id);
}

TEST_F(ClinicApiTest, InviteShowsItsNameThenWorksOnceAndExpires)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto invited = call("POST", "/api/clinic/invites", R"({"name":"Sam","email":"sam@example.org"})", &alex);
    ASSERT_EQ(invited.status, 201);
    auto link = body_of(invited)["link"].get<std::string>();
    ASSERT_EQ(link.rfind("/invite/", 0), 0u);
    auto const token = link.substr(8);

    auto shown = call("GET", "/api/invite/" + token);
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(body_of(shown)["name"], "Sam");
    EXPECT_EQ(body_of(shown)["email"], "sam@example.org");

    auto short_password = call("POST", "/api/invite/" + token, R"({"password":"short"})");
    EXPECT_EQ(short_password.status, 422);
    EXPECT_NE(body_of(short_password)["error"]["message"].get<std::string>().find("10 characters"), std::string::npos);
    auto accepted = call("POST", "/api/invite/" + token, R"({"password":"a-good-long-password"})");
    ASSERT_EQ(accepted.status, 200);
    EXPECT_EQ(body_of(accepted)["role"], "patient");

    auto reused = call("POST", "/api/invite/" + token, R"({"password":"another-long-password"})");
    EXPECT_EQ(reused.status, 410);
    EXPECT_EQ(body_of(reused)["error"]["code"], "invite_used");
    EXPECT_EQ(body_of(call("GET", "/api/invite/" + token))["error"]["code"], "invite_used");
    EXPECT_EQ(call("GET", "/api/invite/" + std::string(64, '0')).status, 404);
    EXPECT_EQ(call("GET", "/api/invite/not-a-token").status, 404);
    EXPECT_EQ(call("POST", "/api/login", R"({"email":"sam@example.org","password":"a-good-long-password"})").status, 200);

    auto later = call("POST", "/api/clinic/invites", R"({"name":"Kim","email":"kim@example.org"})", &alex);
    auto const late_token = body_of(later)["link"].get<std::string>().substr(8);
    m_clock.advance(73h);
    auto expired = call("POST", "/api/invite/" + late_token, R"({"password":"a-good-long-password"})");
    EXPECT_EQ(expired.status, 410);
    EXPECT_EQ(body_of(expired)["error"]["code"], "invite_expired");
    EXPECT_EQ(call("POST", "/api/login", R"({"email":"kim@example.org","password":"a-good-long-password"})").status, 401);
}

TEST_F(ClinicApiTest, TwoInvitationsForOneEmailMakeOneAccount)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto bea = log_in("bea@clinic.example", "therapist-password-2");
    auto first = body_of(call("POST", "/api/clinic/invites", R"({"name":"Sam","email":"sam@example.org"})", &alex))["link"].get<std::string>();
    auto second = body_of(call("POST", "/api/clinic/invites", R"({"name":"Sam","email":"SAM@example.org"})", &bea))["link"].get<std::string>();
    EXPECT_EQ(call("POST", "/api/invite/" + first.substr(8), R"({"password":"a-good-long-password"})").status, 200);
    auto again = call("POST", "/api/invite/" + second.substr(8), R"({"password":"another-long-password"})");
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(body_of(again)["error"]["code"], "conflict");
    EXPECT_EQ(body_of(call("GET", "/api/clinic/patients", {}, &bea))["patients"].size(), 0u);
}

TEST_F(ClinicApiTest, EachPatientHasTheirOwnJournal)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto sam = invite_patient(alex, "Sam", "sam@example.org");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(sam), &sam).status, 200);
    auto sam_status = body_of(call("GET", "/api/status", {}, &sam));
    EXPECT_FALSE(sam_status["screening"].is_null());
    EXPECT_EQ(sam_status["clinic"], true);
    EXPECT_EQ(sam_status["role"], "patient");
    EXPECT_TRUE(body_of(call("GET", "/api/status", {}, &kim))["screening"].is_null());
    auto sam_plan = call("GET", "/api/plan", {}, &sam);
    EXPECT_EQ(sam_plan.status, 200) << sam_plan.body;
    EXPECT_EQ(call("GET", "/api/plan", {}, &kim).status, 409);
    // A therapist has no journal of their own.
    EXPECT_EQ(call("GET", "/api/plan", {}, &alex).status, 403);
    EXPECT_EQ(body_of(call("GET", "/api/status", {}, &alex))["role"], "therapist");
}

TEST_F(ClinicApiTest, ThePlanObeysTheTherapistsLimitsAndSaysSo)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto sam = invite_patient(alex, "Sam", "sam@example.org");
    auto const id = patient_id(sam);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(sam), &sam).status, 200);
    ASSERT_EQ(call("POST", "/api/profile", R"({"minutes_available":15,"experience":"regular"})", &sam).status, 200);
    auto before = body_of(call("GET", "/api/plan", {}, &sam));
    ASSERT_FALSE(before["steps"].empty());
    // The limits below must have something to remove: the plan rolls the upper back and the glutes.
    bool thoracic = false, glutes = false;
    for (auto const& step : before["steps"]) {
        thoracic = thoracic || step["exercise_id"] == "thoracic_roll";
        for (auto const& zone : step["target_zones"])
            glutes = glutes || zone == "glutes";
    }
    ASSERT_TRUE(thoracic && glutes) << before["steps"].dump();
    ASSERT_GT(before["total_s"].get<int>(), 4 * 60);

    auto bad = call("PUT", "/api/clinic/patients/" + id + "/limits", R"({"excluded_zones":["spleen"]})", &alex);
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(body_of(bad)["error"]["message"].get<std::string>().find("spleen"), std::string::npos);
    // The refusal names the field as the clinic form does and repeats only an excerpt of what came.
    EXPECT_EQ(body_of(bad)["error"]["message"].get<std::string>().rfind("Zones to leave out: \"spleen\"", 0), 0u) << bad.body;
    auto huge = call("PUT", "/api/clinic/patients/" + id + "/limits", json { { "excluded_zones", { std::string(60000, 'z') } } }.dump(), &alex);
    EXPECT_EQ(huge.status, 422);
    EXPECT_LT(body_of(huge)["error"]["message"].get<std::string>().size(), 200u) << "60 KB sent, an excerpt echoed";
    auto minutes = call("PUT", "/api/clinic/patients/" + id + "/limits", R"({"max_minutes":1e400})", &alex);
    EXPECT_TRUE(minutes.status == 400 || minutes.status == 422) << minutes.status << " " << minutes.body;

    auto set = call("PUT", "/api/clinic/patients/" + id + "/limits",
        R"({"excluded_zones":["glutes"],"max_minutes":4,"roller":"soft","pressure":"gentle","exercises_off":["thoracic_roll"]})", &alex);
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_EQ(body_of(set)["set_by"], "Alex Moreau");
    EXPECT_EQ(body_of(set)["set_on"], "2026-12-01");

    auto plan = body_of(call("GET", "/api/plan", {}, &sam));
    ASSERT_TRUE(plan.contains("steps")) << plan.dump();
    EXPECT_LE(plan["total_s"].get<int>(), 4 * 60);
    EXPECT_EQ(plan["pressure"], "gentle");
    for (auto const& step : plan["steps"]) {
        EXPECT_NE(step["exercise_id"], "thoracic_roll");
        for (auto const& zone : step["target_zones"])
            EXPECT_NE(zone, "glutes");
    }
    int therapist_notes = 0;
    for (auto const& note : plan["notes"])
        therapist_notes += note.get<std::string>().find("your therapist set this (Alex Moreau, today)") != std::string::npos ? 1 : 0;
    EXPECT_GE(therapist_notes, 4) << plan["notes"].dump();
    EXPECT_NE(plan["pressure_why"].get<std::string>().find("your therapist set this"), std::string::npos);

    // The therapist lifts them: the plan is back to what it was.
    ASSERT_EQ(call("PUT", "/api/clinic/patients/" + id + "/limits", "{}", &alex).status, 200);
    EXPECT_EQ(body_of(call("GET", "/api/plan", {}, &sam))["steps"], before["steps"]);
}

TEST_F(ClinicApiTest, LiveSessionsRunOnTheLoggedInPatientsJournalWithTheirLimits)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto sam = invite_patient(alex, "Sam", "sam@example.org");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(sam), &sam).status, 200);
    ASSERT_EQ(call("PUT", "/api/clinic/patients/" + patient_id(sam) + "/limits", R"({"exercises_off":["thoracic_roll"]})", &alex).status, 200);
    auto factory = m_api->session_factory();
    auto open = [&](Login const* login) {
        HttpRequest request;
        request.path = "/ws/session";
        if (login)
            request.headers["cookie"] = login->cookie;
        return factory(request, [](std::function<void()> work) { work(); });
    };
    // The server runs a session's journal work on a worker, then its continuation: here, inline.
    auto settle = [&](server::WsOutput out) {
        while (out.offload) {
            auto more = out.offload()(m_clock.now());
            out.offload = std::move(more.offload);
            for (auto& message : more.messages)
                out.messages.push_back(std::move(message));
        }
        return out;
    };
    // No login, or a therapist's: no session (the server answers 404).
    EXPECT_FALSE(open(nullptr));
    EXPECT_FALSE(open(&alex));

    auto session = open(&sam);
    ASSERT_TRUE(session);
    session->on_open(m_clock.now());
    auto started = settle(session->on_text(R"({"type":"start"})", m_clock.now()));
    ASSERT_FALSE(started.messages.empty());
    auto const first = json::parse(started.messages.front());
    EXPECT_EQ(first["type"], "started") << started.messages.front();
    EXPECT_EQ(started.messages.front().find("\"exercise_id\":\"thoracic_roll\""), std::string::npos);
    EXPECT_NE(started.messages.front().find("your therapist set this"), std::string::npos);
    session->on_close(m_clock.now());

    // Kim has no screening in her own journal: her session is refused.
    auto refused = open(&kim);
    ASSERT_TRUE(refused);
    auto answer = settle(refused->on_text(R"({"type":"start"})", m_clock.now()));
    ASSERT_FALSE(answer.messages.empty());
    EXPECT_EQ(json::parse(answer.messages.front())["type"], "error");
}

TEST_F(ClinicApiTest, PatientListPutsWarningsFirstWithAdherenceAndPain)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    auto sam = invite_patient(alex, "Sam", "sam@example.org");
    auto kim = invite_patient(alex, "Kim", "kim@example.org");
    auto const kim_id = patient_id(kim);
    auto const sam_id = patient_id(sam);
    ASSERT_EQ(call("POST", "/api/screening", all_clear_answers(sam), &sam).status, 200);

    // Kim's journal, written directly: three days rolled, pain before each, a warning check-in.
    journal::PostgresOptions options;
    options.schema = fmt::format("patient_{}", *clinic::parse_patient_key(kim_id));
    auto journal = journal::PostgresJournal::open(m_uri, options);
    ASSERT_TRUE(journal) << journal.error().message;
    for (int day = 3; day >= 1; --day) {
        journal::SessionRecord session;
        session.started_at = m_clock.wall_now() - std::chrono::days(day);
        session.ended_at = session.started_at + 5min;
        session.end_reason = journal::EndReason::Completed;
        session.plan = json::object();
        session.completed_steps = json::array();
        session.skipped_steps = json::array();
        session.cues = json::array();
        ASSERT_TRUE((*journal)->add_session(session));
        journal::PainRating pain;
        pain.at = session.started_at - 1min;
        pain.value = 3 + day;
        pain.moment = journal::PainMoment::Standalone;
        ASSERT_TRUE((*journal)->add_pain(pain));
    }
    journal::CheckIn warning;
    warning.at = m_clock.wall_now() - 12h;
    warning.soreness = 7;
    warning.warning = journal::WarningSign::Present;
    warning.tier = "clinician_soon";
    json reason = { { "rule_id", "sharp_pain_after" }, { "tier", "clinician_soon" }, { "message", "Sharp pain after rolling." } };
    warning.verdict = json::object();
    warning.verdict["tier"] = "clinician_soon";
    warning.verdict["reasons"] = json::array({ reason });
    ASSERT_TRUE((*journal)->add_checkin(warning));

    auto list = call("GET", "/api/clinic/patients", {}, &alex);
    ASSERT_EQ(list.status, 200) << list.body;
    auto const patients = body_of(list)["patients"];
    ASSERT_EQ(patients.size(), 2u);
    EXPECT_EQ(patients[0]["id"], kim_id);
    EXPECT_EQ(patients[0]["last_session"], "2026-11-30");
    EXPECT_DOUBLE_EQ(patients[0]["adherence_4w"].get<double>(), 0.15);   // 3 days of 20 planned
    EXPECT_EQ(patients[0]["pain_trend"]["first"], 6.0);
    EXPECT_EQ(patients[0]["pain_trend"]["last"], 4.0);
    EXPECT_EQ(patients[0]["pain_trend"]["points"].size(), 3u);
    ASSERT_EQ(patients[0]["warnings"].size(), 1u);
    EXPECT_EQ(patients[0]["warnings"][0]["kind"], "checkin_warning");
    EXPECT_EQ(patients[0]["warnings"][0]["rule_id"], "sharp_pain_after");
    EXPECT_EQ(patients[1]["id"], sam_id);
    EXPECT_TRUE(patients[1]["last_session"].is_null());
    EXPECT_TRUE(patients[1]["warnings"].empty());
}

}
}
