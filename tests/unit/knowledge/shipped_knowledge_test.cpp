// The shipped knowledge base loads, and its content keeps rollcoach's product invariants.
#include "knowledge/loader.h"
#include "knowledge/zone_names.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

using namespace rc::kb;

namespace {

std::filesystem::path const shipped_dir = std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data" / "knowledge";

KnowledgeBase const& shipped()
{
    static KnowledgeBase const kb = [] {
        auto loaded = load_knowledge_base(shipped_dir);
        if (!loaded) {
            ADD_FAILURE() << loaded.error().full_message();
            return KnowledgeBase {};
        }
        return std::move(loaded).value();
    }();
    return kb;
}

KnowledgeTexts shipped_texts()
{
    KnowledgeTexts texts;
    for (auto const* name : { "sources.toml", "zones.toml", "tools.toml", "exercises.toml", "rules.toml", "thresholds.toml", "routines.toml" }) {
        std::ifstream in(shipped_dir / name);
        std::ostringstream text;
        text << in.rdbuf();
        texts.emplace(name, text.str());
    }
    return texts;
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Every sentence that mentions a debunked mechanism must deny it.
void expect_no_mechanism_myths(std::string const& owner, std::string const& text)
{
    std::istringstream sentences { lower(text) };
    std::string sentence;
    while (std::getline(sentences, sentence, '.')) {
        for (auto const* myth : { "knot", "toxin", "golgi", "release fascia", "releases fascia", "break up", "breaks up", "adhesion" }) {
            if (sentence.find(myth) == std::string::npos)
                continue;
            bool denied = sentence.find("not") != std::string::npos || sentence.find("n't") != std::string::npos
                || sentence.find(" no ") != std::string::npos;
            EXPECT_TRUE(denied) << owner << " repeats the myth '" << myth << "': " << sentence;
        }
    }
}

std::chrono::seconds routine_duration(KnowledgeBase const& kb, Routine const& routine)
{
    std::chrono::seconds total { 0 };
    int transitions = -1;
    for (auto const& step : routine.steps) {
        Exercise const* exercise = kb.find_exercise(step.exercise_id);
        if (!exercise)
            continue;
        if (exercise->kind == ExerciseKind::Finisher) {
            total += step.repetitions * exercise->dose.per_repetition;
            ++transitions;
        } else {
            int sides = exercise->sides == Sides::LeftAndRight ? 2 : 1;
            total += sides * step.per_side;
            transitions += sides;
        }
    }
    return total + std::max(transitions, 0) * kb.thresholds.transition_rest;
}

}

TEST(ShippedKnowledgeBase, LoadsAndPassesValidation)
{
    auto kb = load_knowledge_base(shipped_dir);
    ASSERT_TRUE(kb.has_value()) << kb.error().full_message();
    EXPECT_FALSE(kb->screening.questions.empty());
}

TEST(ShippedKnowledgeBase, LoadsTheSameFromMemory)
{
    auto kb = load_knowledge_texts(shipped_texts());
    ASSERT_TRUE(kb.has_value()) << kb.error().full_message();
    EXPECT_EQ(kb->exercises.size(), shipped().exercises.size());
    EXPECT_EQ(kb->rules.size(), shipped().rules.size());
}

TEST(ShippedKnowledgeBase, MissingDirectoryIsNotFound)
{
    auto kb = load_knowledge_base(shipped_dir / "no_such_directory");
    ASSERT_FALSE(kb.has_value());
    EXPECT_EQ(kb.error().code, rc::ErrorCode::NotFound);
}

TEST(ShippedKnowledgeBase, HasEveryZoneWithItsStatus)
{
    auto const& kb = shipped();
    std::vector<std::pair<char const*, ZoneStatus>> expected {
        { "cervical_spine", ZoneStatus::NoGo }, { "thoracic_spine", ZoneStatus::Target }, { "lumbar_spine", ZoneStatus::NoGo },
        { "latissimus_dorsi", ZoneStatus::Target }, { "glutes", ZoneStatus::Target }, { "hip_flexors", ZoneStatus::Target },
        { "erector_spinae", ZoneStatus::Caution }, { "back_of_knee", ZoneStatus::NoGo }, { "elbow", ZoneStatus::NoGo },
    };
    for (auto const& [id, status] : expected) {
        Zone const* zone = kb.find_zone(id);
        ASSERT_NE(zone, nullptr) << id;
        EXPECT_EQ(zone->status, status) << id;
    }
}

TEST(ShippedKnowledgeBase, HasEveryToolAndOnlyTheSoftRollerSuitsSensitiveUsers)
{
    auto const& kb = shipped();
    for (auto const* id : { "soft_foam", "standard", "trigger_point", "peanut", "spiked" })
        EXPECT_NE(kb.find_tool(id), nullptr) << id;
    for (auto const& tool : kb.tools)
        EXPECT_EQ(tool.suits_high_sensitivity, tool.id == "soft_foam") << tool.id;
    EXPECT_FALSE(kb.find_tool("spiked")->suits_beginners);
    EXPECT_FALSE(kb.find_tool("trigger_point")->whole_back_session);
}

TEST(ShippedKnowledgeBase, HasTheSixExercisesWithTheArticlesTimings)
{
    auto const& kb = shipped();
    for (auto const* id : { "thoracic_roll", "lat_roll", "glute_roll", "hip_flexor_roll", "peanut_erector_roll", "cat_cow" })
        ASSERT_NE(kb.find_exercise(id), nullptr) << id;
    for (auto const& exercise : kb.exercises) {
        EXPECT_FALSE(exercise.setup.empty()) << exercise.id;
        EXPECT_FALSE(exercise.mistakes.empty()) << exercise.id;
        EXPECT_FALSE(exercise.cues.empty()) << exercise.id;
        if (exercise.kind == ExerciseKind::Finisher) {
            EXPECT_TRUE(exercise.tools.empty()) << exercise.id;
            EXPECT_GE(exercise.dose.repetitions, 1) << exercise.id;
            continue;
        }
        EXPECT_FALSE(exercise.tools.empty()) << exercise.id;
        EXPECT_EQ(exercise.tempo.min_per_pass, std::chrono::seconds(2)) << exercise.id;
        EXPECT_EQ(exercise.tempo.max_per_pass, std::chrono::seconds(4)) << exercise.id;
        EXPECT_EQ(exercise.hold.min_hold, std::chrono::seconds(20)) << exercise.id;
        EXPECT_EQ(exercise.hold.max_hold, std::chrono::seconds(30)) << exercise.id;
        EXPECT_GE(exercise.hold.move_on_after, std::chrono::seconds(60)) << exercise.id;
        EXPECT_LE(exercise.hold.move_on_after, std::chrono::seconds(120)) << exercise.id;
    }
    EXPECT_EQ(kb.find_exercise("glute_roll")->sides, Sides::LeftAndRight);
    EXPECT_EQ(kb.find_exercise("cat_cow")->kind, ExerciseKind::Finisher);
}

TEST(ShippedKnowledgeBase, NoExerciseTargetsANoGoZone)
{
    auto const& kb = shipped();
    for (auto const& exercise : kb.exercises)
        for (auto const& zone_id : exercise.target_zones) {
            Zone const* zone = kb.find_zone(zone_id);
            ASSERT_NE(zone, nullptr) << exercise.id << " -> " << zone_id;
            EXPECT_NE(zone->status, ZoneStatus::NoGo) << exercise.id << " -> " << zone_id;
        }
}

TEST(ShippedKnowledgeBase, TheMusclesBesideTheSpineAreWorkedOnlyWithThePeanut)
{
    auto const& kb = shipped();
    for (auto const& exercise : kb.exercises) {
        auto const& zones = exercise.target_zones;
        if (std::find(zones.begin(), zones.end(), "erector_spinae") != zones.end()) {
            EXPECT_EQ(exercise.tools, std::vector<std::string> { "peanut" }) << exercise.id;
        }
    }
}

TEST(ShippedKnowledgeBase, EveryRuleZoneToolExerciseRoutineAndThresholdHasASource)
{
    auto const& kb = shipped();
    for (auto const& rule : kb.rules)
        EXPECT_FALSE(rule.source_ids.empty()) << rule.id;
    for (auto const& zone : kb.zones)
        EXPECT_FALSE(zone.source_ids.empty()) << zone.id;
    for (auto const& tool : kb.tools)
        EXPECT_FALSE(tool.source_ids.empty()) << tool.id;
    for (auto const& exercise : kb.exercises)
        EXPECT_FALSE(exercise.source_ids.empty()) << exercise.id;
    for (auto const& routine : kb.routines)
        EXPECT_FALSE(routine.source_ids.empty()) << routine.id;
    EXPECT_EQ(kb.thresholds.source_ids.size(), 13u);   // 12 numbers and clearance_valid_months
    for (auto const& [field, ids] : kb.thresholds.source_ids)
        EXPECT_FALSE(ids.empty()) << field;
}

TEST(ShippedKnowledgeBase, HasEverySafetyRuleTheIssueLists)
{
    auto const& kb = shipped();
    for (auto const* id : { "no_lumbar", "no_neck", "no_joints", "max_time_per_spot", "no_breath_holding", "moderate_pressure", "back_off",
             "next_day_soreness", "stop_and_see_therapist" })
        EXPECT_NE(kb.find_rule(id), nullptr) << id;
    // The spine and joint rules are rollcoach's conservative choice, and say so.
    for (auto const* id : { "no_lumbar", "no_neck", "no_joints" }) {
        auto const& sources = kb.find_rule(id)->source_ids;
        EXPECT_NE(std::find(sources.begin(), sources.end(), "fijavz_2024"), sources.end()) << id;
        EXPECT_NE(lower(kb.find_rule(id)->why).find("rollcoach's cautious rule"), std::string::npos) << id;
    }
}

TEST(ShippedKnowledgeBase, TheDefaultRoutineIsAboutFiveMinutes)
{
    auto const& kb = shipped();
    Routine const* routine = kb.find_routine("default");
    ASSERT_NE(routine, nullptr);
    ASSERT_EQ(routine->steps.size(), 3u);
    EXPECT_EQ(routine->steps[0].exercise_id, "thoracic_roll");
    EXPECT_EQ(routine->steps[0].per_side, std::chrono::seconds(60));
    EXPECT_EQ(routine->steps[1].exercise_id, "glute_roll");
    EXPECT_EQ(routine->steps[1].per_side, std::chrono::seconds(60));
    EXPECT_EQ(routine->steps[2].exercise_id, "cat_cow");
    EXPECT_GE(routine->steps[2].repetitions, 3);
    auto duration = routine_duration(kb, *routine);
    EXPECT_GE(duration, std::chrono::seconds(240));
    EXPECT_LE(duration, kb.thresholds.default_session);
    EXPECT_EQ(routine->best_times, (std::vector<std::string> { "before_bed", "after_workout" }));
}

TEST(ShippedKnowledgeBase, ThresholdsHaveTheDocumentedDefaults)
{
    auto const& t = shipped().thresholds;
    EXPECT_EQ(t.pain_back_off, 7);
    EXPECT_EQ(t.pain_target_max, 6);
    EXPECT_DOUBLE_EQ(t.breaths_per_minute, 6.0);
    EXPECT_EQ(t.inhale + t.exhale, std::chrono::seconds(10));
    EXPECT_EQ(t.default_session, std::chrono::seconds(300));
    EXPECT_EQ(t.normal_soreness_window, std::chrono::hours(72));
    EXPECT_EQ(t.soreness_too_long, std::chrono::hours(168));
}

TEST(ShippedKnowledgeBase, NoTextRepeatsTheDebunkedMechanisms)
{
    auto const& kb = shipped();
    for (auto const& zone : kb.zones)
        expect_no_mechanism_myths(zone.id, zone.why);
    for (auto const& tool : kb.tools)
        expect_no_mechanism_myths(tool.id, tool.good_for + ". " + tool.not_for);
    for (auto const& exercise : kb.exercises) {
        std::string all = exercise.movement + ". " + exercise.why;
        for (auto const& cue : exercise.cues)
            all += ". " + cue;
        for (auto const& mistake : exercise.mistakes)
            all += ". " + mistake.what + ". " + mistake.fix;
        expect_no_mechanism_myths(exercise.id, all);
    }
    for (auto const& rule : kb.rules)
        expect_no_mechanism_myths(rule.id, rule.statement + ". " + rule.why);
    for (auto const& routine : kb.routines)
        expect_no_mechanism_myths(routine.id, routine.why);
}

TEST(ShippedKnowledgeBase, EveryIdIsUniqueAcrossKinds)
{
    auto const& kb = shipped();
    std::vector<std::string> ids;
    for (auto const& s : kb.sources) ids.push_back(s.id);
    for (auto const& z : kb.zones) ids.push_back(z.id);
    for (auto const& t : kb.tools) ids.push_back(t.id);
    for (auto const& e : kb.exercises) ids.push_back(e.id);
    for (auto const& r : kb.rules) ids.push_back(r.id);
    for (auto const& r : kb.routines) ids.push_back(r.id);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

RC_GTEST_PROP(ShippedKnowledgeBase, AnyExerciseAddedOnANoGoZoneIsRefused, ())
{
    auto const& kb = shipped();
    std::vector<std::string> no_go;
    for (auto const& zone : kb.zones)
        if (zone.status == ZoneStatus::NoGo)
            no_go.push_back(zone.id);
    RC_PRE(!no_go.empty());
    auto zone = *rc::gen::elementOf(no_go);
    auto tool = *rc::gen::elementOf(kb.tools);
    auto texts = shipped_texts();
    texts["exercises.toml"] += "\n[[exercise]]\nid = \"generated\"\nname = \"Generated\"\ntarget_zones = [\"" + zone + "\"]\ntools = [\"" + tool.id
        + "\"]\nsetup = [\"Set up.\"]\nmovement = \"Move.\"\nwhy = \"Because.\"\nsources = [\"source_article\"]\n";
    auto loaded = load_knowledge_texts(texts);
    RC_ASSERT(!loaded.has_value());
    auto const& details = loaded.error().details;
    RC_ASSERT(details.size() == 1u);
    RC_ASSERT(details[0].find("exercise 'generated' targets zone '" + zone + "', which is no-go") != std::string::npos);
}

// What a person is shown of a zone's name: the words before the anatomical brackets.
TEST(ZoneNames, PlainNameDropsTheAnatomicalBrackets)
{
    EXPECT_EQ(rc::kb::plain_name("Upper and mid back (thoracic spine)"), "Upper and mid back");
    EXPECT_EQ(rc::kb::plain_name("Back of the knee"), "Back of the knee");
    EXPECT_EQ(rc::kb::plain_name("Hips (left) "), "Hips");
    EXPECT_EQ(rc::kb::plain_name("(only brackets)"), "(only brackets)");
    EXPECT_EQ(rc::kb::plain_name("Odd ) name"), "Odd ) name");
    EXPECT_EQ(rc::kb::plain_name(""), "");
}

TEST(ZoneNames, EveryShippedZoneHasAPlainName)
{
    for (auto const& zone : shipped().zones) {
        auto plain = rc::kb::plain_name(zone);
        EXPECT_FALSE(plain.empty()) << zone.id;
        EXPECT_EQ(plain.find('('), std::string_view::npos) << zone.id << ": " << zone.name;
    }
}

// Any name, however odd (a typo'd bracket, bytes that are not UTF-8), gives a prefix of itself,
// never an empty name for a non-empty one.
RC_GTEST_PROP(ZoneNames, PlainNameIsANonEmptyPrefixOfAnyName, (std::string const& name))
{
    auto plain = rc::kb::plain_name(name);
    RC_ASSERT(std::string_view(name).starts_with(plain));
    RC_ASSERT(name.empty() == plain.empty());
}
