// Words for enum values. Each enum keeps one constexpr std::array of {value, "word"} pairs and
// uses these lookups both ways, so every word is spelled in one place:
//
//   constexpr std::array side_words { std::pair { Side::Left, "left" }, std::pair { Side::Right, "right" } };
//   to_word(side_words, Side::Left)     -> "left"   ("unknown" for a value missing from the table)
//   from_word(side_words, "right")      -> Side::Right (nothing for an unknown word)
//   word_list(side_words)               -> "left, right", for error messages
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace rc {

template<typename Table, typename Value>
constexpr char const* to_word(Table const& table, Value value)
{
    for (auto const& [v, word] : table)
        if (v == value)
            return word;
    return "unknown";
}

template<typename Table>
constexpr auto from_word(Table const& table, std::string_view word) -> std::optional<std::remove_cvref_t<decltype(table[0].first)>>
{
    for (auto const& [v, w] : table)
        if (word == w)
            return v;
    return std::nullopt;
}

template<typename Table>
std::string word_list(Table const& table, std::string_view separator = ", ")
{
    std::string out;
    for (auto const& [v, word] : table) {
        if (!out.empty())
            out += separator;
        out += word;
    }
    return out;
}

}
