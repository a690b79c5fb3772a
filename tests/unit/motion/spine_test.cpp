#include "motion/spine.h"

#include <cmath>

#include <gtest/gtest.h>

using namespace rc::motion;

TEST(Spine, ErnstAnchorsNameTheirLevels)
{
    EXPECT_EQ(spinal_level_name(0.0), "C7");
    EXPECT_EQ(spinal_level_name(0.21), "T4");
    EXPECT_EQ(spinal_level_name(0.39), "T7");
    EXPECT_EQ(spinal_level_name(0.541), "T10");
    EXPECT_EQ(spinal_level_name(0.709), "L1");
    EXPECT_EQ(spinal_level_name(0.861), "L4");
    EXPECT_DOUBLE_EQ(spinal_level_fraction("L1"), 0.709);
    EXPECT_TRUE(std::isnan(spinal_level_fraction("X9")));
}

TEST(Spine, ZonesSplitAtNeckAndFirstLumbarLevel)
{
    EXPECT_EQ(spinal_zone(-0.05), SpinalZone::Neck);
    EXPECT_EQ(spinal_zone(0.01), SpinalZone::Neck);
    EXPECT_EQ(spinal_zone(0.10), SpinalZone::Thoracic);
    EXPECT_EQ(spinal_zone(0.708), SpinalZone::Thoracic);
    EXPECT_EQ(spinal_zone(0.709), SpinalZone::Lumbar);
    EXPECT_EQ(spinal_zone(0.99), SpinalZone::Sacrum);
    EXPECT_EQ(spinal_level_name(-0.2), "neck");
    EXPECT_EQ(spinal_level_name(1.2), "sacrum");
    EXPECT_EQ(spinal_level_name(std::nan("")), "unknown");
}

TEST(Spine, DeLevaLengthsScaleWithHeight)
{
    auto male = BodyDimensions::for_height(rc::Centimetres { 174.1 }, Sex::Male);
    EXPECT_NEAR(male.c7_to_hip, 60.3, 1e-9);
    EXPECT_NEAR(male.shoulder_to_hip, 51.6, 1e-9);
    auto female = BodyDimensions::for_height(rc::Centimetres { 173.5 }, Sex::Female);
    EXPECT_NEAR(female.c7_to_hip, 61.5, 1e-9);
    auto tall = BodyDimensions::for_height(rc::Centimetres { 200 }, Sex::Male);
    EXPECT_NEAR(tall.thigh / male.thigh, 200 / 174.1, 1e-9);
    EXPECT_NEAR(expected_c7_to_psis(174), 50.9, 1e-9);
}
