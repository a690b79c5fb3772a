#include "journal/migrations.h"

#include <algorithm>
#include <charconv>
#include <fmt/core.h>
#include <fstream>
#include <sstream>

namespace rc::journal {

Result<std::vector<Migration>> load_migrations(std::filesystem::path const& directory)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec))
        return Error::not_found(fmt::format("No migrations directory at {}: reinstall rollcoach or set ROLLCOACH_DATA_DIR.",
            directory.string()));
    std::vector<Migration> migrations;
    for (auto const& entry : std::filesystem::directory_iterator(directory, ec)) {
        auto name = entry.path().filename().string();
        if (entry.path().extension() != ".sql")
            continue;
        int version = 0;
        auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), version);
        if (error != std::errc {} || end == name.data() || *end != '_' || version <= 0)
            return Error::invalid_data(fmt::format("{}: a migration file name must start with its version, like 0003_add_x.sql.",
                entry.path().string()));
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in)
            return Error::io(fmt::format("Could not read {}.", entry.path().string()));
        migrations.push_back({ version, name, text.str() });
    }
    if (ec)
        return Error::io(fmt::format("Could not list {}: {}.", directory.string(), ec.message()));
    std::sort(migrations.begin(), migrations.end(), [](auto const& a, auto const& b) { return a.version < b.version; });
    for (std::size_t i = 0; i < migrations.size(); ++i)
        if (migrations[i].version != int(i) + 1)
            return Error::invalid_data(fmt::format("{}: expected migration number {} here; migrations are numbered 1, 2, 3... without gaps or repeats.",
                (directory / migrations[i].name).string(), i + 1));
    return migrations;
}

int latest_schema_version(std::vector<Migration> const& migrations)
{
    return migrations.empty() ? 0 : migrations.back().version;
}

}
