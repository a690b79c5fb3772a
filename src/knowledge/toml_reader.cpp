#include "knowledge/toml_reader.h"

#include <algorithm>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <fstream>
#include <sstream>

namespace rc::kb {

std::string Location::to_string() const
{
    std::string name = file.filename().string();
    if (line == 0)
        return name;
    return fmt::format("{}:{}:{}", name, line, column);
}

void Diagnostics::add(Location const& where, std::string message, std::string fix)
{
    std::string line = fmt::format("{}: {}", where.to_string(), message);
    if (!fix.empty())
        line += fmt::format(" (fix: {})", fix);
    m_lines.push_back(std::move(line));
}

Error Diagnostics::to_error(std::string const& summary) const
{
    Error error = Error::invalid_data(fmt::format("{} ({} problem{})", summary, m_lines.size(), m_lines.size() == 1 ? "" : "s"));
    error.details = m_lines;
    return error;
}

Location location_of(std::filesystem::path const& file, toml::source_region const& region)
{
    return Location { file, region.begin.line, region.begin.column };
}

std::optional<toml::table> parse_toml_text(std::string_view text, std::filesystem::path const& file, Diagnostics& diagnostics)
{
    try {
        return toml::parse(text, file.string());
    } catch (toml::parse_error const& error) {
        diagnostics.add(location_of(file, error.source()), fmt::format("TOML syntax error: {}", error.description()),
            "correct the TOML syntax at this position");
        return std::nullopt;
    }
}

std::optional<toml::table> parse_toml_file(std::filesystem::path const& file, Diagnostics& diagnostics)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        diagnostics.add(Location { file }, "cannot read the file", "check that it exists and is readable");
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_toml_text(text.str(), file, diagnostics);
}

TableReader::TableReader(toml::table const& table, std::filesystem::path file, Diagnostics& diagnostics, std::string what)
    : m_table(&table)
    , m_file(std::move(file))
    , m_diagnostics(&diagnostics)
    , m_what(std::move(what))
{
}

toml::node const* TableReader::lookup(std::string_view key)
{
    m_known.emplace(key);
    return m_table->get(key);
}

Location TableReader::location() const
{
    return rc::kb::location_of(m_file, m_table->source());
}

Location TableReader::location_of(std::string_view key) const
{
    if (auto const* node = m_table->get(key))
        return rc::kb::location_of(m_file, node->source());
    return location();
}

std::string TableReader::prefix() const
{
    return m_what.empty() ? std::string {} : m_what + ": ";
}

void TableReader::report(std::string_view key, std::string message, std::string fix)
{
    m_diagnostics->add(location_of(key), fmt::format("{}'{}' {}", prefix(), key, message), std::move(fix));
}

void TableReader::report_wrong_type(std::string_view key, std::string_view expected)
{
    report(key, fmt::format("must be {}", expected), fmt::format("write '{}' as {}", key, expected));
}

void TableReader::report_missing(std::string_view key, std::string_view expected)
{
    // A missing field next to an unread key one or two letters away is one typo, not two
    // problems: report it once, at the typo.
    std::vector<std::string> wanted { std::string(key) };
    for (auto const& [name, node] : *m_table) {
        if (m_known.contains(name.str()) || m_explained.contains(name.str()) || !closest_match(name.str(), wanted))
            continue;
        m_explained.emplace(name.str());
        m_diagnostics->add(rc::kb::location_of(m_file, name.source()), fmt::format("{}unknown key '{}'", prefix(), name.str()),
            fmt::format("did you mean '{}'? (a required field)", key));
        return;
    }
    m_diagnostics->add(location(), fmt::format("{}missing required field '{}'", prefix(), key),
        fmt::format("add {} = <{}>", key, expected));
}

