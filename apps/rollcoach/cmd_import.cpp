// rollcoach import: restore a JSON export (rollcoach export --format json) into the journal.
#include "app_context.h"

#include "coach/import_merge.h"
#include "journal/open_journal.h"

#include <fmt/core.h>
#include <memory>
#include <nlohmann/json.hpp>

namespace rc::app {

namespace {

struct ImportOptions {
    std::string file;
    bool merge { false };
    bool json { false };
};

int run_import(AppContext const& context, ImportOptions const& options)
{
    auto document = read_json_file(options.file, "export");
    if (!document)
        return report(document.error());
    auto opened = context.open_journal(journal::Purpose::Write);
    if (!opened)
        return report(opened.error());
    auto summary = coach::import_journal(**opened, *document,
        options.merge ? coach::ImportMode::Merge : coach::ImportMode::RefuseIfNotEmpty);
    if (!summary) {
        auto error = summary.error();
        if (error.code == ErrorCode::InvalidData)
            error.message = fmt::format("{}: {}", options.file, error.message);
        return report(error);
    }
    if (options.json)
        fmt::print("{}\n", nlohmann::json { { "added", summary->added }, { "skipped", summary->skipped } }.dump(2));
    else
        fmt::print("Imported {} records{}.\n", summary->added,
            summary->skipped ? fmt::format(" ({} were already in the journal)", summary->skipped) : "");
    return ExitCode::Ok;
}

}

void register_import(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<ImportOptions>();
    auto* command = app.add_subcommand("import", "Restore a JSON export into the journal");
    command->add_option("file", options->file, "A file made by rollcoach export --format json")->required();
    command->add_flag("--merge", options->merge,
        "Add the records the journal does not have yet (otherwise only an empty journal is accepted)");
    command->add_flag("--json", options->json, "Print the counts as JSON");
    command->callback([&context, &exit_code, options] { exit_code = run_import(context, *options); });
}

}
