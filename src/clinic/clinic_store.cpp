#include "clinic/clinic_store.h"

#include "clinic/password.h"
#include "journal/records.h"

#include <algorithm>
#include <fmt/core.h>
#include <pqxx/pqxx>

namespace rc::clinic {

using nlohmann::json;

namespace {

// The advisory lock the clinic's migrations take ('RCCL').
constexpr long long clinic_lock_key = 0x5243434C;

struct Refusal {
    Error error;
};

std::int64_t ms(WallTime time) { return journal::to_unix_ms(time); }

Result<void> check_email(std::string const& email)
{
    auto const at = email.find('@');
    if (email.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= email.size() || email.find_first_of(" \t\r\n<>") != std::string::npos)
        return Error::invalid_data(fmt::format("\"{}\" is not an email address; write it as name@example.org.", email));
    return {};
}

Result<void> check_name(std::string const& name)
{
    if (name.empty() || name.size() > 200)
        return Error::invalid_data("Give a name of 1 to 200 characters.");
    return {};
}

Account read_account(pqxx::row const& row)
{
    Account account;
    account.id = row[0].as<std::int64_t>();
    account.role = row[1].as<std::string>() == "therapist" ? Role::Therapist : Role::Patient;
    account.email = row[2].as<std::string>();
    account.name = row[3].as<std::string>();
    account.password_hash = row[4].as<std::string>();
    if (!row[5].is_null())
        account.therapist_id = row[5].as<std::int64_t>();
    if (!row[6].is_null())
        account.journal_schema = row[6].as<std::string>();
    return account;
}

constexpr char const* account_columns = "id, role, email, name, password_hash, therapist_id, journal_schema";

}

struct ClinicStore::Connection {
    explicit Connection(std::string const& location)
        : handle(location)
    {
    }
    pqxx::connection handle;
};

char const* to_string(Role role) { return role == Role::Therapist ? "therapist" : "patient"; }

ClinicStore::ClinicStore(std::string location, std::size_t connections)
    : m_location(std::move(location))
    , m_slots(std::max<std::size_t>(connections, 1))
    , m_busy(m_slots.size(), false)
{
}

class ClinicStore::Lease {
public:
    explicit Lease(ClinicStore& store)
        : m_store(store)
    {
        std::unique_lock lock(store.m_mutex);
        for (;;) {
            // A connected free slot first, so the pool does not open connections it does not need.
            std::optional<std::size_t> idle;
            for (std::size_t i = 0; i < store.m_busy.size(); ++i) {
                if (store.m_busy[i])
                    continue;
                if (store.m_slots[i]) {
                    idle = i;
                    break;
                }
                if (!idle)
                    idle = i;
            }
            if (idle) {
                m_index = *idle;
                store.m_busy[m_index] = true;
                return;
            }
            store.m_returned.wait(lock);
        }
    }
    ~Lease()
    {
        {
            std::lock_guard lock(m_store.m_mutex);
            m_store.m_busy[m_index] = false;
        }
        m_store.m_returned.notify_one();
    }
    Lease(Lease const&) = delete;
    Lease& operator=(Lease const&) = delete;

