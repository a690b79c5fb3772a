// Profile: what rollcoach knows about the person it plans for, and History: what the journal
// remembers of their recent sessions and next-day check-ins. Both are plain data; the plan reads
// them, the CLI and the web app fill the profile, the journal fills the history.
//
//   Profile profile;                       // a first-timer, 5 minutes, no focus
//   profile.focus = { Focus::HipFlexors };
//   profile.minutes_available = std::chrono::minutes { 8 };
#pragma once

#include "common/result.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rc::plan {

enum class Experience { FirstTime, Some, Regular };
enum class Sensitivity { Normal, High };
enum class Focus { MidBack, LatsAndShoulders, GlutesAndHips, HipFlexors };
enum class When { Anytime, BeforeBed, AfterWorkout };

// "first_time", "some", "regular"; "normal", "high"; "mid_back", "lats_and_shoulders",
// "glutes_and_hips", "hip_flexors"; "anytime", "before_bed", "after_workout".
char const* to_string(Experience value);
char const* to_string(Sensitivity value);
char const* to_string(Focus value);
char const* to_string(When value);
Result<Experience> parse_experience(std::string_view text);
Result<Sensitivity> parse_sensitivity(std::string_view text);
Result<Focus> parse_focus(std::string_view text);
Result<When> parse_when(std::string_view text);

struct Profile {
    Experience experience { Experience::FirstTime };
    Sensitivity sensitivity { Sensitivity::Normal };
    // Tool ids from the knowledge base ("soft_foam", "peanut"). Empty: not known yet; the plan
    // then recommends a roller instead of picking among the owned ones.
    std::vector<std::string> rollers_owned;
    std::chrono::minutes minutes_available { 5 };
    std::vector<Focus> focus;
    When when { When::Anytime };
};

// One past session as the journal recorded it.
struct PastSession {
    std::chrono::sys_days date;
    bool completed { false };
    std::chrono::seconds duration { 0 };
};

// What the journal knows that changes today's plan. Oldest first.
struct History {
    std::vector<PastSession> sessions;
    // Next-day soreness, 0-10, one per check-in, oldest first.
    std::vector<int> soreness;
    // A check-in reported a warning sign (sharp pain, numbness, pain past a week...) that has not
    // been cleared: no plan until it is.
    bool warning_sign_pending { false };
    std::string warning_sign;   // what it was, for the message (optional)
    // "Today", for counting recent sessions; empty: the newest session's date.
    std::optional<std::chrono::sys_days> today;
};

}