void TableReader::report_bad_choice(std::string_view key, std::string_view got, std::vector<std::string_view> const& allowed)
{
    std::vector<std::string> names(allowed.begin(), allowed.end());
    std::string fix = fmt::format("use one of: {}", fmt::join(allowed, ", "));
    if (auto near = closest_match(got, names))
        fix = fmt::format("did you mean '{}'? ({})", *near, fix);
    report(key, fmt::format("has an unknown value '{}'", got), std::move(fix));
}

std::string TableReader::required_string(std::string_view key)
{
    auto const* node = lookup(key);
    if (!node) {
        report_missing(key, "text");
        return {};
    }
    if (auto const* text = node->as_string()) {
        if (text->get().empty())
            report(key, "must not be empty", "write the text, or remove the field if it is optional");
        return text->get();
    }
    report_wrong_type(key, "text in quotes");
    return {};
}

std::optional<std::string> TableReader::optional_string(std::string_view key)
{
    auto const* node = lookup(key);
    if (!node)
        return std::nullopt;
    if (auto const* text = node->as_string())
        return text->get();
    report_wrong_type(key, "text in quotes");
    return std::nullopt;
}

std::string TableReader::string_or(std::string_view key, std::string fallback)
{
    return optional_string(key).value_or(std::move(fallback));
}

std::vector<std::string> TableReader::string_array(std::string_view key, Need need)
{
    std::vector<std::string> out;
    for (auto& entry : located_string_array(key, need))
        out.push_back(std::move(entry.text));
    return out;
}

std::vector<LocatedString> TableReader::located_string_array(std::string_view key, Need need)
{
    auto const* node = lookup(key);
    if (!node) {
        if (need == Need::Required)
            report_missing(key, "a list of texts, e.g. [\"a\", \"b\"]");
        return {};
    }
    auto const* array = node->as_array();
    if (!array) {
        report_wrong_type(key, "a list of texts, e.g. [\"a\", \"b\"]");
        return {};
    }
    std::vector<LocatedString> out;
    for (auto const& element : *array) {
        if (auto const* text = element.as_string()) {
            out.push_back({ text->get(), rc::kb::location_of(m_file, element.source()) });
        } else {
            m_diagnostics->add(rc::kb::location_of(m_file, element.source()),
                fmt::format("{}every entry of '{}' must be text in quotes", prefix(), key), "quote the entry");
        }
    }
    if (need == Need::Required && out.empty() && array->empty())
        report(key, "must not be empty", "list at least one entry");
    return out;
}

bool TableReader::bool_or(std::string_view key, bool fallback)
{
    auto const* node = lookup(key);
    if (!node)
        return fallback;
    if (auto const* value = node->as_boolean())
        return value->get();
    report_wrong_type(key, "true or false");
    return fallback;
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, Need need, std::int64_t min, std::int64_t max)
{
    auto const* node = lookup(key);
    if (!node) {
        if (need == Need::Required)
            report_missing(key, "a whole number");
        return std::nullopt;
    }
    auto const* value = node->as_integer();
    if (!value) {
        report_wrong_type(key, "a whole number");
        return std::nullopt;
    }
    std::int64_t v = value->get();
    if (v < min || v > max) {
        report(key, fmt::format("is {}, outside the allowed range {} to {}", v, min, max),
            fmt::format("use a value from {} to {}", min, max));
        return std::nullopt;
    }
    return v;
}

std::int64_t TableReader::integer_or(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max)
{
    return integer(key, Need::Optional, min, max).value_or(fallback);
}

std::optional<double> TableReader::number(std::string_view key, Need need, double min, double max)
{
    auto const* node = lookup(key);
    if (!node) {
        if (need == Need::Required)
            report_missing(key, "a number");
        return std::nullopt;
    }
    std::optional<double> v;
    if (auto const* f = node->as_floating_point())
        v = f->get();
    else if (auto const* i = node->as_integer())
        v = static_cast<double>(i->get());
    if (!v) {
        report_wrong_type(key, "a number");
        return std::nullopt;
    }
    if (!(*v >= min && *v <= max)) {
        report(key, fmt::format("is {}, outside the allowed range {} to {}", *v, min, max),
            fmt::format("use a value from {} to {}", min, max));
        return std::nullopt;
    }
    return v;
}

