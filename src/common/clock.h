// Clock: time is injected, never read by the core.
//
// The session engine, the motion analyser and the journal's statistics take the time as an
// argument. Front-ends drive them from SystemClock; tests drive them from FakeClock:
//
//   FakeClock clock;
//   auto cues = machine.step(clock.now(), Event::start());
//   clock.advance(25s);
//
// now() is monotonic (steady_clock): durations and due times are measured on it. wall_now() is
// the calendar time for records and streaks; it may jump and is never used to measure durations.
#pragma once

#include <chrono>

namespace rc {

using MonoTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
public:
    virtual ~Clock() = default;
    virtual MonoTime now() const = 0;
    virtual WallTime wall_now() const = 0;
};

class SystemClock final : public Clock {
public:
    MonoTime now() const override { return std::chrono::steady_clock::now(); }
    WallTime wall_now() const override { return std::chrono::system_clock::now(); }
};

// Starts at the steady epoch and at a fixed calendar time (2026-01-05 08:00 UTC, a Monday) so
// tests are reproducible; both advance together.
class FakeClock final : public Clock {
public:
    FakeClock() = default;
    explicit FakeClock(WallTime wall_start) : m_wall(wall_start) { }

    MonoTime now() const override { return m_mono; }
    WallTime wall_now() const override { return m_wall; }

    void advance(std::chrono::nanoseconds by)
    {
        m_mono += std::chrono::duration_cast<MonoTime::duration>(by);
        m_wall += std::chrono::duration_cast<WallTime::duration>(by);
    }
    void set_wall(WallTime wall) { m_wall = wall; }

private:
    MonoTime m_mono {};
    WallTime m_wall { std::chrono::sys_days { std::chrono::year { 2026 } / 1 / 5 } + std::chrono::hours { 8 } };
};

// A session clock that runs `speed` times faster than the real one from `origin` (rollcoach
// session --speed, rollcoach serve --speed: demos and tests). Every front-end that speeds a
// session up maps its times through this one type:
//
//   SpeedScale scale(clock.now(), 20.0);
//   machine.advance(scale.to_session(clock.now()));
//   timer.expires_at(scale.to_real(*machine.next_due()));
class SpeedScale {
public:
    SpeedScale() = default;
    SpeedScale(MonoTime origin, double speed) : m_origin(origin), m_speed(speed) { }

    MonoTime origin() const { return m_origin; }
    double speed() const { return m_speed; }

    // session = origin + (real - origin) * speed
    MonoTime to_session(MonoTime real) const
    {
        auto elapsed = std::chrono::duration<double, std::nano>(real - m_origin) * m_speed;
        return m_origin + std::chrono::duration_cast<MonoTime::duration>(elapsed);
    }
    // The real time at which the session clock reaches `session`, rounded up by a nanosecond so
    // a timer armed for it never fires before the session considers the moment due.
    MonoTime to_real(MonoTime session) const
    {
        auto elapsed = std::chrono::duration<double, std::nano>(session - m_origin) / m_speed;
        return m_origin + std::chrono::duration_cast<MonoTime::duration>(elapsed) + std::chrono::nanoseconds(1);
    }
    // A span of session time as real time.
    template<typename Duration>
    Duration real_span(Duration session_span) const
    {
        return std::chrono::duration_cast<Duration>(std::chrono::duration<double, typename Duration::period>(session_span) / m_speed);
    }

private:
    MonoTime m_origin {};
    double m_speed { 1.0 };
};

}
