#include "server/record_spool.h"

#include "coach/coach.h"
#include "common/paths.h"
#include "journal/postgres_journal.h"
#include "journal/record_json.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rc::server {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr char const* spool_format = "rollcoach-spool";
constexpr int spool_version = 1;

std::string errno_text(int error) { return std::strerror(error); }

bool plain_name(std::string const& text)
{
    return text.size() <= 63 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

long long epoch_ms(WallTime time) { return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count(); }

// The session's identity in the journal (journal::SessionKey, at the journal's millisecond
// precision) and the journal it belongs to.
std::string spool_id(std::string const& journal, journal::SessionRecord const& session)
{
    return fmt::format("{}-session-{}-{}-{}", journal.empty() ? "journal" : journal, epoch_ms(session.started_at), epoch_ms(session.ended_at),
        journal::to_string(session.end_reason));
}

Result<void> sync_directory(fs::path const& directory)
{
    int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return Error::io(fmt::format("cannot open the spool directory {} to sync it: {}", directory.string(), errno_text(errno)));
    int const synced = ::fsync(fd);
    int const error = errno;
    ::close(fd);
    if (synced != 0)
        return Error::io(fmt::format("cannot sync the spool directory {}: {}", directory.string(), errno_text(error)));
    return {};
}

// Writes all of `text` to a new file, locked (flock) before anything is in it, and syncs it;
// returns the open descriptor that holds the lock. The file is removed again on any failure.
Result<int> write_synced(fs::path const& file, std::string const& text)
{
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return Error::io(fmt::format("cannot write {}: {}", file.string(), errno_text(errno)));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int const error = errno;
        ::close(fd);
        return Error::io(fmt::format("cannot lock {}: {}", file.string(), errno_text(error)));
    }
    std::size_t done = 0;
    while (done < text.size()) {
        auto const n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int const error = errno;
            ::close(fd);
            ::unlink(file.c_str());
            return Error::io(fmt::format("cannot write {}: {}", file.string(), errno_text(error)));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        int const error = errno;
        ::close(fd);
        ::unlink(file.c_str());
        return Error::io(fmt::format("cannot sync {}: {}", file.string(), errno_text(error)));
    }
    return fd;
}

Result<std::string> read_all(int fd)
{
    std::string text;
    char buffer[16384];
    for (;;) {
        auto const n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::io(fmt::format("it cannot be read: {}", errno_text(errno)));
        if (n == 0)
            return text;
        text.append(buffer, static_cast<std::size_t>(n));
    }
}

Result<SpooledSession> read_spooled(fs::path const& file, int fd)
{
    auto text = TRY(read_all(fd));
    return parse_spool_file(text, file.stem().string());
}

}

std::string spool_file_text(std::string const& journal, journal::SessionRecord const& session)
{
    auto pain = json::array();
    for (auto const& rating : session.pain)
        pain.push_back(journal::to_json(rating));
    return json { { "format", spool_format }, { "version", spool_version }, { "journal", journal }, { "session", journal::to_json(session) },
        { "pain", pain } }
        .dump();
}

Result<SpooledSession> parse_spool_file(std::string_view text, std::string const& id)
{
    auto document = json::parse(text, nullptr, false);
    if (document.is_discarded())
        return Error::invalid_data("it is not complete JSON (truncated or corrupt)");
    // Every field's type is checked before it is read: json::value() throws on a wrong type.
    if (!document.is_object() || !document["format"].is_string() || document["format"] != spool_format
        || !document["version"].is_number_integer())
        return Error::invalid_data(fmt::format("it is not a {} file", spool_format));
    if (document["version"].get<int>() != spool_version)
        return Error::invalid_data(fmt::format("its version {} is not the {} this server reads", document["version"].dump(), spool_version));
    if (!document["journal"].is_string() || !plain_name(document["journal"].get<std::string>()))
        return Error::invalid_data("its \"journal\" is missing or not a plain name");
    if (!document["session"].is_object() || !document["pain"].is_array())
        return Error::invalid_data("it has no \"session\" object or no \"pain\" list");
    SpooledSession spooled;
    spooled.id = id;
    spooled.journal = document["journal"].get<std::string>();
    // The journal gives ids when it stores; a spooled record has none (0), which the export's
    // parsers, made for stored records, would refuse.
    auto without_id = [](json value) {
        if (value.is_object() && value["id"].is_number_integer() && value["id"] == 0)
            value["id"] = 1;
        return value;
    };
    spooled.session = TRY(journal::parse_session(without_id(document["session"]), "session"));
    spooled.session.id = 0;
    for (std::size_t i = 0; i < document["pain"].size(); ++i) {
        auto rating = TRY(journal::parse_pain(without_id(document["pain"][i]), fmt::format("pain[{}]", i)));
        rating.id = 0;
        spooled.session.pain.push_back(std::move(rating));
    }
    // The name is made from the record; a file renamed by hand, or a record changed inside it,
    // would defeat the "one file per record" rule.
    if (spool_id(spooled.journal, spooled.session) != spooled.id)
        return Error::invalid_data("its name does not match the record inside it");
    return spooled;
}

