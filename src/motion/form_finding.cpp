#include "motion/form_finding.h"

#include <nlohmann/json.hpp>

namespace rc::motion {

std::string_view to_string(FindingCode code)
{
    switch (code) {
    case FindingCode::LumbarContact: return "lumbar_contact";
    case FindingCode::NearNeck: return "near_neck";
    case FindingCode::TooFast: return "too_fast";
    case FindingCode::HoldGood: return "hold_good";
    case FindingCode::HoldTooLong: return "hold_too_long";
    case FindingCode::HeadUnsupported: return "head_unsupported";
    case FindingCode::HipsDown: return "hips_down";
    case FindingCode::CameraFraming: return "camera_framing";
    }
    return "unknown";
}

std::string_view to_string(Severity severity)
{
    return severity == Severity::Warning ? "warning" : "info";
}

std::string_view message_for(FindingCode code)
{
    switch (code) {
    case FindingCode::LumbarContact: return "The roller is under your lower back. Push it back up toward your mid-back.";
    case FindingCode::NearNeck: return "You're close to your neck. Stop here and roll back down.";
    case FindingCode::TooFast: return "Slow down: take two to four seconds for each pass.";
    case FindingCode::HoldGood: return "Good hold on that spot. Keep breathing; a few more seconds is enough.";
    case FindingCode::HoldTooLong: return "That's long enough on this spot. Move on to the next one.";
    case FindingCode::HeadUnsupported: return "Put your hands behind your head to take the weight off your neck.";
    case FindingCode::HipsDown: return "Lift your hips an inch or two off the floor.";
    case FindingCode::CameraFraming: return "I can't see all of you. Put the phone at floor level, 2 to 3 metres away, so your whole side is in view.";
    }
    return "";
}

Severity severity_for(FindingCode code)
{
    switch (code) {
    case FindingCode::HoldGood:
    case FindingCode::CameraFraming: return Severity::Info;
    default: return Severity::Warning;
    }
}

void to_json(nlohmann::json& out, FormFinding const& finding)
{
    out = nlohmann::json {
        { "code", to_string(finding.code) },
        { "severity", to_string(finding.severity) },
        { "message", finding.message },
        { "t", static_cast<double>(finding.at.count()) / 1e6 },
    };
}

}
