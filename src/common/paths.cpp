#include "common/paths.h"

#include <cstdlib>

namespace rc {

namespace {

std::optional<std::string> env(char const* name)
{
    if (char const* value = std::getenv(name); value && *value)
        return std::string(value);
    return std::nullopt;
}

}

std::filesystem::path shipped_data_dir()
{
    if (auto dir = env("ROLLCOACH_DATA_DIR"))
        return *dir;
    std::filesystem::path installed = ROLLCOACH_DATA_INSTALL_DIR;
    std::error_code ec;
    if (std::filesystem::exists(installed / "knowledge", ec))
        return installed;
    return std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "data";
}

std::filesystem::path shipped_web_dir()
{
    if (auto dir = env("ROLLCOACH_WEB_DIR"))
        return *dir;
    std::filesystem::path installed = std::filesystem::path(ROLLCOACH_DATA_INSTALL_DIR) / "web";
    std::error_code ec;
    if (std::filesystem::exists(installed / "index.html", ec))
        return installed;
    return std::filesystem::path(ROLLCOACH_SOURCE_DIR) / "web" / "dist";
}

std::optional<std::filesystem::path> default_journal_path()
{
    if (auto xdg = env("XDG_DATA_HOME"))
        return std::filesystem::path(*xdg) / "rollcoach" / "journal.db";
    if (auto home = env("HOME"))
        return std::filesystem::path(*home) / ".local" / "share" / "rollcoach" / "journal.db";
    return std::nullopt;
}

}
