#include "motion/finding_gate.h"

namespace rc::motion {

bool FindingGate::update(bool condition, double t)
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

}
