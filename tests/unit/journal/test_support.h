// Helpers shared by the journal tests: a scratch folder, whole-file snapshots (to prove a failed
// open changed nothing), a sample session, and a journal holding one record of every kind.
#pragma once

#include "journal/records.h"
#include "journal/sqlite_journal.h"
#include "sample_records.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace rc::journal::test {

using namespace std::chrono_literals;

class TempDir {
public:
    TempDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "rollcoach-journal-XXXXXX").string();
        char* made = ::mkdtemp(pattern.data());
        EXPECT_NE(made, nullptr);
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(TempDir const&) = delete;
    TempDir& operator=(TempDir const&) = delete;

    std::filesystem::path const& path() const { return m_path; }
    std::filesystem::path operator/(std::string const& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

inline std::string read_bytes(std::filesystem::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline void write_bytes(std::filesystem::path const& path, std::string const& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// A new SQLite journal at `path` (the file must not exist yet).
inline std::unique_ptr<SqliteJournal> open_at(std::filesystem::path const& path)
{
    auto journal = SqliteJournal::open(path, Creation::CreateFileOnly);
    EXPECT_TRUE(journal) << (journal ? "" : journal.error().message);
    return journal ? std::move(*journal) : nullptr;
}

// One record of every kind, with text that needs quoting in CSV.
inline void fill_one_of_each(Journal& journal, WallTime t)
{
    ASSERT_TRUE(journal.save_profile({ t, { { "experience", "some" }, { "rollers_owned", { "soft_foam" } } } }));
    auto screening = journal.add_screening({ 0, t, "proceed_with_changes", { { "age_over_50", true } }, { { "tier", "proceed_with_changes" } } });
    ASSERT_TRUE(screening);
    auto session = sample_session(t + 1h);
    session.screening_id = *screening;
    auto id = journal.add_session(session);
    ASSERT_TRUE(id);
    ASSERT_TRUE(journal.add_pain({ 0, t + 3h, 4, PainMoment::Standalone, std::nullopt, "after \"gardening\", sore" }));
    ASSERT_TRUE(journal.add_checkin({ 0, t + 25h, *id, 3, WarningSign::Absent, "proceed", { { "sharp_pain", false } }, {} }));
    ASSERT_TRUE(journal.add_note({ 0, t + 26h, *id, "line one\nline two" }));
    ASSERT_TRUE(journal.add_clearance({ 0, t + 27h, "GP" }));
}

}
