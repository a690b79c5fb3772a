#include "server/api.h"

#include "coach/coach.h"
#include "report/report_data.h"
#include "report/report_pdf.h"

#include <charconv>
#include <fmt/core.h>

namespace rc::server {

// GET /api/report.pdf?utc_offset=S: the patient report (src/report) as a download. Drawn on the
// worker in tens of milliseconds for a year of daily use (docs/benchmarks.md) and a few tens
// of kilobytes, so it is answered from memory.
void add_report_routes(Router& router, Coach& coach)
{
    router.add(Method::Get, "/api/report.pdf", [&coach](HttpRequest const& request, RouteParams const&) {
        report::ReportRequest wanted;
        if (auto const* text = request.find_query("utc_offset")) {
            long seconds = 0;
            auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
            if (ec != std::errc() || end != text->data() + text->size() || seconds < -14 * 3600 || seconds > 14 * 3600)
                return error_response(Error::invalid_argument("?utc_offset= must be a whole number of seconds from -50400 to 50400"));
            wanted.utc_offset = std::chrono::seconds(seconds);
        }
        auto data = report::gather_report(coach, wanted);
        if (!data)
            return error_response(data.error());
        auto pdf = report::render_report_pdf(*data);
        if (!pdf)
            return error_response(pdf.error());
        HttpResponse response;
        response.content_type = "application/pdf";
        response.body = std::move(*pdf);
        response.headers.emplace_back("Content-Disposition", "attachment; filename=\"rollcoach-report.pdf\"");
        response.headers.emplace_back("Cache-Control", "no-store");
        return response;
    });
}

}
