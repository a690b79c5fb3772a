// One Euro filter (Casiez, Roussel & Vogel, CHI 2012): a low-pass filter whose cutoff rises with
// speed, so slow jitter is smoothed hard and fast motion lags little.
//
//   cutoff = min_cutoff + beta * |filtered derivative|
//
// Build one through create() (it refuses non-positive cutoffs and negative beta). filter() takes
// the sample and the time since the previous one; a non-positive dt resets nothing and returns
// the previous output.
//
//   auto filter = OneEuroFilter::create({ .min_cutoff = 1.0, .beta = 10.0, .derivative_cutoff = 1.0 });
//   double smooth = filter->filter(raw, 1.0 / 30.0);
#pragma once

#include "common/result.h"

namespace rc::motion {

struct OneEuroParams {
    double min_cutoff { 1.0 };        // Hz: smoothing when still
    double beta { 0.0 };              // how fast the cutoff rises with speed (per signal unit)
    double derivative_cutoff { 1.0 }; // Hz: smoothing of the speed estimate
};

class OneEuroFilter {
public:
    static Result<OneEuroFilter> create(OneEuroParams params);

    // Returns the filtered value. dt in seconds since the previous sample.
    double filter(double value, double dt);
    void reset() { m_initialised = false; }
    bool initialised() const { return m_initialised; }
    double value() const { return m_value; }
    double derivative() const { return m_derivative; }

private:
    explicit OneEuroFilter(OneEuroParams params) : m_params(params) { }

    OneEuroParams m_params;
    double m_value { 0 };
    double m_derivative { 0 };
    bool m_initialised { false };
};

}
