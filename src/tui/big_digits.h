// A 5-row block font for the terminal coach's countdown ("1:05" -> five strings of # and spaces).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace rc::tui {

// Each character (0-9 and ':') is 3 or 1 columns wide with one column between characters;
// anything else renders as a blank.
std::array<std::string, 5> big_text(std::string_view text);

}
