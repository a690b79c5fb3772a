// rollcoach export: the whole journal as JSON (restorable with rollcoach import), CSV (one file
// per table) or a FHIR R4 Bundle for a clinic system.
#include "app_context.h"

#include "journal/exports.h"
#include "journal/open_journal.h"
#include "journal/record_json.h"

#include <fmt/core.h>
#include <fstream>
#include <memory>

namespace rc::app {

namespace {

struct ExportOptions {
    std::string format { "json" };
    std::string out;
};

Result<void> write_file(std::filesystem::path const& path, std::string const& text)
{
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        return Error::conflict(fmt::format("{} already exists; export never overwrites a file. Choose a new name.", path.string()));
    auto partial = path;
    partial += ".partial";
    {
        std::ofstream out(partial, std::ios::binary);
        out << text;
        out.close();
        if (!out) {
            std::filesystem::remove(partial, ec);
            return Error::io(fmt::format("Could not write {} (does the folder exist, is the disk full?).", path.string()));
        }
    }
    std::filesystem::rename(partial, path, ec);
    if (ec)
        return Error::io(fmt::format("Could not write {}: {}.", path.string(), ec.message()));
    return {};
}

int run_export(AppContext const& context, ExportOptions const& options)
{
    if (options.format == "csv" && options.out.empty())
        return report(Error::invalid_argument("CSV export writes one file per table: give a folder with --out DIR."));
    auto opened = journal::open_journal(context.journal_path(), journal::Purpose::Read);
    if (!opened)
        return report(opened.error());
    auto document = (*opened)->export_json();
    if (!document)
        return report(document.error());
    std::string text;
    if (options.format == "json") {
        text = document->dump(2) + "\n";
    } else {
        auto contents = journal::parse_contents(*document);
        if (!contents)
            return report(contents.error());
        if (options.format == "csv") {
            auto written = journal::write_csv(*contents, options.out);
            if (!written)
                return report(written.error());
            fmt::print(stderr, "Wrote {} CSV files to {}.\n", written->size(), options.out);
            return ExitCode::Ok;
        }
        text = journal::to_fhir_bundle(*contents).dump(2) + "\n";
    }
    if (options.out.empty() || options.out == "-") {
        fmt::print("{}", text);
        return ExitCode::Ok;
    }
    if (auto written = write_file(options.out, text); !written)
        return report(written.error());
    fmt::print(stderr, "Wrote {}.\n", options.out);
    return ExitCode::Ok;
}

}

void register_export(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<ExportOptions>();
    auto* command = app.add_subcommand("export", "Export the whole journal: json (restorable), csv (per table) or fhir (R4 Bundle)");
    command->add_option("--format", options->format, "json, csv or fhir (default json)")
        ->check(CLI::IsMember({ "json", "csv", "fhir" }));
    command->add_option("--out", options->out, "Output file (json, fhir; default: standard output) or folder (csv)");
    command->callback([&context, &exit_code, options] { exit_code = run_export(context, *options); });
}

}
