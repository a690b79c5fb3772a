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

namespace {

Result<int> doubled_positive(int value)
{
    int checked = TRY(parse_positive(value));
    return checked * 2;
}

Result<void> require_positive(int value)
{
    if (value <= 0)
        return Error::invalid_argument("not positive");
    return {};
}

Result<int> checked_then_one(int value)
{
    TRY(require_positive(value));
    return 1;
}

}

TEST(Result, TryYieldsTheValueAndCarriesOn)
{
    auto result = doubled_positive(4);
    ASSERT_TRUE(result);
    EXPECT_EQ(*result, 8);
}

TEST(Result, TryReturnsTheErrorEarly)
{
    auto result = doubled_positive(-3);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "the value must be positive");
    EXPECT_FALSE(checked_then_one(0));
    EXPECT_EQ(*checked_then_one(2), 1);
}