RecordSpool::RecordSpool(fs::path directory)
    : m_directory(std::move(directory))
{
}

RecordSpool::~RecordSpool()
{
    for (auto const& [id, fd] : m_held)
        ::close(fd);
}

Result<std::shared_ptr<RecordSpool>> RecordSpool::open(fs::path directory)
{
    auto const fix = "; choose another place with --spool-dir, or make it writable by this user";
    std::error_code error;
    bool const created = fs::create_directories(directory, error);
    if (error)
        return Error::io(fmt::format("cannot create the spool directory {}: {}{}", directory.string(), error.message(), fix));
    if (!fs::is_directory(directory))
        return Error::io(fmt::format("the spool location {} is not a directory{}", directory.string(), fix));
    if (created)
        fs::permissions(directory, fs::perms::owner_all, fs::perm_options::replace, error);   // records of health: this user only
    // A directory that takes no new file (read-only, another user's): found now, at start-up, not
    // when the first record needs it.
    auto const probe = directory / fmt::format(".probe-{}.tmp", ::getpid());
    auto written = write_synced(probe, "probe");
    if (!written)
        return Error::io(fmt::format("the spool directory {} takes no new file ({}){}", directory.string(), written.error().message, fix));
    ::close(*written);
    fs::remove(probe, error);
    return std::shared_ptr<RecordSpool>(new RecordSpool(std::move(directory)));
}

Result<std::string> RecordSpool::put(std::string const& journal, journal::SessionRecord const& session)
{
    if (!plain_name(journal))
        return Error::invalid_argument(fmt::format("a spooled record's journal must be a plain name, not '{}'", journal));
    auto const id = spool_id(journal, session);
    auto const text = spool_file_text(journal, session);
    std::lock_guard lock(m_mutex);
    auto const temporary = m_directory / fmt::format("{}.{}.tmp", id, ::getpid());
    auto const final_name = m_directory / (id + ".json");
    // Locked before it has a name another process could claim it by; the lock moves with the file.
    int const fd = TRY(write_synced(temporary, text));
    if (::rename(temporary.c_str(), final_name.c_str()) != 0) {
        int const error = errno;
        ::unlink(temporary.c_str());
        ::close(fd);
        return Error::io(fmt::format("cannot move {} into place: {}", final_name.string(), errno_text(error)));
    }
    if (auto synced = sync_directory(m_directory); !synced) {
        ::close(fd);
        return synced.error();
    }
    if (auto old = m_held.find(id); old != m_held.end())
        ::close(old->second);   // the same record put again: its earlier file was replaced
    m_held[id] = fd;
    return id;
}

Result<void> RecordSpool::remove(std::string const& id)
{
    std::lock_guard lock(m_mutex);
    auto const file = m_directory / (id + ".json");
    // Unlinked while still locked: a process waiting to claim it finds it gone (st_nlink 0).
    int const unlinked = ::unlink(file.c_str());
    int const error = errno;
    release_locked(id);
    if (unlinked != 0 && error != ENOENT)
        return Error::io(fmt::format("cannot remove the written record's spool file {}: {} (it will be found already written next time)",
            file.string(), errno_text(error)));
    return sync_directory(m_directory);
}

void RecordSpool::release(std::string const& id)
{
    std::lock_guard lock(m_mutex);
    release_locked(id);
}

void RecordSpool::release_locked(std::string const& id)
{
    if (auto it = m_held.find(id); it != m_held.end()) {
        ::close(it->second);
        m_held.erase(it);
    }
}

// The file, opened and locked, if nobody else holds it and it is still in the directory.
std::optional<int> RecordSpool::try_lock(fs::path const& file) const
{
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    struct stat status {};
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0 || ::fstat(fd, &status) != 0 || status.st_nlink == 0) {
        ::close(fd);
        return std::nullopt;
    }
    return fd;
}

void RecordSpool::move_aside(fs::path const& file, std::string const& why)
{
    auto const aside = m_directory / "corrupt";
    std::error_code error;
    fs::create_directories(aside, error);
    auto target = aside / file.filename();
    for (int n = 1; fs::exists(target, error); ++n)
        target = aside / fmt::format("{}.{}", file.filename().string(), n);
    if (!error)
        fs::rename(file, target, error);
    if (error) {
        fmt::print(stderr, "rollcoach serve: the spool file {} is set aside ({}) but cannot be moved ({}); it is skipped\n",
            file.string(), why, error.message());
        return;
    }
    ++m_moved_aside;
    fmt::print(stderr, "rollcoach serve: the spool file {} is set aside ({}); moved to {} for a person to look at\n", file.string(), why,
        target.string());
}

void RecordSpool::set_aside(std::string const& id, std::string const& why)
{
    std::lock_guard lock(m_mutex);
    move_aside(m_directory / (id + ".json"), why);
    release_locked(id);
}

