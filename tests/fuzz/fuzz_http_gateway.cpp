// libFuzzer target for the HTTP gateway without Beast: request-target parsing and
// percent-decoding, the Host/Origin/cookie/token checks of the access policy, static-file
// resolution and routing. The first byte picks the method, the policy (open loopback or token)
// and the port the request "arrived on"; the rest is split at '\n' into target, Host, Origin,
// Cookie and Authorization.
// Oracles from outside the code: a 2xx on open loopback only for one of the three exact
// loopback names with the right port; a served file always inside the web folder; every JSON
// answer parses; no internal exception text in any answer; decoded paths are valid UTF-8.
#include "fuzz_world.h"

#include "server/access_policy.h"
#include "server/gateway.h"
#include "server/http_types.h"

#include <cstddef>
#include <cstdint>
#include <fstream>

namespace {

using namespace rc::server;

class EchoApi final : public RequestHandler {
public:
    HttpResponse handle(HttpRequest const& request) override
    {
        nlohmann::json query = nlohmann::json::object();
        for (auto const& [key, value] : request.query)
            query[key] = value;
        return json_response(200, { { "path", request.path }, { "query", query } });
    }
};

struct Setup {
    std::filesystem::path root;
    EchoApi api;
    std::unique_ptr<Gateway> open;
    std::unique_ptr<Gateway> token;

    Setup()
    {
        root = rc::fuzz::scratch_dir() / "web";
        std::filesystem::create_directories(root / "assets");
        std::ofstream(root / "index.html") << "<!doctype html>";
        std::ofstream(root / "assets" / "app.js") << "1";
        std::ofstream(rc::fuzz::scratch_dir() / "secret.txt") << "secret";
        std::error_code ec;
        std::filesystem::create_symlink(rc::fuzz::scratch_dir() / "secret.txt", root / "link.txt", ec);
        auto open_policy = AccessPolicy::for_host("127.0.0.1", std::nullopt);
        auto token_policy = AccessPolicy::for_host("0.0.0.0", std::string("fuzz-token-0123456789"));
        if (!open_policy || !token_policy)
            std::abort();
        std::set<std::string> ws { "/ws/session" };
        open = std::make_unique<Gateway>(*open_policy, StaticFiles(root), api, ws);
        token = std::make_unique<Gateway>(*token_policy, StaticFiles(root), api, ws);
    }
};

std::string_view current_input;   // the whole input, so an answer may quote what the client sent

std::string lower(std::string_view text)
{
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void check(HttpResponse const& response, bool open_mode, std::string const* host, uint16_t port, Setup const& setup)
{
    if (response.status < 200 || response.status > 599)
        rc::fuzz::fail("status out of range", std::to_string(response.status));
    if (response.content_type == "application/json" && !nlohmann::json::accept(response.body))
        rc::fuzz::fail("a JSON answer does not parse", response.body);
    if (rc::fuzz::leaks_internal_text(response.body, current_input))
        rc::fuzz::fail("internal text in an answer", response.body);
    if (response.status >= 200 && response.status < 300) {
        if (open_mode) {
            std::string const suffix = ":" + std::to_string(port);
            std::string name = host ? lower(*host) : std::string();
            bool exact = name == "127.0.0.1" + suffix || name == "localhost" + suffix || name == "[::1]" + suffix
                || (port == 80 && (name == "127.0.0.1" || name == "localhost" || name == "[::1]"));
            if (!exact)
                rc::fuzz::fail("open loopback answered a request addressed elsewhere", name);
        }
        if (!response.file_path.empty() && response.file_path.rfind(setup.root.string() + "/", 0) != 0)
            rc::fuzz::fail("a file outside the web folder was served", response.file_path);
    }
}

}

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size)
{
    static Setup setup;
    if (size < 1)
        return 0;
    uint8_t const control = data[0];
    current_input = std::string_view(reinterpret_cast<char const*>(data), size);
    auto fields = rc::fuzz::split(std::string_view(reinterpret_cast<char const*>(data + 1), size - 1), '\n', 5);
    fields.resize(5);

    auto decoded = parse_target(std::string(fields[0]));
    if (decoded) {
        if (!is_valid_utf8(decoded->first) || decoded->first.find('\0') != std::string::npos)
            rc::fuzz::fail("parse_target accepted a path that is not clean UTF-8", fields[0]);
        for (auto const& [key, value] : decoded->second) {
            if (!is_valid_utf8(key) || !is_valid_utf8(value))
                rc::fuzz::fail("parse_target accepted a query that is not UTF-8", fields[0]);
        }
    }
    std::string raw(fields[0]);
    if (raw.find('\0') == std::string::npos) {
        auto round = percent_decode(percent_encode(raw), false);
        if (!round || *round != raw)
            rc::fuzz::fail("percent_encode then percent_decode changed the text", raw);
    }
    (void)parse_authority(fields[1]);
    (void)parse_origin(fields[2]);

    HttpRequest request;
    static constexpr Method methods[] = { Method::Get, Method::Head, Method::Post, Method::Put, Method::Delete, Method::Other };
    request.method = methods[(control & 0x07) % 6];
    request.target = raw;
    uint16_t const ports[] = { 8080, 80, 0, 65535 };
    request.local_port = ports[(control >> 4) & 0x03];
    char const* names[] = { "host", "origin", "cookie", "authorization" };
    for (size_t i = 0; i < 4; ++i) {
        if (!fields[i + 1].empty() || (control & 0x40))
            request.headers[names[i]] = std::string(fields[i + 1]);
    }
    bool const open_mode = (control & 0x08) == 0;
    Gateway& gateway = open_mode ? *setup.open : *setup.token;
    std::string const* host = request.find_header("host");
    std::optional<std::string> host_copy = host ? std::optional<std::string>(*host) : std::nullopt;

    uint16_t const port = request.local_port;
    HttpRequest upgrade = request;
    if (auto refusal = gateway.admit_websocket(upgrade))
        check(*refusal, false, nullptr, port, setup);
    auto response = gateway.handle(std::move(request));
    // With the port unknown (0) the gateway skips the port comparison: check the name only.
    check(response, open_mode && port != 0, host_copy ? &*host_copy : nullptr, port, setup);
    if (!open_mode && response.status >= 200 && response.status < 300) {
        std::string_view const token = "fuzz-token-0123456789";
        bool carried = (decoded && decoded->second.contains("token") && decoded->second.at("token") == token)
            || fields[3].find(token) != std::string_view::npos
            || fields[4].find(token) != std::string_view::npos;
        if (!carried)
            rc::fuzz::fail("token mode answered without the token", fields[0]);
    }
    return 0;
}
