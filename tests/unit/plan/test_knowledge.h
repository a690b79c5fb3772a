// A small knowledge base built in code for the plan and session tests: the article's routine,
// five rollers, lats / hip flexors / peanut work, and the in-session rules. Tests that need the
// shipped data load it with load_knowledge_base(rc::shipped_data_dir() / "knowledge").
#pragma once

#include "knowledge/model.h"

namespace rc::test {

inline kb::KnowledgeBase make_test_knowledge()
{
    using namespace std::chrono_literals;
    kb::KnowledgeBase kb;
    kb.sources = { { "source_article", "How to use a foam roller for back pain", "" } };
    auto zone = [](std::string id, kb::ZoneStatus status, kb::BodyRegion region) {
        kb::Zone z;
        z.id = std::move(id);
        z.name = z.id;
        z.status = status;
        z.region = region;
        z.source_ids = { "source_article" };
        return z;
    };
    kb.zones = {
        zone("cervical_spine", kb::ZoneStatus::NoGo, kb::BodyRegion::Neck),
        zone("thoracic_spine", kb::ZoneStatus::Target, kb::BodyRegion::MidBack),
        zone("lumbar_spine", kb::ZoneStatus::NoGo, kb::BodyRegion::LowerBack),
        zone("latissimus_dorsi", kb::ZoneStatus::Target, kb::BodyRegion::Side),
        zone("glutes", kb::ZoneStatus::Target, kb::BodyRegion::Hip),
        zone("hip_flexors", kb::ZoneStatus::Target, kb::BodyRegion::Hip),
        zone("erector_spinae", kb::ZoneStatus::Caution, kb::BodyRegion::MidBack),
    };
    auto tool = [](std::string id, kb::Firmness firmness, bool beginners, bool whole) {
        kb::Tool t;
        t.id = std::move(id);
        t.name = t.id + " roller";
        t.firmness = firmness;
        t.suits_beginners = beginners;
        t.suits_high_sensitivity = beginners;
        t.whole_back_session = whole;
        return t;
    };
    kb.tools = {
        tool("soft_foam", kb::Firmness::Soft, true, true),
        tool("standard", kb::Firmness::Firm, false, true),
        tool("trigger_point", kb::Firmness::VeryFirm, false, false),
        tool("peanut", kb::Firmness::VeryFirm, false, false),
        tool("spiked", kb::Firmness::VeryFirm, false, false),
    };
    auto rolling = [](std::string id, std::vector<std::string> zones, std::vector<std::string> tools, kb::Sides sides,
                       int default_s, int setup_lines, int move_on_after) {
        kb::Exercise e;
        e.id = std::move(id);
        e.name = e.id;
        e.target_zones = std::move(zones);
        e.tools = std::move(tools);
        for (int i = 0; i < setup_lines; ++i)
            e.setup.push_back("Setup line " + std::to_string(i + 1) + ".");
        e.movement = "Roll slowly.";
        e.sides = sides;
        e.dose.default_per_side = std::chrono::seconds { default_s };
        e.dose.max_per_side = 120s;
        e.hold.move_on_after = std::chrono::seconds { move_on_after };
        e.cues = { "Slow passes.", "Hands behind your head." };
        e.why = "Why " + e.id + ".";
        e.source_ids = { "source_article" };
        return e;
    };
    kb.exercises = {
        rolling("thoracic_roll", { "thoracic_spine" }, { "soft_foam", "standard" }, kb::Sides::None, 60, 5, 90),
        rolling("lat_roll", { "latissimus_dorsi" }, { "soft_foam", "standard", "trigger_point" }, kb::Sides::LeftAndRight, 45, 3, 60),
        rolling("glute_roll", { "glutes" }, { "soft_foam", "standard", "trigger_point", "spiked" }, kb::Sides::LeftAndRight, 60, 3, 90),
        rolling("hip_flexor_roll", { "hip_flexors" }, { "soft_foam", "standard" }, kb::Sides::LeftAndRight, 45, 2, 60),
        rolling("peanut_erector_roll", { "erector_spinae" }, { "peanut" }, kb::Sides::None, 45, 2, 60),
    };
    kb::Exercise cat_cow;
    cat_cow.id = "cat_cow";
    cat_cow.name = "cat_cow";
    cat_cow.kind = kb::ExerciseKind::Finisher;
    cat_cow.target_zones = { "thoracic_spine" };
    cat_cow.setup = { "Kneel on all fours." };
    cat_cow.movement = "Arch and round slowly.";
    cat_cow.cues = { "Breathe in, chest forward.", "Breathe out, round your back." };
    cat_cow.dose.repetitions = 5;
    cat_cow.dose.per_repetition = 10s;
    cat_cow.why = "Why cat_cow.";
    kb.exercises.push_back(cat_cow);

    for (auto& e : kb.exercises)
        if (e.id == "peanut_erector_roll") {
            e.preferred_tool = "peanut";
            e.preferred_tool_why = "The peanut's groove keeps the spine free of pressure.";
        }
    kb::Routine routine;
    routine.id = "default";
    routine.name = "Five-minute back routine";
    routine.steps = { { "thoracic_roll", 60s, 0 }, { "glute_roll", 60s, 0 }, { "cat_cow", 0s, 5 } };
    routine.why = "The article's routine.";
    routine.extras = {
        { "lat_roll", { "lats_and_shoulders" }, "You asked for lats and shoulders: easing the lats may free the shoulders and the lower back.", { "source_article" } },
        { "hip_flexor_roll", { "hip_flexors" }, "You asked for hip flexors: tight hip flexors may add strain to the lower back.", { "source_article" } },
        { "hip_flexor_roll", { "glutes_and_hips" }, "You asked for glutes and hips: the front of the hip matters as much as the back.", { "source_article" } },
        { "peanut_erector_roll", { "mid_back" }, "You asked for the mid-back: the muscles beside the spine get their own pass with the peanut.", { "source_article" } },
        { "lat_roll", {}, "There is time for the lats, which may pull on the shoulders and the lower back.", { "source_article" } },
        { "hip_flexor_roll", {}, "There is time for the hip flexors, which may add strain to the lower back when tight.", { "source_article" } },
        { "peanut_erector_roll", {}, "There is time for peanut work on the muscles beside the spine.", { "source_article" } },
    };
    kb.routines = { routine };

    auto rule = [](std::string id, kb::SafetyEvent event, kb::SafetyAction action) {
        kb::InSessionRule r;
        r.id = std::move(id);
        r.event = event;
        r.action = action;
        r.message = "Message for " + r.id + ".";
        r.what_to_do = "What to do for " + r.id + ".";
        r.source_ids = { "source_article" };
        return r;
    };
    kb.screening.in_session = {
        rule("stop_numbness_one_leg", kb::SafetyEvent::NumbnessOneLeg, kb::SafetyAction::Stop),
        rule("stop_saddle_numbness", kb::SafetyEvent::NumbnessSaddle, kb::SafetyAction::Stop),
        rule("stop_sharp_pain", kb::SafetyEvent::SharpPain, kb::SafetyAction::Stop),
        rule("back_off_high_pain", kb::SafetyEvent::PainHigh, kb::SafetyAction::BackOff),
        rule("stop_dizziness", kb::SafetyEvent::Dizziness, kb::SafetyAction::Stop),
    };
    return kb;
}

}
