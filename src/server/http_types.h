// The server's own view of an HTTP exchange, free of Boost.Beast: the Beast translation unit
// (http_server.cpp) converts to and from these, so routing, security and JSON handlers compile
// and are tested without Beast.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string_view>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace rc::server {

enum class Method { Get, Head, Post, Put, Delete, Other };

struct HttpRequest {
    Method method { Method::Get };
    std::string target;                          // as received: "/api/kb/zones?x=1"
    std::string path;                            // percent-decoded path: "/api/kb/zones"
    std::map<std::string, std::string> query;    // decoded query parameters
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    uint16_t local_port { 0 };                   // the port the connection arrived on; 0: unknown
    std::string remote_address;                  // the peer's IP address ("" when unknown: unit tests)

    std::string const* find_header(std::string const& lower_name) const;
    std::string const* find_query(std::string const& name) const;
};

// A file removed when this object is destroyed.
struct TemporaryFile {
    std::string path;
    ~TemporaryFile();
};

struct HttpResponse {
    int status { 200 };
    std::string content_type { "application/json" };
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;   // extra headers
    // A file to stream instead of body (static files); body is ignored when set.
    std::string file_path;
    // With file_path: the file is a spool made for this answer alone (an export). It is removed
    // when the last copy of the answer goes; the server has opened it by then if it was sent (an
    // open file stays readable on POSIX), so nothing is left behind either way.
    std::shared_ptr<TemporaryFile const> temporary_file;
};

// Splits a request target into its decoded path and query. Fails on a malformed percent
// escape, an embedded NUL, a decoded path or query that is not valid UTF-8 (overlong forms such
// as %c0%ae included), or a path that does not start with '/'. Every failure is a 400.
Result<std::pair<std::string, std::map<std::string, std::string>>> parse_target(std::string const& target);

// "%41b+c" -> "Ab c" (plus_is_space for query strings). Fails on a malformed escape or NUL.
Result<std::string> percent_decode(std::string const& text, bool plus_is_space);

std::string percent_encode(std::string const& text);

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// JSON helpers: every API answer is JSON, errors included. They never throw: a string that is
// not valid UTF-8 is written with U+FFFD in place of the bad bytes.
HttpResponse json_response(int status, nlohmann::json const& body);
// {"error": {"code": "invalid_argument", "message": "..."}} with the matching HTTP status.
HttpResponse error_response(Error const& error);
HttpResponse error_response(int status, std::string const& code, std::string const& message);
int http_status_for(ErrorCode code);

// The headers every response carries: a strict Content-Security-Policy, nosniff, no referrer,
// no framing.
std::vector<std::pair<std::string, std::string>> security_headers();

}
