#include "motion/finding_gate.h"

#include <gtest/gtest.h>

using namespace rc::motion;

TEST(FindingGate, FiresOnceTheConditionHasLastedItsDebounce)
{
    FindingGate gate(0.3, 8, 1);
    EXPECT_FALSE(gate.update(true, 0.0));
    EXPECT_FALSE(gate.update(true, 0.2));
    EXPECT_TRUE(gate.update(true, 0.3));
    EXPECT_TRUE(gate.active());
}

TEST(FindingGate, WithNoDebounceFiresOnTheFirstFrame)
{
    FindingGate gate(0, 8, 1);
    EXPECT_TRUE(gate.update(true, 5.0));
}

TEST(FindingGate, AnInterruptedConditionStartsItsDebounceAgain)
{
    FindingGate gate(0.3, 8, 1);
    EXPECT_FALSE(gate.update(true, 0.0));
    EXPECT_FALSE(gate.update(false, 0.2));
    EXPECT_FALSE(gate.update(true, 0.25));
    EXPECT_FALSE(gate.update(true, 0.5));
    EXPECT_TRUE(gate.update(true, 0.55));
}

TEST(FindingGate, RepeatsWhileTheConditionLastsNoSoonerThanItsInterval)
{
    FindingGate gate(0, 8, 1);
    EXPECT_TRUE(gate.update(true, 0.0));
    EXPECT_FALSE(gate.update(true, 4.0));
    EXPECT_FALSE(gate.update(true, 7.9));
    EXPECT_TRUE(gate.update(true, 8.0));
}

TEST(FindingGate, ReArmsOnlyAfterTheConditionHasBeenClearLongEnough)
{
    FindingGate gate(0, 2, 1);
    EXPECT_TRUE(gate.update(true, 0.0));
    EXPECT_FALSE(gate.update(false, 0.5));
    EXPECT_TRUE(gate.active());
    EXPECT_FALSE(gate.update(false, 1.6));
    EXPECT_FALSE(gate.active());
    // The repeat interval still holds after re-arming.
    EXPECT_FALSE(gate.update(true, 1.8));
    EXPECT_TRUE(gate.update(true, 2.0));
}
