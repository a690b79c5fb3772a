#include "tui/pain_prompt.h"

#include <cctype>
#include <csignal>
#include <fmt/core.h>
#include <istream>
#include <ostream>
#include <string>

namespace rc::tui {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int) { g_interrupted = 1; }

// While asking: Ctrl-C interrupts the read (no SA_RESTART) and counts as "skip".
class InterruptSkips {
public:
    InterruptSkips()
    {
        g_interrupted = 0;
        struct sigaction action {};
        action.sa_handler = on_interrupt;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &m_previous);
    }
    ~InterruptSkips() { sigaction(SIGINT, &m_previous, nullptr); }
    InterruptSkips(InterruptSkips const&) = delete;
    InterruptSkips& operator=(InterruptSkips const&) = delete;

private:
    struct sigaction m_previous {};
};

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

}

Result<std::optional<int>> parse_pain_answer(std::string_view answer)
{
    answer = trimmed(answer);
    if (answer.empty() || answer == "s" || answer == "S" || answer == "skip")
        return std::optional<int> {};
    int value = 0;
    for (char c : answer) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || value > 10)
            return Error::invalid_argument(fmt::format("'{}' is not a rating: type a whole number from 0 (no pain) to 10 (worst), or press Enter to skip", answer));
        value = value * 10 + (c - '0');
    }
    if (value > 10)
        return Error::invalid_argument(fmt::format("{} is above 10: type a whole number from 0 (no pain) to 10 (worst), or press Enter to skip", value));
    return std::optional<int> { value };
}

std::optional<int> ask_pain(std::istream& in, std::ostream& out, std::string_view question)
{
    InterruptSkips const guard;
    for (int attempt = 0; attempt < 3; ++attempt) {
        out << question << ", from 0 (no pain) to 10 (worst)? Enter skips: " << std::flush;
        std::string line;
        if (!std::getline(in, line) || g_interrupted) {
            in.clear();
            out << "\n";
            return std::nullopt;
        }
        auto parsed = parse_pain_answer(line);
        if (parsed)
            return *parsed;
        out << parsed.error().message << "\n";
    }
    out << "Skipped.\n";
    return std::nullopt;
}

}
