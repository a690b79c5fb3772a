// Who may use the server. On loopback (the default) everyone on this machine may, but only
// through an exact loopback address (127.0.0.1, localhost, [::1] or the configured host, with
// the port the request arrived on): a page whose own name resolves to 127.0.0.1 (DNS
// rebinding) sends its own name in Host and is refused. On any other address a random access
// token is required on every request: as ?token=, as "Authorization: Bearer" (any case), or as
// the rc_token cookie the server sets when a page is opened with a valid ?token=. Tokens come
// from the kernel's CSPRNG (getrandom) and are compared in constant time.
//
//   auto policy = AccessPolicy::for_host("0.0.0.0", std::nullopt);   // generates a token
//   if (!policy->addressed_to_us(host_header, local_port)) -> 403
//   if (!policy->allows(request)) -> 401
#pragma once

#include "common/result.h"
#include "server/http_types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rc::server {

// Accounts: clinic mode on a non-loopback address; every request is let through here because
// the clinic's logins (src/server/api_clinic.cpp) guard every route instead of one shared token.
enum class AccessMode { LoopbackOpen, TokenRequired, Accounts };

// A Host header or the authority of an Origin, parsed: the name lower-cased (an IPv6 address
// keeps its brackets) and the port when one was written. "127.0.0.1:8080" -> {"127.0.0.1", 8080}.
struct HostPort {
    std::string name;
    std::optional<uint16_t> port;
    bool operator==(HostPort const&) const = default;
};

// Nothing for an empty or malformed authority: user info, a path, a bad or out-of-range port,
// characters that cannot appear in a host name, an unclosed IPv6 bracket.
std::optional<HostPort> parse_authority(std::string_view text);

// "http://127.0.0.1:8080" -> {"127.0.0.1", 8080}; the default port of the scheme (80, 443) is
// dropped. Nothing for "null", another scheme, or anything after the authority.
std::optional<HostPort> parse_origin(std::string_view text);

class AccessPolicy {
public:
    // A loopback host ("127.x.y.z", "::1", "localhost") is open unless a token is given; any
    // other host requires a token, generated when none is given. A given token must be at
    // least 16 characters of [A-Za-z0-9_-].
    static Result<AccessPolicy> for_host(std::string const& host, std::optional<std::string> token);

    // Clinic mode: loopback hosts as for_host; any other host admits every well-formed request
    // to the API, whose logins decide (no shared token).
    static Result<AccessPolicy> for_clinic(std::string const& host);

    AccessMode mode() const { return m_mode; }
    std::string const& token() const { return m_token; }

    // Whether a request with this Host header, arriving on local_port, is addressed to this
    // server. Open loopback mode: the name must be exactly 127.0.0.1, localhost, [::1] or the
    // configured host, and the port the one the request arrived on (none written means 80).
    // local_port 0 means "unknown" (unit tests) and skips the port comparison. Token mode
    // answers any well-formed Host: the token is the defence there.
    bool addressed_to_us(std::string const* host_header, uint16_t local_port) const;

    bool allows(HttpRequest const& request) const;

    // When the request carried a valid ?token=, the Set-Cookie value that lets the page's own
    // follow-up requests (scripts, styles, fetches, the WebSocket) through.
    std::optional<std::string> cookie_for(HttpRequest const& request) const;

    // Exactly "localhost", "::1", "[::1]" or a dotted-quad IPv4 address in 127.0.0.0/8.
    static bool is_loopback_host(std::string_view host);

    // 32 lower-case hex characters (128 bits) from getrandom().
    static Result<std::string> generate_token();

private:
    AccessPolicy(AccessMode mode, std::string token, std::string configured_host)
        : m_mode(mode)
        , m_token(std::move(token))
        , m_configured_host(std::move(configured_host))
    {
    }
    bool matches(std::string_view candidate) const;

    AccessMode m_mode;
    std::string m_token;
    std::string m_configured_host;   // as a Host header names it: lower case, IPv6 in brackets
};

// The page shown instead of the app when a token is missing: plain HTML, no scripts.
HttpResponse token_required_response();

}
