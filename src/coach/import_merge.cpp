#include "coach/import_merge.h"

#include "journal/record_json.h"

#include <fmt/core.h>
#include <map>
#include <nlohmann/json.hpp>

namespace rc::coach {

using journal::CheckIn;
using journal::CheckInKey;
using journal::Clearance;
using journal::ClearanceKey;
using journal::Journal;
using journal::JournalContents;
using journal::Note;
using journal::NoteKey;
using journal::PainKey;
using journal::PainRating;
using journal::RecordId;
using journal::ScreeningKey;
using journal::ScreeningRecord;
using journal::SessionKey;
using journal::SessionRecord;

namespace {

// A record counts as already present when its natural key matches: the same time and the same
// defining values. Ids are not part of it: two journals number their records independently.
ScreeningKey key_of(ScreeningRecord const& s) { return { s.taken_at, s.tier, s.answers }; }
SessionKey key_of(SessionRecord const& s) { return { s.started_at, s.ended_at, s.end_reason }; }
PainKey key_of(PainRating const& r) { return { r.at, r.value, r.moment }; }
CheckInKey key_of(CheckIn const& c) { return { c.at, c.soreness }; }
NoteKey key_of(Note const& n) { return { n.at, n.text }; }
ClearanceKey key_of(Clearance const& c) { return { c.at }; }

std::optional<RecordId> remap(std::map<RecordId, RecordId> const& ids, std::optional<RecordId> id)
{
    if (!id)
        return std::nullopt;
    // parse_contents refused dangling references, so every referenced record was imported first.
    return ids.at(*id);
}

// Exact restore: the same ids, so references and a re-export are identical.
Result<ImportSummary> restore(Journal& journal, JournalContents const& contents)
{
    ImportSummary summary;
    if (contents.profile) {
        TRY(journal.save_profile(*contents.profile));
        ++summary.added;
    }
    auto store_all = [&](auto const& records) -> Result<void> {
        for (auto const& record : records) {
            TRY(journal.store(record, record.id));
            ++summary.added;
        }
        return {};
    };
    TRY(store_all(contents.screenings));
    TRY(store_all(contents.sessions));
    TRY(store_all(contents.pain_ratings));
    TRY(store_all(contents.checkins));
    TRY(store_all(contents.notes));
    TRY(store_all(contents.clearances));
    return summary;
}

// Merge: new ids for new records, references remapped, nothing already here is touched.
Result<ImportSummary> merge(Journal& journal, JournalContents const& contents)
{
    ImportSummary summary;
    // The id of the record in this journal: the one already there, or the one just stored.
    auto keep = [&](auto const& record) -> Result<RecordId> {
        if (auto found = TRY(journal.find_id(key_of(record)))) {
            ++summary.skipped;
            return *found;
        }
        ++summary.added;
        return journal.store(record, std::nullopt);
    };
    if (contents.profile) {
        auto current = TRY(journal.find_profile());
        // The newer profile wins; an older or equal one is already superseded here.
        if (!current || contents.profile->updated_at > current->updated_at) {
            TRY(journal.save_profile(*contents.profile));
            ++summary.added;
        } else {
            ++summary.skipped;
        }
    }
    std::map<RecordId, RecordId> screening_ids, session_ids;
    for (auto const& s : contents.screenings)
        screening_ids[s.id] = TRY(keep(s));
    for (auto s : contents.sessions) {
        s.screening_id = remap(screening_ids, s.screening_id);
        session_ids[s.id] = TRY(keep(s));
    }
    for (auto r : contents.pain_ratings) {
        r.session_id = remap(session_ids, r.session_id);
        TRY(keep(r));
    }
    for (auto c : contents.checkins) {
        c.session_id = remap(session_ids, c.session_id);
        TRY(keep(c));
    }
    for (auto n : contents.notes) {
        n.session_id = remap(session_ids, n.session_id);
        TRY(keep(n));
    }
    for (auto const& c : contents.clearances)
        TRY(keep(c));
    return summary;
}

}

Result<ImportSummary> import_journal(Journal& journal, nlohmann::json const& document, ImportMode mode)
{
    auto const contents = TRY(rc::journal::parse_contents(document));
    ImportSummary summary;
    TRY(journal.in_write_transaction([&]() -> Result<void> {
        auto existing = TRY(journal.count_records());
        if (existing > 0 && mode == ImportMode::RefuseIfNotEmpty)
            return Error::conflict(fmt::format("The journal already holds {} records, so the import was not applied. "
                                               "Import into a new journal (--db NEW_FILE), or pass --merge to add the "
                                               "records it does not have yet.",
                existing));
        summary = existing == 0 ? TRY(restore(journal, contents)) : TRY(merge(journal, contents));
        return {};
    }));
    return summary;
}

}
