#include "motion/body_simulator.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

using namespace rc::motion;

namespace {

BodyDimensions body() { return BodyDimensions::for_height(rc::Centimetres { 178 }, Sex::Male); }

}

TEST(BodySimulator, RollerRollsHalfTheBodysTravelAndTheContactMovesTheOtherWay)
{
    // Contact moves 5 cm toward the sacrum: the roller rolls 5 cm headward, the body about
    // 10 cm headward (2x along the floor, less the trunk angle's cosine on one half).
    BodyDimensions b = body();
    double step = 5.0 / b.c7_to_psis;
    auto before = compute_back_roll_geometry(b, 0.40, 0.40, 6);
    auto after = compute_back_roll_geometry(b, 0.40 + step, 0.40, 6);
    double roller = after.roller_centre_x - before.roller_centre_x;
    double body_travel = after.c7_x - before.c7_x;
    EXPECT_NEAR(roller, 5.0, 1e-9);
    EXPECT_GT(body_travel, 0);  // the body goes headward while the contact goes toward the sacrum
    EXPECT_NEAR(roller / body_travel, 0.5, 0.04);
}

TEST(BodySimulator, RollerStaysTangentToTheBackOnTheFloor)
{
    BodyDimensions b = body();
    for (double fraction : { 0.0, 0.2, 0.45, 0.7, 0.85 }) {
        for (double lift : { 0.0, 4.0, 8.0 }) {
            auto g = compute_back_roll_geometry(b, fraction, 0.43, lift);
            EXPECT_NEAR(g.back_to_roller_cm, 7.5, 1e-6) << fraction << " " << lift;
            EXPECT_NEAR(g.roller_centre_y, 7.5, 1e-9);
            EXPECT_GT(g.trunk_angle_rad, 0);
        }
    }
    // Hips down tilts the trunk more than hips lifted.
    EXPECT_GT(compute_back_roll_geometry(b, 0.4, 0.43, 0).trunk_angle_rad, compute_back_roll_geometry(b, 0.4, 0.43, 7).trunk_angle_rad);
}

TEST(BodySimulator, SameSeedSameFramesOtherSeedOtherFrames)
{
    auto a = simulate({ .exercise = "thoracic_roll", .mistakes = {}, .seed = 42, .duration_s = 5 });
    auto b = simulate({ .exercise = "thoracic_roll", .mistakes = {}, .seed = 42, .duration_s = 5 });
    auto c = simulate({ .exercise = "thoracic_roll", .mistakes = {}, .seed = 43, .duration_s = 5 });
    ASSERT_TRUE(a && b && c);
    ASSERT_EQ(a->frames.size(), b->frames.size());
    for (std::size_t i = 0; i < a->frames.size(); ++i)
        ASSERT_EQ(a->frames[i].frame, b->frames[i].frame);
    EXPECT_NE(a->subject.height_cm, c->subject.height_cm);
}

TEST(BodySimulator, SubjectsVaryWithinTheDesignRanges)
{
    bool left = false, right = false, male = false, female = false;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        auto sim = simulate({ .exercise = "glute_roll", .mistakes = {}, .seed = seed, .duration_s = 1 });
        ASSERT_TRUE(sim);
        auto const& s = sim->subject;
        EXPECT_GE(s.height_cm, 150);
        EXPECT_LE(s.height_cm, 200);
        EXPECT_GE(s.camera_distance_m, 2.0);
        EXPECT_LE(s.camera_distance_m, 4.0);
        (s.facing_right ? right : left) = true;
        (s.sex == Sex::Male ? male : female) = true;
    }
    EXPECT_TRUE(left && right && male && female);
}

TEST(BodySimulator, TruthLabelsEveryFrameOfEachExercise)
{
    for (std::string_view exercise : simulated_exercises) {
        auto sim = simulate({ .exercise = std::string { exercise }, .mistakes = {}, .seed = 3, .duration_s = 10 });
        ASSERT_TRUE(sim) << exercise;
        ASSERT_GT(sim->frames.size(), 200u);
        for (auto const& f : sim->frames) {
            EXPECT_EQ(f.truth.exercise, exercise);
            EXPECT_FALSE(f.truth.posture.empty());
            if (f.truth.on_roller_back) {
                EXPECT_EQ(f.truth.level, spinal_level_name(f.truth.contact_fraction));
            }
        }
    }
}

