// rollcoach: the command-line front door. Each subcommand lives in its own cmd_*.cpp file and
// registers itself here; this file only parses global options and turns escaped exceptions
// into a message and an exit code.
#include "app_context.h"
#include "commands.h"
#include "help_formatter.h"

#include <cstdlib>
#include <exception>
#include <fmt/core.h>

int main(int argc, char** argv)
{
    using namespace rc::app;
    AppContext context;
    if (char const* no_color = std::getenv("NO_COLOR"); no_color && *no_color)
        context.color = false;

    CLI::App app { "rollcoach: a foam-rolling coach for back pain that keeps the spine safe.\n"
                   "Not medical advice: see README.md for when to see a clinician.",
        "rollcoach" };
    use_wrapping_help(app); // before the subcommands, which copy it
    app.set_version_flag("--version", "rollcoach 0.1.0");
    app.require_subcommand(1);
    app.fallthrough();

    std::string kb_dir;
    std::string db_path;
    app.add_option("--kb", kb_dir, "Knowledge-base directory (default: the shipped one; env ROLLCOACH_KB)")
        ->check(CLI::ExistingDirectory);
    app.add_option("--db", db_path, "Journal: an SQLite file (default: $XDG_DATA_HOME/rollcoach/journal.db) or a postgresql:// address; env ROLLCOACH_DB");
    bool no_color = false;
    app.add_flag("--no-color", no_color, "Plain output (also: NO_COLOR set)");

    int exit_code = ExitCode::Ok;
    for (Registrar registrar : all_commands())
        registrar(app, context, exit_code);

    app.parse_complete_callback([&] {
        if (!kb_dir.empty())
            context.kb_dir = kb_dir;
        if (!db_path.empty())
            context.db_path = db_path;
        if (no_color)
            context.color = false;
    });

    try {
        app.parse(argc, argv);
    } catch (CLI::ParseError const& e) {
        return app.exit(e);
    } catch (std::exception const& e) {
        fmt::print(stderr, "rollcoach: unexpected error: {}\n", e.what());
        return ExitCode::Failure;
    }
    return exit_code;
}
