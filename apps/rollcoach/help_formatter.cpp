#include "help_formatter.h"

#include <charconv>
#include <cstdlib>
#include <sstream>
#include <string_view>

namespace rc::app {

std::string wrap_words(std::string const& text, std::size_t width, std::size_t indent)
{
    std::string out;
    std::string const pad(indent, ' ');
    std::istringstream paragraphs(text);
    bool first_line = true;
    for (std::string paragraph; std::getline(paragraphs, paragraph);) {
        std::istringstream words(paragraph);
        std::size_t used = 0;
        bool line_open = false;
        for (std::string word; words >> word;) {
            if (line_open && used + 1 + word.size() > width) {
                out += '\n';
                line_open = false;
            }
            if (!line_open) {
                if (!first_line)
                    out += pad;
                out += word;
                used = word.size();
                line_open = true;
                first_line = false;
            } else {
                out += ' ';
                out += word;
                used += 1 + word.size();
            }
        }
        if (!line_open) {
            // An empty paragraph: keep the blank line.
            first_line = false;
        }
        out += '\n';
    }
    if (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

WrappingFormatter::WrappingFormatter(std::size_t width)
    : m_width(width)
{
}

std::string WrappingFormatter::entry(std::string const& name, std::string const& description) const
{
    std::string out = "  " + name;
    std::size_t const column = get_column_width();
    if (description.empty())
        return out + "\n";
    if (out.size() >= column)
        out += "\n" + std::string(column, ' ');
    else
        out += std::string(column - out.size(), ' ');
    std::size_t const room = m_width > column + 20 ? m_width - column : 20;
    return out + wrap_words(description, room, column) + "\n";
}

std::string WrappingFormatter::make_option(CLI::Option const* opt, bool is_positional) const
{
    return entry(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt));
}

std::string WrappingFormatter::make_subcommand(CLI::App const* sub) const
{
    return entry(sub->get_display_name(true), sub->get_description());
}

std::string WrappingFormatter::make_description(CLI::App const* app) const
{
    // CLI11's own text (with its notes on required options), wrapped.
    std::string description = CLI::Formatter::make_description(app);
    if (description.empty())
        return {};
    return wrap_words(description, m_width, 0) + "\n";
}

std::string WrappingFormatter::make_footer(CLI::App const* app) const
{
    std::string footer = CLI::Formatter::make_footer(app);
    if (footer.empty())
        return {};
    return wrap_words(footer, m_width, 0) + "\n";
}

std::size_t help_width()
{
    char const* columns = std::getenv("COLUMNS");
    if (!columns)
        return 80;
    std::string_view text(columns);
    std::size_t width = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), width);
    if (error != std::errc {} || end != text.data() + text.size() || width < 40 || width > 200)
        return 80;
    return width;
}

void use_wrapping_help(CLI::App& app)
{
    app.formatter(std::make_shared<WrappingFormatter>(help_width()));
}

}