std::vector<SpooledSession> RecordSpool::claim()
{
    std::lock_guard lock(m_mutex);
    std::vector<SpooledSession> claimed;
    std::error_code error;
    std::vector<fs::path> files;
    for (auto it = fs::directory_iterator(m_directory, error); !error && it != fs::directory_iterator(); it.increment(error)) {
        if (it->is_regular_file(error))
            files.push_back(it->path());
    }
    if (error)
        fmt::print(stderr, "rollcoach serve: cannot list the spool directory {}: {}\n", m_directory.string(), error.message());
    std::sort(files.begin(), files.end());
    for (auto const& file : files) {
        auto const name = file.filename().string();
        if (name.rfind(".probe-", 0) == 0 || m_held.contains(file.stem().string()))
            continue;
        // Held by a connection of this or another server, or being written: not ours to take.
        auto fd = try_lock(file);
        if (!fd)
            continue;
        if (file.extension() != ".json") {
            // A put that did not finish (the process died in it) never answered "pending".
            move_aside(file, file.extension() == ".tmp" ? "an unfinished write" : "not a spool file");
            ::close(*fd);
            continue;
        }
        auto spooled = read_spooled(file, *fd);
        if (!spooled) {
            move_aside(file, "it cannot be read back: " + spooled.error().message);
            ::close(*fd);
            continue;
        }
        m_held[spooled->id] = *fd;
        claimed.push_back(std::move(*spooled));
    }
    std::stable_sort(claimed.begin(), claimed.end(), [](auto const& a, auto const& b) { return a.session.ended_at < b.session.ended_at; });
    return claimed;
}

std::size_t RecordSpool::size() const
{
    std::lock_guard lock(m_mutex);
    std::error_code error;
    std::size_t count = 0;
    for (auto it = fs::directory_iterator(m_directory, error); !error && it != fs::directory_iterator(); it.increment(error)) {
        if (it->path().extension() == ".json")
            ++count;
    }
    return count;
}

std::size_t RecordSpool::moved_aside() const
{
    std::lock_guard lock(m_mutex);
    return m_moved_aside;
}

bool retryable(Error const& e) { return e.code == ErrorCode::Storage || e.code == ErrorCode::Io; }

ReplayCount replay_spool(RecordSpool& spool, SpoolCoachFinder const& coach_for)
{
    ReplayCount count;
    // One coach per journal for the whole pass (a clinic's opens a database connection).
    std::map<std::string, Result<std::shared_ptr<coach::Coach>>> coaches;
    for (auto& spooled : spool.claim()) {
        auto it = coaches.find(spooled.journal);
        if (it == coaches.end())
            it = coaches.emplace(spooled.journal, coach_for(spooled.journal)).first;
        auto const& coach = it->second;
        auto written = coach ? (*coach)->record_session_once(spooled.session) : Result<journal::RecordId>(coach.error());
        if (written) {
            ++count.written;
            if (auto removed = spool.remove(spooled.id); !removed)
                fmt::print(stderr, "rollcoach serve: {}\n", removed.error().message);
            continue;
        }
        if (retryable(written.error())) {
            ++count.kept;
            spool.release(spooled.id);
            continue;
        }
        // The record itself is refused (not the database): it would be refused forever. Kept
        // for a person to look at, out of the way of the others.
        ++count.refused;
        spool.set_aside(spooled.id, fmt::format("the journal refuses it for good: {}", written.error().message));
    }
    return count;
}

SpoolReplayer::SpoolReplayer(std::shared_ptr<RecordSpool> spool, SpoolCoachFinder coach_for, std::chrono::milliseconds interval)
    : m_spool(std::move(spool))
    , m_coach_for(std::move(coach_for))
    , m_interval(interval)
    , m_thread([this] { run(); })
{
}

SpoolReplayer::~SpoolReplayer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void SpoolReplayer::run()
{
    std::size_t last_kept = 0;
    for (;;) {
        auto const count = replay_spool(*m_spool, m_coach_for);
        if (count.written > 0)
            fmt::print(stderr, "rollcoach serve: wrote {} session(s) kept in the spool {} into the journal\n", count.written,
                m_spool->directory().string());
        if (count.kept > 0 && count.kept != last_kept)
            fmt::print(stderr, "rollcoach serve: {} session(s) in the spool {} wait for the journal to answer; retried every {} s\n", count.kept,
                m_spool->directory().string(), std::chrono::duration_cast<std::chrono::seconds>(m_interval).count());
        last_kept = count.kept;
        std::fflush(stderr);
        std::unique_lock lock(m_mutex);
        if (m_wake.wait_for(lock, m_interval, [this] { return m_stopping; }))
            return;
    }
}

fs::path default_spool_directory(std::string const& journal_location)
{
    if (!journal_location.empty() && !journal::is_postgres_location(journal_location))
        return fs::path(journal_location + ".spool");
    // One directory per database (FNV-1a of its address: stable across builds), shared by every
    // server of that database on this computer.
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : journal_location) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    auto const name = fmt::format("{:016x}", hash);
    if (auto journal = default_journal_path())
        return journal->parent_path() / "spool" / name;
    return fs::temp_directory_path() / "rollcoach-spool" / name;
}

}
