#include "tui/text_wrap.h"

#include <gtest/gtest.h>
#include <sstream>

using rc::tui::wrap_words;

namespace {

std::vector<std::string> lines_of(std::string const& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

std::string words_of(std::string const& text)
{
    std::istringstream in(text);
    std::string out;
    for (std::string w; in >> w;)
        out += w + " ";
    return out;
}

}

TEST(TextWrap, NoLineIsWiderThanTheTerminalAndNoWordIsCut)
{
    std::string const text = "Lie on your back with the roller across your upper back, just below the shoulder blades, and keep "
                             "your hips on the floor while you roll slowly inside the comfortable range.";
    for (std::size_t width : { 20u, 40u, 79u, 100u }) {
        auto const wrapped = wrap_words(text, width);
        for (auto const& line : lines_of(wrapped))
            EXPECT_LE(line.size(), width) << "[" << line << "]";
        EXPECT_EQ(words_of(wrapped), words_of(text)) << "every word kept whole, in order, at width " << width;
        EXPECT_EQ(wrapped.find("insid\n"), std::string::npos);
    }
}

TEST(TextWrap, ShortLinesAndLineBreaksAreKept)
{
    EXPECT_EQ(wrap_words("one\ntwo\n\nthree\n", 10), "one\ntwo\n\nthree\n");
    EXPECT_EQ(wrap_words("unchanged at width zero, however long it is", 0), "unchanged at width zero, however long it is");
}

TEST(TextWrap, ContinuationLinesHangUnderIndentedTextAndListItems)
{
    EXPECT_EQ(wrap_words("  why: roll slowly up and down", 16), "  why: roll\n  slowly up and\n  down");
    EXPECT_EQ(wrap_words("1. Upper back roll with the soft roller", 20), "1. Upper back roll\n   with the soft\n   roller");
    EXPECT_EQ(wrap_words("- a list item that goes on", 12), "- a list\n  item that\n  goes on");
}

TEST(TextWrap, AWordLongerThanTheWidthStaysWhole)
{
    EXPECT_EQ(wrap_words("see https://example.org/a/very/long/path now", 10), "see\nhttps://example.org/a/very/long/path\nnow");
}

TEST(TextWrap, CountsCharactersNotBytes)
{
    // "é" and "…" are two and three bytes; the line is 10 characters wide.
    EXPECT_EQ(wrap_words("éééé …… ab", 10), "éééé …… ab");
    EXPECT_EQ(wrap_words("éééé …… abc", 10), "éééé ……\nabc");
}

TEST(TextWrap, ColourEscapesTakeNoColumns)
{
    // A red "[stop]" label is 6 columns on screen however many bytes its escapes add.
    std::string const label = "\x1b[1m\x1b[31m[stop]\x1b[0m";
    EXPECT_EQ(wrap_words(label + " abc", 10), label + " abc");
    EXPECT_EQ(wrap_words(label + " abcd", 10), label + "\nabcd");
}
