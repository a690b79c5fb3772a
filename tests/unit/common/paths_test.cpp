#include "common/paths.h"

#include <cstdlib>
#include <gtest/gtest.h>

using namespace rc;

namespace {

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
public:
    ScopedEnv(char const* name, char const* value)
        : m_name(name)
    {
        if (char const* old = std::getenv(name))
            m_old = old;
        if (value)
            setenv(name, value, 1);
        else
            unsetenv(name);
    }
    ~ScopedEnv()
    {
        if (m_old)
            setenv(m_name, m_old->c_str(), 1);
        else
            unsetenv(m_name);
    }

private:
    char const* m_name;
    std::optional<std::string> m_old;
};

}

TEST(Paths, JournalLivesUnderXdgDataHomeWhenSet)
{
    ScopedEnv xdg("XDG_DATA_HOME", "/tmp/xdg-data");
    EXPECT_EQ(default_journal_path(), std::filesystem::path("/tmp/xdg-data/rollcoach/journal.db"));
}

TEST(Paths, JournalFallsBackToLocalShareInHome)
{
    ScopedEnv xdg("XDG_DATA_HOME", nullptr);
    ScopedEnv home("HOME", "/home/someone");
    EXPECT_EQ(default_journal_path(), std::filesystem::path("/home/someone/.local/share/rollcoach/journal.db"));
}

TEST(Paths, NoJournalPathWithoutHomeOrXdg)
{
    ScopedEnv xdg("XDG_DATA_HOME", nullptr);
    ScopedEnv home("HOME", nullptr);
    EXPECT_FALSE(default_journal_path().has_value());
}

TEST(Paths, ShippedDataIsFoundWithoutConfiguration)
{
    ScopedEnv data("ROLLCOACH_DATA_DIR", nullptr);
    EXPECT_TRUE(std::filesystem::exists(shipped_data_dir() / "knowledge"));
}

TEST(Paths, EnvironmentOverridesTheShippedDataDirectory)
{
    ScopedEnv data("ROLLCOACH_DATA_DIR", "/opt/clinic/rollcoach");
    EXPECT_EQ(shipped_data_dir(), std::filesystem::path("/opt/clinic/rollcoach"));
}
