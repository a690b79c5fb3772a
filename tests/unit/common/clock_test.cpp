#include "common/clock.h"

#include <gtest/gtest.h>

using namespace rc;
using namespace std::chrono_literals;

TEST(FakeClock, AdvancesMonotonicAndWallTimeTogether)
{
    FakeClock clock;
    auto mono = clock.now();
    auto wall = clock.wall_now();
    clock.advance(25s);
    EXPECT_EQ(clock.now() - mono, 25s);
    EXPECT_EQ(clock.wall_now() - wall, 25s);
}

TEST(FakeClock, StartsOnAFixedCalendarDateSoTestsAreReproducible)
{
    FakeClock clock;
    auto day = std::chrono::floor<std::chrono::days>(clock.wall_now());
    EXPECT_EQ(std::chrono::year_month_day { day }, std::chrono::year { 2026 } / 1 / 5);
    EXPECT_EQ(std::chrono::weekday { day }, std::chrono::Monday);
}

TEST(SystemClock, NeverRunsBackwards)
{
    SystemClock clock;
    auto first = clock.now();
    auto second = clock.now();
    EXPECT_LE(first, second);
}

TEST(SpeedScale, RunsTheSessionClockFasterFromItsOrigin)
{
    using namespace std::chrono_literals;
    rc::MonoTime origin = rc::MonoTime {} + 5s;
    rc::SpeedScale scale(origin, 20.0);
    EXPECT_EQ(scale.to_session(origin + 1s), origin + 20s);
    EXPECT_GE(scale.to_real(origin + 20s), origin + 1s);
    EXPECT_LT(scale.to_real(origin + 20s), origin + 1s + 1ms);
    EXPECT_EQ(scale.real_span(rc::Millis { 2000 }), rc::Millis { 100 });
}
