// The validation toolkit behind every knowledge-base file.
//
// A Diagnostics collects every problem as "file:line:column: what is wrong (fix: how)"; a
// TableReader reads one TOML table through typed getters, records each problem it meets, and
// on finish() reports the keys nobody asked for (typos), with a "did you mean" suggestion.
//
//   Diagnostics diagnostics;
//   auto document = parse_toml_file(path, diagnostics);     // syntax errors land in diagnostics
//   if (document) {
//       TableReader zone(*document, path, diagnostics, "zone");
//       auto id = zone.required_string("id");
//       auto status = zone.choice<ZoneStatus>("status", zone_statuses, Need::Required);
//       zone.finish();                                       // "unknown key 'stauts' (did you mean 'status'?)"
//   }
//   if (!diagnostics.empty()) return diagnostics.to_error("the knowledge base is invalid");
//
// Getters never throw; a missing or wrong value is reported and the getter returns a fallback
// so that one pass finds every problem in a file.
#pragma once

#include "common/result.h"

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rc::kb {

enum class Need { Required, Optional };

// A place in a data file, for messages and for cross-reference checks done after parsing.
struct Location {
    std::filesystem::path file;
    std::uint32_t line { 0 };
    std::uint32_t column { 0 };

    std::string to_string() const;   // "zones.toml:12:3" (line and column only when known)
};

class Diagnostics {
public:
    void add(Location const& where, std::string message, std::string fix = {});

    bool empty() const { return m_lines.empty(); }
    std::size_t size() const { return m_lines.size(); }
    std::vector<std::string> const& lines() const { return m_lines; }

    // An InvalidData error: "<summary> (N problems)" with one detail line per problem.
    Error to_error(std::string const& summary) const;

private:
    std::vector<std::string> m_lines;
};

// Parses a file; a read failure or syntax error is added to diagnostics and returns nothing.
std::optional<toml::table> parse_toml_file(std::filesystem::path const& file, Diagnostics& diagnostics);

// Parses text as if it were the named file (for tests and the fuzzer).
std::optional<toml::table> parse_toml_text(std::string_view text, std::filesystem::path const& file, Diagnostics& diagnostics);

Location location_of(std::filesystem::path const& file, toml::source_region const& region);

// A text value with where it was written, for cross-reference checks after parsing.
struct LocatedString {
    std::string text;
    Location where;
};

class TableReader {
public:
    // `what` names the table in messages: "exercise 'thoracic_roll'", "[thresholds]".
    TableReader(toml::table const& table, std::filesystem::path file, Diagnostics& diagnostics, std::string what);

    std::string required_string(std::string_view key);
    std::optional<std::string> optional_string(std::string_view key);
    std::string string_or(std::string_view key, std::string fallback);
    std::vector<std::string> string_array(std::string_view key, Need need);
    // The same, keeping each entry's position (for "zone 'x' is not defined" at the entry).
    std::vector<LocatedString> located_string_array(std::string_view key, Need need);

    bool bool_or(std::string_view key, bool fallback);

    // Integers and numbers are range-checked: out of range is reported with the allowed range.
    std::optional<std::int64_t> integer(std::string_view key, Need need, std::int64_t min, std::int64_t max);
    std::int64_t integer_or(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max);
    std::optional<double> number(std::string_view key, Need need, double min, double max);
    double number_or(std::string_view key, double fallback, double min, double max);
    // A duration in whole seconds (or hours): a negative value gets its own message.
    std::optional<std::int64_t> duration(std::string_view key, Need need, std::int64_t max);

    // One of a fixed set of words: "status = 'no-go'" -> ZoneStatus::NoGo. The message lists them.
    template<typename E>
    std::optional<E> choice(std::string_view key, std::span<std::pair<std::string_view, E> const> words, Need need)
    {
        auto text = need == Need::Required ? std::optional(required_string(key)) : optional_string(key);
        if (!text || text->empty())
            return std::nullopt;
        for (auto const& [word, value] : words)
            if (word == *text)
                return value;
        std::vector<std::string_view> allowed;
        for (auto const& [word, value] : words)
            allowed.push_back(word);
        report_bad_choice(key, *text, allowed);
        return std::nullopt;
    }

    // A sub-table ([exercise.tempo]) or an array of tables ([[exercise]]).
    std::optional<TableReader> table(std::string_view key, Need need);
    std::vector<TableReader> tables(std::string_view key, Need need);

    // Where a key (or, without one, this table) is, for later cross-reference messages.
    Location location() const;
    Location location_of(std::string_view key) const;

    // Report a problem with a key of this table.
    void report(std::string_view key, std::string message, std::string fix = {});

    // Reports every key that no getter asked for. Call once, after reading.
    void finish();

    std::filesystem::path const& file() const { return m_file; }
    std::string const& what() const { return m_what; }
    // Renames the table in later messages once its id is known: "zone #3" -> "zone 'neck'".
    void set_what(std::string what) { m_what = std::move(what); }

private:
    toml::node const* lookup(std::string_view key);
    void report_wrong_type(std::string_view key, std::string_view expected);
    void report_missing(std::string_view key, std::string_view expected);
    void report_bad_choice(std::string_view key, std::string_view got, std::vector<std::string_view> const& allowed);
    std::string prefix() const;   // "zone 'neck': " or "" for a file's top level

    toml::table const* m_table;
    std::filesystem::path m_file;
    Diagnostics* m_diagnostics;
    std::string m_what;
    std::set<std::string, std::less<>> m_known;
    std::set<std::string, std::less<>> m_explained;   // typos already reported as a missing field
};

// The closest of `candidates` to `word` within two edits, for "did you mean" hints.
std::optional<std::string> closest_match(std::string_view word, std::vector<std::string> const& candidates);

}
