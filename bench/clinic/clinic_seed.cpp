// Seeds a clinic for the scale benchmark (bench/clinic/run.py, docs/benchmarks.md "Clinic at
// scale"): THERAPISTS therapists and PATIENTS patients, each patient with DAYS of daily use in their
// own journal schema, through the real code paths: ClinicStore::open (the clinic's migrations),
// add_therapist (Argon2id), PostgresJournal::open per patient schema (the journal's migrations) and
// PostgresJournal's add_* for one template year. The other patients' years are copied from the
// template inside PostgreSQL (INSERT ... SELECT: the seed of 1,000 patients takes minutes, not
// hours), each shifted in time, with their own share of days skipped and their own pain level.
//
// Caseloads are uneven, as in a real clinic: patient i goes to therapist k with weight 1/k^0.6
// (15 therapists, 1,000 patients: 181 for the busiest, 36 for the quietest). Every 20th
// patient's newest screening has a red flag (half of them cleared by a clinician), every 25th has a
// warning-sign check-in (nerve symptoms) 3 days ago, every 50th a session stopped for a warning sign 5 days ago.
//
// Logins: therapistK@bench.example / bench-therapist-password, patientI@bench.example /
// bench-patient-password (one Argon2id hash shared by the patients: hashing 1,000 passwords would
// take most of the seed's time and measures nothing). A seeded database is left as it is.
//
//   clinic_seed URI [--patients 1000] [--therapists 15] [--days 365]
#include "clinic/clinic_store.h"
#include "clinic/password.h"
#include "coach/clearance.h"
#include "journal/postgres_journal.h"
#include "journal/records.h"
#include "triage/verdict_json.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fmt/core.h>
#include <pqxx/pqxx>
#include <string>
#include <vector>

using namespace rc;
using namespace rc::journal;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

char const* const template_schema = "bench_template";

// A stored verdict in the one shape the coach reads back (triage/verdict_json.h), with the rule's
// own words from data/knowledge/screening/.
json verdict(kb::Tier tier, std::vector<kb::Reason> reasons = {})
{
    kb::Verdict v;
    v.tier = tier;
    v.reasons = std::move(reasons);
    return json(v);
}

kb::Reason const cancer_history { "cancer_history", kb::Tier::ClinicianBeforeRolling,
    "If you have had cancer, back pain should be checked by your doctor before you start rolling, and some areas may need to be avoided.",
    "Please ask your doctor or cancer team whether rolling is safe for you before you start.", { "nice_cks" } };
kb::Reason const nerve_symptoms { "checkin_nerve_symptoms", kb::Tier::ClinicianSoon,
    "Numbness, tingling or weakness is not normal soreness. It could be a sign that a nerve is irritated.",
    "Do not roll for now. See a doctor or physiotherapist in the next few days.", { "nhs_sciatica" } };

