// A real, private PostgreSQL server for the journal tests: Debian's server binaries
// (/usr/lib/postgresql/<version>/bin), initdb into a temporary folder, listening only on a unix
// socket in that folder (no TCP port to collide with anything), trust authentication for one
// superuser "rollcoach", and removed with its folder afterwards. No mock.
//
// PostgreSQL refuses to run as root; under root (as CI runs) initdb and pg_ctl run as the
// "postgres" system user (created by Debian's postgresql package), else as "nobody", with the
// folder handed to that user. fsync is off: the tests check the journal's logic and its handling
// of a lost server, not the disk (the SQLite durability tests check acknowledged writes on disk).
//
// One server per test binary: PostgresEnvironment (a GoogleTest Environment) starts it on first
// use and stops it when the binary ends; each test gets a fresh database (create_database()).
// If the binaries are missing, server() fails the calling test with a message saying what to
// install: the PostgreSQL tests never skip silently.
#pragma once

#include "common/result.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <memory>
#include <pqxx/pqxx>
#include <string>

namespace rc::journal::test {

class PostgresServer {
public:
    static Result<std::unique_ptr<PostgresServer>> start();
    ~PostgresServer();
    PostgresServer(PostgresServer const&) = delete;
    PostgresServer& operator=(PostgresServer const&) = delete;

    // A new empty database; returns its postgresql:// URI.
    Result<std::string> create_database();
    // The URI of database `name` on this server.
    std::string uri(std::string const& name) const;

    // Stops the server (fast shutdown: open connections are cut) and starts it again, for the
    // tests of a lost server.
    Result<void> stop();
    Result<void> resume();
    bool running() const { return m_running; }

private:
    PostgresServer(std::filesystem::path root, std::filesystem::path bin, std::string run_as);
    Result<void> run(std::string const& what, std::string const& command) const;

    std::filesystem::path m_root;     // data/, socket/, server.log
    std::filesystem::path m_bin;
    std::string m_run_as;             // "" when not root
    bool m_running { false };
    int m_databases { 0 };
};

class PostgresEnvironment : public ::testing::Environment {
public:
    // The binary's server, started on first call; nullptr (and the calling test failed with the
    // reason) when it cannot start.
    static PostgresServer* server();
    void TearDown() override;
};

// A test with a database of its own on the binary's server (resumed first if a test stopped it),
// and the server running again afterwards. m_uri is the database's address.
class FreshPostgresDatabase : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_server = PostgresEnvironment::server();
        ASSERT_NE(m_server, nullptr);
        if (!m_server->running()) {
            ASSERT_TRUE(m_server->resume());
        }
        auto database = m_server->create_database();
        ASSERT_TRUE(database) << database.error().message;
        m_uri = *database;
    }

    void TearDown() override
    {
        if (m_server && !m_server->running()) {
            EXPECT_TRUE(m_server->resume());
        }
    }

    // Runs `sql` directly on the database, as an administrator would (search_path: public).
    pqxx::result admin(std::string const& sql)
    {
        pqxx::connection connection(m_uri);
        pqxx::work tx(connection);
        auto result = tx.exec(sql);
        tx.commit();
        return result;
    }

    PostgresServer* m_server { nullptr };
    std::string m_uri;
};

}
