// Hostile input at the HTTP layer (issue 11): exact Host and Origin checks, bearer tokens in any
// case, invalid UTF-8 and overlong escapes in a target, and no internal text in any answer.
// Pure: the Gateway is driven directly, no sockets.
#include "server/access_policy.h"
#include "server/gateway.h"
#include "server/http_types.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck/gtest.h>

namespace rc::server {

namespace {

class EchoApi final : public RequestHandler {
public:
    HttpResponse handle(HttpRequest const& request) override
    {
        if (request.path == "/api/throw")
            throw std::runtime_error("internal-detail: json.exception.out_of_range.406");
        if (request.path == "/api/throw-other")
            throw 42;
        if (request.path == "/api/bad-utf8")
            return json_response(200, { { "text", std::string("\xff\xfe") } });
        return json_response(200, { { "path", request.path } });
    }
};

HttpRequest request_to(std::string target, std::string host, Method method = Method::Get)
{
    HttpRequest request;
    request.method = method;
    request.target = std::move(target);
    request.headers["host"] = std::move(host);
    request.local_port = 8080;
    return request;
}

class GatewayTest : public ::testing::Test {
protected:
    Gateway make(std::string const& host = "127.0.0.1", std::optional<std::string> token = std::nullopt)
    {
        auto policy = AccessPolicy::for_host(host, token);
        EXPECT_TRUE(policy);
        return Gateway(*policy, StaticFiles(std::filesystem::temp_directory_path() / "rc-no-such-web-dir"), m_api, { "/ws/session" });
    }
    EchoApi m_api;
};

}

TEST(AccessPolicy, CallsLoopbackOnlyTheExactLoopbackNames)
{
    EXPECT_TRUE(AccessPolicy::is_loopback_host("127.0.0.1"));
    EXPECT_TRUE(AccessPolicy::is_loopback_host("127.255.0.254"));
    EXPECT_TRUE(AccessPolicy::is_loopback_host("localhost"));
    EXPECT_TRUE(AccessPolicy::is_loopback_host("::1"));
    EXPECT_TRUE(AccessPolicy::is_loopback_host("[::1]"));
    EXPECT_FALSE(AccessPolicy::is_loopback_host("127.0.0.1.evil.example"));
    EXPECT_FALSE(AccessPolicy::is_loopback_host("127.evil.example"));
    EXPECT_FALSE(AccessPolicy::is_loopback_host("127.0.0.256"));
    EXPECT_FALSE(AccessPolicy::is_loopback_host("127.1"));
    EXPECT_FALSE(AccessPolicy::is_loopback_host("128.0.0.1"));
    EXPECT_FALSE(AccessPolicy::is_loopback_host("localhost.evil.example"));
    EXPECT_FALSE(AccessPolicy::is_loopback_host(""));
}

TEST(AccessPolicy, ParsesAHostHeaderIntoANameAndAPort)
{
    EXPECT_EQ(parse_authority("127.0.0.1:8080"), (HostPort { "127.0.0.1", 8080 }));
    EXPECT_EQ(parse_authority("LocalHost"), (HostPort { "localhost", std::nullopt }));
    EXPECT_EQ(parse_authority("[::1]:9"), (HostPort { "[::1]", 9 }));
    for (auto const* bad : { "", ":8080", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:80x", "user@127.0.0.1:80",
             "127.0.0.1:80/path", "[::1", "[]:80", "[::1]x", "a b:80", "127.0.0.1:8080:1" })
        EXPECT_FALSE(parse_authority(bad)) << bad;
    EXPECT_EQ(parse_origin("http://127.0.0.1:8080"), (HostPort { "127.0.0.1", 8080 }));
    EXPECT_EQ(parse_origin("HTTPS://example.org:443"), (HostPort { "example.org", std::nullopt }));
    EXPECT_FALSE(parse_origin("null"));
    EXPECT_FALSE(parse_origin("ftp://127.0.0.1"));
    EXPECT_FALSE(parse_origin("http://127.0.0.1:8080/"));
}

TEST(AccessPolicy, OnLoopbackAnswersOnlyExactLoopbackNamesOnItsOwnPort)
{
    auto policy = AccessPolicy::for_host("127.0.0.1", std::nullopt);
    ASSERT_TRUE(policy);
    auto ok = [&](std::string host, uint16_t port = 8080) { return policy->addressed_to_us(&host, port); };
    EXPECT_TRUE(ok("127.0.0.1:8080"));
    EXPECT_TRUE(ok("localhost:8080"));
    EXPECT_TRUE(ok("LOCALHOST:8080"));
    EXPECT_TRUE(ok("[::1]:8080"));
    EXPECT_TRUE(ok("127.0.0.1", 80));   // no port written means 80
    EXPECT_FALSE(ok("127.0.0.1"));
    EXPECT_FALSE(ok("127.0.0.1:8081"));
    EXPECT_FALSE(ok("127.0.0.1.evil.example:8080"));   // the issue's DNS-rebinding reproduction
    EXPECT_FALSE(ok("127.0.0.2:8080"));
    EXPECT_FALSE(ok("evil.example:8080"));
    EXPECT_FALSE(ok("user@127.0.0.1:8080"));
    EXPECT_FALSE(policy->addressed_to_us(nullptr, 8080));

    auto other_loopback = AccessPolicy::for_host("127.0.0.2", std::nullopt);
    ASSERT_TRUE(other_loopback);
    std::string configured = "127.0.0.2:8080";
    EXPECT_TRUE(other_loopback->addressed_to_us(&configured, 8080));
    std::string neighbour = "127.0.0.3:8080";
    EXPECT_FALSE(other_loopback->addressed_to_us(&neighbour, 8080));
}

TEST(AccessPolicy, AcceptsTheBearerSchemeInAnyCase)
{
    auto policy = AccessPolicy::for_host("0.0.0.0", std::string("a-long-enough_token"));
    ASSERT_TRUE(policy);
    auto with = [&](std::string value) {
        HttpRequest request;
        request.headers["authorization"] = std::move(value);
        return policy->allows(request);
    };
    EXPECT_TRUE(with("Bearer a-long-enough_token"));
    EXPECT_TRUE(with("bearer a-long-enough_token"));
    EXPECT_TRUE(with("BEARER   a-long-enough_token"));
    EXPECT_FALSE(with("Basic a-long-enough_token"));
    EXPECT_FALSE(with("Bearera-long-enough_token"));
    EXPECT_FALSE(with("bearer a-long-enough_toke"));
    EXPECT_FALSE(with("bearer"));
    EXPECT_FALSE(with(""));
}

TEST(ParseTarget, RefusesInvalidUtf8AndOverlongEscapes)
{
    EXPECT_FALSE(parse_target("/%c0%ae%c0%ae/x"));   // overlong "." "."
    EXPECT_FALSE(parse_target("/api/kb/explain/%ff"));
    EXPECT_FALSE(parse_target("/%ed%a0%80"));   // a UTF-16 surrogate
    EXPECT_FALSE(parse_target("/%f4%90%80%80"));   // above U+10FFFF
    EXPECT_FALSE(parse_target("/%e2%82"));   // truncated
    EXPECT_FALSE(parse_target("/ok?text=%ff"));
    EXPECT_FALSE(parse_target("/ok?%c0%af=1"));
    auto accented = parse_target("/caf%C3%A9?q=%E2%82%AC");
    ASSERT_TRUE(accented);
    EXPECT_EQ(accented->first, "/caf\xc3\xa9");
    EXPECT_EQ(accented->second.at("q"), "\xe2\x82\xac");
}

RC_GTEST_PROP(Utf8, EveryEncodedCodePointIsValidAndEveryLoneContinuationByteIsNot, (uint32_t seed))
{
    uint32_t code = seed % 0x110000;
    RC_PRE(code < 0xd800 || code > 0xdfff);
    std::string text;
    if (code < 0x80) {
        text += static_cast<char>(code);
    } else if (code < 0x800) {
        text += static_cast<char>(0xc0 | (code >> 6));
        text += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
        text += static_cast<char>(0xe0 | (code >> 12));
        text += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        text += static_cast<char>(0x80 | (code & 0x3f));
    } else {
        text += static_cast<char>(0xf0 | (code >> 18));
        text += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
        text += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        text += static_cast<char>(0x80 | (code & 0x3f));
    }
    RC_ASSERT(is_valid_utf8(text));
    RC_ASSERT(!is_valid_utf8(text + "\x80"));
    if (text.size() > 1)
        RC_ASSERT(!is_valid_utf8(text.substr(0, text.size() - 1)));
}

TEST(JsonResponse, NeverThrowsOnInvalidUtf8)
{
    HttpResponse response;
    EXPECT_NO_THROW(response = json_response(200, { { "text", std::string("a\xff") } }));
    EXPECT_NO_THROW(response = error_response(400, "bad", std::string("\xc0\xae")));
    EXPECT_TRUE(nlohmann::json::accept(response.body));
}

TEST_F(GatewayTest, AnswersInvalidUtf8InAPathWith400AndNoInternalText)
{
    auto gateway = make();
    for (auto const* target : { "/%c0%ae%c0%ae/x", "/api/kb/explain/%ff", "/api/x?token=%ff" }) {
        auto response = gateway.handle(request_to(target, "127.0.0.1:8080"));
        EXPECT_EQ(response.status, 400) << target;
        EXPECT_EQ(response.body.find("exception"), std::string::npos) << response.body;
        EXPECT_TRUE(nlohmann::json::accept(response.body));
    }
}

TEST_F(GatewayTest, TurnsAThrowingHandlerIntoAGeneric500WithoutItsMessage)
{
    auto gateway = make();
    for (auto const* target : { "/api/throw", "/api/throw-other" }) {
        auto response = gateway.handle(request_to(target, "127.0.0.1:8080"));
        EXPECT_EQ(response.status, 500);
        EXPECT_EQ(response.body.find("internal-detail"), std::string::npos) << response.body;
        EXPECT_EQ(response.body.find("json.exception"), std::string::npos) << response.body;
        EXPECT_EQ(nlohmann::json::parse(response.body)["error"]["code"], "internal");
    }
    auto replaced = gateway.handle(request_to("/api/bad-utf8", "127.0.0.1:8080"));
    EXPECT_EQ(replaced.status, 200);
}

TEST_F(GatewayTest, RefusesTheRebindingHostOfTheIssueOnExportAndClearance)
{
    auto gateway = make();
    EXPECT_EQ(gateway.handle(request_to("/api/export?format=json", "127.0.0.1.evil.example:8080")).status, 403);
    auto clearance = request_to("/api/clearance", "127.0.0.1.evil.example:8080", Method::Post);
    clearance.headers["origin"] = "http://127.0.0.1.evil.example:8080";
    EXPECT_EQ(gateway.handle(clearance).status, 403);
    EXPECT_EQ(gateway.handle(request_to("/api/export?format=json", "127.0.0.1:8080")).status, 200);
    EXPECT_EQ(gateway.handle(request_to("/api/export?format=json", "127.0.0.1:9999")).status, 403);
}

TEST_F(GatewayTest, ChecksTheOriginExactlyAgainstTheHost)
{
    auto gateway = make();
    auto post_from = [&](std::string origin, std::string host = "127.0.0.1:8080") {
        auto request = request_to("/api/profile", std::move(host), Method::Post);
        request.headers["origin"] = std::move(origin);
        return gateway.handle(request).status;
    };
    EXPECT_EQ(post_from("http://127.0.0.1:8080"), 200);
    EXPECT_EQ(post_from("HTTP://127.0.0.1:8080"), 200);
    EXPECT_EQ(post_from("http://localhost:8080", "localhost:8080"), 200);
    EXPECT_EQ(post_from("http://127.0.0.1.evil.example:8080"), 403);
    EXPECT_EQ(post_from("http://127.0.0.1:8080.evil.example"), 403);
    EXPECT_EQ(post_from("http://localhost:8080"), 403);   // another origin than the page's
    EXPECT_EQ(post_from("http://127.0.0.1:9090"), 403);
    EXPECT_EQ(post_from("null"), 403);
    EXPECT_EQ(post_from("http://127.0.0.1:8080/x"), 403);
}

TEST_F(GatewayTest, InTokenModeAnswersAnyWellFormedHostButOnlyWithTheToken)
{
    auto gateway = make("0.0.0.0", std::string("a-long-enough_token"));
    auto request = request_to("/api/health", "192.168.1.20:8080");
    EXPECT_EQ(gateway.handle(request).status, 401);
    request.headers["authorization"] = "bearer a-long-enough_token";
    EXPECT_EQ(gateway.handle(request).status, 200);
    request.headers["host"] = "bad host";
    EXPECT_EQ(gateway.handle(request).status, 403);
}

TEST_F(GatewayTest, RefusesAWebSocketFromTheRebindingHost)
{
    auto gateway = make();
    auto request = request_to("/ws/session", "127.0.0.1.evil.example:8080");
    auto refusal = gateway.admit_websocket(request);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->status, 403);
    auto good = request_to("/ws/session", "127.0.0.1:8080");
    EXPECT_FALSE(gateway.admit_websocket(good));
    auto bad_utf8 = request_to("/ws/%ff", "127.0.0.1:8080");
    auto refused = gateway.admit_websocket(bad_utf8);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400);
}

}
