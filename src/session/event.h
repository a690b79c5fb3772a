// Event: what a user (or the camera) tells the session machine.
//
//   machine.step(now, Event::start());
//   machine.step(now, Event::start_at(2));                      // begin at the third step
//   machine.step(now, Event::pain(7));                          // -> a back-off cue
//   machine.step(now, Event::safety_event(kb::SafetyEvent::NumbnessOneLeg));   // -> stop
//   machine.step(now, Event::safety_event(kb::SafetyEvent::SharpPain, 8));  // pain counts too
//   machine.step(now, Event::form_check("too_fast", "Slow down: about 3 s per pass."));
#pragma once

#include "common/result.h"
#include "knowledge/safety.h"

#include <optional>
#include <string>
#include <string_view>

namespace rc::session {

enum class EventKind {
    Start,
    Pause,
    Resume,
    Skip,         // move on to the next part now
    Back,         // restart the current exercise (or go to the previous one near its start)
    TenderSpot,   // hold on this spot
    Pain,         // a pain rating 0-10
    BreathCheck,  // "how do I breathe?": a breathing cue now
    Safety,       // an in-session safety event (numbness, dizziness...)
    Quit,
    FormCheck,    // a form finding from the motion analyser
    Undo,         // take back the stop or quit just made (Caution and User stops, briefly)
    Acknowledge,  // the user has taken in the standing advice (Snapshot::advice): it may go
    Tick,         // nothing happened: only due cues
};

// "start", "pause", "resume", "skip", "back", "tender_spot", "pain", "breath_check", "safety",
// "quit", "form_check", "undo", "acknowledge", "tick".
char const* to_string(EventKind kind);
Result<EventKind> parse_event_kind(std::string_view text);

struct Event {
    EventKind kind { EventKind::Tick };
    int rating { 0 };                                    // Pain
    int from_step { 0 };                                 // Start: the plan step to begin at
    kb::SafetyEvent safety { kb::SafetyEvent::FeelsWrong };  // Safety
    std::optional<int> with_pain;                        // Safety: a pain rating given with it
    std::string code;                                    // FormCheck
    std::string message;                                 // FormCheck

    static Event of(EventKind kind)
    {
        Event e;
        e.kind = kind;
        return e;
    }
    static Event start() { return of(EventKind::Start); }
    // Starts at a later plan step (continuing a session the server lost): the steps before it are
    // neither completed nor skipped in this session's record.
    static Event start_at(int step)
    {
        Event e = of(EventKind::Start);
        e.from_step = step;
        return e;
    }
    static Event pause() { return of(EventKind::Pause); }
    static Event resume() { return of(EventKind::Resume); }
    static Event skip() { return of(EventKind::Skip); }
    static Event back() { return of(EventKind::Back); }
    static Event tender_spot() { return of(EventKind::TenderSpot); }
    static Event pain(int rating)
    {
        Event e = of(EventKind::Pain);
        e.rating = rating;
        return e;
    }
    static Event breath_check() { return of(EventKind::BreathCheck); }
    static Event safety_event(kb::SafetyEvent event, std::optional<int> pain = std::nullopt)
    {
        Event e = of(EventKind::Safety);
        e.safety = event;
        e.with_pain = pain;
        return e;
    }
    static Event quit() { return of(EventKind::Quit); }
    static Event form_check(std::string code, std::string message)
    {
        Event e = of(EventKind::FormCheck);
        e.code = std::move(code);
        e.message = std::move(message);
        return e;
    }
    static Event undo() { return of(EventKind::Undo); }
    static Event acknowledge() { return of(EventKind::Acknowledge); }
    static Event tick() { return of(EventKind::Tick); }

    bool operator==(Event const&) const = default;
};

}
