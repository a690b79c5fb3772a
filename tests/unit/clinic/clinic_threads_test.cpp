// ClinicApi called from many threads at once, in one process, as `serve --clinic` calls it from
// its workers and its I/O thread (docs/clinic.md "Threads"), so that `make tsan` sees both sides
// of every access with their stacks: patients' first requests racing to open the same journal,
// a pool of two store connections for nine threads, failed logins counted by the limiter while
// others log in, the therapist's list and its summary cache, a live session opened and saved on
// the "I/O thread", and, once every journal has been idle for more than ten minutes, a new
// patient's first request closing idle journals while the others' requests open them again.
//
// What each patient was told was stored is then read back from PostgreSQL itself: every
// acknowledged screening in that patient's own journal schema, once, with that patient's own
// answers, and nothing else.
#include "clinic_api_fixture.h"

#include <atomic>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

namespace rc::server::test {

namespace {

constexpr int patients = 3;

int marker(int patient) { return 21 + patient; }

// Every screening question answered "no", and each number question with the patient's marker, so a
// screening stored in another patient's journal shows.
std::string marked_answers(json const& questions, int patient)
{
    json answers = json::object();
    for (auto const& q : questions["questions"]) {
        if (q["type"] == "number")
            answers[q["id"].get<std::string>()] = marker(patient);
        else if (q["type"] == "yes_no")
            answers[q["id"].get<std::string>()] = "no";
        else
            answers[q["id"].get<std::string>()] = q["choices"][0]["id"];
    }
    return json { { "answers", answers } }.dump();
}

class Failures {
public:
    void add(std::string what)
    {
        std::lock_guard lock(m_mutex);
        m_list.push_back(std::move(what));
    }
    std::vector<std::string> list()
    {
        std::lock_guard lock(m_mutex);
        return m_list;
    }

private:
    std::mutex m_mutex;
    std::vector<std::string> m_list;
};

}

TEST_F(ClinicApiTest, ManyThreadsAtOnceStoreEveryAcknowledgedScreeningOnceInItsOwnPatientsJournal)
{
    auto alex = log_in("alex@clinic.example", "therapist-password-1");
    std::vector<std::string> emails, ids;
    std::vector<Login> first_logins;
    for (int i = 0; i < patients; ++i) {
        emails.push_back(fmt::format("patient{}@example.org", i));
        first_logins.push_back(invite_patient(alex, fmt::format("P{}", i), emails.back()));
        ids.push_back(patient_id(first_logins.back()));
    }
    auto const questions = body_of(call("GET", "/api/screening", {}, &first_logins[0]));
    std::vector<std::string> bodies;
    for (int i = 0; i < patients; ++i)
        bodies.push_back(marked_answers(questions, i));
    // Patient 0 may roll from the start: their live session runs beside the others' requests.
    ASSERT_EQ(call("POST", "/api/screening", bodies[0], &first_logins[0]).status, 200);
    std::vector<std::atomic<int>> acknowledged(patients);
    acknowledged[0] = 1;
    auto late = call("POST", "/api/clinic/invites", json { { "name", "Late" }, { "email", "late@example.org" } }.dump(), &alex);
    ASSERT_EQ(late.status, 201) << late.body;
    auto const late_link = body_of(late)["link"].get<std::string>();
    auto const late_token = late_link.substr(late_link.rfind('/') + 1);

    // A second server's ClinicApi: no journal open yet, two store connections for every thread,
    // at most one journal kept open when idle, five failed logins per client.
    auto store = clinic::ClinicStore::open(m_uri, 2);
    ASSERT_TRUE(store) << store.error().message;
    ClinicOptions options;
    options.database = m_uri;
    options.max_open_patients = 1;
    options.login_limits.max_failures_per_client = 5;
    ClinicApi api(rc::test::shipped_kb(), **store, m_clock, options);
    Failures failures;
    auto expect_status = [&](HttpResponse const& response, int status, std::string const& what) {
        if (response.status != status)
            failures.add(fmt::format("{}: {} {}", what, response.status, response.body.substr(0, 200)));
        return response.status == status;
    };
    // Patient i screens (i + 1) times per round from each of two threads (different counts, so a
    // screening stored in the wrong journal shows in the counts too).
    auto patient_client = [&](int i, int rounds) {
        auto response = call_on(api, "POST", "/api/login", json { { "email", emails[i] }, { "password", fmt::format("patient-password-P{}", i) } }.dump());
        if (!expect_status(response, 200, fmt::format("patient {} login", i)))
            return;
        auto cookie = set_cookie(response);
        Login login { cookie.substr(0, cookie.find(';')), body_of(response).value("csrf", "") };
        for (int n = 0; n < rounds * (i + 1); ++n) {
            if (expect_status(call_on(api, "POST", "/api/screening", bodies[i], &login), 200, fmt::format("patient {} screening", i)))
                ++acknowledged[i];
        }
        expect_status(call_on(api, "GET", "/api/status", {}, &login), 200, fmt::format("patient {} status", i));
    };
    auto therapist_reads = [&](int rounds) {
        for (int n = 0; n < rounds; ++n) {
            expect_status(call_on(api, "GET", "/api/clinic/patients", {}, &alex), 200, "patient list");
            for (auto const& id : ids)
                expect_status(call_on(api, "GET", "/api/clinic/patients/" + id, {}, &alex), 200, "patient detail");
        }
    };

    std::atomic<int> refused_logins { 0 }, limited_logins { 0 };
    std::atomic<bool> session_saved { false };
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < patients; ++i)
            for (int copy = 0; copy < 2; ++copy)
                threads.emplace_back(patient_client, i, 1);
        threads.emplace_back(therapist_reads, 2);
        // Someone guessing from one address: five refusals, then the limit, whoever else logs in.
        threads.emplace_back([&] {
            for (int n = 0; n < 7; ++n) {
                auto response = call_on(api, "POST", "/api/login", json { { "email", fmt::format("guess{}@clinic.example", n) }, { "password", "not-the-password" } }.dump(),
                    nullptr, true, "10.9.9.9");
                if (response.status == 401)
                    ++refused_logins;
                else if (response.status == 429)
                    ++limited_logins;
                else
                    failures.add(fmt::format("guess {}: {} {}", n, response.status, response.body.substr(0, 200)));
            }
        });
        // The I/O thread: patient 0's live session, its journal work run inline here.
        threads.emplace_back([&] {
            HttpRequest request;
            request.path = "/ws/session";
            request.headers["cookie"] = first_logins[0].cookie;
            auto session = api.session_factory()(request, [](std::function<void()> work) { work(); });
            if (!session) {
                failures.add("patient 0's live session was refused");
                return;
            }
            auto settle = [&](WsOutput out) {
                while (out.offload) {
                    auto more = out.offload()(m_clock.now());
                    out.offload = std::move(more.offload);
                    for (auto& message : more.messages)
                        out.messages.push_back(std::move(message));
                }
                return out.messages;
            };
            session->on_open(m_clock.now());
            settle(session->on_text(R"({"type":"start","pain_before":4})", m_clock.now()));
            settle(session->on_text(R"({"type":"event","event":{"type":"quit"}})", m_clock.now()));
            for (auto const& message : settle(session->on_text(R"({"type":"finish","pain_after":3})", m_clock.now())))
                session_saved = session_saved || json::parse(message)["type"] == "saved";
            session->on_close(m_clock.now());
        });
    }
    EXPECT_EQ(refused_logins, 5);
    EXPECT_EQ(limited_logins, 2);
    EXPECT_TRUE(session_saved);

    // Every journal idle for more than ten minutes: the late patient's first request closes them
    // while the others' requests open them again.
    m_clock.advance(11min);
    {
        std::vector<std::jthread> threads;
        threads.emplace_back([&] {
            auto accepted = call_on(api, "POST", "/api/invite/" + late_token, json { { "password", "patient-password-late" } }.dump());
            expect_status(accepted, 200, "the late patient's invitation");
        });
        for (int i = 0; i < patients; ++i)
            threads.emplace_back(patient_client, i, 1);
        threads.emplace_back(therapist_reads, 1);
    }
    auto const failed = failures.list();
    EXPECT_TRUE(failed.empty()) << failed.size() << " requests failed, e.g. " << failed.front();

    // What PostgreSQL holds: each patient's acknowledged screenings, in their own schema, theirs.
    pqxx::connection connection(m_uri);
    pqxx::work tx(connection);
    for (int i = 0; i < patients; ++i) {
        auto account = m_store->find_account_by_email(emails[i]);
        ASSERT_TRUE(account && *account);
        auto const schema = tx.quote_name((*account)->journal_schema);
        auto const stored = tx.exec("SELECT answers FROM " + schema + ".screenings");
        EXPECT_EQ(static_cast<int>(stored.size()), acknowledged[i].load()) << "patient " << i;
        for (auto const& row : stored) {
            auto const answers = json::parse(row[0].c_str())["answers"];
            for (auto const& q : questions["questions"]) {
                if (q["type"] == "number") {
                    EXPECT_EQ(answers[q["id"].get<std::string>()], marker(i)) << "patient " << i << " holds another's screening";
                }
            }
        }
        auto const sessions = tx.exec("SELECT count(*) FROM " + schema + ".sessions");
        EXPECT_EQ(sessions[0][0].as<int>(), i == 0 ? 1 : 0) << "patient " << i;
    }
}

}