    // The slot's connection, owned by this lease until it ends (no lock needed).
    std::unique_ptr<Connection>& connection() { return m_store.m_slots[m_index]; }

private:
    ClinicStore& m_store;
    std::size_t m_index { 0 };
};

ClinicStore::~ClinicStore() = default;

template<typename F>
auto ClinicStore::run(char const* action, F&& body, Statements statements) -> Result<std::invoke_result_t<F, pqxx::transaction_base&>>
{
    using T = std::invoke_result_t<F, pqxx::transaction_base&>;
    Lease lease(*this);
    auto& connection = lease.connection();
    for (int attempt = 0;; ++attempt) {
        try {
            if (!connection || !connection->handle.is_open()) {
                connection.reset();
                connection = std::make_unique<Connection>(m_location);
                connection->handle.set_variable("client_min_messages", "warning");
                // The patient list's prepared statement (patient_summary.h) is planned once.
                connection->handle.set_variable("plan_cache_mode", "force_generic_plan");
            }
            auto const finish = [&](pqxx::transaction_base& tx) -> Result<T> {
                if constexpr (std::is_void_v<T>) {
                    body(tx);
                    tx.commit();
                    return Result<void> {};
                } else {
                    T value = body(tx);
                    tx.commit();
                    return value;
                }
            };
            if (statements == Statements::Single) {
                pqxx::nontransaction tx(connection->handle);
                return finish(tx);
            }
            pqxx::work tx(connection->handle);
            return finish(tx);
        } catch (Refusal const& refusal) {
            return refusal.error;
        } catch (pqxx::broken_connection const& e) {
            connection.reset();
            if (attempt == 0)
                continue;
            return Error::storage(fmt::format("Could not {}: the clinic's PostgreSQL server cannot be reached ({}). Try again "
                                              "once it is back.",
                action, e.what()));
        } catch (pqxx::sql_error const& e) {
            if (e.sqlstate().rfind("08", 0) == 0 || e.sqlstate().rfind("57P0", 0) == 0) {
                connection.reset();
                if (attempt == 0)
                    continue;
            }
            if (e.sqlstate() == "23505")
                return Error::conflict(fmt::format("Could not {}: that email already has an account.", action));
            return Error::storage(fmt::format("Could not {}: {} (SQLSTATE {}).", action, e.what(), e.sqlstate()));
        } catch (std::exception const& e) {
            connection.reset();
            return Error::storage(fmt::format("Could not {}: {}.", action, e.what()));
        }
    }
}

Result<std::unique_ptr<ClinicStore>> ClinicStore::open(std::string const& location, std::size_t connections)
{
    std::unique_ptr<ClinicStore> store(new ClinicStore(location, connections));
    auto const& migrations = clinic_migrations();
    TRY(store->run("prepare the clinic's tables", [&](pqxx::transaction_base& tx) {
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", clinic_lock_key);
        tx.exec("CREATE SCHEMA IF NOT EXISTS clinic");
        int version = 0;
        if (!tx.exec("SELECT to_regclass('clinic.clinic_schema')")[0][0].is_null())
            version = tx.exec("SELECT version FROM clinic.clinic_schema WHERE id = 1")[0][0].as<int>();
        int const known = journal::latest_schema_version(migrations);
        if (version > known)
            throw Refusal { Error::conflict(fmt::format("The clinic's tables were written by a newer rollcoach (schema {}; this "
                                                        "version knows up to {}). Update rollcoach; nothing was changed.",
                version, known)) };
        for (auto const& migration : migrations) {
            if (migration.version <= version)
                continue;
            tx.exec(migration.sql);
            tx.exec_params("INSERT INTO clinic.clinic_schema (id, application, version) VALUES (1, 'rollcoach-clinic', $1) "
                           "ON CONFLICT (id) DO UPDATE SET version = excluded.version",
                migration.version);
        }
    }));
    return store;
}

Result<AccountId> ClinicStore::add_therapist(std::string const& email, std::string const& name, std::string const& password, WallTime now)
{
    TRY(check_email(email));
    TRY(check_name(name));
    auto hash = TRY(hash_password(password));
    return run("add the therapist", [&](pqxx::transaction_base& tx) {
        return tx.exec_params1("INSERT INTO clinic.accounts (role, email, name, password_hash, created_at) "
                               "VALUES ('therapist', $1, $2, $3, $4) RETURNING id",
                     email, name, hash, ms(now))[0]
            .as<std::int64_t>();
    });
}

Result<std::optional<Account>> ClinicStore::find_account_by_email(std::string const& email)
{
    return run("find the account", [&](pqxx::transaction_base& tx) -> std::optional<Account> {
        auto rows = tx.exec_params(fmt::format("SELECT {} FROM clinic.accounts WHERE lower(email) = lower($1)", account_columns), email);
        if (rows.empty())
            return std::nullopt;
        return read_account(rows[0]);
    }, Statements::Single);
}

Result<std::optional<Account>> ClinicStore::find_account(AccountId id)
{
    return run("find the account", [&](pqxx::transaction_base& tx) -> std::optional<Account> {
        auto rows = tx.exec_params(fmt::format("SELECT {} FROM clinic.accounts WHERE id = $1", account_columns), id);
        if (rows.empty())
            return std::nullopt;
        return read_account(rows[0]);
    }, Statements::Single);
}

Result<std::vector<Account>> ClinicStore::patients_of(AccountId therapist_id)
{
    return run("list the patients", [&](pqxx::transaction_base& tx) {
        std::vector<Account> out;
        for (auto const& row : tx.exec_params(fmt::format("SELECT {} FROM clinic.accounts WHERE role = 'patient' AND therapist_id = $1 "
                                                          "ORDER BY id",
                                                  account_columns),
                 therapist_id))
            out.push_back(read_account(row));
        return out;
    }, Statements::Single);
}

Result<NewLogin> ClinicStore::create_login(AccountId account, WallTime now)
{
    NewLogin login { random_token(), random_token() };
    TRY(run("log in", [&](pqxx::transaction_base& tx) {
        tx.exec_params("DELETE FROM clinic.logins WHERE account_id = $1 AND expires_at <= $2", account, ms(now));
        tx.exec_params("INSERT INTO clinic.logins (token_sha256, account_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            sha256_hex(login.token), account, login.csrf, ms(now), ms(now + login_lifetime));
    }));
    return login;
}

Result<std::optional<Login>> ClinicStore::find_login(std::string const& token, WallTime now)
{
    return run("check the login", [&](pqxx::transaction_base& tx) -> std::optional<Login> {
        auto rows = tx.exec_params("SELECT a.id, a.role, a.email, a.name, a.password_hash, a.therapist_id, a.journal_schema, l.csrf "
                                   "FROM clinic.logins l JOIN clinic.accounts a ON a.id = l.account_id "
                                   "WHERE l.token_sha256 = $1 AND l.expires_at > $2",
            sha256_hex(token), ms(now));
        if (rows.empty())
            return std::nullopt;
        return Login { read_account(rows[0]), rows[0][7].as<std::string>() };
    }, Statements::Single);
}

Result<void> ClinicStore::delete_login(std::string const& token)
{
    return run("log out", [&](pqxx::transaction_base& tx) { tx.exec_params("DELETE FROM clinic.logins WHERE token_sha256 = $1", sha256_hex(token)); }, Statements::Single);
}

Result<NewInvite> ClinicStore::create_invite(AccountId therapist_id, std::string const& name, std::string const& email, WallTime now,
    std::chrono::seconds lifetime)
{
    TRY(check_email(email));
    TRY(check_name(name));
    NewInvite invite { random_token(), now + lifetime };
    TRY(run("create the invitation", [&](pqxx::transaction_base& tx) {
        auto therapist = tx.exec_params("SELECT 1 FROM clinic.accounts WHERE id = $1 AND role = 'therapist'", therapist_id);
        if (therapist.empty())
            throw Refusal { Error::not_found("There is no therapist with that account; add one with `rollcoach clinic add-therapist`.") };
        if (!tx.exec_params("SELECT 1 FROM clinic.accounts WHERE lower(email) = lower($1)", email).empty())
            throw Refusal { Error::conflict(fmt::format("{} already has an account.", email)) };
        tx.exec_params("INSERT INTO clinic.invites (token_sha256, therapist_id, name, email, created_at, expires_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6)",
            sha256_hex(invite.token), therapist_id, name, email, ms(now), ms(invite.expires_at));
    }));
    return invite;
}

Result<std::optional<Invite>> ClinicStore::find_invite(std::string const& token, WallTime now)
{
    return run("read the invitation", [&](pqxx::transaction_base& tx) -> std::optional<Invite> {
        auto rows = tx.exec_params("SELECT therapist_id, name, email, expires_at, used_at FROM clinic.invites WHERE token_sha256 = $1",
            sha256_hex(token));
        if (rows.empty())
            return std::nullopt;
        Invite invite;
        invite.therapist_id = rows[0][0].as<std::int64_t>();
        invite.name = rows[0][1].as<std::string>();
        invite.email = rows[0][2].as<std::string>();
        invite.expires_at = journal::from_unix_ms(rows[0][3].as<std::int64_t>());
        if (!rows[0][4].is_null())
            invite.state = InviteState::Used;
        else if (invite.expires_at <= now)
            invite.state = InviteState::Expired;
        return invite;
    }, Statements::Single);
}

Result<Account> ClinicStore::accept_invite(std::string const& token, std::string const& password, WallTime now)
{
    auto hash = TRY(hash_password(password));
    return run("accept the invitation", [&](pqxx::transaction_base& tx) {
        auto rows = tx.exec_params("SELECT therapist_id, name, email, expires_at, used_at FROM clinic.invites WHERE token_sha256 = $1 FOR UPDATE",
            sha256_hex(token));
        if (rows.empty())
            throw Refusal { Error::not_found("This invitation link is not known. Ask your therapist for a new one.") };
        if (!rows[0][4].is_null())
            throw Refusal { Error::conflict("invite_used") };
        if (rows[0][3].as<std::int64_t>() <= ms(now))
            throw Refusal { Error::conflict("invite_expired") };
        auto const therapist = rows[0][0].as<std::int64_t>();
        auto const name = rows[0][1].as<std::string>();
        auto const email = rows[0][2].as<std::string>();
        auto id = tx.exec1("SELECT nextval('clinic.accounts_id_seq')")[0].as<std::int64_t>();
        auto schema = fmt::format("patient_{}", id);
        tx.exec_params("INSERT INTO clinic.accounts (id, role, email, name, password_hash, therapist_id, journal_schema, created_at) "
                       "VALUES ($1, 'patient', $2, $3, $4, $5, $6, $7)",
            id, email, name, hash, therapist, schema, ms(now));
        tx.exec(fmt::format("CREATE SCHEMA {}", tx.quote_name(schema)));
        tx.exec_params("UPDATE clinic.invites SET used_at = $1, patient_id = $2 WHERE token_sha256 = $3", ms(now), id, sha256_hex(token));
        return Account { id, Role::Patient, email, name, hash, therapist, schema };
    });
}

Result<std::optional<json>> ClinicStore::find_limits(AccountId patient_id)
{
    return run("read the therapist's limits", [&](pqxx::transaction_base& tx) -> std::optional<json> {
        auto rows = tx.exec_params("SELECT document FROM clinic.limits WHERE patient_id = $1", patient_id);
        if (rows.empty())
            return std::nullopt;
        return json::parse(rows[0][0].c_str());
    }, Statements::Single);
}

Result<void> ClinicStore::save_limits(AccountId patient_id, json const& document, AccountId set_by, WallTime now)
{
    return run("save the therapist's limits", [&](pqxx::transaction_base& tx) {
        tx.exec_params("INSERT INTO clinic.limits (patient_id, document, set_by, set_at) VALUES ($1, $2::jsonb, $3, $4) "
                       "ON CONFLICT (patient_id) DO UPDATE SET document = excluded.document, set_by = excluded.set_by, set_at = excluded.set_at",
            patient_id, document.dump(), set_by, ms(now));
    }, Statements::Single);
}

Result<void> ClinicStore::add_audit(AccountId account, std::string const& action, std::optional<AccountId> patient_id, std::string const& route,
    WallTime now)
{
    return run("write the audit log", [&](pqxx::transaction_base& tx) {
        // libpqxx 6 sends a null char pointer as SQL NULL.
        auto const patient_text = patient_id ? std::to_string(*patient_id) : std::string();
        tx.exec_params("INSERT INTO clinic.audit (at, account_id, action, patient_id, route) VALUES ($1, $2, $3, $4, $5)", ms(now), account,
            action, patient_id ? patient_text.c_str() : static_cast<char const*>(nullptr), route);
    }, Statements::Single);
}

Result<std::vector<AuditEntry>> ClinicStore::audit(AccountId account, std::optional<AccountId> patient_id, int limit)
{
    return run("read the audit log", [&](pqxx::transaction_base& tx) {
        std::vector<AuditEntry> out;
        auto rows = patient_id
            ? tx.exec_params("SELECT u.at, a.name, u.action, u.patient_id, u.route FROM clinic.audit u JOIN clinic.accounts a ON a.id = u.account_id "
                             "WHERE u.account_id = $1 AND u.patient_id = $2 ORDER BY u.at DESC, u.id DESC LIMIT $3",
                account, *patient_id, limit)
            : tx.exec_params("SELECT u.at, a.name, u.action, u.patient_id, u.route FROM clinic.audit u JOIN clinic.accounts a ON a.id = u.account_id "
                             "WHERE u.account_id = $1 ORDER BY u.at DESC, u.id DESC LIMIT $2",
                account, limit);
        for (auto const& row : rows) {
            AuditEntry entry;
            entry.at = journal::from_unix_ms(row[0].as<std::int64_t>());
            entry.account = row[1].as<std::string>();
            entry.action = row[2].as<std::string>();
            if (!row[3].is_null())
                entry.patient_id = row[3].as<std::int64_t>();
            entry.route = row[4].as<std::string>();
            out.push_back(std::move(entry));
        }
        return out;
    }, Statements::Single);
}

Result<json> ClinicStore::read(char const* action, std::function<json(pqxx::transaction_base&)> const& read)
{
    return run(action, [&](pqxx::transaction_base& tx) { return read(tx); }, Statements::Single);
}

}
