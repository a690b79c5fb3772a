// The patient report as an A4 PDF, drawn with cairo and laid out with pango from ReportData
// (report_data.h): a summary, the screening result and clearances, today's plan, warning signs
// with their sources, pain over time, sessions per week, minutes per zone and the check-ins.
// Drawing only: every number shown is computed in gather_report.
//
//   auto data = TRY(gather_report(coach));
//   auto file = TRY(journal::FileSink::create_new("report.pdf"));
//   TRY(render_report_pdf(data, *file));
//   TRY(file->commit());
#pragma once

#include "common/result.h"
#include "journal/exports.h"
#include "report/report_data.h"

#include <string>

namespace rc::report {

Result<void> render_report_pdf(ReportData const& data, journal::OutputSink& out);
// The same into memory (the web download; a report is tens of kilobytes).
Result<std::string> render_report_pdf(ReportData const& data);

}
