#include "knowledge/toml_reader.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <string>

using namespace rc::kb;

namespace {

toml::table parse_or_die(std::string_view text)
{
    Diagnostics diagnostics;
    auto table = parse_toml_text(text, "test.toml", diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.lines().front();
    // Moved, not copied: a copied toml++ node forgets where it was written.
    return table ? std::move(*table) : toml::table {};
}

bool any_line_contains(Diagnostics const& diagnostics, std::string_view text)
{
    for (auto const& line : diagnostics.lines())
        if (line.find(text) != std::string::npos)
            return true;
    return false;
}

enum class Colour { Red, Green };
constexpr std::array<std::pair<std::string_view, Colour>, 2> colours { { { "red", Colour::Red }, { "green", Colour::Green } } };

}

TEST(TomlReader, SyntaxErrorIsReportedWithFileLineAndColumn)
{
    Diagnostics diagnostics;
    auto table = parse_toml_text("a = 1\nb = = 2\n", "zones.toml", diagnostics);
    EXPECT_FALSE(table.has_value());
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics.lines()[0].rfind("zones.toml:2:", 0), 0u) << diagnostics.lines()[0];
    EXPECT_TRUE(any_line_contains(diagnostics, "TOML syntax error"));
}

TEST(TomlReader, UnknownKeyIsReportedAtTheKeyWithADidYouMeanSuggestion)
{
    auto table = parse_or_die("id = \"x\"\nstauts = \"target\"\n");
    Diagnostics diagnostics;
    TableReader reader(table, "zones.toml", diagnostics, "zone 'x'");
    reader.required_string("id");
    reader.optional_string("status");
    reader.finish();
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics.lines()[0], "zones.toml:2:1: zone 'x': unknown key 'stauts' (fix: did you mean 'status'?)");
}

TEST(TomlReader, MissingRequiredFieldNamesTheFieldAndTheTable)
{
    auto table = parse_or_die("name = \"n\"\n");
    Diagnostics diagnostics;
    TableReader reader(table, "rules.toml", diagnostics, "rule #1");
    EXPECT_EQ(reader.required_string("why"), "");
    EXPECT_TRUE(any_line_contains(diagnostics, "rule #1: missing required field 'why'"));
}

TEST(TomlReader, MisspeltRequiredFieldIsOneProblemAtTheTypo)
{
    auto table = parse_or_die("id = \"x\"\nstauts = \"target\"\n");
    Diagnostics diagnostics;
    TableReader reader(table, "zones.toml", diagnostics, "zone 'x'");
    reader.required_string("id");
    reader.required_string("status");
    reader.finish();
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics.lines()[0], "zones.toml:2:1: zone 'x': unknown key 'stauts' (fix: did you mean 'status'? (a required field))");
}

TEST(TomlReader, WrongTypeSaysWhatTypeIsExpected)
{
    auto table = parse_or_die("count = \"five\"\nflag = 3\n");
    Diagnostics diagnostics;
    TableReader reader(table, "t.toml", diagnostics, "t");
    EXPECT_FALSE(reader.integer("count", Need::Required, 0, 10).has_value());
    EXPECT_TRUE(reader.bool_or("flag", true));
    EXPECT_TRUE(any_line_contains(diagnostics, "t.toml:1:9: t: 'count' must be a whole number"));
    EXPECT_TRUE(any_line_contains(diagnostics, "'flag' must be true or false"));
}

TEST(TomlReader, IntegerOutsideItsRangeIsReportedWithTheRange)
{
    auto table = parse_or_die("pain = 11\n");
    Diagnostics diagnostics;
    TableReader reader(table, "t.toml", diagnostics, "t");
    EXPECT_EQ(reader.integer_or("pain", 7, 0, 10), 7);
    EXPECT_TRUE(any_line_contains(diagnostics, "'pain' is 11, outside the allowed range 0 to 10 (fix: use a value from 0 to 10)"));
}

