#include "server/access_policy.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fmt/core.h>
#include <sys/random.h>

namespace rc::server {

bool AccessPolicy::is_loopback_host(std::string const& host)
{
    return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

Result<std::string> AccessPolicy::generate_token()
{
    unsigned char bytes[16];
    size_t filled = 0;
    while (filled < sizeof bytes) {
        ssize_t n = getrandom(bytes + filled, sizeof bytes - filled, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return Error::io(fmt::format("could not read random bytes for the access token: {}", std::strerror(errno)));
        }
        filled += static_cast<size_t>(n);
    }
    std::string token;
    for (unsigned char b : bytes)
        token += fmt::format("{:02x}", b);
    return token;
}

Result<AccessPolicy> AccessPolicy::for_host(std::string const& host, std::optional<std::string> token)
{
    if (token) {
        if (token->size() < 16)
            return Error::invalid_argument("--token must be at least 16 characters long (or leave it out to get a random one)");
        for (char c : *token) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
                return Error::invalid_argument("--token may only contain letters, digits, '-' and '_'");
        }
        return AccessPolicy(AccessMode::TokenRequired, *token);
    }
    if (is_loopback_host(host))
        return AccessPolicy(AccessMode::LoopbackOpen, {});
    auto generated = generate_token();
    if (!generated)
        return generated.error();
    return AccessPolicy(AccessMode::TokenRequired, *generated);
}

bool AccessPolicy::matches(std::string const& candidate) const
{
    // Constant time in the candidate's content: every byte is compared.
    if (candidate.size() != m_token.size())
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < candidate.size(); ++i)
        diff |= static_cast<unsigned char>(candidate[i] ^ m_token[i]);
    return diff == 0;
}

namespace {

std::optional<std::string> cookie_value(HttpRequest const& request, std::string const& name)
{
    auto const* header = request.find_header("cookie");
    if (!header)
        return std::nullopt;
    std::string const& cookies = *header;
    size_t pos = 0;
    while (pos < cookies.size()) {
        auto end = cookies.find(';', pos);
        auto part = cookies.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        auto first = part.find_first_not_of(' ');
        if (first != std::string::npos) {
            part = part.substr(first);
            if (part.rfind(name + "=", 0) == 0)
                return part.substr(name.size() + 1);
        }
        if (end == std::string::npos)
            break;
        pos = end + 1;
    }
    return std::nullopt;
}

}

bool AccessPolicy::allows(HttpRequest const& request) const
{
    if (m_mode == AccessMode::LoopbackOpen)
        return true;
    if (auto const* token = request.find_query("token"); token && matches(*token))
        return true;
    if (auto const* auth = request.find_header("authorization"); auth && auth->rfind("Bearer ", 0) == 0
        && matches(auth->substr(7)))
        return true;
    if (auto cookie = cookie_value(request, "rc_token"); cookie && matches(*cookie))
        return true;
    return false;
}

std::optional<std::string> AccessPolicy::cookie_for(HttpRequest const& request) const
{
    if (m_mode == AccessMode::LoopbackOpen)
        return std::nullopt;
    auto const* token = request.find_query("token");
    if (!token || !matches(*token))
        return std::nullopt;
    return fmt::format("rc_token={}; Path=/; HttpOnly; SameSite=Strict", m_token);
}

HttpResponse token_required_response()
{
    HttpResponse response;
    response.status = 401;
    response.content_type = "text/html; charset=utf-8";
    response.body = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>rollcoach: access token required</title></head>"
                    "<body><h1>Access token required</h1>"
                    "<p>This rollcoach server listens on your network, so it needs the access link it printed "
                    "when it started (the address ending in <code>?token=...</code>).</p>"
                    "<p>Open that exact link on this device, or restart with <code>rollcoach serve</code> "
                    "to use it on this computer only.</p></body></html>\n";
    return response;
}

}
