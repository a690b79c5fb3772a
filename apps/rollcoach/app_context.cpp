#include "app_context.h"

#include "common/paths.h"

#include <cstdlib>
#include <fmt/core.h>

namespace rc::app {

std::filesystem::path AppContext::knowledge_dir() const
{
    if (kb_dir)
        return *kb_dir;
    if (char const* env = std::getenv("ROLLCOACH_KB"); env && *env)
        return env;
    return shipped_data_dir() / "knowledge";
}

std::optional<std::filesystem::path> AppContext::journal_path() const
{
    if (db_path)
        return db_path;
    if (char const* env = std::getenv("ROLLCOACH_DB"); env && *env)
        return std::filesystem::path(env);
    return default_journal_path();
}

int report(Error const& error)
{
    fmt::print(stderr, "rollcoach: {}\n", error.message);
    for (auto const& detail : error.details)
        fmt::print(stderr, "  {}\n", detail);
    switch (error.code) {
    case ErrorCode::InvalidArgument: return ExitCode::Usage;
    case ErrorCode::InvalidData: return ExitCode::InvalidData;
    case ErrorCode::Storage: return ExitCode::StorageError;
    default: return ExitCode::Failure;
    }
}

}
