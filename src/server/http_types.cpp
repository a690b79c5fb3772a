#include "server/http_types.h"

#include <cctype>
#include <filesystem>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace rc::server {

TemporaryFile::~TemporaryFile()
{
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
}

std::string const* HttpRequest::find_header(std::string const& lower_name) const
{
    auto it = headers.find(lower_name);
    return it == headers.end() ? nullptr : &it->second;
}

std::string const* HttpRequest::find_query(std::string const& name) const
{
    auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
}

namespace {

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}

Result<std::string> percent_decode(std::string const& text, bool plus_is_space)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size())
                return Error::invalid_argument(fmt::format("malformed percent escape at position {} of the URL", i));
            int hi = hex_value(text[i + 1]);
            int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0)
                return Error::invalid_argument(fmt::format("malformed percent escape at position {} of the URL", i));
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == '\0')
            return Error::invalid_argument("the URL contains a NUL character");
        out.push_back(c);
    }
    return out;
}

bool is_valid_utf8(std::string_view text)
{
    size_t i = 0;
    while (i < text.size()) {
        auto byte = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
        unsigned char lead = byte(i);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        size_t length;
        uint32_t code;
        uint32_t minimum;
        if ((lead & 0xe0) == 0xc0) {
            length = 2, code = lead & 0x1f, minimum = 0x80;
        } else if ((lead & 0xf0) == 0xe0) {
            length = 3, code = lead & 0x0f, minimum = 0x800;
        } else if ((lead & 0xf8) == 0xf0) {
            length = 4, code = lead & 0x07, minimum = 0x10000;
        } else {
            return false;
        }
        if (i + length > text.size())
            return false;
        for (size_t k = 1; k < length; ++k) {
            if ((byte(i + k) & 0xc0) != 0x80)
                return false;
            code = (code << 6) | (byte(i + k) & 0x3f);
        }
        if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
            return false;
        i += length;
    }
    return true;
}

std::string percent_encode(std::string const& text)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
    }
    return out;
}

Result<std::pair<std::string, std::map<std::string, std::string>>> parse_target(std::string const& target)
{
    if (target.empty() || target.front() != '/')
        return Error::invalid_argument("the request target must start with '/'");
    auto question = target.find('?');
    auto raw_path = target.substr(0, question);
    auto path = percent_decode(raw_path, false);
    if (!path)
        return path.error();
    if (!is_valid_utf8(*path))
        return Error::invalid_argument("the URL's path is not valid UTF-8 once its %-escapes are decoded");
    std::map<std::string, std::string> query;
    if (question != std::string::npos) {
        std::string rest = target.substr(question + 1);
        size_t start = 0;
        while (start <= rest.size()) {
            auto amp = rest.find('&', start);
            auto part = rest.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
            if (!part.empty()) {
                auto eq = part.find('=');
                auto key = percent_decode(part.substr(0, eq), true);
                if (!key)
                    return key.error();
                std::string value;
                if (eq != std::string::npos) {
                    auto decoded = percent_decode(part.substr(eq + 1), true);
                    if (!decoded)
                        return decoded.error();
                    value = std::move(*decoded);
                }
                if (!is_valid_utf8(*key) || !is_valid_utf8(value))
                    return Error::invalid_argument("a query parameter is not valid UTF-8 once its %-escapes are decoded");
                query.emplace(std::move(*key), std::move(value));
            }
            if (amp == std::string::npos)
                break;
            start = amp + 1;
        }
    }
    return std::pair { std::move(*path), std::move(query) };
}

HttpResponse json_response(int status, nlohmann::json const& body)
{
    HttpResponse response;
    response.status = status;
    response.content_type = "application/json";
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

int http_status_for(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::InvalidData: return 422;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::Unsupported: return 501;
    case ErrorCode::Io:
    case ErrorCode::Storage:
    case ErrorCode::Internal: return 500;
    }
    return 500;
}

HttpResponse error_response(int status, std::string const& code, std::string const& message)
{
    return json_response(status, { { "error", { { "code", code }, { "message", message } } } });
}

HttpResponse error_response(Error const& error)
{
    std::string code = to_string(error.code);   // "invalid-argument" -> "invalid_argument", like every other code here
    for (auto& c : code)
        c = c == '-' ? '_' : c;
    nlohmann::json body = { { "error", { { "code", code }, { "message", error.message } } } };
    if (!error.details.empty())
        body["error"]["details"] = error.details;
    return json_response(http_status_for(error.code), body);
}

std::vector<std::pair<std::string, std::string>> security_headers()
{
    return {
        { "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
            "font-src 'self'; connect-src 'self'; media-src 'self' blob:; worker-src 'self'; "
            "manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'" },
        { "X-Content-Type-Options", "nosniff" },
        { "Referrer-Policy", "no-referrer" },
        { "X-Frame-Options", "DENY" },
        { "Cross-Origin-Opener-Policy", "same-origin" },
        { "Cross-Origin-Resource-Policy", "same-origin" },
        { "Permissions-Policy", "geolocation=(), microphone=(), payment=()" },
    };
}

}
