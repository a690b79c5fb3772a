// Importing a journal export (rollcoach import, and any API import): restore it exactly into an
// empty journal, or merge it into one that already holds records. The decisions are here, once:
// what counts as a record already present (its natural key), which profile wins, how the
// imported ids map to the journal's. A journal backend only stores and looks up.
//
//   auto summary = TRY(coach::import_journal(journal, document, ImportMode::Merge));
//   fmt::print("{} added, {} already there\n", summary.added, summary.skipped);
#pragma once

#include "common/result.h"
#include "journal/journal.h"

#include <nlohmann/json_fwd.hpp>

namespace rc::coach {

// Into a journal that already holds records: refuse, or add what is not there yet.
enum class ImportMode { RefuseIfNotEmpty, Merge };

struct ImportSummary {
    int added { 0 };        // records written
    int skipped { 0 };      // records already present (merge only)
};

// document: the JSON of `rollcoach export --format json` (docs/journal.md). All or nothing: a
// refused or failed import writes no record. Restoring into an empty journal keeps the ids, so a
// re-export is identical; merging gives new records new ids and remaps their references, and
// importing the same document twice adds nothing the second time.
Result<ImportSummary> import_journal(journal::Journal& journal, nlohmann::json const& document, ImportMode mode);

}