std::optional<std::int64_t> TableReader::duration(std::string_view key, Need need, std::int64_t max)
{
    if (auto const* node = m_table->get(key)) {
        if (auto const* value = node->as_integer(); value && value->get() < 0) {
            m_known.emplace(key);
            report(key, fmt::format("is {}: a duration cannot be negative", value->get()),
                fmt::format("use a value from 0 to {}", max));
            return std::nullopt;
        }
    }
    return integer(key, need, 0, max);
}

double TableReader::number_or(std::string_view key, double fallback, double min, double max)
{
    return number(key, Need::Optional, min, max).value_or(fallback);
}

std::optional<TableReader> TableReader::table(std::string_view key, Need need)
{
    auto const* node = lookup(key);
    if (!node) {
        if (need == Need::Required)
            report_missing(key, "a table");
        return std::nullopt;
    }
    if (auto const* sub = node->as_table())
        return TableReader(*sub, m_file, *m_diagnostics, m_what.empty() ? fmt::format("[{}]", key) : fmt::format("{} [{}]", m_what, key));
    report_wrong_type(key, fmt::format("a table ([{}] or {} = {{ ... }})", key, key));
    return std::nullopt;
}

std::vector<TableReader> TableReader::tables(std::string_view key, Need need)
{
    auto const* node = lookup(key);
    if (!node) {
        if (need == Need::Required)
            report_missing(key, fmt::format("one or more [[{}]] tables", key));
        return {};
    }
    auto const* array = node->as_array();
    if (!array) {
        report_wrong_type(key, fmt::format("a list of tables ([[{}]])", key));
        return {};
    }
    std::vector<TableReader> out;
    std::size_t index = 0;
    for (auto const& element : *array) {
        ++index;
        if (auto const* sub = element.as_table()) {
            out.emplace_back(*sub, m_file, *m_diagnostics, fmt::format("{}{} #{}", m_what.empty() ? "" : m_what + ", ", key, index));
        } else {
            m_diagnostics->add(rc::kb::location_of(m_file, element.source()),
                fmt::format("{}entry {} of '{}' must be a table", prefix(), index, key), fmt::format("write it as [[{}]]", key));
        }
    }
    return out;
}

void TableReader::finish()
{
    std::vector<std::string> known(m_known.begin(), m_known.end());
    for (auto const& [key, node] : *m_table) {
        if (m_known.contains(key.str()) || m_explained.contains(key.str()))
            continue;
        std::string fix = known.empty() ? "remove it" : fmt::format("remove it, or use one of: {}", fmt::join(known, ", "));
        if (auto near = closest_match(key.str(), known))
            fix = fmt::format("did you mean '{}'?", *near);
        m_diagnostics->add(rc::kb::location_of(m_file, key.source()), fmt::format("{}unknown key '{}'", prefix(), key.str()), fix);
    }
}

std::optional<std::string> closest_match(std::string_view word, std::vector<std::string> const& candidates)
{
    auto distance = [](std::string_view a, std::string_view b) {
        std::vector<std::size_t> row(b.size() + 1);
        for (std::size_t j = 0; j <= b.size(); ++j)
            row[j] = j;
        for (std::size_t i = 1; i <= a.size(); ++i) {
            std::size_t diagonal = row[0];
            row[0] = i;
            for (std::size_t j = 1; j <= b.size(); ++j) {
                std::size_t above = row[j];
                row[j] = std::min({ row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1) });
                diagonal = above;
            }
        }
        return row[b.size()];
    };
    std::optional<std::string> best;
    std::size_t best_distance = 3;
    for (auto const& candidate : candidates) {
        std::size_t d = distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

}
