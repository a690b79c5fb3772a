#include "knowledge/claim_check.h"

#include <algorithm>
#include <array>
#include <regex>

namespace rc::kb {

namespace {

struct ForbiddenClaim {
    char const* claim;
    char const* pattern;
};

// Written as claims, not single words, where a word alone has innocent uses ("cure" in
// "secure" is excluded by the word boundary; "toxins" has no innocent use here).
constexpr std::array forbidden_claims {
    ForbiddenClaim { "the Golgi tendon organ explanation", R"(golgi)" },
    ForbiddenClaim { "toxins or waste flushed out",
        R"(\btoxins?\b|\bflush(es|ed|ing)?\b[^.]{0,20}\b(waste|toxins?|lactic)|metabolic waste)" },
    ForbiddenClaim { "breaking up knots or adhesions",
        R"(\bbreak(s|ing)?\s+(up|down|apart)\b[^.]{0,25}\b(knots?|adhesions?|scar tissue|fascia|tissue)\b|\badhesions?\b)" },
    ForbiddenClaim { "releasing or stretching fascia as fact",
        R"(\b(releas|stretch|loosen|lengthen|melt)(e|es|ed|ing)?\s+(the\s+|your\s+|tight\s+)?fascia|\b(myo)?fascial\s+release)" },
    ForbiddenClaim { "lactic acid", R"(lactic\s+acid)" },
    ForbiddenClaim { "realigning the body", R"(\brealign)" },
    ForbiddenClaim { "curing", R"(\bcur(e|es|ed|ing)\b)" },
};

std::regex const& negation()
{
    static std::regex const re(R"(\b(not|no|never|cannot|nothing|nor|neither|myths?|untrue|unsupported)\b|n't\b)",
        std::regex::icase | std::regex::optimize);
    return re;
}

std::vector<std::regex> const& compiled_claims()
{
    static std::vector<std::regex> const compiled = [] {
        std::vector<std::regex> out;
        for (auto const& claim : forbidden_claims)
            out.emplace_back(claim.pattern, std::regex::icase | std::regex::optimize);
        return out;
    }();
    return compiled;
}

bool ends_sentence(char c) { return c == '.' || c == '!' || c == '?' || c == '\n' || c == ';'; }

std::string trimmed(std::string_view text)
{
    auto const first = text.find_first_not_of(" \t\r\n\"'");
    if (first == std::string_view::npos)
        return {};
    auto const last = text.find_last_not_of(" \t\r\n\"'");
    return std::string(text.substr(first, last - first + 1));
}

}

std::vector<OverclaimFinding> find_overclaims(std::string_view text)
{
    std::vector<OverclaimFinding> findings;
    std::size_t line = 1;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = start;
        while (end < text.size() && !ends_sentence(text[end]))
            ++end;
        std::string const sentence(text.substr(start, end - start));
        if (!std::regex_search(sentence, negation())) {
            auto const& regexes = compiled_claims();
            for (std::size_t i = 0; i < regexes.size(); ++i) {
                std::smatch match;
                if (!std::regex_search(sentence, match, regexes[i]))
                    continue;
                auto const before = sentence.substr(0, static_cast<std::size_t>(match.position(0)));
                auto const match_line = line + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
                findings.push_back({ forbidden_claims[i].claim, trimmed(sentence), match_line });
            }
        }
        line += static_cast<std::size_t>(std::count(sentence.begin(), sentence.end(), '\n'));
        if (end < text.size() && text[end] == '\n')
            ++line;
        start = end + 1;
    }
    return findings;
}

}
