// rollcoach export: the whole journal as JSON (restorable with rollcoach import), CSV (one file
// per table) or a FHIR R4 Bundle for a clinic system.
#include "app_context.h"

#include "journal/exports.h"
#include "journal/open_journal.h"

#include <fmt/core.h>
#include <cstdio>
#include <memory>
#include <unistd.h>

namespace rc::app {

namespace {

struct ExportOptions {
    std::string format { "json" };
    std::string out;
};

// Each export is written as the journal is read (journal/exports.h): memory stays flat whatever
// the journal's size, and a file appears under its name only once it is complete.
int run_export(AppContext const& context, ExportOptions const& options)
{
    auto format = journal::parse_export_format(options.format);
    if (!format)
        return report(format.error());
    if (*format == journal::ExportFormat::Csv && options.out.empty())
        return report(Error::invalid_argument("CSV export writes one file per table: give a folder with --out DIR."));
    auto opened = context.open_journal(journal::Purpose::Read);
    if (!opened)
        return report(opened.error());
    auto& journal = **opened;
    if (*format == journal::ExportFormat::Csv) {
        auto written = journal::write_csv(journal, options.out);
        if (!written)
            return report(written.error());
        fmt::print(stderr, "Wrote {} CSV files to {}.\n", written->size(), options.out);
        return ExitCode::Ok;
    }
    bool to_stdout = options.out.empty() || options.out == "-";
    std::unique_ptr<journal::FileSink> sink;
    if (to_stdout) {
        std::fflush(stdout);
        sink = journal::FileSink::on_descriptor(STDOUT_FILENO, "standard output");
    } else {
        auto created = journal::FileSink::create_new(options.out);
        if (!created)
            return report(created.error());
        sink = std::move(*created);
    }
    if (auto written = journal::write_export(journal, *format, {}, *sink); !written)
        return report(written.error());
    if (auto committed = sink->commit(); !committed)
        return report(committed.error());
    if (!to_stdout)
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
