#include "tui/terminal_coach.h"

#include "tui/big_digits.h"

#include <algorithm>
#include <atomic>
#include <clocale>
#include <csignal>
#include <curses.h>
#include <fmt/core.h>
#include <sstream>

namespace rc::tui {

namespace {

using namespace std::chrono_literals;
using session::Cue;
using session::CueKind;
using session::Event;
using session::Phase;

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int signal) { g_signal = signal; }

enum ColorPair : short { Title = 1, Alert = 2, Good = 3, Accent = 4 };

// Owns the terminal while the coach runs: whatever way the coach leaves (return, exception,
// signal), the destructor gives the terminal back in the state it found it.
class Screen {
public:
    explicit Screen(bool color)
    {
        std::setlocale(LC_ALL, "");
        struct sigaction action {};
        action.sa_handler = on_signal;
        sigemptyset(&action.sa_mask);
        for (int i = 0; i < 3; ++i)
            sigaction(signals[i], &action, &m_previous[i]);
        initscr();
        cbreak();
        noecho();
        keypad(stdscr, TRUE);
        curs_set(0);
        m_color = color && has_colors();
        if (m_color) {
            start_color();
            use_default_colors();
            init_pair(Title, COLOR_CYAN, -1);
            init_pair(Alert, COLOR_RED, -1);
            init_pair(Good, COLOR_GREEN, -1);
            init_pair(Accent, COLOR_YELLOW, -1);
        }
    }
    ~Screen()
    {
        endwin();
        for (int i = 0; i < 3; ++i)
            sigaction(signals[i], &m_previous[i], nullptr);
    }
    Screen(Screen const&) = delete;
    Screen& operator=(Screen const&) = delete;

    attr_t pair(ColorPair p) const { return m_color ? COLOR_PAIR(p) : A_NORMAL; }

private:
    static constexpr int signals[3] { SIGINT, SIGTERM, SIGHUP };
    struct sigaction m_previous[3] {};
    bool m_color { false };
};

std::string clock_text(Millis ms)
{
    auto const s = std::max<long long>(0, (ms.count() + 999) / 1000);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::vector<std::string> wrap(std::string const& text, std::size_t width)
{
    std::vector<std::string> lines;
    std::istringstream words(text);
    std::string word;
    std::string line;
    while (words >> word) {
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            lines.push_back(line);
            line.clear();
        }
        line += line.empty() ? word : " " + word;
    }
    if (!line.empty())
        lines.push_back(line);
    return lines;
}

std::string bar(double fraction, int width)
{
    fraction = std::clamp(fraction, 0.0, 1.0);
    auto const filled = static_cast<int>(fraction * width + 0.5);
    return "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-') + "]";
}

char const* phase_label(Phase phase)
{
    switch (phase) {
    case Phase::Ready: return "Ready";
    case Phase::Setup: return "Get into position";
    case Phase::Rolling: return "Rolling";
    case Phase::Hold: return "Holding a tender spot";
    case Phase::SideSwitch: return "Switch sides";
    case Phase::Transition: return "Rest";
    case Phase::Finisher: return "Finisher";
    case Phase::Done: return "Done";
    case Phase::Stopped: return "Stopped";
    }
    return "";
}

enum class Mode { Normal, Pain, ConfirmQuit };

void put(int row, int col, std::string const& text, attr_t attr = A_NORMAL)
{
    int const width = COLS - col;
    if (row < 0 || row >= LINES || width <= 0)
        return;
    attron(attr);
    mvaddnstr(row, col, text.c_str(), width);
    attroff(attr);
}

