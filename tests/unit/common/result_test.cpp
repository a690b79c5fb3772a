#include "common/result.h"

#include <gtest/gtest.h>
#include <memory>

using namespace rc;

namespace {

Result<int> parse_positive(int value)
{
    if (value <= 0)
        return Error::invalid_argument("the value must be positive");
    return value;
}

}

TEST(Result, HoldsAValueWhenTheWorkSucceeds)
{
    auto result = parse_positive(4);
    ASSERT_TRUE(result);
    EXPECT_EQ(*result, 4);
    EXPECT_EQ(result.value_or(9), 4);
}

TEST(Result, HoldsTheErrorWhenTheWorkFails)
{
    auto result = parse_positive(-1);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(result.error().message, "the value must be positive");
    EXPECT_EQ(result.value_or(9), 9);
}

TEST(Result, MovesOutValuesThatCannotBeCopied)
{
    Result<std::unique_ptr<int>> result = std::make_unique<int>(7);
    std::unique_ptr<int> taken = std::move(result).value();
    EXPECT_EQ(*taken, 7);
}

TEST(Result, VoidResultReportsSuccessOrError)
{
    Result<void> ok;
    EXPECT_TRUE(ok);
    Result<void> failed = Error::io("disk full");
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::Io);
}

TEST(Error, FullMessageListsEveryDetailOnItsOwnLine)
{
    Error error = Error::invalid_data("the knowledge base is invalid (2 problems)");
    error.details = { "zones.toml:3:1: a", "tools.toml:9:5: b" };
    EXPECT_EQ(error.full_message(), "the knowledge base is invalid (2 problems)\nzones.toml:3:1: a\ntools.toml:9:5: b");
    EXPECT_STREQ(to_string(error.code), "invalid-data");
}