Result<void> write_template_year(std::string const& uri, int days, WallTime today)
{
    PostgresOptions options;
    options.schema = template_schema;
    auto journal = TRY(PostgresJournal::open(uri, options));
    WallTime const first_day = today - std::chrono::days(days) + 18h;
    return journal->in_write_transaction([&]() -> Result<void> {
        TRY(journal->save_profile({ first_day, { { "experience", "regular" }, { "rollers_owned", { "soft_foam", "peanut" } } } }));
        for (int day = 0; day < days; ++day) {
            auto start = first_day + std::chrono::days(day) + std::chrono::minutes(day % 90);
            std::optional<RecordId> screening;
            if (day % 90 == 0)
                screening = TRY(journal->add_screening({ 0, start - 1h, "proceed", { { "age", 44 }, { "saddle_numbness", "no" } },
                    verdict(kb::Tier::Proceed) }));
            SessionRecord session;
            session.started_at = start;
            session.ended_at = start + 9min;
            session.end_reason = day % 17 == 0 ? EndReason::Quit : EndReason::Completed;
            session.screening_id = screening;
            json steps = json::array();
            for (auto zone : { "thoracic_spine", "lats", "glutes" })
                steps.push_back({ { "zone", zone }, { "exercise", std::string(zone) + "_roll" }, { "seconds", 120 }, { "sets", 2 } });
            session.plan = { { "steps", steps }, { "pressure", "moderate" }, { "roller", "soft_foam" } };
            session.completed_steps = json::array({ 0, 1, 2 });
            for (int cue = 0; cue < 24; ++cue)
                session.cues.push_back({ { "at_ms", cue * 22000 }, { "kind", "say" }, { "text", "Roll slowly and breathe out long" } });
            session.zones = { { "glutes", 180s }, { "lats", 150s }, { "thoracic_spine", 200s } };
            session.tender_spots = { { "thoracic_spine", 30s }, { "glutes", 40s } };
            // Pain that eases over the year, with a weekly wobble.
            int const level = std::max(1, 6 - day / 80) + (day % 7 == 3 ? 1 : 0);
            session.pain = { { 0, start, level, PainMoment::Before, std::nullopt, "" },
                { 0, session.ended_at, std::max(0, level - 1), PainMoment::After, std::nullopt, "" } };
            auto id = TRY(journal->add_session(session));
            TRY(journal->add_checkin({ 0, start + 14h, id, day % 5, WarningSign::Absent, "proceed",
                { { "checkin_kind", "soreness" }, { "checkin_intensity", day % 5 } }, verdict(kb::Tier::Proceed) }));
            if (day % 10 == 0)
                TRY(journal->add_note({ 0, start + 2h, id, "Felt looser afterwards" }));
        }
        return {};
    });
}

// The template's year into `schema`, shifted by `offset_ms`, without the sessions (and what hangs
// on them) of about `skip_percent` of the days, pain moved by `pain_shift`.
void copy_template(pqxx::transaction_base& tx, std::string const& schema, long long seed, int skip_percent, long long offset_ms, int pain_shift)
{
    auto const s = tx.quote_name(schema);
    auto const t = tx.quote_name(template_schema);
    auto const kept = fmt::format("(SELECT id FROM {}.sessions)", s);
    auto const run = [&](std::string const& sql) { tx.exec(sql); };
    run(fmt::format("INSERT INTO {s}.profile SELECT id, updated_at + {o}, document FROM {t}.profile", fmt::arg("s", s), fmt::arg("t", t), fmt::arg("o", offset_ms)));
    run(fmt::format("INSERT INTO {s}.screenings SELECT id, taken_at + {o}, tier, answers, verdict FROM {t}.screenings", fmt::arg("s", s),
        fmt::arg("t", t), fmt::arg("o", offset_ms)));
    run(fmt::format("INSERT INTO {s}.sessions SELECT id, started_at + {o}, ended_at + {o}, end_reason, screening_id, plan, completed_steps, "
                    "skipped_steps, cues FROM {t}.sessions WHERE screening_id IS NOT NULL OR (id * 7919 + {seed}) % 100 >= {skip}",
        fmt::arg("s", s), fmt::arg("t", t), fmt::arg("o", offset_ms), fmt::arg("seed", seed), fmt::arg("skip", skip_percent)));
    run(fmt::format("INSERT INTO {s}.session_zones SELECT * FROM {t}.session_zones WHERE session_id IN {k}", fmt::arg("s", s), fmt::arg("t", t),
        fmt::arg("k", kept)));
    run(fmt::format("INSERT INTO {s}.tender_spots SELECT * FROM {t}.tender_spots WHERE session_id IN {k}", fmt::arg("s", s), fmt::arg("t", t),
        fmt::arg("k", kept)));
    run(fmt::format("INSERT INTO {s}.pain_ratings SELECT id, recorded_at + {o}, least(10, greatest(0, value + {p})), moment, session_id, note "
                    "FROM {t}.pain_ratings WHERE session_id IS NULL OR session_id IN {k}",
        fmt::arg("s", s), fmt::arg("t", t), fmt::arg("o", offset_ms), fmt::arg("p", pain_shift), fmt::arg("k", kept)));
    run(fmt::format("INSERT INTO {s}.checkins SELECT id, recorded_at + {o}, session_id, soreness, warning_sign, tier, answers, verdict "
                    "FROM {t}.checkins WHERE session_id IS NULL OR session_id IN {k}",
        fmt::arg("s", s), fmt::arg("t", t), fmt::arg("o", offset_ms), fmt::arg("k", kept)));
    run(fmt::format("INSERT INTO {s}.notes SELECT id, recorded_at + {o}, session_id, text FROM {t}.notes WHERE session_id IN {k}", fmt::arg("s", s),
        fmt::arg("t", t), fmt::arg("o", offset_ms), fmt::arg("k", kept)));
    for (auto table : { "screenings", "sessions", "tender_spots", "pain_ratings", "checkins", "notes", "clearances" })
        run(fmt::format("SELECT setval(pg_get_serial_sequence('{s}.{tb}', 'id'), coalesce((SELECT max(id) FROM {s}.{tb}), 0) + 1, false)",
            fmt::arg("s", s), fmt::arg("tb", table)));
}

