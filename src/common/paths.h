// Where rollcoach finds its shipped data (knowledge base, migrations, built web front-end) and
// where it keeps the user's journal. Nothing here reads configuration files; front-ends pass
// overrides (--kb, --db, environment) in explicitly.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace rc {

// The shipped data directory: $ROLLCOACH_DATA_DIR if set, else the installed share/rollcoach
// if it holds a knowledge base, else the source tree's data/ (running from a build directory).
std::filesystem::path shipped_data_dir();

// The built web front-end (web/dist), found the same way: $ROLLCOACH_WEB_DIR, installed
// share/rollcoach/web, or the source tree's web/dist.
std::filesystem::path shipped_web_dir();

// $XDG_DATA_HOME/rollcoach/journal.db, falling back to ~/.local/share/rollcoach/journal.db.
// Returns nothing when neither XDG_DATA_HOME nor HOME is set.
std::optional<std::filesystem::path> default_journal_path();

}
