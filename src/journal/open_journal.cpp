#include "journal/open_journal.h"

#include "common/paths.h"
#include "journal/sqlite_journal.h"

namespace rc::journal {

Result<std::unique_ptr<Journal>> open_journal(std::optional<std::filesystem::path> const& location, Purpose purpose)
{
    if (!location)
        return Error::invalid_argument("Cannot tell where the journal lives: neither XDG_DATA_HOME nor HOME is set. "
                                       "Pass --db PATH or set ROLLCOACH_DB.");
    SqliteOptions options;
    options.creation = Creation::MustExist;
    options.mode = purpose == Purpose::Read ? OpenMode::ReadOnly : OpenMode::ReadWrite;
    if (purpose == Purpose::Write)
        options.creation = location == default_journal_path() ? Creation::CreateIfMissing : Creation::CreateFileOnly;
    return std::unique_ptr<Journal>(TRY(SqliteJournal::open(*location, std::move(options))));
}

}
