#include "report/report_pdf.h"

#include "knowledge/safety.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <optional>
#include <cmath>
#include <fmt/core.h>
#include <memory>

namespace rc::report {

namespace {

// A4 in points; every length below is in points.
constexpr double page_width = 595.0;
constexpr double page_height = 842.0;
constexpr double margin = 50.0;
constexpr double content_width = page_width - 2 * margin;

struct Colour {
    double r, g, b;
};
constexpr Colour ink { 0.10, 0.12, 0.15 };
constexpr Colour muted { 0.40, 0.43, 0.47 };
constexpr Colour grid { 0.85, 0.87, 0.89 };
constexpr Colour accent { 0.11, 0.42, 0.63 };
constexpr Colour warning_red { 0.72, 0.15, 0.12 };

void set_colour(cairo_t* cr, Colour c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

struct StreamTarget {
    journal::OutputSink& out;
    std::optional<Error> failure;
};

cairo_status_t write_to_sink(void* closure, unsigned char const* data, unsigned int length)
{
    auto& target = *static_cast<StreamTarget*>(closure);
    if (target.failure)
        return CAIRO_STATUS_WRITE_ERROR;
    auto written = target.out.write({ reinterpret_cast<char const*>(data), length });
    if (!written) {
        target.failure = written.error();
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

enum class Style { Title, Heading, Body, Small, Bold };

// Lays text out top to bottom, starting a new page when the next block does not fit.
class Writer {
public:
    explicit Writer(cairo_t* cr)
        : m_cr(cr)
        , m_layout(pango_cairo_create_layout(cr), g_object_unref)
    {
        pango_layout_set_wrap(m_layout.get(), PANGO_WRAP_WORD_CHAR);
    }

    cairo_t* cr() const { return m_cr; }
    double y() const { return m_y; }
    void advance(double height) { m_y += height; }

    void ensure(double height)
    {
        if (m_y + height > page_height - margin)
            new_page();
    }

    void new_page()
    {
        footer();
        cairo_show_page(m_cr);
        ++m_page;
        m_y = margin;
    }

    void finish() { footer(); }

    // Height of `text` in `style` laid out `width` wide.
    double measure(std::string const& text, Style style, double width)
    {
        prepare(text, style, width);
        int w = 0, h = 0;
        pango_layout_get_pixel_size(m_layout.get(), &w, &h);
        return double(h);
    }

    // Draws at (x, y) without moving the cursor; returns the height used.
    double draw_at(std::string const& text, Style style, double x, double y, double width, Colour colour = ink)
    {
        auto height = measure(text, style, width);
        set_colour(m_cr, colour);
        cairo_move_to(m_cr, x, y);
        pango_cairo_show_layout(m_cr, m_layout.get());
        return height;
    }

    double text_width(std::string const& text, Style style)
    {
        prepare(text, style, -1);
        int w = 0, h = 0;
        pango_layout_get_pixel_size(m_layout.get(), &w, &h);
        return double(w);
    }

    void block(std::string const& text, Style style = Style::Body, Colour colour = ink, double indent = 0, double space_after = 4)
    {
        auto height = measure(text, style, content_width - indent);
        ensure(height);
        draw_at(text, style, margin + indent, m_y, content_width - indent, colour);
        m_y += height + space_after;
    }

    void heading(std::string const& text, double needed_below = 40)
    {
        m_y += 10;
        auto height = measure(text, Style::Heading, content_width);
        ensure(height + needed_below);   // never a heading alone at the foot of a page
        draw_at(text, Style::Heading, margin, m_y, content_width, accent);
        m_y += height + 2;
        set_colour(m_cr, grid);
        cairo_set_line_width(m_cr, 0.8);
        cairo_move_to(m_cr, margin, m_y);
        cairo_line_to(m_cr, margin + content_width, m_y);
        cairo_stroke(m_cr);
        m_y += 6;
    }

    void bullet(std::string const& text, Colour colour = ink)
    {
        auto height = measure(text, Style::Body, content_width - 14);
        ensure(height);
        draw_at("•", Style::Body, margin + 2, m_y, 12, colour);
        draw_at(text, Style::Body, margin + 14, m_y, content_width - 14, colour);
        m_y += height + 3;
    }

private:
    void prepare(std::string const& text, Style style, double width)
    {
        auto const* description = "DejaVu Sans 10";
        switch (style) {
        case Style::Title: description = "DejaVu Sans Bold 20"; break;
        case Style::Heading: description = "DejaVu Sans Bold 13"; break;
        case Style::Body: description = "DejaVu Sans 10"; break;
        case Style::Small: description = "DejaVu Sans 8"; break;
        case Style::Bold: description = "DejaVu Sans Bold 10"; break;
        }
        std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> font(
            pango_font_description_from_string(description), pango_font_description_free);
        pango_layout_set_font_description(m_layout.get(), font.get());
        pango_layout_set_width(m_layout.get(), width < 0 ? -1 : int(width * PANGO_SCALE));
        pango_layout_set_text(m_layout.get(), text.c_str(), int(text.size()));
    }

    void footer()
    {
        draw_at(fmt::format("rollcoach report · page {}", m_page), Style::Small, margin, page_height - margin + 18, content_width, muted);
    }

    cairo_t* m_cr;
    std::unique_ptr<PangoLayout, decltype(&g_object_unref)> m_layout;
    double m_y { margin };
    int m_page { 1 };
};

std::string one_decimal(double value)
{
    auto text = fmt::format("{:.1f}", value);
    if (text.size() > 2 && text.ends_with(".0"))
        text.resize(text.size() - 2);
    return text;
}

// "1 session", "2 sessions", "1.5 sessions": a clinician reads this page, so no "1 sessions".
std::string counted(double value, std::string_view noun)
{
    auto number = one_decimal(value);
    return fmt::format("{} {}{}", number, noun, number == "1" ? "" : "s");
}

std::string plain_tier(std::string const& tier)
{
    auto text = tier;
    std::replace(text.begin(), text.end(), '_', ' ');
    return text;
}

// The frame of a chart: a light grid with labels on the left, and the plotting area returned.
struct ChartArea {
    double x, y, width, height;
};

ChartArea draw_frame(Writer& writer, double height, double max_value, int gridlines, std::string const& unit)
{
    constexpr double label_width = 34;
    ChartArea area { margin + label_width, writer.y() + 4, content_width - label_width - 6, height };
    auto* cr = writer.cr();
    cairo_set_line_width(cr, 0.6);
    for (int i = 0; i <= gridlines; ++i) {
        double value = max_value * i / gridlines;
        double y = area.y + area.height - area.height * i / gridlines;
        set_colour(cr, grid);
        cairo_move_to(cr, area.x, y);
        cairo_line_to(cr, area.x + area.width, y);
        cairo_stroke(cr);
        writer.draw_at(one_decimal(value), Style::Small, margin, y - 5, label_width - 4, muted);
    }
    if (!unit.empty())
        writer.draw_at(unit, Style::Small, area.x, area.y - 12, 200, muted);
    return area;
}

void draw_summary(Writer& w, ReportData const& d)
{
    w.block("rollcoach report", Style::Title, ink, 0, 2);
    w.block(fmt::format("Made on {} from the patient's own journal. It shows what was recorded, "
                        "not a diagnosis.",
                format_date(d.generated_at, d.utc_offset)),
        Style::Small, muted, 0, 10);
    w.heading("Summary");
    if (d.total_sessions == 0) {
        w.block("No sessions yet: nothing has been rolled and recorded, so the charts below are empty.", Style::Bold);
    } else {
        w.block(fmt::format("{}, {} in all, from {} to {}.", counted(d.total_sessions, "session"), counted(d.total_minutes, "minute"),
            format_date(*d.first_session, d.utc_offset), format_date(*d.last_session, d.utc_offset)));
        if (d.sessions_stopped_by_warning > 0)
            w.block(fmt::format("{} of them stopped by a warning sign.", d.sessions_stopped_by_warning), Style::Body, warning_red);
    }
    int ratings = 0;
    for (auto const& p : d.pain)
        ratings += p.ratings;
    w.block(fmt::format("{} on {}; {}, {} with a warning sign; {}.", counted(ratings, "pain rating"), counted(double(d.pain.size()), "day"),
        counted(d.checkin_count, "check-in"), d.checkin_warnings, counted(d.screening_count, "screening")));
}

void draw_screening(Writer& w, ReportData const& d)
{
    w.heading("Screening result and clearances");
    if (!d.screening) {
        w.block("No screening on record: the safety questions have not been answered yet.");
    } else {
        auto const& s = *d.screening;
        w.block(fmt::format("Latest screening on {}: {}.", format_date(s.taken_at, d.utc_offset), plain_tier(s.tier)), Style::Bold);
        // A stop the plan went past was lifted by a clinician's clearance (the coach lifts a stop
        // no other way): saying "don't roll yet" above today's plan contradicted it.
        auto const tier = kb::parse_tier(s.tier);
        if (d.plan.allowed && tier && kb::is_stop_tier(*tier))
            w.block("A clinician's clearance below covers this: the plan goes ahead within the limits they set.");
        else if (!s.headline.empty())
            w.block(s.headline);
        for (auto const& reason : s.reasons)
            w.bullet(reason);
    }
    if (d.clearances.empty()) {
        w.block("No clinician clearance recorded.");
        return;
    }
    w.block(fmt::format("Clinician clearances recorded by the patient ({}):", d.clearances.size()));
    for (auto const& [at, note] : d.clearances)
        w.bullet(note.empty() ? format_date(at, d.utc_offset) : fmt::format("{}: {}", format_date(at, d.utc_offset), note));
}

void draw_plan(Writer& w, ReportData const& d)
{
    w.heading("Today's plan");
    auto const& p = d.plan;
    if (!p.allowed) {
        // The coach's refusal already says so when it starts "No plan today".
        w.block(p.refusal.starts_with("No plan today") ? p.refusal : "No plan today. " + p.refusal);
        return;
    }
    w.block(fmt::format("About {} minutes, {} pressure:", p.minutes, p.pressure));
    for (auto const& step : p.steps)
        w.bullet(step);
    for (auto const& note : p.notes)
        w.block(note, Style::Small, muted);
}

void draw_warnings(Writer& w, ReportData const& d)
{
    w.heading("Warning signs and their sources");
    if (d.warnings.empty()) {
        w.block("No warning signs recorded.");
        return;
    }
    for (auto const& warning : d.warnings) {
        w.bullet(fmt::format("{}: {}", format_date(warning.at, d.utc_offset), warning.what), warning_red);
        std::string sources;
        for (auto const& source : warning.sources)
            sources += (sources.empty() ? "" : "; ") + source;
        w.block(sources.empty() ? "Source: rollcoach's safety rules (no citation recorded)." : "Sources: " + sources, Style::Small,
            muted, 14);
    }
}

void draw_pain_chart(Writer& w, ReportData const& d)
{
    w.heading("Pain over time (0-10, daily average)", 190);
    if (d.pain.empty()) {
        w.block("No pain ratings yet.");
        return;
    }
    w.ensure(170);
    auto area = draw_frame(w, 140, 10, 5, "");
    auto* cr = w.cr();
    auto first = d.pain.front().day;
    auto last = d.pain.back().day;
    double span = std::max(1.0, double((last - first).count()));
    auto x_of = [&](LocalDay day) { return area.x + area.width * double((day - first).count()) / span; };
    auto y_of = [&](double value) { return area.y + area.height - area.height * value / 10.0; };
    set_colour(cr, accent);
    cairo_set_line_width(cr, 1.4);
    for (std::size_t i = 0; i < d.pain.size(); ++i) {
        double x = d.pain.size() == 1 ? area.x + area.width / 2 : x_of(d.pain[i].day);
        if (i == 0)
            cairo_move_to(cr, x, y_of(d.pain[i].average));
        else
            cairo_line_to(cr, x, y_of(d.pain[i].average));
    }
    cairo_stroke(cr);
    if (d.pain.size() <= 60)
        for (auto const& p : d.pain) {
            double x = d.pain.size() == 1 ? area.x + area.width / 2 : x_of(p.day);
            cairo_arc(cr, x, y_of(p.average), 2.2, 0, 2 * M_PI);
            cairo_fill(cr);
        }
    w.draw_at(format_day_short(first), Style::Small, area.x, area.y + area.height + 3, 80, muted);
    auto last_label = format_day_short(last);
    if (last != first)
        w.draw_at(last_label, Style::Small, area.x + area.width - w.text_width(last_label, Style::Small), area.y + area.height + 3, 80,
        muted);
    w.advance(area.height + 22);
    double sum = 0;
    int count = 0;
    for (auto const& p : d.pain) {
        sum += p.average * p.ratings;
        count += p.ratings;
    }
    w.block(fmt::format("Average {} over {}; first day {}, latest day {}.", one_decimal(sum / count), counted(count, "rating"),
        one_decimal(d.pain.front().average), one_decimal(d.pain.back().average)), Style::Small, muted);
}

void draw_weeks_chart(Writer& w, ReportData const& d)
{
    w.heading("Sessions per week", 170);
    if (d.weeks.empty()) {
        w.block("No sessions yet.");
        return;
    }
    int most = 1;
    for (auto const& week : d.weeks)
        most = std::max(most, week.sessions);
    w.ensure(150);
    auto area = draw_frame(w, 110, most, std::min(most, 7), "");
    auto* cr = w.cr();
    double slot = area.width / double(d.weeks.size());
    set_colour(cr, accent);
    for (std::size_t i = 0; i < d.weeks.size(); ++i) {
        double height = area.height * d.weeks[i].sessions / most;
        cairo_rectangle(cr, area.x + slot * i + slot * 0.15, area.y + area.height - height, std::max(0.8, slot * 0.7), height);
    }
    cairo_fill(cr);
    // A label under the first week and every few weeks after, as many as fit.
    std::size_t every = std::max<std::size_t>(1, std::size_t(std::ceil(60.0 / slot)));
    for (std::size_t i = 0; i < d.weeks.size(); i += every)
        w.draw_at(format_day_short(d.weeks[i].monday), Style::Small, area.x + slot * i, area.y + area.height + 3, 60, muted);
    w.advance(area.height + 22);
    double average = 0;
    for (auto const& week : d.weeks)
        average += week.sessions;
    average /= double(d.weeks.size());
    w.block(fmt::format("{} from the first session to the last; {} a week on average, {} at most.", counted(double(d.weeks.size()), "week"),
        counted(average, "session"), most), Style::Small, muted);
}

void draw_zones_chart(Writer& w, ReportData const& d)
{
    w.heading("Minutes per zone", 80);
    if (d.zones.empty()) {
        w.block("No zone rolled yet.");
        return;
    }
    double most = std::max(0.1, d.zones.front().minutes);
    constexpr double name_width = 190;
    constexpr double bar_height = 12;
    for (auto const& zone : d.zones) {
        auto height = std::max(bar_height, w.measure(zone.name, Style::Small, name_width - 8));
        w.ensure(height + 4);
        w.draw_at(zone.name, Style::Small, margin, w.y(), name_width - 8);
        double length = (content_width - name_width - 70) * zone.minutes / most;
        set_colour(w.cr(), accent);
        cairo_rectangle(w.cr(), margin + name_width, w.y() + 1, std::max(1.0, length), bar_height - 2);
        cairo_fill(w.cr());
        w.draw_at(one_decimal(zone.minutes) + " min", Style::Small, margin + name_width + length + 6, w.y(), 64, muted);
        w.advance(height + 4);
    }
}

void draw_checkins(Writer& w, ReportData const& d)
{
    w.heading("Next-day check-ins", 60);
    if (d.checkin_count == 0) {
        w.block("No check-ins yet.");
        return;
    }
    w.block(fmt::format("{}, {} with a warning sign. The newest {}:", counted(d.checkin_count, "check-in"), d.checkin_warnings,
        d.recent_checkins.size()));
    // Rows as tall as their tallest cell, so a wrapped cell never runs into the next row.
    constexpr std::array<double, 5> columns { 0, 200, 275, 355, content_width };
    auto row = [&](std::array<std::string, 4> const& cells, Style style, Colour colour) {
        double height = 0;
        for (std::size_t i = 0; i < cells.size(); ++i)
            height = std::max(height, w.measure(cells[i], style, columns[i + 1] - columns[i] - 6));
        w.ensure(height + 3);
        for (std::size_t i = 0; i < cells.size(); ++i)
            w.draw_at(cells[i], style, margin + columns[i], w.y(), columns[i + 1] - columns[i] - 6, colour);
        w.advance(height + 3);
    };
    row({ "Date", "Soreness", "Warning", "Result" }, Style::Bold, ink);
    for (auto const& k : d.recent_checkins)
        row({ format_date(k.at, d.utc_offset), fmt::format("{}/10", k.soreness), k.warning ? "yes" : "no", plain_tier(k.tier) },
            Style::Body, k.warning ? warning_red : ink);
}

}

Result<void> render_report_pdf(ReportData const& data, journal::OutputSink& out)
{
    StreamTarget target { out, std::nullopt };
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_pdf_surface_create_for_stream(write_to_sink, &target, page_width, page_height), cairo_surface_destroy);
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        return Error::internal(fmt::format("could not start the PDF: {}", cairo_status_to_string(cairo_surface_status(surface.get()))));
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, "rollcoach report");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "rollcoach");
    {
        std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), cairo_destroy);
        Writer writer(cr.get());
        draw_summary(writer, data);
        draw_screening(writer, data);
        draw_plan(writer, data);
        draw_warnings(writer, data);
        draw_pain_chart(writer, data);
        draw_weeks_chart(writer, data);
        draw_zones_chart(writer, data);
        draw_checkins(writer, data);
        writer.finish();
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS && !target.failure)
            return Error::internal(fmt::format("could not draw the PDF: {}", cairo_status_to_string(cairo_status(cr.get()))));
    }
    cairo_surface_finish(surface.get());
    if (target.failure)
        return *target.failure;
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        return Error::io(fmt::format("could not write the PDF: {}", cairo_status_to_string(cairo_surface_status(surface.get()))));
    return {};
}

Result<std::string> render_report_pdf(ReportData const& data)
{
    journal::StringSink out;
    TRY(render_report_pdf(data, out));
    return out.text();
}

}
