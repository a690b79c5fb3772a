// What every subcommand shares: the global options and the helpers that turn a library Result
// into a message and an exit code. Subcommands are thin adapters over the libraries.
#pragma once

#include "common/result.h"
#include "journal/open_journal.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace rc::app {

// Documented in README.md ("Exit codes"). Screening commands add their own tier codes (10-15).
enum ExitCode : int {
    Ok = 0,
    Failure = 1,        // an operation failed (message on stderr)
    Usage = 2,          // bad command line (CLI11 prints the usage)
    InvalidData = 3,    // a data file (knowledge base, answers, landmarks) failed validation
    StorageError = 4,   // the journal could not be opened or written
    Refused = 5,        // the coach refused: no screening on record, a stop tier, a warning sign,
                        // or a state that forbids it (a non-empty journal to import into)
    Interrupted = 130,  // Ctrl-C
};

struct AppContext {
    std::optional<std::filesystem::path> kb_dir;   // --kb DIR (default: the shipped one)
    std::optional<std::filesystem::path> db_path;  // --db PATH or ROLLCOACH_DB
    bool color { true };                           // false with NO_COLOR or --no-color

    // The knowledge-base directory to load: --kb, else $ROLLCOACH_KB, else the shipped one.
    std::filesystem::path knowledge_dir() const;

    // The journal file: --db, else $ROLLCOACH_DB, else the XDG default.
    std::optional<std::filesystem::path> journal_path() const;

    // How long a command waits while another program holds the journal's lock:
    // $ROLLCOACH_JOURNAL_WAIT seconds, else 2 minutes. After about 1.5 s of waiting it says so on
    // stderr, and says what to do if it gives up.
    journal::LockWait lock_wait() const;

    // The journal at journal_path(), opened for `purpose` with lock_wait().
    Result<std::unique_ptr<journal::Journal>> open_journal(journal::Purpose purpose) const;
};

// Prints text to standard output wrapped at word boundaries to the terminal's width (unwrapped
// into a pipe or a file), so that no word is cut at the edge. Long prose goes through it.
void print_text(std::string_view text);

// Prints an error ("rollcoach: <message>" and each detail) to stderr and returns the exit code
// that matches its ErrorCode.
int report(Error const& error);

// A JSON data file (a verdict, a plan, a script, an import) read whole. Unreadable is Io; not
// JSON, or a number too large to read (1e400), is InvalidData (exit status 3) naming the file.
Result<nlohmann::json> read_json_file(std::filesystem::path const& file, std::string_view what);

// Each subcommand file defines one of these; main.cpp calls them in order.
using Registrar = void (*)(CLI::App& app, AppContext& context, int& exit_code);

}
