#include "knowledge/zone_names.h"

namespace rc::kb {

std::string_view plain_name(std::string_view name)
{
    auto trimmed = name;
    while (!trimmed.empty() && trimmed.back() == ' ')
        trimmed.remove_suffix(1);
    if (trimmed.empty() || trimmed.back() != ')')
        return name;
    auto open = trimmed.rfind('(');
    if (open == std::string_view::npos)
        return name;
    auto plain = trimmed.substr(0, open);
    while (!plain.empty() && plain.back() == ' ')
        plain.remove_suffix(1);
    return plain.empty() ? name : plain;
}

std::string_view plain_name(Zone const& zone) { return plain_name(zone.name); }

}
