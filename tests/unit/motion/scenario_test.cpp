// Scenario suite: each folder under tests/scenarios/motion/ holds frames.jsonl (landmarks written
// out by hand with make_frames.py, or by hand for bad input) and expected.json:
//   {"exercise": "thoracic_roll", "height": 175, "expect": ["lumbar_contact"],
//    "forbid": ["near_neck"], "posture": "supine_on_roller", "skipped_lines": 2}
// Adding a case means adding a folder.
#include "motion/analyzer.h"
#include "motion/frame_codec.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace rc::motion;
namespace fs = std::filesystem;

namespace {

std::string slurp(fs::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::vector<fs::path> cases()
{
    std::vector<fs::path> found;
    for (auto const& entry : fs::directory_iterator(MOTION_SCENARIO_DIR))
        if (entry.is_directory() && fs::exists(entry.path() / "expected.json"))
            found.push_back(entry.path());
    std::sort(found.begin(), found.end());
    return found;
}

class MotionScenario : public testing::TestWithParam<fs::path> { };

}

TEST_P(MotionScenario, FindsWhatTheCaseExpectsAndNothingItForbids)
{
    fs::path folder = GetParam();
    auto expected = nlohmann::json::parse(slurp(folder / "expected.json"));
    JsonlParse parsed = parse_jsonl(slurp(folder / "frames.jsonl"));
    if (expected.contains("skipped_lines"))
        EXPECT_EQ(parsed.skipped_lines, expected["skipped_lines"].get<std::size_t>());
    else
        EXPECT_EQ(parsed.skipped_lines, 0u) << (parsed.problems.empty() ? "" : parsed.problems.front());

    AnalyzerOptions options;
    options.exercise = expected.value("exercise", "");
    if (expected.contains("height"))
        options.body_height = rc::Centimetres { expected["height"].get<double>() };
    auto analyzer = Analyzer::create(options);
    ASSERT_TRUE(analyzer) << analyzer.error().message;

    std::set<std::string> found;
    std::map<std::string, int> postures;
    std::map<std::string, int> statuses;
    for (auto const& frame : parsed.frames) {
        FrameAnalysis a = analyzer->push(frame);
        ++postures[std::string { to_string(a.posture) }];
        ++statuses[std::string { to_string(a.status) }];
        for (auto const& f : a.findings)
            found.insert(std::string { to_string(f.code) });
    }
    for (auto const& code : expected.value("expect", std::vector<std::string> {}))
        EXPECT_TRUE(found.contains(code)) << folder.filename() << ": expected " << code;
    for (auto const& code : expected.value("forbid", std::vector<std::string> {}))
        EXPECT_FALSE(found.contains(code)) << folder.filename() << ": did not expect " << code;
    if (expected.contains("posture")) {
        auto most = std::max_element(postures.begin(), postures.end(), [](auto const& a, auto const& b) { return a.second < b.second; });
        ASSERT_NE(most, postures.end());
        EXPECT_EQ(most->first, expected["posture"].get<std::string>()) << folder.filename();
    }
    for (auto const& [status, count] : expected.value("statuses", std::map<std::string, int> {}))
        EXPECT_EQ(statuses[status], count) << folder.filename() << ": frames with status " << status;
}

INSTANTIATE_TEST_SUITE_P(Folders, MotionScenario, testing::ValuesIn(cases()),
    [](testing::TestParamInfo<fs::path> const& info) { return info.param.filename().string(); });
