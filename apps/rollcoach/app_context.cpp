#include "app_context.h"

#include "common/paths.h"
#include "tui/text_wrap.h"

#include <cstdlib>
#include <fstream>
#include <unistd.h>
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

Result<nlohmann::json> read_json_file(std::filesystem::path const& file, std::string_view what)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return Error::io(fmt::format("cannot read the {} file {}: check the path", what, file.string()));
    try {
        return nlohmann::json::parse(in);
    } catch (nlohmann::json::parse_error const& e) {
        return Error::invalid_data(fmt::format("{}: the {} file is not valid JSON (at byte {}): fix it and try again", file.string(), what, e.byte));
    } catch (nlohmann::json::exception const&) {
        return Error::invalid_data(fmt::format("{}: the {} file holds a number too large to read: fix it and try again", file.string(), what));
    }
}

void print_text(std::string_view text)
{
    static std::size_t const width = tui::terminal_columns().value_or(0);
    auto const wrapped = tui::wrap_words(text, width);
    std::fwrite(wrapped.data(), 1, wrapped.size(), stdout);
}

int report(Error const& error)
{
    // Wrapped at word boundaries on a terminal, as it is into a pipe or a file.
    auto const width = ::isatty(STDERR_FILENO) ? tui::terminal_columns().value_or(0) : 0;
    std::string text = fmt::format("rollcoach: {}\n", error.message);
    for (auto const& detail : error.details)
        text += fmt::format("  {}\n", detail);
    auto const wrapped = tui::wrap_words(text, width);
    std::fwrite(wrapped.data(), 1, wrapped.size(), stderr);
    switch (error.code) {
    case ErrorCode::InvalidArgument: return ExitCode::Usage;
    case ErrorCode::InvalidData: return ExitCode::InvalidData;
    case ErrorCode::Storage: return ExitCode::StorageError;
    case ErrorCode::Conflict: return ExitCode::Refused;
    default: return ExitCode::Failure;
    }
}

}
