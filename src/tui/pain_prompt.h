// The pain rating before and after a terminal session, asked on the plain terminal (before the
// full-screen coach opens and after it closes), as the web app asks on its plan and end screens.
// Each rating is skippable: an empty line, "s" or "skip", end of input or Ctrl-C skip it; any
// other answer that is not a whole number 0-10 is explained and asked again (three tries).
//
//   auto before = tui::ask_pain(std::cin, std::cout, "How is your back right now");
//   if (before) machine.step(now, session::Event::pain(*before));   // recorded as "before"
#pragma once

#include "common/result.h"

#include <iosfwd>
#include <optional>
#include <string_view>

namespace rc::tui {

// One answer: a rating, nothing (skip), or an error saying what to type.
Result<std::optional<int>> parse_pain_answer(std::string_view answer);

// Asks `question` on `out` and reads answers from `in`; nothing when skipped. Ctrl-C while it
// waits skips the question instead of ending the program (a session still to be saved is not
// lost).
std::optional<int> ask_pain(std::istream& in, std::ostream& out, std::string_view question);

}
