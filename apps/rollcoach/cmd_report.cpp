// rollcoach report: the patient report as a PDF (src/report): pain over time, sessions per week,
// minutes per zone, check-ins, the screening result and clearances, today's plan and the sources
// of any warning sign. Reads the journal only.
#include "app_context.h"
#include "cli_coach.h"

#include "journal/exports.h"
#include "report/report_data.h"
#include "report/report_pdf.h"

#include <ctime>
#include <fmt/core.h>
#include <memory>
#include <unistd.h>

namespace rc::app {

namespace {

struct ReportOptions {
    std::string out;
};

// Days and weeks in the report are the user's local ones.
std::chrono::seconds local_utc_offset(WallTime now)
{
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm local {};
    localtime_r(&t, &local);
    return std::chrono::seconds(local.tm_gmtoff);
}

int run_report(AppContext const& context, ReportOptions const& options)
{
    auto cli = open_coach(context, journal::Purpose::Read);
    if (!cli)
        return report(cli.error());
    auto& coach = *(*cli)->coach;
    auto data = report::gather_report(coach, { .utc_offset = local_utc_offset(coach.clock().wall_now()) });
    if (!data)
        return report(data.error());
    bool to_stdout = options.out == "-";
    std::unique_ptr<journal::FileSink> sink;
    if (to_stdout) {
        sink = journal::FileSink::on_descriptor(STDOUT_FILENO, "standard output");
    } else {
        auto created = journal::FileSink::create_new(options.out);
        if (!created)
            return report(created.error());
        sink = std::move(*created);
    }
    if (auto drawn = report::render_report_pdf(*data, *sink); !drawn)
        return report(drawn.error());
    if (auto committed = sink->commit(); !committed)
        return report(committed.error());
    if (!to_stdout)
        fmt::print(stderr, "Wrote {} ({} sessions, {} pain ratings on {} days).\n", options.out, data->total_sessions,
            [&] { int n = 0; for (auto const& p : data->pain) n += p.ratings; return n; }(), data->pain.size());
    return ExitCode::Ok;
}

}

void register_report(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<ReportOptions>();
    auto* command = app.add_subcommand("report", "Write the patient report as a PDF (for a clinician)");
    command->add_option("--out", options->out, "The PDF file to write (never overwritten), or - for standard output")->required();
    command->callback([&context, &exit_code, options] { exit_code = run_report(context, *options); });
}

}
