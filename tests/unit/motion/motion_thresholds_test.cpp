#include "knowledge/loader.h"
#include "knowledge/motion_thresholds_loader.h"
#include "motion/exercises.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <gtest/gtest.h>

using namespace rc::kb;

namespace {

std::filesystem::path const shipped { MOTION_KNOWLEDGE_DIR };

// A copy of the shipped knowledge base with motion.toml replaced.
std::filesystem::path with_motion_toml(std::string const& text)
{
    auto dir = std::filesystem::temp_directory_path() / ("rc-motion-kb-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::copy(shipped, dir, std::filesystem::copy_options::recursive);
    std::ofstream(dir / "motion.toml") << text;
    return dir;
}

}

TEST(MotionThresholds, TheShippedFileLoadsWithEveryNumberSourced)
{
    auto t = load_motion_thresholds(shipped);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_DOUBLE_EQ(t->lumbar_fraction, 0.709);
    EXPECT_DOUBLE_EQ(t->start_fraction, 0.43);
    EXPECT_EQ(t->source_ids.size(), 42u);
    // The fusion's and hips' numbers are read from the file, not left at their defaults.
    EXPECT_DOUBLE_EQ(t->roller_min_confidence, 0.5);
    EXPECT_DOUBLE_EQ(t->roller_weak_confidence, 0.1);
    EXPECT_DOUBLE_EQ(t->roller_start_sightings, 5);
    EXPECT_DOUBLE_EQ(t->roller_look_interval_s, 0.15);
    EXPECT_DOUBLE_EQ(t->hips_drop_cm, 1.5);
    for (auto const& [field, ids] : t->source_ids)
        EXPECT_FALSE(ids.empty()) << field;
    auto kb = load_knowledge_base(shipped);
    ASSERT_TRUE(kb) << kb.error().message;
}

TEST(MotionThresholds, AnOutOfRangeNumberIsRefusedWithItsLineAndAFix)
{
    std::string text = "[motion]\nlumbar_fraction = 0.95\n[motion.sources]\n";
    auto dir = with_motion_toml(text);
    auto t = load_motion_thresholds(dir);
    ASSERT_FALSE(t);
    std::string all = t.error().message;
    for (auto const& line : t.error().details)
        all += "\n" + line;
    EXPECT_NE(all.find("motion.toml:2"), std::string::npos) << all;
    EXPECT_NE(all.find("lumbar_fraction"), std::string::npos) << all;
    auto kb = load_knowledge_base(dir);
    EXPECT_FALSE(kb);
    std::filesystem::remove_all(dir);
}

TEST(MotionThresholds, AnUndefinedSourceAndATypoAreRefused)
{
    std::string text = "[motion]\nlumbar_fracton = 0.7\n[motion.sources]\nlumbar_fraction = [\"nobody_2099\"]\n";
    auto dir = with_motion_toml(text);
    auto t = load_motion_thresholds(dir);
    ASSERT_FALSE(t);
    std::string all;
    for (auto const& line : t.error().details)
        all += line + "\n";
    EXPECT_NE(all.find("nobody_2099"), std::string::npos) << all;
    EXPECT_NE(all.find("lumbar_fracton"), std::string::npos) << all;
    std::filesystem::remove_all(dir);
}

TEST(MotionThresholds, AStartOutsideTheThoracicSpineIsRefused)
{
    std::ifstream in(shipped / "motion.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.replace(text.find("lumbar_fraction = 0.709"), 23, "lumbar_fraction = 0.6");
    text.replace(text.find("start_fraction = 0.43"), 21, "start_fraction = 0.6");
    auto dir = with_motion_toml(text);
    auto loaded = load_motion_thresholds(dir);
    ASSERT_FALSE(loaded);
    std::string all;
    for (auto const& line : loaded.error().details)
        all += line + "\n";
    EXPECT_NE(all.find("start_fraction' (0.6) must lie between"), std::string::npos) << all;
    std::filesystem::remove_all(dir);
}

// The knowledge base carries the thresholds it validated, so the live session's analysers follow
// a therapist's edit of motion.toml rather than the compiled-in defaults.
TEST(MotionThresholds, TheKnowledgeBaseCarriesTheEditedValues)
{
    std::ifstream in(shipped / "motion.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.replace(text.find("lumbar_fraction = 0.709"), 23, "lumbar_fraction = 0.690");
    auto dir = with_motion_toml(text);
    auto kb = load_knowledge_base(dir);
    ASSERT_TRUE(kb) << kb.error().full_message();
    EXPECT_DOUBLE_EQ(kb->motion.lumbar_fraction, 0.690);
    EXPECT_NE(kb->motion.lumbar_fraction, MotionThresholds {}.lumbar_fraction);
    std::filesystem::remove_all(dir);
}

// The footage scorer sweeps thresholds by their motion.toml keys; it sets them through the
// loader's own table, so every key the file has can be swept and no other, within its bounds.
TEST(MotionThresholds, AToolSetsAThresholdByItsFileKeyWithinTheLoadersBounds)
{
    MotionThresholds thresholds;
    ASSERT_TRUE(set_motion_threshold(thresholds, "angle_evidence_travel_ratio", 2));
    EXPECT_EQ(thresholds.angle_evidence_travel_ratio, 2);
    ASSERT_TRUE(set_motion_threshold(thresholds, "roller_look_interval_seconds", 0.3));
    EXPECT_EQ(thresholds.roller_look_interval_s, 0.3) << "the file's key, not the member's name";
    ASSERT_TRUE(set_motion_threshold(thresholds, "lumbar_lasts_seconds", 0.4));
    EXPECT_EQ(thresholds.lumbar.lasts, 0.4);
    ASSERT_TRUE(set_motion_threshold(thresholds, "hips_repeats_seconds", 20));
    EXPECT_EQ(thresholds.hips.repeats, 20);

    auto unknown = set_motion_threshold(thresholds, "lumbar_fractoin", 0.7);
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("lumbar_fractoin is not a threshold"), std::string::npos) << unknown.error().message;
    auto out_of_range = set_motion_threshold(thresholds, "lumbar_fraction", 0.95);
    ASSERT_FALSE(out_of_range);
    EXPECT_NE(out_of_range.error().message.find("from 0.6 to 0.8"), std::string::npos) << out_of_range.error().message;
    EXPECT_FALSE(set_motion_threshold(thresholds, "hips_drop_cm", std::nan("")));
    EXPECT_EQ(thresholds.lumbar_fraction, MotionThresholds {}.lumbar_fraction) << "a refused value changes nothing";
}

TEST(MotionExercises, EveryExerciseTheMotionCodeKnowsIsAnExerciseInTheShippedKnowledgeBase)
{
    auto kb = load_knowledge_base(shipped);
    ASSERT_TRUE(kb) << kb.error().message;
    for (auto id : rc::motion::motion_exercises)
        EXPECT_NE(kb->find_exercise(id), nullptr) << id << " is not in data/knowledge/exercises.toml";
}
