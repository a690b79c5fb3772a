// Every folder of tests/scenarios/knowledge/ is one broken knowledge base: its files are laid
// over a copy of the shipped one, and expected.txt lists lines that must appear in the loader's
// problem list ("problems: N" checks how many there are). Adding a case is adding a folder.
#include "knowledge/loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path const source_dir = ROLLCOACH_SOURCE_DIR;
fs::path const scenarios_dir = source_dir / "tests" / "scenarios" / "knowledge";

std::vector<std::string> scenario_names()
{
    std::vector<std::string> names;
    for (auto const& entry : fs::directory_iterator(scenarios_dir))
        if (entry.is_directory() && fs::exists(entry.path() / "expected.txt"))
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> expected_lines(fs::path const& file)
{
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line.front() != '#')
            lines.push_back(line);
    return lines;
}

class KnowledgeScenario : public testing::TestWithParam<std::string> { };

}

TEST_P(KnowledgeScenario, IsRefusedWithTheExpectedProblems)
{
    fs::path const scenario = scenarios_dir / GetParam();
    fs::path const dir = fs::path(testing::TempDir()) / ("rollcoach_kb_scenario_" + GetParam());
    fs::remove_all(dir);
    fs::copy(source_dir / "data" / "knowledge", dir, fs::copy_options::recursive);
    for (auto const& entry : fs::directory_iterator(scenario))
        if (entry.path().filename() != "expected.txt")
            fs::copy(entry.path(), dir / entry.path().filename(), fs::copy_options::overwrite_existing | fs::copy_options::recursive);

    auto kb = rc::kb::load_knowledge_base(dir);
    ASSERT_FALSE(kb.has_value()) << "the broken knowledge base " << GetParam() << " was accepted";
    auto const& problems = kb.error().details;
    std::string all;
    for (auto const& problem : problems)
        all += "  " + problem + "\n";

    auto const expected = expected_lines(scenario / "expected.txt");
    ASSERT_FALSE(expected.empty()) << "expected.txt of " << GetParam() << " lists nothing";
    for (auto const& line : expected) {
        if (line.rfind("problems: ", 0) == 0) {
            EXPECT_EQ(std::to_string(problems.size()), line.substr(10)) << "problems found:\n" << all;
            continue;
        }
        bool found = std::any_of(problems.begin(), problems.end(), [&](std::string const& p) { return p.find(line) != std::string::npos; });
        EXPECT_TRUE(found) << "missing: " << line << "\nproblems found:\n" << all;
    }
    EXPECT_NE(kb.error().message.find(std::to_string(problems.size()) + " problem"), std::string::npos) << kb.error().message;
    // Every problem says where (a file name first) and how to fix it.
    for (auto const& problem : problems) {
        EXPECT_NE(problem.find(".toml"), std::string::npos) << problem;
        EXPECT_LT(problem.find(".toml"), problem.find(": ")) << problem;
        EXPECT_NE(problem.find("(fix: "), std::string::npos) << problem;
    }
    fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Folders, KnowledgeScenario, testing::ValuesIn(scenario_names()),
    [](testing::TestParamInfo<std::string> const& info) { return info.param; });
