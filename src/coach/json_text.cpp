#include "coach/json_text.h"

#include <fmt/core.h>

namespace rc::coach {

Result<nlohmann::json> parse_json_text(std::string_view text, std::string_view what)
{
    if (text.empty())
        return Error::invalid_argument(fmt::format("{} is empty; send a JSON object", what));
    // nlohmann's lexer takes a byte 0 between tokens for the end of the text: `{"type": "start"}`
    // followed by a zero and anything at all was read as the object alone. JSON never holds a raw
    // byte 0 (inside a string it is written \u0000), so the whole text is refused.
    if (auto zero = text.find('\0'); zero != std::string_view::npos)
        return Error::invalid_argument(fmt::format("{} is not valid JSON (at byte {}: a zero byte): fix the syntax and send it again", what, zero + 1));
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
