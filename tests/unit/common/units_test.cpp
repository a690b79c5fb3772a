#include "common/units.h"

#include <gtest/gtest.h>

using namespace rc;

TEST(Units, LengthsAddAndCompareOnlyWithLengths)
{
    Centimetres c7_to_l1 = 36.1_cm;
    Centimetres margin = 2_cm;
    EXPECT_DOUBLE_EQ((c7_to_l1 + margin).value, 38.1);
    EXPECT_LT(margin, c7_to_l1);
    EXPECT_DOUBLE_EQ((c7_to_l1 / 2).value, 18.05);
    static_assert(!std::is_convertible_v<Degrees, Centimetres>);
}
