// ClinicStore: the clinic's accounts, logins, invites, therapist limits and audit log, kept in the
// schema "clinic" of the clinic's PostgreSQL database (data/migrations/postgresql/clinic/). Each
// patient's journal is a PostgresJournal in the schema named by Account::journal_schema
// ("patient_<id>"), created here when the patient accepts their invite. The store only stores and
// reads: who may see what is decided by the server (src/server/api_clinic.cpp).
//
// Thread-safe: a small pool of connections (ClinicStore::default_connections, or as opened), each
// used by one call at a time; a call waits for a free one. A lost server is a Storage error; the
// next call on that connection reconnects.
//
//   auto store = TRY(ClinicStore::open("postgresql://rollcoach@/clinic?host=/run/postgresql"));
//   auto id = TRY(store->add_therapist("alex@clinic.example", "Alex Moreau", "a long password"));
#pragma once

#include "common/clock.h"
#include "common/result.h"
#include "journal/migrations.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class transaction_base;
}

namespace rc::clinic {

using AccountId = std::int64_t;

std::vector<journal::Migration> const& clinic_migrations();

enum class Role { Therapist, Patient };
char const* to_string(Role role);

struct Account {
    AccountId id { 0 };
    Role role { Role::Patient };
    std::string email;
    std::string name;
    std::string password_hash;
    std::optional<AccountId> therapist_id;   // patients only
    std::string journal_schema;              // patients only
};

struct Login {
    Account account;
    std::string csrf;
};

struct NewLogin {
    std::string token;   // the cookie's value (only its SHA-256 is stored)
    std::string csrf;
};

struct NewInvite {
    std::string token;
    WallTime expires_at {};
};

enum class InviteState { Open, Expired, Used };
struct Invite {
    InviteState state { InviteState::Open };
    AccountId therapist_id { 0 };
    std::string name;
    std::string email;
    WallTime expires_at {};
};

struct AuditEntry {
    WallTime at {};
    std::string account;   // the name of who did it
    std::string action;
    std::optional<AccountId> patient_id;
    std::string route;
};

// How long a login lasts, and an invite link.
inline constexpr std::chrono::hours login_lifetime { 12 };
inline constexpr std::chrono::hours default_invite_lifetime { 72 };

class ClinicStore {
public:
    // Connects, creates the schema "clinic" and runs its pending migrations (one transaction,
    // under an advisory lock: a failed one leaves everything as it was).
    // `connections`: how many calls may run at once (the server's workers each need one; the
    // command line tools one). Connections are made when first needed.
    static constexpr std::size_t default_connections { 4 };
    static Result<std::unique_ptr<ClinicStore>> open(std::string const& location, std::size_t connections = default_connections);
    ~ClinicStore();

    std::string const& location() const { return m_location; }

    // InvalidData for a bad email, an empty name or a short password; Conflict when the email is taken.
    Result<AccountId> add_therapist(std::string const& email, std::string const& name, std::string const& password, WallTime now);
    Result<std::optional<Account>> find_account_by_email(std::string const& email);
    Result<std::optional<Account>> find_account(AccountId id);
    Result<std::vector<Account>> patients_of(AccountId therapist_id);

    Result<NewLogin> create_login(AccountId account, WallTime now);
    // Nothing for an unknown or expired token.
    Result<std::optional<Login>> find_login(std::string const& token, WallTime now);
    Result<void> delete_login(std::string const& token);

    // The therapist must exist; NotFound otherwise. Conflict when the email already has an account.
    Result<NewInvite> create_invite(AccountId therapist_id, std::string const& name, std::string const& email, WallTime now,
        std::chrono::seconds lifetime = default_invite_lifetime);
    Result<std::optional<Invite>> find_invite(std::string const& token, WallTime now);
    // Creates the patient's account and the empty schema of their journal, and marks the invite
    // used, in one transaction. Gone (InviteState) as a Conflict whose message is the state's word.
    Result<Account> accept_invite(std::string const& token, std::string const& password, WallTime now);

    Result<std::optional<nlohmann::json>> find_limits(AccountId patient_id);
    Result<void> save_limits(AccountId patient_id, nlohmann::json const& document, AccountId set_by, WallTime now);

    Result<void> add_audit(AccountId account, std::string const& action, std::optional<AccountId> patient_id, std::string const& route, WallTime now);
    // The entries of what `account` did, newest first (about one patient, when given).
    Result<std::vector<AuditEntry>> audit(AccountId account, std::optional<AccountId> patient_id, int limit = 500);

    // Runs `read` on the store's connection (the patient list's one query, patient_summary.h).
    Result<nlohmann::json> read(char const* action, std::function<nlohmann::json(pqxx::transaction_base&)> const& read);

private:
    ClinicStore(std::string location, std::size_t connections);
    // Several: the body runs in a transaction (BEGIN ... COMMIT). Single: the body's one statement
    // runs on its own (it commits by itself), one round trip instead of three; a read of two
    // statements whose answers need not agree with each other (the patient list) may run so too.
    enum class Statements { Several, Single };
    template<typename F>
    auto run(char const* action, F&& body, Statements statements = Statements::Several)
        -> Result<std::invoke_result_t<F, pqxx::transaction_base&>>;

    struct Connection;   // the pqxx connection (a typedef in libpqxx 6, so not declared here)
    // A pool slot taken for one call; returned by its destructor.
    class Lease;
    std::string m_location;
    std::mutex m_mutex;
    std::condition_variable m_returned;
    std::vector<std::unique_ptr<Connection>> m_slots;   // null: not connected (yet, or since a failure)
    std::vector<bool> m_busy;
};

}
