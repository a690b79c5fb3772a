// Wrapping text at word boundaries for a terminal of a given width, so that no word is cut in
// two at the right edge ("insid|e"). Each line of the text is wrapped on its own; a continuation
// line keeps the line's indentation, and hangs under the text after a list marker ("- ",
// "3. ", "Why: " is not a marker). Widths count characters (UTF-8 code points), not bytes, and
// colour escapes ("\x1b[31m") count for nothing. A
// word longer than the width stays whole on a line of its own (a URL must still work).
//
//   fmt::print("{}", tui::wrap_words(long_text, tui::terminal_columns().value_or(0)));
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rc::tui {

// `width` 0 leaves the text as it is.
std::string wrap_words(std::string_view text, std::size_t width);

// The width of the terminal on standard output; nothing when it is not a terminal (a pipe or a
// file keeps long lines whole, for other programs to read).
std::optional<std::size_t> terminal_columns();

}
