// Internal to src/session: the fixed texts and timings the session machine's three source files
// share (session_machine.cpp: events and time; session_schedule.cpp: the cues of each part;
// session_views.cpp: snapshot, summary and the texts to pre-synthesise).
#pragma once

#include "session/session_machine.h"

#include <chrono>
#include <fmt/core.h>
#include <string>

namespace rc::session::detail {

using namespace std::chrono_literals;

inline constexpr char const* breathe_in_text = "Breathe in slowly.";
inline constexpr char const* breathe_out_text = "And a long, slow breath out.";
inline constexpr char const* hold_end_text = "Ease off the spot and keep rolling slowly.";
inline constexpr char const* move_on_text = "That's enough time on this spot. Ease off and roll on to a new one.";
inline constexpr char const* move_on_again_text = "You've spent long enough on that spot. Roll on to a new one.";

inline constexpr char const* hold_queued_text = "Noted: the hold on this spot starts as soon as rolling begins.";
inline constexpr char const* hold_already_text = "You are already holding a spot: keep breathing slowly until the hold ends.";
inline constexpr char const* hold_paused_text = "Paused: resume first, then press tender spot while you roll.";
inline constexpr char const* hold_finisher_text = "There is no roller in this exercise, so there is no spot to hold. Move gently.";

inline constexpr char const* undone_text = "Stop undone. The session is paused where it stopped: press resume when you are ready.";

inline std::string hold_start_text(std::chrono::seconds hold)
{
    return fmt::format("Stay on this spot for about {} seconds. Let your weight sink in; moderate pressure is enough.", hold.count());
}

// A second tender spot this soon after releasing the last one counts as the same spot.
inline constexpr Millis same_spot_gap { 10'000 };
// "Back" within this much of a step's start goes to the previous step.
inline constexpr Millis back_to_previous_within { 3000 };
// Other cues this close to a tempo cue take its place.
inline constexpr Millis tempo_clearance { 1500 };
// A reminder (breathing or the exercise's own cue) every this often while rolling.
inline constexpr Millis reminder_first { 15'000 };
inline constexpr Millis reminder_every { 30'000 };
inline constexpr Millis ten_seconds { 10'000 };

inline Millis ms(std::chrono::seconds s) { return std::chrono::duration_cast<Millis>(s); }

inline char const* side_word(Side side) { return side == Side::Left ? "left" : side == Side::Right ? "right" : ""; }

inline std::string capitalised(std::string text)
{
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

}
