// Claims rollcoach must never make. Foam rolling is surrounded by myths (it "breaks up knots",
// "flushes out toxins", "releases fascia") that the evidence does not support
// (clinical-facts.md section 6; sources schleip_2003, chaudhry_2008, behm_wilke_2019). Any text
// a person can read or hear (the knowledge base, the screening, the web app, voice cues, the
// README) is checked against this list in `make test`, so a new sentence cannot bring one back.
//
// A sentence that denies the claim ("it doesn't break anything up", "the Golgi explanation does
// not hold") is allowed: a match counts only when its sentence has no negation word.
//
//   for (auto const& finding : find_overclaims(text))
//       std::cout << finding.claim << ": " << finding.sentence << '\n';
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rc::kb {

struct OverclaimFinding {
    std::string claim;      // which forbidden claim, in words ("breaking up knots or adhesions")
    std::string sentence;   // the sentence it was found in, trimmed
    std::size_t line { 1 }; // 1-based line of the match within the text
};

std::vector<OverclaimFinding> find_overclaims(std::string_view text);

}
