#include "tui/text_wrap.h"

#include <cctype>
#include <cstdlib>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

namespace rc::tui {

namespace {

// Columns on screen: UTF-8 continuation bytes and colour escapes ("\x1b[1;31m") take none.
std::size_t columns_of(std::string_view text)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
            i += 2;
            while (i < text.size() && !(text[i] >= '@' && text[i] <= '~'))
                ++i;
            continue;
        }
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            ++n;
    }
    return n;
}

// The indentation of continuation lines: the leading spaces, plus a list marker's width.
std::size_t hanging_indent(std::string_view line)
{
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ')
        ++i;
    auto rest = line.substr(i);
    if (rest.starts_with("- ") || rest.starts_with("* "))
        return i + 2;
    std::size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits])))
        ++digits;
    if (digits > 0 && digits < 4 && rest.substr(digits).starts_with(". "))
        return i + digits + 2;
    return i;
}

void wrap_line(std::string_view line, std::size_t width, std::string& out)
{
    if (columns_of(line) <= width) {
        out += line;
        return;
    }
    std::size_t const indent = std::min(hanging_indent(line), width / 2);
    std::size_t lead = 0;
    while (lead < line.size() && line[lead] == ' ')
        ++lead;
    std::string current(line.substr(0, lead));
    std::size_t used = lead;
    bool first_word = true;
    std::size_t pos = lead;
    while (pos < line.size()) {
        auto const end = line.find(' ', pos);
        auto const word = line.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? line.size() : end + 1;
        if (word.empty())
            continue;
        auto const w = columns_of(word);
        if (!first_word && used + 1 + w > width) {
            out += current;
            out += '\n';
            current.assign(indent, ' ');
            used = indent;
            first_word = true;
        }
        if (!first_word) {
            current += ' ';
            ++used;
        }
        current += word;
        used += w;
        first_word = false;
    }
    out += current;
}

}

std::string wrap_words(std::string_view text, std::size_t width)
{
    if (width == 0)
        return std::string(text);
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    std::size_t start = 0;
    while (start <= text.size()) {
        auto const end = text.find('\n', start);
        auto const line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        wrap_line(line, width, out);
        if (end == std::string_view::npos)
            break;
        out += '\n';
        start = end + 1;
    }
    return out;
}

std::optional<std::size_t> terminal_columns()
{
    if (!isatty(STDOUT_FILENO))
        return std::nullopt;
    winsize size {};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return static_cast<std::size_t>(size.ws_col);
    if (char const* columns = std::getenv("COLUMNS")) {
        char* end = nullptr;
        auto const value = std::strtoul(columns, &end, 10);
        if (end != columns && *end == '\0' && value > 0 && value < 10'000)
            return static_cast<std::size_t>(value);
    }
    return std::size_t { 80 };
}

}
