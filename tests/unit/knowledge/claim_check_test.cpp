// The myth-and-overclaim check: planted claims are caught, denials pass, and every text a user
// can read or hear in the repository (knowledge base, README, web app, C++ strings) is clean.
#include "knowledge/claim_check.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using rc::kb::find_overclaims;

namespace {

std::string read_file(fs::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The string literals of a C++ file, one per line, so that comments explaining a myth (and the
// patterns in claim_check.cpp itself) are not mistaken for something a user sees.
std::string cpp_string_literals(std::string const& source)
{
    static std::regex const literal(R"re("((?:[^"\\\n]|\\.)*)")re");
    std::string out;
    for (auto it = std::sregex_iterator(source.begin(), source.end(), literal); it != std::sregex_iterator(); ++it)
        out += (*it)[1].str() + "\n";
    return out;
}

std::vector<fs::path> files_under(fs::path const& root, std::vector<std::string> const& extensions)
{
    std::vector<fs::path> out;
    if (!fs::exists(root))
        return out;
    for (auto const& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file())
            continue;
        auto const ext = entry.path().extension().string();
        for (auto const& wanted : extensions)
            if (ext == wanted)
                out.push_back(entry.path());
    }
    return out;
}

std::string describe(fs::path const& file, std::vector<rc::kb::OverclaimFinding> const& findings)
{
    std::string out;
    for (auto const& finding : findings)
        out += file.string() + ":" + std::to_string(finding.line) + ": " + finding.claim + ": \"" + finding.sentence + "\"\n";
    return out;
}

}

TEST(ClaimCheck, CatchesEachPlantedClaim)
{
    std::vector<std::string> const planted {
        "Holding the pressure triggers the Golgi tendon organ response.",
        "Rolling flushes out toxins from the muscle.",
        "Drink water to flush the waste out afterwards.",
        "The roller breaks up knots in your back.",
        "Slow rolling is breaking down adhesions.",
        "This releases the fascia around your ribs.",
        "Thirty seconds is enough for a myofascial release.",
        "Rolling clears lactic acid from your muscles.",
        "The cat-cow realigns your spine.",
        "Foam rolling cures back pain.",
    };
    for (auto const& text : planted)
        EXPECT_EQ(find_overclaims(text).size(), 1U) << text;
}

TEST(ClaimCheck, AllowsADenial)
{
    EXPECT_TRUE(find_overclaims("Pressure calms sensitivity through your nervous system; it doesn't break anything up.").empty());
    EXPECT_TRUE(find_overclaims("It does not break up knots, release fascia or flush out toxins.").empty());
    EXPECT_TRUE(find_overclaims("The Golgi-tendon-organ explanation does not hold.").empty());
    EXPECT_TRUE(find_overclaims("Rolling is not a cure for an injury.").empty());
}

TEST(ClaimCheck, IgnoresInnocentWords)
{
    EXPECT_TRUE(find_overclaims("Keep the roller secure and your reading accurate. Procure a soft roller.").empty());
    EXPECT_TRUE(find_overclaims("Align the roller across your back.").empty());
}

TEST(ClaimCheck, ReportsTheLineOfTheClaim)
{
    auto const findings = find_overclaims("A fine line.\nAnother fine line.\nIt breaks up knots.\n");
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_EQ(findings[0].line, 3U);
}

TEST(ClaimCheck, EveryTextAUserCanSeeOrHearIsFreeOfMythsAndOverclaims)
{
    fs::path const root = ROLLCOACH_SOURCE_DIR;
    std::string problems;
    std::size_t checked = 0;

    std::vector<fs::path> plain = files_under(root / "data" / "knowledge", { ".toml" });
    for (auto const& f : files_under(root / "web" / "src", { ".ts", ".css", ".html", ".json" }))
        plain.push_back(f);
    for (auto const& f : files_under(root / "web" / "public", { ".json", ".html", ".webmanifest", ".svg" }))
        plain.push_back(f);
    for (auto const& name : { "README.md", "web/index.html" })
        if (fs::exists(root / name))
            plain.push_back(root / name);
    for (auto const& file : plain) {
        problems += describe(file, find_overclaims(read_file(file)));
        ++checked;
    }

    auto cpp = files_under(root / "src", { ".cpp", ".h" });
    for (auto const& f : files_under(root / "apps", { ".cpp", ".h" }))
        cpp.push_back(f);
    for (auto const& file : cpp) {
        if (file.stem() == "claim_check")
            continue;
        problems += describe(file, find_overclaims(cpp_string_literals(read_file(file))));
        ++checked;
    }

    EXPECT_GT(checked, 50U) << "the check found too few files to be looking in the right place";
    EXPECT_EQ(problems, "") << "reword these as denials or remove them (see docs/knowledge.md, 'Claims we never make')";
}
