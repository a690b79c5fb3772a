#include "knowledge/cross_references.h"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <map>

namespace rc::kb {

namespace {

char const* file_of(RefKind kind)
{
    switch (kind) {
    case RefKind::Source: return "sources.toml";
    case RefKind::Zone: return "zones.toml";
    case RefKind::Tool: return "tools.toml";
    case RefKind::Exercise: return "exercises.toml";
    }
    return "";
}

char const* noun_of(RefKind kind)
{
    switch (kind) {
    case RefKind::Source: return "source";
    case RefKind::Zone: return "zone";
    case RefKind::Tool: return "tool";
    case RefKind::Exercise: return "exercise";
    }
    return "";
}

std::vector<std::string> ids_of(auto const& items)
{
    std::vector<std::string> out;
    for (auto const& item : items)
        out.push_back(item.id);
    return out;
}

bool defined(KnowledgeBase const& kb, RefKind kind, std::string_view id)
{
    switch (kind) {
    case RefKind::Source: return kb.find_source(id) != nullptr;
    case RefKind::Zone: return kb.find_zone(id) != nullptr;
    case RefKind::Tool: return kb.find_tool(id) != nullptr;
    case RefKind::Exercise: return kb.find_exercise(id) != nullptr;
    }
    return false;
}

}

void check_references(std::vector<Reference> const& references, KnowledgeBase const& kb, ParsedFile const& parsed, Diagnostics& diagnostics)
{
    std::map<RefKind, std::vector<std::string>> candidates;
    auto candidates_for = [&](RefKind kind) -> std::vector<std::string> const& {
        auto& cached = candidates[kind];
        if (cached.empty()) {
            switch (kind) {
            case RefKind::Source: cached = ids_of(kb.sources); break;
            case RefKind::Zone: cached = ids_of(kb.zones); break;
            case RefKind::Tool: cached = ids_of(kb.tools); break;
            case RefKind::Exercise: cached = ids_of(kb.exercises); break;
            }
        }
        return cached;
    };
    for (auto const& ref : references) {
        if (defined(kb, ref.kind, ref.id))
            continue;
        if (!parsed(file_of(ref.kind)))
            continue;
        auto const& known = candidates_for(ref.kind);
        std::string fix = fmt::format("define it in {} or use one of: {}", file_of(ref.kind), fmt::join(known, ", "));
        if (auto near = closest_match(ref.id, known))
            fix = fmt::format("did you mean '{}'?", *near);
        diagnostics.add(ref.where, fmt::format("{}: {} '{}' is not defined in {}", ref.owner, noun_of(ref.kind), ref.id, file_of(ref.kind)), fix);
    }
}

}
