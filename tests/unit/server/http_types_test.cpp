#include "server/access_policy.h"
#include "server/http_types.h"
#include "server/router.h"
#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck/gtest.h>

namespace rc::server {

TEST(ParseTarget, DecodesPathAndQuery)
{
    auto parsed = parse_target("/api/kb/explain/no%5Flumbar?x=a+b&token=%41%42&flag");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->first, "/api/kb/explain/no_lumbar");
    EXPECT_EQ(parsed->second.at("x"), "a b");
    EXPECT_EQ(parsed->second.at("token"), "AB");
    EXPECT_EQ(parsed->second.at("flag"), "");
}

TEST(ParseTarget, RefusesMalformedEscapesNulAndRelativeTargets)
{
    EXPECT_FALSE(parse_target("/a%2"));
    EXPECT_FALSE(parse_target("/a%zz"));
    EXPECT_FALSE(parse_target("/a%00b"));
    EXPECT_FALSE(parse_target("relative"));
    EXPECT_FALSE(parse_target(""));
}

RC_GTEST_PROP(PercentCoding, EncodeThenDecodeGivesTheOriginalBack, (std::string const& text))
{
    RC_PRE(text.find('\0') == std::string::npos);
    auto decoded = percent_decode(percent_encode(text), false);
    RC_ASSERT(decoded.has_value());
    RC_ASSERT(*decoded == text);
}

TEST(AccessPolicy, LoopbackIsOpenWithoutAToken)
{
    auto policy = AccessPolicy::for_host("127.0.0.1", std::nullopt);
    ASSERT_TRUE(policy);
    EXPECT_EQ(policy->mode(), AccessMode::LoopbackOpen);
    EXPECT_TRUE(policy->allows(HttpRequest {}));
}

TEST(AccessPolicy, AnyOtherHostGetsARandomTokenAndRefusesRequestsWithoutIt)
{
    auto a = AccessPolicy::for_host("0.0.0.0", std::nullopt);
    auto b = AccessPolicy::for_host("192.168.1.20", std::nullopt);
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_EQ(a->mode(), AccessMode::TokenRequired);
    EXPECT_EQ(a->token().size(), 32u);
    EXPECT_NE(a->token(), b->token());
    EXPECT_FALSE(a->allows(HttpRequest {}));

    HttpRequest with_query;
    with_query.query["token"] = a->token();
    EXPECT_TRUE(a->allows(with_query));
    ASSERT_TRUE(a->cookie_for(with_query));
    EXPECT_NE(a->cookie_for(with_query)->find("HttpOnly"), std::string::npos);

    HttpRequest with_bearer;
    with_bearer.headers["authorization"] = "Bearer " + a->token();
    EXPECT_TRUE(a->allows(with_bearer));

    HttpRequest with_cookie;
    with_cookie.headers["cookie"] = "theme=dark; rc_token=" + a->token();
    EXPECT_TRUE(a->allows(with_cookie));

    HttpRequest wrong;
    wrong.query["token"] = std::string(32, '0');
    EXPECT_FALSE(a->allows(wrong));
    EXPECT_FALSE(a->cookie_for(wrong));
}

TEST(AccessPolicy, RefusesAShortOrOddlySpelledToken)
{
    EXPECT_FALSE(AccessPolicy::for_host("0.0.0.0", std::string("short")));
    EXPECT_FALSE(AccessPolicy::for_host("0.0.0.0", std::string("has spaces in it, sixteen+")));
    EXPECT_TRUE(AccessPolicy::for_host("127.0.0.1", std::string("a-long-enough_token")));
}

class StaticFilesTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_base = std::filesystem::temp_directory_path() / ("rc-static-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_base / "dist" / "assets");
        std::ofstream(m_base / "dist" / "index.html") << "<!doctype html>";
        std::ofstream(m_base / "dist" / "assets" / "app.js") << "1";
        std::ofstream(m_base / "secret.txt") << "secret";
        std::filesystem::create_symlink(m_base / "secret.txt", m_base / "dist" / "link.txt");
    }
    void TearDown() override { std::filesystem::remove_all(m_base); }
    std::filesystem::path m_base;
};

TEST_F(StaticFilesTest, ServesIndexForTheRootAndAssetsWithTheirType)
{
    StaticFiles files(m_base / "dist");
    auto index = files.serve("/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
    auto js = files.serve("/assets/app.js");
    EXPECT_EQ(js.status, 200);
    EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, RefusesEveryWayOutOfTheRoot)
{
    StaticFiles files(m_base / "dist");
    EXPECT_EQ(files.serve("/../secret.txt").status, 403);
    EXPECT_EQ(files.serve("/assets/../../secret.txt").status, 403);
    EXPECT_EQ(files.serve("/link.txt").status, 403);   // a symlink pointing outside
    EXPECT_EQ(files.serve("/a\\..\\secret.txt").status, 400);
    EXPECT_EQ(files.serve("/missing.js").status, 404);
}

TEST(Router, AnswersUnknownPaths404AndWrongMethods405)
{
    Router router;
    router.add(Method::Get, "/api/things/:id", [](HttpRequest const&, RouteParams const& params) {
        return json_response(200, { { "id", params.at("id") } });
    });
    HttpRequest request;
    request.path = "/api/things/7";
    auto found = router.dispatch(request);
    EXPECT_EQ(found.status, 200);
    EXPECT_EQ(nlohmann::json::parse(found.body)["id"], "7");
    request.method = Method::Post;
    EXPECT_EQ(router.dispatch(request).status, 405);
    request.path = "/api/nothing";
    EXPECT_EQ(router.dispatch(request).status, 404);
}

TEST(Router, TurnsAThrowingHandlerIntoA500)
{
    Router router;
    router.add(Method::Get, "/api/boom", [](HttpRequest const&, RouteParams const&) -> HttpResponse {
        throw std::runtime_error("kaboom");
    });
    HttpRequest request;
    request.path = "/api/boom";
    auto response = router.dispatch(request);
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body.find("kaboom"), std::string::npos) << "internal exception text must not reach the client";
    EXPECT_NE(response.body.find("unexpected error"), std::string::npos);
}

}
