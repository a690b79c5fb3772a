// A check's debounce, repeat and re-arming: a condition becomes a finding once it has lasted
// `on_seconds`, repeats no sooner than `repeat_seconds` while it lasts, and re-arms once it has
// been clear for `clear_seconds` (docs/motion.md, "Checks"). The analyser keeps one per finding
// code; the footage scorer's reader blind to the start uses the same rule.
#pragma once

namespace rc::motion {

class FindingGate {
public:
    FindingGate() = default;
    FindingGate(double on_seconds, double repeat_seconds, double clear_seconds)
        : m_on_seconds(on_seconds)
        , m_repeat_seconds(repeat_seconds)
        , m_clear_seconds(clear_seconds)
    {
    }

    // Feeds the condition at time t (seconds, non-decreasing); true when a finding is due.
    // Inline: the analyser calls it for every check on every frame.
    bool update(bool condition, double t)
    {
        if (!condition) {
            m_since = -1;
            if (m_active && m_clear_since < 0)
                m_clear_since = t;
            if (m_active && t - m_clear_since >= m_clear_seconds)
                m_active = false;
            return false;
        }
        m_clear_since = -1;
        if (m_since < 0)
            m_since = t;
        if (t - m_since < m_on_seconds || t - m_last_emit < m_repeat_seconds)
            return false;
        // Fires when the condition (re)appears after a pause, or as a reminder while it lasts.
        m_active = true;
        m_last_emit = t;
        return true;
    }
    // Whether the condition has fired and not yet been clear for clear_seconds.
    bool active() const { return m_active; }

private:
    double m_on_seconds { 0.25 };
    double m_repeat_seconds { 8 };
    double m_clear_seconds { 1 };
    double m_since { -1 };
    double m_last_emit { -1e18 };
    double m_clear_since { -1 };
    bool m_active { false };
};

}
