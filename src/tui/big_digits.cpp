#include "tui/big_digits.h"

namespace rc::tui {

namespace {

constexpr std::array<std::array<char const*, 5>, 10> digits { {
    { "###", "# #", "# #", "# #", "###" },
    { "  #", "  #", "  #", "  #", "  #" },
    { "###", "  #", "###", "#  ", "###" },
    { "###", "  #", "###", "  #", "###" },
    { "# #", "# #", "###", "  #", "  #" },
    { "###", "#  ", "###", "  #", "###" },
    { "###", "#  ", "###", "# #", "###" },
    { "###", "  #", "  #", "  #", "  #" },
    { "###", "# #", "###", "# #", "###" },
    { "###", "# #", "###", "  #", "###" },
} };

}

std::array<std::string, 5> big_text(std::string_view text)
{
    std::array<std::string, 5> rows;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char const c = text[i];
        for (std::size_t r = 0; r < 5; ++r) {
            if (i > 0)
                rows[r] += ' ';
            if (c >= '0' && c <= '9')
                rows[r] += digits[static_cast<std::size_t>(c - '0')][r];
            else if (c == ':')
                rows[r] += (r == 1 || r == 3) ? "#" : " ";
            else
                rows[r] += "   ";
        }
    }
    return rows;
}

}
