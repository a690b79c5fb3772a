#include "journal/open_journal.h"

#include "common/paths.h"
#include "journal/sqlite_journal.h"

namespace rc::journal {

Result<std::unique_ptr<Journal>> open_journal(std::optional<std::filesystem::path> const& location, Purpose purpose)
{
    if (!location)
        return Error::invalid_argument("Cannot tell where the journal lives: neither XDG_DATA_HOME nor HOME is set. "
                                       "Pass --db PATH or set ROLLCOACH_DB.");
    Creation creation = Creation::MustExist;
    if (purpose == Purpose::Write)
        creation = location == default_journal_path() ? Creation::CreateIfMissing : Creation::CreateFileOnly;
    auto journal = SqliteJournal::open(*location, creation);
    if (!journal)
        return journal.error();
    return std::unique_ptr<Journal>(std::move(*journal));
}

}
