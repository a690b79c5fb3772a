// A form finding: what the analyser noticed, when, and a short message for the user. The
// session engine turns it into a cue (event `form_check{code, message}`).
//
// Codes: lumbar_contact, near_neck, too_fast, hold_good, hold_too_long, head_unsupported,
// hips_down, camera_framing. Messages are static strings: pushing frames never allocates for them.
#pragma once

#include "motion/landmarks.h"

#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace rc::motion {

enum class FindingCode { LumbarContact, NearNeck, TooFast, HoldGood, HoldTooLong, HeadUnsupported, HipsDown, CameraFraming };
inline constexpr int finding_code_count = 8;

enum class Severity { Info, Warning };

std::string_view to_string(FindingCode code);
std::string_view to_string(Severity severity);
// The user-facing sentence for a code.
std::string_view message_for(FindingCode code);
Severity severity_for(FindingCode code);

struct FormFinding {
    FindingCode code { FindingCode::CameraFraming };
    Severity severity { Severity::Info };
    std::string_view message;
    Timestamp at { 0 };

    static FormFinding make(FindingCode code, Timestamp at) { return { code, severity_for(code), message_for(code), at }; }
    bool operator==(FormFinding const&) const = default;
};

// {"code": "lumbar_contact", "severity": "warning", "message": "...", "t": 12.5}
void to_json(nlohmann::json& out, FormFinding const& finding);

}
