#include "server/guarded_call.h"

#include <utility>

namespace rc::server {

HttpResponse with_security_headers(HttpResponse response)
{
    for (auto& header : security_headers())
        response.headers.push_back(std::move(header));
    return response;
}

WsOutput internal_ws_error()
{
    WsOutput output;
    output.messages.emplace_back(R"({"type":"error","code":"internal","message":"the server could not handle that message; it has been logged and the session goes on"})");
    return output;
}

}
