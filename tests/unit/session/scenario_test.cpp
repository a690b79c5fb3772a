// The session scenario suite: every folder under tests/scenarios/session/ holds
//   plan.json or profile.json (+ optional verdict.json)  the plan, given or made from the shipped KB
//   events.json                                         a script: [{"at_ms": 0, "type": "start"}, ...]
//   expected.json                                       {"ignore_kinds": [...], "end_reason": "...",
//                                                        "active_ms": N, "cues": [{"at_ms", "kind",
//                                                        "step", "side", "code"?, "text_contains"?}]}
// Adding a case is adding a folder. ROLLCOACH_UPDATE_SCENARIOS=1 rewrites the cue lists from the
// current engine (review the diff before committing it).
#include "common/paths.h"
#include "knowledge/loader.h"
#include "plan/plan_json.h"
#include "session/script.h"
#include "triage/verdict_json.h"
#include "session/session_json.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace rc;
using namespace rc::session;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json read_json(fs::path const& path)
{
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << "cannot read " << path;
    return json::parse(in);
}

std::vector<Cue> filtered(std::vector<Cue> const& cues, std::vector<std::string> const& ignore)
{
    std::vector<Cue> out;
    for (auto const& c : cues)
        if (std::find(ignore.begin(), ignore.end(), to_string(c.kind)) == ignore.end())
            out.push_back(c);
    return out;
}

json cue_line(Cue const& c)
{
    json j { { "at_ms", c.at.count() }, { "kind", to_string(c.kind) }, { "step", c.step }, { "side", plan::to_string(c.side) } };
    if (!c.code.empty())
        j["code"] = c.code;
    return j;
}

void run_case(kb::KnowledgeBase const& kb, fs::path const& dir)
{
    SCOPED_TRACE(dir.filename().string());
    plan::Plan plan;
    if (fs::exists(dir / "plan.json")) {
        auto parsed = plan::parse_plan(read_json(dir / "plan.json"));
        ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
        plan = *parsed;
    } else {
        auto profile = plan::parse_profile(read_json(dir / "profile.json"));
        ASSERT_TRUE(profile.has_value()) << profile.error().message;
        kb::Verdict verdict;
        if (fs::exists(dir / "verdict.json")) {
            auto v = triage::parse_verdict(read_json(dir / "verdict.json"));
            ASSERT_TRUE(v.has_value()) << v.error().message;
            verdict = *v;
        }
        auto made = plan::make_plan(kb, *profile, verdict, plan::History {});
        ASSERT_TRUE(made.has_value()) << made.error().message;
        plan = *made;
    }
    auto machine = SessionMachine::create(kb, plan);
    ASSERT_TRUE(machine.has_value()) << machine.error().message;
    auto script = parse_script(read_json(dir / "events.json"));
    ASSERT_TRUE(script.has_value()) << script.error().message;
    auto const result = run_script(*machine, *script);

    auto expected = read_json(dir / "expected.json");
    auto const ignore = expected.value("ignore_kinds", std::vector<std::string> {});
    auto const actual = filtered(result.cues, ignore);

    if (char const* update = std::getenv("ROLLCOACH_UPDATE_SCENARIOS"); update && *update == '1') {
        json lines = json::array();
        for (auto const& c : actual)
            lines.push_back(cue_line(c));
        expected["cues"] = lines;
        expected["end_reason"] = to_string(result.summary.end_reason);
        expected["active_ms"] = result.summary.active.count();
        std::ofstream(dir / "expected.json") << expected.dump(2) << "\n";
        return;
    }

    EXPECT_EQ(expected.at("end_reason").get<std::string>(), to_string(result.summary.end_reason));
    if (expected.contains("active_ms")) {
        EXPECT_EQ(expected.at("active_ms").get<long long>(), result.summary.active.count());
    }
    auto const& want = expected.at("cues");
    ASSERT_EQ(want.size(), actual.size()) << "actual cues:\n" << [&] {
        json lines = json::array();
        for (auto const& c : actual)
            lines.push_back(cue_line(c));
        return lines.dump(1);
    }();
    for (std::size_t i = 0; i < actual.size(); ++i) {
        auto const& w = want[i];
        auto const& a = actual[i];
        SCOPED_TRACE("cue " + std::to_string(i) + ": " + json(a).dump());
        EXPECT_EQ(w.at("at_ms").get<long long>(), a.at.count());
        EXPECT_EQ(w.at("kind").get<std::string>(), to_string(a.kind));
        if (w.contains("step")) {
            EXPECT_EQ(w.at("step").get<int>(), a.step);
        }
        if (w.contains("side")) {
            EXPECT_EQ(w.at("side").get<std::string>(), plan::to_string(a.side));
        }
        if (w.contains("code")) {
            EXPECT_EQ(w.at("code").get<std::string>(), a.code);
        }
        if (w.contains("text_contains")) {
            EXPECT_NE(a.text.find(w.at("text_contains").get<std::string>()), std::string::npos) << a.text;
        }
    }
}

}

TEST(SessionScenarios, EveryScenarioFolderProducesItsExpectedCues)
{
    auto kb = kb::load_knowledge_base(shipped_data_dir() / "knowledge");
    ASSERT_TRUE(kb.has_value()) << kb.error().full_message();
    fs::path const root { ROLLCOACH_SESSION_SCENARIOS };
    std::vector<fs::path> dirs;
    for (auto const& entry : fs::directory_iterator(root))
        if (entry.is_directory())
            dirs.push_back(entry.path());
    std::sort(dirs.begin(), dirs.end());
    ASSERT_GE(dirs.size(), 8u) << "expected at least 8 scenarios in " << root;
    for (auto const& dir : dirs)
        run_case(*kb, dir);
}
