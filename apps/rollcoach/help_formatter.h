// CLI11's help, wrapped to the terminal: CLI11 2.1 prints each description on one line however
// long, so `rollcoach serve --help` ran to 200 columns in an 80-column terminal. The width is
// $COLUMNS when it is set (40 to 200), else 80.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <memory>
#include <string>

namespace rc::app {

class WrappingFormatter final : public CLI::Formatter {
public:
    explicit WrappingFormatter(std::size_t width);

    std::string make_option(CLI::Option const* opt, bool is_positional) const override;
    std::string make_subcommand(CLI::App const* sub) const override;
    std::string make_description(CLI::App const* app) const override;
    std::string make_footer(CLI::App const* app) const override;

private:
    std::string entry(std::string const& name, std::string const& description) const;

    std::size_t m_width;
};

// The width for help text: $COLUMNS if it is a number from 40 to 200, else 80.
std::size_t help_width();

// Gives `app` (and every subcommand added to it afterwards) the wrapping formatter.
void use_wrapping_help(CLI::App& app);

// `text` wrapped at word boundaries into lines of at most `width` characters, each line after
// the first indented by `indent` spaces; its own line breaks are kept. A word longer than a
// line stands on its own line.
std::string wrap_words(std::string const& text, std::size_t width, std::size_t indent);

}
