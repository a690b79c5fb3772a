// The clinic API's test fixture: a fresh database on the tests' own PostgreSQL server
// (postgres_server.h), a ClinicStore and a ClinicApi driven through its handler (no sockets), two
// therapists (alex@ and bea@clinic.example), and helpers to log in, invite a patient and answer
// the screening. Shared by the clinic's API test files.
#pragma once

#include "clinic/clinic_store.h"
#include "clinic/patient_summary.h"
#include "journal/postgres_journal.h"
#include "postgres_server.h"
#include "server/clinic_api.h"
#include "shipped_kb.h"

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rc::server::test {

using nlohmann::json;
using namespace std::chrono_literals;

struct Login {
    std::string cookie;   // "rc_session=..."
    std::string csrf;
};

class ClinicApiTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto* server = journal::test::PostgresEnvironment::server();
        ASSERT_TRUE(server);
        auto uri = server->create_database();
        ASSERT_TRUE(uri) << uri.error().message;
        m_uri = *uri;
        auto store = clinic::ClinicStore::open(m_uri);
        ASSERT_TRUE(store) << store.error().message;
        m_store = std::move(*store);
        m_clock.set_wall(std::chrono::sys_days { std::chrono::year { 2026 } / 12 / 1 } + 8h);
        ClinicOptions options;
        options.database = m_uri;
        m_api = std::make_unique<ClinicApi>(rc::test::shipped_kb(), *m_store, m_clock, options);
        ASSERT_TRUE(m_store->add_therapist("alex@clinic.example", "Alex Moreau", "therapist-password-1", m_clock.wall_now()));
        ASSERT_TRUE(m_store->add_therapist("bea@clinic.example", "Bea Lund", "therapist-password-2", m_clock.wall_now()));
    }

    HttpResponse call(std::string const& method, std::string const& target, std::string const& body = {}, Login const* login = nullptr,
        bool with_csrf = true, std::string const& client = "127.0.0.1")
    {
        return call_on(*m_api, method, target, body, login, with_csrf, client);
    }

    // The same request, answered by `api` (another server process's ClinicApi, in some tests).
    static HttpResponse call_on(ClinicApi& api, std::string const& method, std::string const& target, std::string const& body = {},
        Login const* login = nullptr, bool with_csrf = true, std::string const& client = "127.0.0.1")
    {
        HttpRequest request;
        request.method = method == "GET" ? Method::Get : method == "POST" ? Method::Post : method == "PUT" ? Method::Put : Method::Delete;
        request.target = target;
        auto parsed = parse_target(target);
        EXPECT_TRUE(parsed);
        request.path = parsed->first;
        request.query = parsed->second;
        request.body = body;
        request.remote_address = client;
        if (login) {
            request.headers["cookie"] = "theme=dark; " + login->cookie;
            if (with_csrf)
                request.headers["x-csrf-token"] = login->csrf;
        }
        return api.handle(request);
    }

    // The all-clear answers with a cancer history: a red flag that a clearance can cover.
    static std::string flagged_answers(std::string const& all_clear)
    {
        auto body = json::parse(all_clear);
        body["answers"]["cancer_history"] = "yes";
        return body.dump();
    }

    static json body_of(HttpResponse const& response) { return json::parse(response.body); }

    static std::string set_cookie(HttpResponse const& response)
    {
        for (auto const& [name, value] : response.headers)
            if (name == "Set-Cookie")
                return value;
        return {};
    }

    Login log_in(std::string const& email, std::string const& password)
    {
        auto response = call("POST", "/api/login", json { { "email", email }, { "password", password } }.dump());
        EXPECT_EQ(response.status, 200) << response.body;
        auto cookie = set_cookie(response);
        return { cookie.substr(0, cookie.find(';')), body_of(response).value("csrf", "") };
    }

    // A therapist invites; the patient accepts and is logged in. Returns the patient's login.
    Login invite_patient(Login const& therapist, std::string const& name, std::string const& email)
    {
        auto invited = call("POST", "/api/clinic/invites", json { { "name", name }, { "email", email } }.dump(), &therapist);
        EXPECT_EQ(invited.status, 201) << invited.body;
        auto link = body_of(invited)["link"].get<std::string>();
        auto token = link.substr(link.rfind('/') + 1);
        auto accepted = call("POST", "/api/invite/" + token, json { { "password", "patient-password-" + name } }.dump());
        EXPECT_EQ(accepted.status, 200) << accepted.body;
        auto cookie = set_cookie(accepted);
        return { cookie.substr(0, cookie.find(';')), body_of(accepted).value("csrf", "") };
    }

    std::string patient_id(Login const& patient) { return body_of(call("GET", "/api/me", {}, &patient))["patient_id"].get<std::string>(); }

    // Every screening question answered "no" (age 40): a proceed verdict.
    std::string all_clear_answers(Login const& patient)
    {
        json answers = json::object();
        auto const questions = body_of(call("GET", "/api/screening", {}, &patient));
        for (auto const& q : questions["questions"]) {
            if (q["type"] == "number")
                answers[q["id"].get<std::string>()] = 40;
            else if (q["type"] == "yes_no")
                answers[q["id"].get<std::string>()] = "no";
            else
                answers[q["id"].get<std::string>()] = q["choices"][0]["id"];
        }
        return json { { "answers", answers } }.dump();
    }

    std::vector<std::string> audit_actions(Login const& therapist, std::string const& patient)
    {
        std::vector<std::string> actions;
        auto const log = body_of(call("GET", "/api/clinic/audit?patient=" + patient, {}, &therapist));
        for (auto const& entry : log["entries"])
            actions.push_back(entry["action"].get<std::string>());
        return actions;
    }

    std::string m_uri;
    FakeClock m_clock;
    std::unique_ptr<clinic::ClinicStore> m_store;
    std::unique_ptr<ClinicApi> m_api;
};

}
