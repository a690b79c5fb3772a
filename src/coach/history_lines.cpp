#include "coach/history_lines.h"

#include <fmt/core.h>
#include <optional>

namespace rc::coach {

namespace {

using nlohmann::json;

std::string minutes_text(std::int64_t seconds)
{
    return seconds < 60 ? fmt::format("{} s", seconds) : fmt::format("{} min", (seconds + 30) / 60);
}

template<typename T>
T field(json const& detail, char const* name, T fallback)
{
    auto it = detail.find(name);
    if (it == detail.end() || it->is_null())
        return fallback;
    try {
        return it->get<T>();
    } catch (json::exception const&) {
        return fallback;
    }
}

std::string session_line(json const& d)
{
    auto const reason = field<std::string>(d, "end_reason", "completed");
    auto const zones = field<std::string>(d, "zones", "");
    // -1: not rated (plain ints: GCC 12 warns wrongly about optionals formatted here).
    int const before = d.contains("pain_before") && d["pain_before"].is_number_integer() ? d["pain_before"].get<int>() : -1;
    int const after = d.contains("pain_after") && d["pain_after"].is_number_integer() ? d["pain_after"].get<int>() : -1;
    std::string pain;
    if (before >= 0 && after >= 0)
        pain = fmt::format(", pain {} -> {}", before, after);
    else if (before >= 0)
        pain = fmt::format(", pain before {}", before);
    else if (after >= 0)
        pain = fmt::format(", pain after {}", after);
    std::string ending = reason == "completed" ? "completed" : reason == "quit" ? "quit early" : "stopped for a warning sign";
    return fmt::format("session {}, {}{}{}", minutes_text(field<std::int64_t>(d, "seconds", 0)), ending,
        zones.empty() ? "" : fmt::format(" ({})", zones), pain);
}

std::string pain_line(json const& d)
{
    auto const moment = field<std::string>(d, "moment", "standalone");
    auto const note = field<std::string>(d, "note", "");
    std::string when;
    if (moment != "standalone") {
        when = fmt::format(" ({} session", moment);
        when += d.contains("session_id") && d["session_id"].is_number_integer() ? fmt::format(" {})", d["session_id"].get<std::int64_t>()) : ")";
    }
    return fmt::format("pain {}/10{}{}", field<int>(d, "value", 0), when, note.empty() ? "" : ": " + note);
}

}

std::string summary_line(journal::HistoryEntry const& entry)
{
    auto const& d = entry.detail;
    switch (entry.kind) {
    case journal::EntryKind::Session: return session_line(d);
    case journal::EntryKind::Pain: return pain_line(d);
    case journal::EntryKind::CheckIn:
        return fmt::format("next-day check-in: soreness {}/10{}", field<int>(d, "soreness", 0),
            field<bool>(d, "warning_sign", false) ? ", warning sign" : "");
    case journal::EntryKind::Note: return fmt::format("note: {}", field<std::string>(d, "text", ""));
    case journal::EntryKind::Screening: return fmt::format("screening: {}", field<std::string>(d, "tier", ""));
    case journal::EntryKind::Clearance: {
        auto const note = field<std::string>(d, "note", "");
        auto const terms = d.contains("clearance") && d["clearance"].is_object() ? d["clearance"] : nlohmann::json::object();
        if (terms.contains("by") && terms["by"].is_string() && terms.contains("covers") && terms["covers"].is_array()) {
            std::string covered;
            for (auto const& id : terms["covers"])
                covered += (covered.empty() ? "" : ", ") + (id.is_string() ? id.get<std::string>() : id.dump());
            return fmt::format("clinician's clearance: {} on {}, covers {} (until {}){}", terms["by"].get<std::string>(),
                field<std::string>(terms, "on", "?"), covered, field<std::string>(terms, "expires_on", "?"), note.empty() ? "" : ": " + note);
        }
        return fmt::format("cleared by a clinician{}", note.empty() ? "" : ": " + note);
    }
    }
    return {};
}

void describe(std::vector<journal::HistoryEntry>& entries)
{
    for (auto& entry : entries)
        entry.summary = summary_line(entry);
}

}
