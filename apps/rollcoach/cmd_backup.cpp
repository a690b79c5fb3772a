// rollcoach backup: a consistent copy of the journal, safe while the web server is writing.
#include "app_context.h"

#include "journal/open_journal.h"

#include <fmt/core.h>
#include <memory>

namespace rc::app {

namespace {

int run_backup(AppContext const& context, std::string const& destination)
{
    auto opened = context.open_journal(journal::Purpose::Read);
    if (!opened)
        return report(opened.error());
    if (auto copied = (*opened)->backup_to(destination); !copied)
        return report(copied.error());
    fmt::print("Backed up the journal to {}. Restore it by passing --db {} (or copying it back).\n", destination, destination);
    return ExitCode::Ok;
}

}

void register_backup(CLI::App& app, AppContext& context, int& exit_code)
{
    auto destination = std::make_shared<std::string>();
    auto* command = app.add_subcommand("backup", "Copy the journal to a new file, consistently, even while it is in use");
    command->add_option("path", *destination, "The backup file to create (never overwritten)")->required();
    command->callback([&context, &exit_code, destination] { exit_code = run_backup(context, *destination); });
}

}
