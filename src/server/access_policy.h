// Who may use the server. On loopback (the default) everyone on this machine may; on any other
// address a random access token is required on every request: as ?token=, as
// "Authorization: Bearer", or as the rc_token cookie the server sets when a page is opened with
// a valid ?token=. Tokens come from the kernel's CSPRNG (getrandom) and are compared in
// constant time.
//
//   auto policy = AccessPolicy::for_host("0.0.0.0", std::nullopt);   // generates a token
//   if (!policy->allows(request)) -> 401
#pragma once

#include "common/result.h"
#include "server/http_types.h"

#include <optional>
#include <string>

namespace rc::server {

enum class AccessMode { LoopbackOpen, TokenRequired };

class AccessPolicy {
public:
    // A loopback host ("127.0.0.1", "::1", "localhost") is open unless a token is given; any
    // other host requires a token, generated when none is given. A given token must be at
    // least 16 characters of [A-Za-z0-9_-].
    static Result<AccessPolicy> for_host(std::string const& host, std::optional<std::string> token);

    AccessMode mode() const { return m_mode; }
    std::string const& token() const { return m_token; }

    bool allows(HttpRequest const& request) const;

    // When the request carried a valid ?token=, the Set-Cookie value that lets the page's own
    // follow-up requests (scripts, styles, fetches, the WebSocket) through.
    std::optional<std::string> cookie_for(HttpRequest const& request) const;

    static bool is_loopback_host(std::string const& host);

    // 32 lower-case hex characters (128 bits) from getrandom().
    static Result<std::string> generate_token();

private:
    AccessPolicy(AccessMode mode, std::string token) : m_mode(mode), m_token(std::move(token)) { }
    bool matches(std::string const& candidate) const;

    AccessMode m_mode;
    std::string m_token;
};

// The page shown instead of the app when a token is missing: plain HTML, no scripts.
HttpResponse token_required_response();

}
