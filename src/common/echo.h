// What of a client's text an error message may repeat back. An error that names what was sent
// ("unknown message type '...'") helps the sender, but the text is the sender's: a 60 KB type
// string or control characters would come back in full. echo_excerpt keeps at most `max`
// characters, each printable ASCII; anything else (a control character, a byte of a non-ASCII
// character) shows as one '?', and a longer text ends in "...".
//
//   fmt::format("unknown message type '{}'", echo_excerpt(type))   // at most 43 characters echoed
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rc {

inline constexpr std::size_t echo_excerpt_length = 40;

std::string echo_excerpt(std::string_view text, std::size_t max = echo_excerpt_length);

}
