#include "server/access_policy.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fmt/core.h>
#include <sys/random.h>

namespace rc::server {

namespace {

char lower_ascii(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower_ascii(std::string_view text)
{
    std::string out(text);
    for (auto& c : out)
        c = lower_ascii(c);
    return out;
}

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

std::optional<uint16_t> parse_port(std::string_view text)
{
    if (text.empty() || text.size() > 5)
        return std::nullopt;
    unsigned value = 0;
    for (char c : text) {
        if (!is_digit(c))
            return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535)
        return std::nullopt;
    return static_cast<uint16_t>(value);
}

bool is_ipv4_loopback(std::string_view text)
{
    int parts = 0;
    size_t pos = 0;
    while (parts < 4) {
        size_t start = pos;
        unsigned value = 0;
        while (pos < text.size() && is_digit(text[pos]) && pos - start < 3)
            value = value * 10 + static_cast<unsigned>(text[pos++] - '0');
        if (pos == start || value > 255 || (parts == 0 && value != 127))
            return false;
        ++parts;
        if (parts < 4) {
            if (pos >= text.size() || text[pos] != '.')
                return false;
            ++pos;
        }
    }
    return pos == text.size();
}

// How a Host header names the configured listen address.
std::string host_header_name(std::string const& host)
{
    std::string name = lower_ascii(host);
    if (name.find(':') != std::string::npos && name.front() != '[')
        name = "[" + name + "]";
    return name;
}

}

std::optional<HostPort> parse_authority(std::string_view text)
{
    HostPort result;
    std::string_view rest;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos || close == 1)
            return std::nullopt;
        for (char c : text.substr(1, close - 1)) {
            if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.')
                return std::nullopt;
        }
        result.name = lower_ascii(text.substr(0, close + 1));
        rest = text.substr(close + 1);
    } else {
        auto colon = text.find(':');
        auto name = text.substr(0, colon);
        if (name.empty())
            return std::nullopt;
        for (char c : name) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_')
                return std::nullopt;
        }
        result.name = lower_ascii(name);
        rest = colon == std::string_view::npos ? std::string_view {} : text.substr(colon);
    }
    if (!rest.empty()) {
        if (rest.front() != ':')
            return std::nullopt;
        result.port = parse_port(rest.substr(1));
        if (!result.port)
            return std::nullopt;
    }
    return result;
}

std::optional<HostPort> parse_origin(std::string_view text)
{
    std::string lowered = lower_ascii(text.substr(0, 8));
    uint16_t default_port = 0;
    std::string_view authority;
    if (lowered.rfind("http://", 0) == 0) {
        default_port = 80;
        authority = text.substr(7);
    } else if (lowered.rfind("https://", 0) == 0) {
        default_port = 443;
        authority = text.substr(8);
    } else {
        return std::nullopt;
    }
    auto parsed = parse_authority(authority);
    if (parsed && parsed->port == default_port)
        parsed->port.reset();
    return parsed;
}

bool AccessPolicy::is_loopback_host(std::string_view host)
{
    auto name = lower_ascii(host);
    return name == "localhost" || name == "::1" || name == "[::1]" || is_ipv4_loopback(name);
}

bool AccessPolicy::addressed_to_us(std::string const* host_header, uint16_t local_port) const
{
    if (m_mode == AccessMode::TokenRequired || m_mode == AccessMode::Accounts)
        return !host_header || parse_authority(*host_header).has_value();
    if (!host_header)
        return false;
    auto host = parse_authority(*host_header);
    if (!host)
        return false;
    bool known_name = host->name == "127.0.0.1" || host->name == "localhost" || host->name == "[::1]"
        || host->name == m_configured_host;
    if (!known_name)
        return false;
    return local_port == 0 || host->port.value_or(80) == local_port;
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

Result<AccessPolicy> AccessPolicy::for_clinic(std::string const& host)
{
    if (is_loopback_host(host))
        return AccessPolicy(AccessMode::LoopbackOpen, {}, host_header_name(host));
    return AccessPolicy(AccessMode::Accounts, {}, host_header_name(host));
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
        return AccessPolicy(AccessMode::TokenRequired, *token, host_header_name(host));
    }
    if (is_loopback_host(host))
        return AccessPolicy(AccessMode::LoopbackOpen, {}, host_header_name(host));
    auto generated = generate_token();
    if (!generated)
        return generated.error();
    return AccessPolicy(AccessMode::TokenRequired, *generated, host_header_name(host));
}

bool AccessPolicy::matches(std::string_view candidate) const
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
    if (m_mode == AccessMode::LoopbackOpen || m_mode == AccessMode::Accounts)
        return true;
    if (auto const* token = request.find_query("token"); token && matches(*token))
        return true;
    if (auto const* auth = request.find_header("authorization")) {
        // RFC 9110: the scheme is case-insensitive; one or more spaces before the credentials.
        std::string_view value = *auth;
        auto space = value.find(' ');
        if (space != std::string_view::npos && lower_ascii(value.substr(0, space)) == "bearer") {
            auto credentials = value.substr(space);
            credentials.remove_prefix(std::min(credentials.find_first_not_of(' '), credentials.size()));
            while (!credentials.empty() && (credentials.back() == ' ' || credentials.back() == '\t'))
                credentials.remove_suffix(1);
            if (matches(credentials))
                return true;
        }
    }
    if (auto cookie = cookie_value(request, "rc_token"); cookie && matches(*cookie))
        return true;
    return false;
}

std::optional<std::string> AccessPolicy::cookie_for(HttpRequest const& request) const
{
    if (m_mode != AccessMode::TokenRequired)
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
