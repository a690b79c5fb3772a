// The fixture that runs one journal test on every backend: value-parameterized by Backend, each
// test gets a fresh, empty journal location (an SQLite file in a scratch folder, or a new
// database on the binary's private PostgreSQL server, postgres_server.h).
//
//   class JournalContract : public BackendTest {};
//   TEST_P(JournalContract, KeepsTheProfile) { auto journal = open_fresh(); ... }
//   INSTANTIATE_TEST_SUITE_P(Backends, JournalContract, every_backend(), backend_name);
//
// Tests are named .../Sqlite and .../Postgres; CMake runs the Postgres ones in one process, so
// the binary starts one server.
#pragma once

#include "journal/journal.h"
#include "journal/open_journal.h"
#include "postgres_server.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <memory>
#include <string>

namespace rc::journal::test {

enum class Backend { Sqlite, Postgres };

inline auto every_backend()
{
    return ::testing::Values(Backend::Sqlite, Backend::Postgres);
}

inline std::string backend_name(::testing::TestParamInfo<Backend> const& info)
{
    return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

class BackendTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override
    {
        if (GetParam() == Backend::Sqlite) {
            m_location = (m_dir / "journal.db").string();
            return;
        }
        auto* server = PostgresEnvironment::server();
        ASSERT_NE(server, nullptr) << "no PostgreSQL server for this test (the reason is above)";
        auto database = server->create_database();
        ASSERT_TRUE(database) << database.error().message;
        m_location = *database;
    }

    // This test's journal location: an SQLite path or a postgresql:// URI.
    std::string const& location() const { return m_location; }

    // Opens (creating it on first use) this test's journal; a second call opens a second handle
    // on the same journal, as a second process would.
    std::unique_ptr<Journal> open_fresh(Purpose purpose = Purpose::Write)
    {
        auto journal = open_journal(std::filesystem::path(m_location), purpose);
        EXPECT_TRUE(journal) << (journal ? "" : journal.error().message);
        if (!journal)
            return nullptr;
        return std::move(*journal);
    }

    TempDir m_dir;

private:
    std::string m_location;
};

}