void draw(Screen const& screen, session::Snapshot const& s, std::optional<Cue> const& shown, Mode mode, bool speaking, std::string const& note)
{
    erase();
    int const width = std::max(20, COLS);
    std::string title = s.step >= 0 ? fmt::format("Step {} of {}: {}", s.step + 1, s.step_count, s.exercise_name) : std::string("rollcoach");
    if (s.side != plan::Side::None)
        title += fmt::format(" - {} side", plan::to_string(s.side));
    put(0, 1, title, screen.pair(Title) | A_BOLD);
    std::string sub = phase_label(s.phase);
    if (!s.tool_name.empty())
        sub += " | " + s.tool_name;
    if (s.paused)
        sub += " | PAUSED";
    put(1, 1, sub, s.paused ? screen.pair(Accent) | A_BOLD : A_NORMAL);

    int row = 3;
    std::string instructions;
    for (auto const& line : s.instructions)
        instructions += (instructions.empty() ? "" : " ") + line;
    auto lines = wrap(instructions, static_cast<std::size_t>(width - 2));
    for (std::size_t i = 0; i < lines.size() && i < 4; ++i)
        put(row++, 1, lines[i]);

    // The countdown: the hold when holding, else what is left of this part.
    Millis const left = s.hold ? s.hold->total - s.hold->elapsed : s.phase_total - s.phase_elapsed;
    auto const big = big_text(clock_text(left));
    int const big_col = std::max(1, (width - static_cast<int>(big[0].size())) / 2);
    for (std::size_t r = 0; r < big.size(); ++r)
        put(8 + static_cast<int>(r), big_col, big[r], (s.hold ? screen.pair(Accent) : screen.pair(Good)) | A_BOLD);

    int const bar_width = std::max(10, std::min(50, width - 30));
    double const step_fraction = s.step_total.count() > 0 ? static_cast<double>(s.step_elapsed.count()) / static_cast<double>(s.step_total.count()) : 0.0;
    put(14, 1, fmt::format("Step    {} {} / {}", bar(step_fraction, bar_width), clock_text(s.step_elapsed), clock_text(s.step_total)));
    put(15, 1, fmt::format("Session {} {} / {}", bar(s.progress, bar_width), clock_text(s.session_elapsed), clock_text(s.session_total)));
    if (s.hold)
        put(16, 1, fmt::format("Tender spot: {} of {} s (on this spot {} s)", s.hold->elapsed.count() / 1000, s.hold->total.count() / 1000,
                       s.hold->on_spot.count() / 1000),
            screen.pair(Accent));
    put(17, 1, "Next: " + s.next.value_or("the end"));
    if (!note.empty())
        put(18, 1, note, A_DIM);

    if (s.advice) {
        // Standing back-off advice (session_machine.h, Snapshot::advice): on screen until the
        // user acts on it, whatever cues follow; the latest cue is still spoken meanwhile.
        auto advice_lines = wrap("BACK OFF: " + s.advice->text + " " + s.advice->detail, static_cast<std::size_t>(width - 2));
        for (std::size_t i = 0; i < advice_lines.size() && i < 3; ++i)
            put(19 + static_cast<int>(i), 1, advice_lines[i], screen.pair(Alert) | A_BOLD);
    } else if (shown && shown->kind != CueKind::BackOff) {   // advice the user has dealt with is not shown again
        bool const alarm = shown->kind == CueKind::Stop || shown->kind == CueKind::BackOff;
        std::string const label = shown->kind == CueKind::Stop ? "STOP: " : shown->kind == CueKind::BackOff ? "BACK OFF: " : speaking ? "Says: " : "Cue: ";
        auto cue_lines = wrap(label + shown->text, static_cast<std::size_t>(width - 2));
        for (std::size_t i = 0; i < cue_lines.size() && i < 3; ++i)
            put(19 + static_cast<int>(i), 1, cue_lines[i], alarm ? screen.pair(Alert) | A_BOLD : A_NORMAL);
    }
    std::string help = s.advice ? "a eased off  space pause  p pain  n numbness/tingling  s skip  q quit"
                                : "space pause  t tender spot  p pain  n numbness/tingling  s skip  b back  q quit";
    std::string status;
    if (mode == Mode::Pain)
        status = "Pain right now: press 0-9 (9 = 9 or worse), Esc to cancel";
    else if (mode == Mode::ConfirmQuit)
        status = "Quit the session? y = yes, any other key = no";
    put(LINES - 2, 1, help, A_DIM);
    put(LINES - 1, 1, status, screen.pair(Accent) | A_BOLD);
    refresh();
}

void draw_end(Screen const& screen, session::Snapshot const& s, session::Summary const& summary, std::optional<Cue> const& stop)
{
    erase();
    int row = 1;
    int const width = std::max(20, COLS);
    if (stop) {
        put(row++, 1, "Session stopped", screen.pair(Alert) | A_BOLD);
        row++;
        for (auto const& line : wrap(stop->text, static_cast<std::size_t>(width - 2)))
            put(row++, 1, line, screen.pair(Alert) | A_BOLD);
        row++;
        for (auto const& line : wrap(stop->detail, static_cast<std::size_t>(width - 2)))
            put(row++, 1, line);
    } else {
        put(row++, 1, summary.end_reason == session::EndReason::Completed ? "Session complete. Well done." : "Session ended early.",
            screen.pair(Good) | A_BOLD);
    }
    row++;
    put(row++, 1, fmt::format("Time rolling: {}   Steps done: {} of {}   Tender spots: {}", clock_text(summary.active),
                      summary.steps_completed, summary.steps_total, summary.tender_spots));
    if (s.last_cue && !stop)
        put(row++, 1, s.last_cue->text);
    put(LINES - 1, 1, "Press any key to close.", A_DIM);
    refresh();
}

}

