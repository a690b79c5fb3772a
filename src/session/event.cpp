#include "session/event.h"

#include "common/echo.h"
#include "common/enum_names.h"

#include <array>
#include <fmt/core.h>
#include <utility>

namespace rc::session {

namespace {

constexpr std::array event_names {
    std::pair { EventKind::Start, "start" },
    std::pair { EventKind::Pause, "pause" },
    std::pair { EventKind::Resume, "resume" },
    std::pair { EventKind::Skip, "skip" },
    std::pair { EventKind::Back, "back" },
    std::pair { EventKind::TenderSpot, "tender_spot" },
    std::pair { EventKind::Pain, "pain" },
    std::pair { EventKind::BreathCheck, "breath_check" },
    std::pair { EventKind::Safety, "safety" },
    std::pair { EventKind::Quit, "quit" },
    std::pair { EventKind::FormCheck, "form_check" },
    std::pair { EventKind::Undo, "undo" },
    std::pair { EventKind::Acknowledge, "acknowledge" },
    std::pair { EventKind::Tick, "tick" },
};

}

char const* to_string(EventKind kind)
{
    return to_word(event_names, kind);
}

Result<EventKind> parse_event_kind(std::string_view text)
{
    if (auto value = from_word(event_names, text))
        return *value;
    return Error::invalid_argument(fmt::format("unknown event type '{}': use one of {}", echo_excerpt(text), word_list(event_names)));
}

}
