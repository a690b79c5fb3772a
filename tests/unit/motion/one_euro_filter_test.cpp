#include "motion/one_euro_filter.h"

#include <cmath>
#include <gtest/gtest.h>
#include <random>

using namespace rc::motion;

TEST(OneEuroFilter, CreateRefusesNonPositiveCutoffsAndNegativeBeta)
{
    EXPECT_FALSE(OneEuroFilter::create({ .min_cutoff = 0, .beta = 0, .derivative_cutoff = 1 }));
    EXPECT_FALSE(OneEuroFilter::create({ .min_cutoff = 1, .beta = -1, .derivative_cutoff = 1 }));
    EXPECT_FALSE(OneEuroFilter::create({ .min_cutoff = 1, .beta = 0, .derivative_cutoff = 0 }));
    EXPECT_FALSE(OneEuroFilter::create({ .min_cutoff = std::nan(""), .beta = 0, .derivative_cutoff = 1 }));
    auto error = OneEuroFilter::create({ .min_cutoff = -2, .beta = 0, .derivative_cutoff = 1 }).error();
    EXPECT_NE(error.message.find("min_cutoff should be > 0"), std::string::npos);
    EXPECT_TRUE(OneEuroFilter::create({ .min_cutoff = 1, .beta = 0, .derivative_cutoff = 1 }));
}

TEST(OneEuroFilter, FirstSampleAndConstantInputPassThrough)
{
    auto filter = *OneEuroFilter::create({ .min_cutoff = 1, .beta = 0, .derivative_cutoff = 1 });
    EXPECT_DOUBLE_EQ(filter.filter(3.5, 1.0 / 30), 3.5);
    for (int i = 0; i < 100; ++i)
        EXPECT_DOUBLE_EQ(filter.filter(3.5, 1.0 / 30), 3.5);
}

TEST(OneEuroFilter, NonPositiveTimeStepKeepsThePreviousOutput)
{
    auto filter = *OneEuroFilter::create({ .min_cutoff = 1, .beta = 0, .derivative_cutoff = 1 });
    filter.filter(1.0, 0.1);
    EXPECT_DOUBLE_EQ(filter.filter(50.0, 0.0), 1.0);
    EXPECT_DOUBLE_EQ(filter.filter(50.0, -1.0), 1.0);
}

TEST(OneEuroFilter, SmoothsJitterOfAStillPoint)
{
    auto filter = *OneEuroFilter::create({ .min_cutoff = 0.8, .beta = 0, .derivative_cutoff = 1 });
    std::mt19937_64 rng(5);
    std::normal_distribution<double> noise(0, 0.01);
    double raw_sq = 0, smooth_sq = 0;
    for (int i = 0; i < 3000; ++i) {
        double raw = noise(rng);
        double smooth = filter.filter(raw, 1.0 / 30);
        if (i > 30) {
            raw_sq += raw * raw;
            smooth_sq += smooth * smooth;
        }
    }
    EXPECT_LT(smooth_sq, raw_sq / 9);  // at least 3x less jitter
}

TEST(OneEuroFilter, BetaCutsTheLagOfFastMotion)
{
    auto still = *OneEuroFilter::create({ .min_cutoff = 0.5, .beta = 0, .derivative_cutoff = 1 });
    auto adaptive = *OneEuroFilter::create({ .min_cutoff = 0.5, .beta = 20, .derivative_cutoff = 1 });
    double x = 0;
    for (int i = 0; i < 60; ++i) {
        x += 0.01;  // a steady ramp
        still.filter(x, 1.0 / 30);
        adaptive.filter(x, 1.0 / 30);
    }
    EXPECT_LT(x - adaptive.value(), (x - still.value()) / 2);
    EXPECT_GT(adaptive.derivative(), 0.1);
}
