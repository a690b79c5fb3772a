// Untrusted JSON text (an HTTP body, a WebSocket message) to a document, as a Result. Nothing
// nlohmann throws gets out: malformed text, a number too large for a double (1e400), a raw zero
// byte (which nlohmann would take for the end of the text) and an empty body are all an
// InvalidArgument whose message says where and what to send instead, without the library's
// internal wording. Every JSON body and message the server reads goes through it.
//
//   auto document = TRY(coach::parse_json_text(request.body, "the request body"));
#pragma once

#include "common/result.h"

#include <nlohmann/json.hpp>
#include <string_view>

namespace rc::coach {

Result<nlohmann::json> parse_json_text(std::string_view text, std::string_view what);

}
