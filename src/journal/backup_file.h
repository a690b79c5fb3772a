// A journal backup written the safe way, whatever the backend: the destination must not exist
// (a backup never overwrites a file) and its folder must; `write` fills a temporary file beside
// it (".NAME.partial-PID"), which is renamed into place only when `write` succeeded, so a backup
// interrupted half-way never looks complete. On any failure the temporary file is removed.
//
//   return write_backup_file(destination, [&](fs::path const& partial) -> Result<void> { ... });
#pragma once

#include "common/result.h"

#include <filesystem>
#include <functional>

namespace rc::journal {

Result<void> write_backup_file(std::filesystem::path const& destination,
    std::function<Result<void>(std::filesystem::path const& partial)> const& write);

}
