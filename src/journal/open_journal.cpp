#include "journal/open_journal.h"

#include "common/paths.h"
#include "journal/postgres_journal.h"
#include "journal/sqlite_journal.h"

namespace rc::journal {

Result<std::unique_ptr<Journal>> open_journal(std::optional<std::filesystem::path> const& location, Purpose purpose,
    LockWait lock_wait)
{
    if (!location)
        return Error::invalid_argument("Cannot tell where the journal lives: neither XDG_DATA_HOME nor HOME is set. "
                                       "Pass --db PATH or set ROLLCOACH_DB.");
    auto const mode = purpose == Purpose::Read ? OpenMode::ReadOnly : OpenMode::ReadWrite;
    if (is_postgres_location(location->string())) {
        PostgresOptions options;
        options.mode = mode;
        options.creation = purpose == Purpose::Write ? Creation::CreateIfMissing : Creation::MustExist;
        return std::unique_ptr<Journal>(TRY(PostgresJournal::open(location->string(), std::move(options))));
    }
    SqliteOptions options;
    options.creation = Creation::MustExist;
    options.mode = mode;
    options.lock_wait = std::move(lock_wait);
    if (purpose == Purpose::Write)
        options.creation = location == default_journal_path() ? Creation::CreateIfMissing : Creation::CreateFileOnly;
    return std::unique_ptr<Journal>(TRY(SqliteJournal::open(*location, std::move(options))));
}

}
