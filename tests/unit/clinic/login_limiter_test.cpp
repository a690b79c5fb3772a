#include "clinic/login_limiter.h"

#include <gtest/gtest.h>

using namespace rc;
using namespace std::chrono_literals;

TEST(LoginLimiter, FifthFailureForAnAccountBlocksItUntilTheOldestLeavesTheWindow)
{
    clinic::LoginLimiter limiter({ .max_failures_per_account = 5, .max_failures_per_client = 100, .window = 15min });
    MonoTime now {};
    clinic::LoginAttempt const attempt { "sam@example.org", "10.0.0.1" };
    for (int i = 0; i < 5; ++i) {
        EXPECT_FALSE(limiter.retry_after(attempt, now));
        limiter.record_failure(attempt, now);
        now += 1min;
    }
    auto wait = limiter.retry_after(attempt, now);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 10min);   // the first failure, at 0, leaves the window at 15 min; it is 5 min now
    EXPECT_FALSE(limiter.retry_after({ "other@example.org", "10.0.0.1" }, now));
    now += 10min;
    EXPECT_FALSE(limiter.retry_after(attempt, now));
}

TEST(LoginLimiter, OneClientTryingManyAccountsIsBlockedForEveryAccount)
{
    clinic::LoginLimiter limiter({ .max_failures_per_account = 5, .max_failures_per_client = 3, .window = 15min });
    MonoTime now {};
    for (int i = 0; i < 3; ++i)
        limiter.record_failure({ "user" + std::to_string(i) + "@example.org", "10.0.0.9" }, now);
    EXPECT_TRUE(limiter.retry_after({ "fresh@example.org", "10.0.0.9" }, now));
    EXPECT_FALSE(limiter.retry_after({ "fresh@example.org", "10.0.0.10" }, now));
}

TEST(LoginLimiter, SuccessClearsTheAccountButNotTheClient)
{
    clinic::LoginLimiter limiter({ .max_failures_per_account = 2, .max_failures_per_client = 3, .window = 15min });
    MonoTime now {};
    clinic::LoginAttempt const attempt { "sam@example.org", "10.0.0.1" };
    limiter.record_failure(attempt, now);
    limiter.record_failure(attempt, now);
    EXPECT_TRUE(limiter.retry_after(attempt, now));
    limiter.record_success(attempt);
    EXPECT_FALSE(limiter.retry_after(attempt, now));
    limiter.record_failure(attempt, now);
    EXPECT_TRUE(limiter.retry_after({ "x@example.org", "10.0.0.1" }, now));   // the client's third failure
}

#include "clinic/clinic_store.h"

#include <filesystem>

TEST(ClinicMigrations, EmbeddedCopyMatchesTheFilesInDataMigrationsPostgresqlClinic)
{
    auto loaded = rc::journal::load_migrations(std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "migrations" / "postgresql" / "clinic");
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(*loaded, rc::clinic::clinic_migrations());
    EXPECT_FALSE(loaded->empty());
}
