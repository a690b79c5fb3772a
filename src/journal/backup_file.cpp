#include "journal/backup_file.h"

#include <fmt/core.h>
#include <unistd.h>

namespace rc::journal {

namespace fs = std::filesystem;

Result<void> write_backup_file(fs::path const& destination, std::function<Result<void>(fs::path const& partial)> const& write)
{
    std::error_code ec;
    if (fs::exists(destination, ec))
        return Error::conflict(fmt::format("{} already exists; rollcoach backup never overwrites a file. "
                                           "Choose a new name or remove the old file first.",
            destination.string()));
    auto directory = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
    if (!fs::is_directory(directory, ec))
        return Error::io(fmt::format("Cannot write the backup {}: the folder {} does not exist.", destination.string(),
            directory.string()));
    auto partial = directory / fmt::format(".{}.partial-{}", destination.filename().string(), ::getpid());
    fs::remove(partial, ec);
    if (auto written = write(partial); !written) {
        fs::remove(partial, ec);
        return written.error();
    }
    if (fs::exists(destination, ec)) {
        fs::remove(partial, ec);
        return Error::conflict(fmt::format("{} appeared while the backup was written; it was left alone.", destination.string()));
    }
    fs::rename(partial, destination, ec);
    if (ec) {
        fs::remove(partial, ec);
        return Error::io(fmt::format("Cannot write the backup {}: {}.", destination.string(), ec.message()));
    }
    return {};
}

}
