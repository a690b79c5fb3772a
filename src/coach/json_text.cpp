#include "coach/json_text.h"

#include <fmt/core.h>

namespace rc::coach {

Result<nlohmann::json> parse_json_text(std::string_view text, std::string_view what)
{
    if (text.empty())
        return Error::invalid_argument(fmt::format("{} is empty; send a JSON object", what));
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (nlohmann::json::parse_error const& e) {
        return Error::invalid_argument(fmt::format("{} is not valid JSON (at byte {}): fix the syntax and send it again", what, e.byte));
    } catch (nlohmann::json::exception const&) {
        // The only other failure while parsing: a number beyond a double's range.
        return Error::invalid_argument(fmt::format("{} holds a number too large to read; send numbers in their usual range", what));
    }
}

}