Result<CoachResult> run_terminal_coach(session::SessionMachine& machine, CoachOptions const& options)
{
    if (options.speed <= 0.0)
        return Error::invalid_argument("--speed must be above 0");
    g_signal = 0;
    CoachResult result;
    Screen screen(options.color);

    SystemClock const clock;
    SpeedScale const scale(clock.now(), options.speed);
    auto virtual_now = [&] { return scale.to_session(clock.now()); };
    // An important cue stays on screen a few seconds before routine ones may replace it.
    std::optional<Cue> shown;
    auto shown_since = std::chrono::steady_clock::now();
    auto handle = [&](std::vector<Cue> const& cues) {
        result.cues.insert(result.cues.end(), cues.begin(), cues.end());
        for (auto const& cue : cues) {
            auto const real = std::chrono::steady_clock::now();
            if (!shown || cue.priority >= shown->priority || shown->priority < session::Priority::High || real - shown_since > 4s) {
                shown = cue;
                shown_since = real;
            }
            if (cue.kind == CueKind::Stop)
                result.stop_cue = cue;
            if (options.speaker && cue.speak == session::Speak::Yes)
                options.speaker->say({ cue.text, session::to_string(cue.kind), cue.at, static_cast<int>(cue.priority) });
        }
    };

    handle(machine.step(virtual_now(), Event::start()));
    Mode mode = Mode::Normal;
    while (!machine.finished()) {
        if (g_signal) {
            handle(machine.step(virtual_now(), Event::quit()));
            result.exit = CoachExit::Interrupted;
            break;
        }
        auto const now = virtual_now();
        handle(machine.advance(now));
        draw(screen, machine.snapshot(now), shown, mode, options.speaker != nullptr, options.note);

        // Sleep until the next cue is due (on the real clock), redrawing at least 10 times a second.
        int wait_ms = 100;
        if (auto due = machine.next_due()) {
            auto const real_wait = scale.real_span(std::chrono::duration_cast<Millis>(*due - virtual_now()));
            wait_ms = static_cast<int>(std::clamp<long long>(real_wait.count(), 0, 100));
        }
        timeout(wait_ms);
        int const key = getch();
        if (key == ERR || key == KEY_RESIZE)
            continue;
        auto const at = virtual_now();
        if (mode == Mode::Pain) {
            mode = Mode::Normal;
            if (key >= '0' && key <= '9')
                handle(machine.step(at, Event::pain(key - '0')));
            continue;
        }
        if (mode == Mode::ConfirmQuit) {
            mode = Mode::Normal;
            if (key == 'y' || key == 'Y')
                handle(machine.step(at, Event::quit()));
            continue;
        }
        switch (key) {
        case ' ':
            handle(machine.step(at, machine.paused() ? Event::resume() : Event::pause()));
            break;
        case 't':
            handle(machine.step(at, Event::tender_spot()));
            break;
        case 'p':
            mode = Mode::Pain;
            break;
        case 'n':
            handle(machine.step(at, Event::safety_event(kb::SafetyEvent::NumbnessOneLeg)));
            break;
        case 's':
            handle(machine.step(at, Event::skip()));
            break;
        case 'b':
            handle(machine.step(at, Event::back()));
            break;
        case 'h':
            handle(machine.step(at, Event::breath_check()));
            break;
        case 'a':
            handle(machine.step(at, Event::acknowledge()));
            break;
        case 'q':
            mode = Mode::ConfirmQuit;
            break;
        default:
            break;
        }
    }
    auto const end = virtual_now();
    result.summary = machine.summary(end);
    result.ended = end;
    if (result.exit == CoachExit::Finished) {
        draw_end(screen, machine.snapshot(end), result.summary, result.stop_cue);
        timeout(200);
        while (!g_signal && getch() == ERR) { }
    }
    return result;
}

}
