#include "motion/one_euro_filter.h"

#include <cmath>
#include <fmt/format.h>
#include <numbers>

namespace rc::motion {

namespace {

double smoothing_factor(double cutoff, double dt)
{
    double tau = 1.0 / (2.0 * std::numbers::pi * cutoff);
    return 1.0 / (1.0 + tau / dt);
}

}

Result<OneEuroFilter> OneEuroFilter::create(OneEuroParams params)
{
    if (!std::isfinite(params.min_cutoff) || params.min_cutoff <= 0)
        return Error::invalid_argument(fmt::format("One Euro filter: min_cutoff should be > 0 Hz, but equals {}", params.min_cutoff));
    if (!std::isfinite(params.beta) || params.beta < 0)
        return Error::invalid_argument(fmt::format("One Euro filter: beta should be >= 0, but equals {}", params.beta));
    if (!std::isfinite(params.derivative_cutoff) || params.derivative_cutoff <= 0)
        return Error::invalid_argument(fmt::format("One Euro filter: derivative_cutoff should be > 0 Hz, but equals {}", params.derivative_cutoff));
    return OneEuroFilter { params };
}

double OneEuroFilter::filter(double value, double dt)
{
    if (!m_initialised) {
        m_value = value;
        m_derivative = 0;
        m_initialised = true;
        return m_value;
    }
    if (!(dt > 0))
        return m_value;
    double raw_derivative = (value - m_value) / dt;
    m_derivative += smoothing_factor(m_params.derivative_cutoff, dt) * (raw_derivative - m_derivative);
    double cutoff = m_params.min_cutoff + m_params.beta * std::abs(m_derivative);
    m_value += smoothing_factor(cutoff, dt) * (value - m_value);
    return m_value;
}

}