TEST(BodySimulator, CleanThoracicRollStaysOnTheThoracicSpine)
{
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        auto sim = simulate({ .exercise = "thoracic_roll", .mistakes = {}, .seed = seed, .duration_s = 60 });
        ASSERT_TRUE(sim);
        for (auto const& f : sim->frames)
            EXPECT_EQ(f.truth.zone, "thoracic");
    }
}

TEST(BodySimulator, MistakesShowInTheTruth)
{
    auto count = [](std::vector<Mistake> mistakes, auto predicate) {
        auto sim = simulate({ .exercise = "thoracic_roll", .mistakes = std::move(mistakes), .seed = 11, .duration_s = 60 });
        return std::count_if(sim->frames.begin(), sim->frames.end(), [&](SimulatedFrame const& f) { return predicate(f.truth); });
    };
    EXPECT_GT(count({ Mistake::Lumbar }, [](FrameTruth const& t) { return t.zone == "lumbar"; }), 15);
    EXPECT_GT(count({ Mistake::Neck }, [](FrameTruth const& t) { return t.zone == "neck"; }), 15);
    EXPECT_GT(count({ Mistake::Fast }, [](FrameTruth const& t) { return t.speed_cm_s > 25; }), 30);
    EXPECT_EQ(count({}, [](FrameTruth const& t) { return t.speed_cm_s > 25; }), 0);
    EXPECT_GT(count({ Mistake::HandsOff }, [](FrameTruth const& t) { return t.hands == HandsPosition::OnChest; }), 300);
    EXPECT_GT(count({ Mistake::HipsDown }, [](FrameTruth const& t) { return t.hips_height_cm < 1.0; }), 1000);
    EXPECT_GT(count({ Mistake::Framing }, [](FrameTruth const& t) { return !t.in_view; }), 100);
}

TEST(BodySimulator, ParsesMistakeListsAndRefusesUnknownNames)
{
    auto parsed = parse_mistakes("lumbar,fast");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, (std::vector<Mistake> { Mistake::Lumbar, Mistake::Fast }));
    EXPECT_TRUE(parse_mistakes("")->empty());
    auto bad = parse_mistakes("lumbar,slouch");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("slouch"), std::string::npos);
    EXPECT_FALSE(simulate({ .exercise = "yoga", .mistakes = {}, .seed = 1, .duration_s = 1 }));
    EXPECT_FALSE(simulate({ .exercise = "cat_cow", .mistakes = {}, .seed = 1, .duration_s = 0 }));
}

TEST(BodySimulator, RollerSightingsComeOnEveryNthFrameAndLeaveTheLandmarksAsTheyWere)
{
    auto plain = simulate({ .exercise = "thoracic_roll", .mistakes = {}, .seed = 42, .duration_s = 10, .realism = Realism::Widened });
    auto seen = simulate({ .exercise = "thoracic_roll", .mistakes = {}, .seed = 42, .duration_s = 10, .realism = Realism::Widened, .roller_every = 3 });
    ASSERT_TRUE(plain && seen);
    ASSERT_EQ(plain->frames.size(), seen->frames.size());
    int sightings = 0;
    for (std::size_t i = 0; i < seen->frames.size(); ++i) {
        Frame const& a = plain->frames[i].frame;
        Frame const& b = seen->frames[i].frame;
        EXPECT_FALSE(a.roller);
        for (std::size_t j = 0; j < landmark_count; ++j)
            EXPECT_EQ(a.landmarks[j].x, b.landmarks[j].x);
        if (b.roller) {
            ++sightings;
            EXPECT_GT(b.roller->radius, 0.0f);
            EXPECT_GE(b.roller->confidence, 0.0f);
            EXPECT_LE(b.roller->confidence, 1.0f);
        }
    }
    // Every third frame, less the frames the simulator drops.
    EXPECT_GT(sightings, static_cast<int>(seen->frames.size()) / 4);
    EXPECT_LE(sightings, static_cast<int>(seen->frames.size()) / 3 + 1);
    auto other = simulate({ .exercise = "lat_roll", .mistakes = {}, .seed = 42, .duration_s = 5, .roller_every = 3 });
    for (auto const& f : other->frames)
        EXPECT_FALSE(f.frame.roller) << "only back rolls have a roller under the back";
}
