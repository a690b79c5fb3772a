// The one plain-language line for each journal entry (`rollcoach history`, /api/history):
// "session 10 min, completed (glutes, thoracic_spine), pain 5 -> 3". Made from the typed fields
// a backend returns in HistoryEntry::detail, so a backend only reads and never words anything.
#pragma once

#include "journal/records.h"

#include <string>
#include <vector>

namespace rc::coach {

std::string summary_line(journal::HistoryEntry const& entry);

// Fills every entry's summary.
void describe(std::vector<journal::HistoryEntry>& entries);

}
