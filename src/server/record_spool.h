// RecordSpool: finished sessions the journal refused (its database away, locked, read-only or
// full), kept on local disk until the journal takes them, so that a server killed meanwhile
// (SIGKILL, power loss) loses nothing it told the page it kept.
//
// One file per record in the spool directory, written to `<name>.tmp`, fsync'd, renamed to
// `<name>.json` and the directory fsync'd: once put() returns, the record survives a crash. The
// name is the journal's own identity of a session, its natural key (journal::SessionKey: start,
// end and end reason, the key the import's merge uses) plus the journal it belongs to, so the
// same record spooled twice is one file, and a replay writes it with
// coach::Coach::record_session_once, which stores nothing when the journal already has it (a
// write that committed just before the process died, before its file was removed). A file is
// removed only after the journal has committed its record.
//
// A file that cannot be read back (truncated, corrupt, a leftover .tmp of a put that never
// finished and so was never acknowledged) is moved into `corrupt/` with a log line naming it;
// it never stops the other records or the server's start-up.
//
// Held records: a record put by a live connection is held by it (it retries and tells its page
// "saved"); replay() writes only the records nobody holds: those released by a connection that
// closed, handed over by a session whose connection dropped, or left by a process that died.
// Holding is an flock on the file's open descriptor (taken before the file has its final name,
// dropped by the kernel when the process dies), so several servers of one database may share a
// spool directory and no record is ever written by two of them at once.
//
//   auto spool = TRY(RecordSpool::open(dir));
//   auto id = TRY(spool->put("", coach::to_journal_record(record)));    // then "pending"
//   ... spool->remove(id) once the journal has it, or spool->release(id) to leave it to replay().
#pragma once

#include "common/result.h"
#include "journal/records.h"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace rc::coach {
class Coach;
}

namespace rc::server {

// One spooled session: the journal it belongs to ("" for the server's one journal; in clinic mode
// the patient's journal schema) and the session in the journal's form, with its pain ratings.
struct SpooledSession {
    std::string id;   // the file's name without ".json"
    std::string journal;
    journal::SessionRecord session;
};

class RecordSpool {
public:
    // Creates the directory (mode 0700) if needed; a directory that cannot be made or written is
    // an error that names it and says what to do.
    static Result<std::shared_ptr<RecordSpool>> open(std::filesystem::path directory);
    ~RecordSpool();
    RecordSpool(RecordSpool const&) = delete;
    RecordSpool& operator=(RecordSpool const&) = delete;

    std::filesystem::path const& directory() const { return m_directory; }

    // Writes the record durably (file and directory fsync'd) and holds it for the caller. The
    // same record put again replaces its file. `journal` is "" or letters, digits and '_'.
    Result<std::string> put(std::string const& journal, journal::SessionRecord const& session);
    // After the journal committed the record: its file goes (and the directory is fsync'd).
    Result<void> remove(std::string const& id);
    // The holder gives the record up; replay() writes it.
    void release(std::string const& id);
    // A held record the journal refuses for good (not its database: the record itself) goes into
    // `corrupt/` with a log line, out of the others' way.
    void set_aside(std::string const& id, std::string const& why);

    // Every record nobody holds, read back and now held by the caller, oldest first. A file that
    // cannot be read back is moved aside (see the header) and not returned.
    std::vector<SpooledSession> claim();
    // The records in the spool, held or not.
    std::size_t size() const;
    // The files moved aside so far by this process.
    std::size_t moved_aside() const;

private:
    explicit RecordSpool(std::filesystem::path directory);
    void move_aside(std::filesystem::path const& file, std::string const& why);
    void release_locked(std::string const& id);
    std::optional<int> try_lock(std::filesystem::path const& file) const;

    std::filesystem::path m_directory;
    mutable std::mutex m_mutex;
    std::map<std::string, int> m_held;   // id -> the open descriptor holding its flock
    std::size_t m_moved_aside { 0 };
};

// A spool file's text, and reading it back (strict; every problem an error naming it, nothing
// thrown; the file's `id` must be the record's). Fuzzed: tests/fuzz/fuzz_spool_file.cpp.
std::string spool_file_text(std::string const& journal, journal::SessionRecord const& session);
Result<SpooledSession> parse_spool_file(std::string_view text, std::string const& id);

// The coach that writes the records of one journal ("" or a clinic patient's schema).
using SpoolCoachFinder = std::function<Result<std::shared_ptr<coach::Coach>>(std::string const& journal)>;

struct ReplayCount {
    std::size_t written { 0 };   // stored now, or found already stored (not twice)
    std::size_t kept { 0 };      // the journal still refuses them (away, locked, full): retried later
    std::size_t refused { 0 };   // refused for good (the record itself): moved aside
};

// Writes every record nobody holds through its journal's coach, removing each file after the
// journal committed it. Kept ones are released again for the next replay.
ReplayCount replay_spool(RecordSpool& spool, SpoolCoachFinder const& coach_for);

// The spool's background retry: replays at once (the server's start-up) and then every
// `interval`, on its own thread, until destroyed. Each replay that writes or keeps anything
// says so on stderr.
class SpoolReplayer {
public:
    SpoolReplayer(std::shared_ptr<RecordSpool> spool, SpoolCoachFinder coach_for, std::chrono::milliseconds interval);
    ~SpoolReplayer();
    SpoolReplayer(SpoolReplayer const&) = delete;
    SpoolReplayer& operator=(SpoolReplayer const&) = delete;

private:
    void run();

    std::shared_ptr<RecordSpool> m_spool;
    SpoolCoachFinder m_coach_for;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping { false };
    std::thread m_thread;
};

// A refusal worth retrying: the database or the disk, not the record itself.
bool retryable(Error const& error);

// Where `rollcoach serve` keeps its spool unless told: next to an SQLite journal file
// ("journal.db" -> "journal.db.spool/"); for a PostgreSQL journal (clinic mode) under the user's
// data directory, one folder per database address ($XDG_DATA_HOME/rollcoach/spool/<hash>, else
// ~/.local/share/rollcoach/spool/<hash>).
std::filesystem::path default_spool_directory(std::string const& journal_location);

}
