#include "common/echo.h"

namespace rc {

std::string echo_excerpt(std::string_view text, std::size_t max)
{
    std::string out;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto const byte = static_cast<unsigned char>(text[i]);
        // A UTF-8 continuation byte belongs to the character already shown as '?'.
        if ((byte & 0xc0) == 0x80 && i > 0 && static_cast<unsigned char>(text[i - 1]) >= 0x80)
            continue;
        if (shown == max)
            return out + "...";
        out += byte >= 0x20 && byte < 0x7f ? static_cast<char>(byte) : '?';
        ++shown;
    }
    return out;
}

}
