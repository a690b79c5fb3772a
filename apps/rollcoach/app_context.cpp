#include "app_context.h"

#include "common/paths.h"
#include "tui/text_wrap.h"

#include <chrono>
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

journal::LockWait AppContext::lock_wait() const
{
    using namespace std::chrono;
    journal::LockWait wait;
    if (char const* env = std::getenv("ROLLCOACH_JOURNAL_WAIT"); env && *env) {
        char* end = nullptr;
        double const given = std::strtod(env, &end);
        if (end != env && *end == '\0' && given >= 0 && given <= 24 * 3600)
            wait.limit = duration_cast<milliseconds>(duration<double>(given));
        else
            fmt::print(stderr, "rollcoach: ignoring ROLLCOACH_JOURNAL_WAIT={}: give a number of seconds (0 to 86400); "
                               "waiting up to {} s\n", env, duration_cast<seconds>(wait.limit).count());
    }
    // The journal only reports that it waits; what it means for the person is said here.
    auto const where = journal_path().value_or("the journal").string();
    wait.on_waiting = [where](milliseconds limit) {
        fmt::print(stderr, "rollcoach: the journal {} is busy: another program is writing to it (another rollcoach, such as "
                           "`rollcoach serve` or a session in another terminal). Waiting up to {} s; nothing is lost meanwhile.\n",
            where, (limit.count() + 999) / 1000);
        std::fflush(stderr);
    };
    wait.on_gave_up = [](milliseconds waited) {
        fmt::print(stderr, "rollcoach: gave up after {} s: the journal is still busy, and nothing was written to it. Let the "
                           "other rollcoach finish, or close it, then try again (ROLLCOACH_JOURNAL_WAIT=SECONDS waits longer).\n",
            (waited.count() + 500) / 1000);
        std::fflush(stderr);
    };
    return wait;
}

Result<std::unique_ptr<journal::Journal>> AppContext::open_journal(journal::Purpose purpose) const
{
    return journal::open_journal(journal_path(), purpose, lock_wait());
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