// The patient's warning signs, written through the journal like the server writes them.
Result<void> add_warnings(PostgresJournal& journal, int index, WallTime today)
{
    auto const now = today + 8h;
    if (index % 20 == 0) {
        TRY(journal.add_screening({ 0, now - 20h, "clinician_before_rolling", { { "age", 52 }, { "cancer_history", "yes" } },
            verdict(kb::Tier::ClinicianBeforeRolling, { cancer_history }) }));
        if (index % 40 == 0) {
            coach::ClearanceTerms terms;
            terms.cleared_by = "Dr Patel, GP";
            terms.cleared_on = std::chrono::floor<std::chrono::days>(now) - std::chrono::days(1);
            terms.covers = { "cancer_history" };
            TRY(journal.add_clearance({ 0, now - 2h, "", coach::to_detail(terms, 3) }));
        }
    }
    if (index % 25 == 3) {
        TRY(journal.add_checkin({ 0, now - std::chrono::days(3), std::nullopt, 7, WarningSign::Present, "clinician_soon",
            { { "checkin_kind", "nerve" } }, verdict(kb::Tier::ClinicianSoon, { nerve_symptoms }) }));
    }
    if (index % 50 == 7) {
        SessionRecord stopped;
        stopped.started_at = now - std::chrono::days(5);
        stopped.ended_at = stopped.started_at + 2min;
        stopped.end_reason = EndReason::StoppedWarning;
        stopped.plan = { { "steps", json::array() } };
        TRY(journal.add_session(stopped));
    }
    return {};
}

int fail(Error const& error)
{
    fmt::print(stderr, "clinic_seed: {}\n", error.message);
    return 1;
}

}

