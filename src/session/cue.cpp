#include "session/cue.h"

#include "common/enum_names.h"

#include <array>
#include <fmt/core.h>
#include <utility>

namespace rc::session {

namespace {

constexpr std::array kind_names {
    std::pair { CueKind::Prompt, "prompt" },
    std::pair { CueKind::Instruction, "instruction" },
    std::pair { CueKind::Countdown, "countdown" },
    std::pair { CueKind::Tempo, "tempo" },
    std::pair { CueKind::Breathing, "breathing" },
    std::pair { CueKind::HoldStart, "hold_start" },
    std::pair { CueKind::HoldEnd, "hold_end" },
    std::pair { CueKind::MoveOn, "move_on" },
    std::pair { CueKind::SideSwitch, "side_switch" },
    std::pair { CueKind::Transition, "transition" },
    std::pair { CueKind::Repetition, "repetition" },
    std::pair { CueKind::BackOff, "back_off" },
    std::pair { CueKind::Stop, "stop" },
    std::pair { CueKind::Paused, "paused" },
    std::pair { CueKind::Resumed, "resumed" },
    std::pair { CueKind::Form, "form" },
    std::pair { CueKind::Notice, "notice" },
    std::pair { CueKind::Done, "done" },
};

constexpr std::array priority_names {
    std::pair { Priority::Low, "low" },
    std::pair { Priority::Normal, "normal" },
    std::pair { Priority::High, "high" },
    std::pair { Priority::Urgent, "urgent" },
};

constexpr std::array stop_kind_names {
    std::pair { StopKind::None, "none" },
    std::pair { StopKind::Emergency, "emergency" },
    std::pair { StopKind::Warning, "warning" },
    std::pair { StopKind::Caution, "caution" },
    std::pair { StopKind::User, "user" },
};

}

char const* to_string(StopKind kind)
{
    return to_word(stop_kind_names, kind);
}

Result<StopKind> parse_stop_kind(std::string_view text)
{
    if (auto kind = from_word(stop_kind_names, text))
        return *kind;
    return Error::invalid_argument(fmt::format("unknown stop kind '{}': use none, emergency, warning, caution or user", text));
}

char const* to_string(CueKind kind)
{
    return to_word(kind_names, kind);
}

Result<CueKind> parse_cue_kind(std::string_view text)
{
    if (auto value = from_word(kind_names, text))
        return *value;
    return Error::invalid_argument(fmt::format("unknown cue kind '{}'", text));
}

char const* to_string(Priority priority)
{
    return to_word(priority_names, priority);
}

Result<Priority> parse_priority(std::string_view text)
{
    if (auto value = from_word(priority_names, text))
        return *value;
    return Error::invalid_argument(fmt::format("unknown priority '{}': use low, normal, high or urgent", text));
}

}
