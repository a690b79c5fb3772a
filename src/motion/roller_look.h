// When the page looks for the roller in a picture (web/src/camera/roller-sighter.ts): on every
// picture while the analyser is learning where the roller started, and otherwise on one at least
// `interval_s` after the last one it looked at (motion.toml's roller_look_interval_seconds). The
// simulator's accuracy evaluation and the footage scorer thin their sightings with it, as the
// page does. Header-only: no state beyond the last look.
#pragma once

namespace rc::motion {

class RollerLookCadence {
public:
    explicit RollerLookCadence(double interval_s) : m_interval(interval_s) { }

    // Whether the picture at `t` (seconds) is looked at; `learning` is the analyser's
    // roller_start_learning for the frame before. A millisecond of slack, as on the page.
    bool look(double t, bool learning)
    {
        if (!learning && t - m_last < m_interval - 1e-3)
            return false;
        m_last = t;
        return true;
    }

private:
    double m_interval;
    double m_last { -1e18 };
};

}