int main(int argc, char** argv)
{
    if (argc < 2) {
        fmt::print(stderr, "usage: clinic_seed URI [--patients N] [--therapists N] [--days N]\n");
        return 2;
    }
    std::string const uri = argv[1];
    int patients = 1000, therapists = 15, days = 365;
    for (int i = 2; i + 1 < argc; i += 2) {
        std::string const flag = argv[i];
        int const value = std::atoi(argv[i + 1]);
        if (flag == "--patients")
            patients = value;
        else if (flag == "--therapists")
            therapists = value;
        else if (flag == "--days")
            days = value;
    }
    auto const began = std::chrono::steady_clock::now();
    WallTime const today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    auto store = clinic::ClinicStore::open(uri);
    if (!store)
        return fail(store.error());
    try {
        pqxx::connection connection(uri);
        {
            pqxx::work tx(connection);
            auto const existing = tx.exec1("SELECT count(*) FROM clinic.accounts WHERE role = 'patient'")[0].as<int>();
            if (existing >= patients) {
                fmt::print("clinic_seed: already seeded ({} patients)\n", existing);
                return 0;
            }
            if (existing > 0) {
                fmt::print(stderr, "clinic_seed: a partly seeded clinic ({} patients); start from an empty database\n", existing);
                return 1;
            }
        }
        std::vector<clinic::AccountId> therapist_ids;
        std::vector<double> weights;
        for (int k = 1; k <= therapists; ++k) {
            auto id = (*store)->add_therapist(fmt::format("therapist{}@bench.example", k), fmt::format("Therapist {}", k), "bench-therapist-password",
                std::chrono::system_clock::now());
            if (!id)
                return fail(id.error());
            therapist_ids.push_back(*id);
            weights.push_back(1.0 / std::pow(k, 0.6));
        }
        double total = 0;
        for (double w : weights)
            total += w;
        auto hash = clinic::hash_password("bench-patient-password");
        if (!hash)
            return fail(hash.error());
        {
            pqxx::work tx(connection);
            tx.exec(fmt::format("CREATE SCHEMA {}", tx.quote_name(template_schema)));
            tx.commit();
        }
        if (auto written = write_template_year(uri, days, today); !written)
            return fail(written.error());

        // Patient i goes to the therapist whose cumulative share first exceeds (i + 0.5) / patients.
        std::vector<int> caseload(therapists, 0);
        for (int i = 0; i < patients; ++i) {
            double const at = (i + 0.5) / patients * total;
            double sum = 0;
            int k = 0;
            while (k + 1 < therapists && sum + weights[k] < at)
                sum += weights[k++];
            ++caseload[k];
            clinic::AccountId id;
            std::string schema;
            {
                pqxx::work tx(connection);
                id = tx.exec1("SELECT nextval('clinic.accounts_id_seq')")[0].as<std::int64_t>();
                schema = fmt::format("patient_{}", id);
                tx.exec_params("INSERT INTO clinic.accounts (id, role, email, name, password_hash, therapist_id, journal_schema, created_at) "
                               "VALUES ($1, 'patient', $2, $3, $4, $5, $6, $7)",
                    id, fmt::format("patient{}@bench.example", i + 1), fmt::format("Patient {}", i + 1), *hash, therapist_ids[k], schema,
                    to_unix_ms(today) - 366LL * 86'400'000);
                tx.exec(fmt::format("CREATE SCHEMA {}", tx.quote_name(schema)));
                tx.commit();
            }
            PostgresOptions options;
            options.schema = schema;
            auto journal = PostgresJournal::open(uri, options);
            if (!journal)
                return fail(journal.error());
            {
                pqxx::work tx(connection);
                tx.exec("SET LOCAL synchronous_commit = off");
                long long const seed = (i * 104729LL) % 9973;
                int const skip = static_cast<int>((i * 37) % 46);   // 0-45 % of days without a session
                copy_template(tx, schema, seed, skip, ((i * 13) % 240) * 60'000LL, (i % 5) - 2);
                tx.commit();
            }
            if (auto added = add_warnings(**journal, i, today); !added)
                return fail(added.error());
            if ((i + 1) % 100 == 0)
                fmt::print("clinic_seed: {} patients ({:.0f} s)\n", i + 1,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
        }
        connection.set_variable("statement_timeout", "0");
        pqxx::nontransaction(connection).exec("ANALYZE");
        fmt::print("clinic_seed: {} therapists, caseloads", therapists);
        for (int n : caseload)
            fmt::print(" {}", n);
        fmt::print("; {} patients x {} days in {:.0f} s\n", patients, days,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
    } catch (std::exception const& e) {
        fmt::print(stderr, "clinic_seed: {}\n", e.what());
        return 1;
    }
    return 0;
}