TEST(TomlReader, NegativeDurationGetsItsOwnMessage)
{
    auto table = parse_or_die("hold = -3\n");
    Diagnostics diagnostics;
    TableReader reader(table, "t.toml", diagnostics, "t");
    EXPECT_FALSE(reader.duration("hold", Need::Required, 60).has_value());
    reader.finish();
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_TRUE(any_line_contains(diagnostics, "'hold' is -3: a duration cannot be negative"));
}

TEST(TomlReader, NumberAcceptsIntegersAndFloats)
{
    auto table = parse_or_die("a = 6\nb = 0.5\n");
    Diagnostics diagnostics;
    TableReader reader(table, "t.toml", diagnostics, "t");
    EXPECT_DOUBLE_EQ(reader.number_or("a", 0.0, 0.0, 10.0), 6.0);
    EXPECT_DOUBLE_EQ(reader.number_or("b", 0.0, 0.0, 10.0), 0.5);
    EXPECT_TRUE(diagnostics.empty());
}

TEST(TomlReader, ChoiceSuggestsTheNearestAllowedWord)
{
    auto table = parse_or_die("colour = \"gren\"\n");
    Diagnostics diagnostics;
    TableReader reader(table, "t.toml", diagnostics, "t");
    EXPECT_FALSE(reader.choice<Colour>("colour", colours, Need::Required).has_value());
    EXPECT_TRUE(any_line_contains(diagnostics, "has an unknown value 'gren' (fix: did you mean 'green'? (use one of: red, green))"));
}

TEST(TomlReader, LocatedStringArrayKeepsEachEntrysPosition)
{
    auto table = parse_or_die("zones = [\"a\",\n  \"b\"]\n");
    Diagnostics diagnostics;
    TableReader reader(table, "t.toml", diagnostics, "t");
    auto entries = reader.located_string_array("zones", Need::Required);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].text, "b");
    EXPECT_EQ(entries[1].where.line, 2u);
    EXPECT_EQ(entries[1].where.column, 3u);
}

TEST(TomlReader, EmptyRequiredListIsReported)
{
    auto table = parse_or_die("sources = []\n");
    Diagnostics diagnostics;
    TableReader reader(table, "t.toml", diagnostics, "rule 'r'");
    EXPECT_TRUE(reader.string_array("sources", Need::Required).empty());
    EXPECT_TRUE(any_line_contains(diagnostics, "rule 'r': 'sources' must not be empty"));
}

TEST(TomlReader, ArrayOfTablesNamesEachEntryByPosition)
{
    auto table = parse_or_die("[[zone]]\nid = \"a\"\n[[zone]]\n");
    Diagnostics diagnostics;
    TableReader top(table, "zones.toml", diagnostics, "");
    auto zones = top.tables("zone", Need::Required);
    ASSERT_EQ(zones.size(), 2u);
    zones[1].required_string("id");
    EXPECT_TRUE(any_line_contains(diagnostics, "zones.toml:3:1: zone #2: missing required field 'id'"));
}

TEST(TomlReader, ClosestMatchFindsWordsWithinTwoEditsOnly)
{
    std::vector<std::string> words { "status", "region", "sources" };
    EXPECT_EQ(closest_match("stauts", words), "status");
    EXPECT_EQ(closest_match("sources", words), "sources");
    EXPECT_FALSE(closest_match("completely_different", words).has_value());
}

RC_GTEST_PROP(TomlReader, ParsingArbitraryTextNeverThrowsAndReportsAtMostOneProblem, (std::string const& text))
{
    Diagnostics diagnostics;
    auto table = parse_toml_text(text, "fuzz.toml", diagnostics);
    RC_ASSERT(table.has_value() == diagnostics.empty());
    RC_ASSERT(diagnostics.size() <= 1u);
}

RC_GTEST_PROP(TomlReader, IntegerIsAcceptedExactlyWhenInsideItsRange, (int value))
{
    auto table = parse_or_die("n = " + std::to_string(value) + "\n");
    Diagnostics diagnostics;
    TableReader reader(table, "t.toml", diagnostics, "t");
    auto got = reader.integer("n", Need::Required, -100, 100);
    bool const inside = value >= -100 && value <= 100;
    RC_ASSERT(got.has_value() == inside);
    RC_ASSERT(diagnostics.empty() == inside);
}
