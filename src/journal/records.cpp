#include "journal/records.h"

#include <algorithm>
#include <charconv>
#include <fmt/core.h>

namespace rc::journal {

char const* to_string(PainMoment moment)
{
    switch (moment) {
    case PainMoment::Before: return "before";
    case PainMoment::After: return "after";
    case PainMoment::During: return "during";
    case PainMoment::Standalone: return "standalone";
    }
    return "standalone";
}

std::optional<PainMoment> parse_pain_moment(std::string_view text)
{
    for (auto moment : { PainMoment::Before, PainMoment::After, PainMoment::During, PainMoment::Standalone })
        if (text == to_string(moment))
            return moment;
    return std::nullopt;
}

char const* to_string(EndReason reason)
{
    switch (reason) {
    case EndReason::Completed: return "completed";
    case EndReason::Quit: return "quit";
    case EndReason::StoppedWarning: return "stopped_warning";
    }
    return "completed";
}

std::optional<EndReason> parse_end_reason(std::string_view text)
{
    for (auto reason : { EndReason::Completed, EndReason::Quit, EndReason::StoppedWarning })
        if (text == to_string(reason))
            return reason;
    return std::nullopt;
}

char const* to_string(EntryKind kind)
{
    switch (kind) {
    case EntryKind::Session: return "session";
    case EntryKind::Pain: return "pain";
    case EntryKind::CheckIn: return "checkin";
    case EntryKind::Note: return "note";
    case EntryKind::Screening: return "screening";
    case EntryKind::Clearance: return "clearance";
    }
    return "note";
}

std::int64_t to_unix_ms(WallTime time)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

WallTime from_unix_ms(std::int64_t ms)
{
    // A WallTime counts nanoseconds in 64 bits (years 1678-2261): a stored value beyond that (a
    // corrupt row, a hostile spool file) is held at the limit instead of overflowing.
    constexpr std::int64_t limit = std::chrono::duration_cast<std::chrono::milliseconds>(WallTime::duration::max()).count() - 1;
    return WallTime { std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds { std::clamp(ms, -limit, limit) }) };
}

std::string format_utc(WallTime time)
{
    using namespace std::chrono;
    auto ms = to_unix_ms(time);
    auto day_ms = ms % 86'400'000;
    if (day_ms < 0)
        day_ms += 86'400'000;
    sys_days day { days { (ms - day_ms) / 86'400'000 } };
    year_month_day ymd { day };
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(ymd.year()), unsigned(ymd.month()),
        unsigned(ymd.day()), day_ms / 3'600'000, day_ms / 60'000 % 60, day_ms / 1000 % 60, day_ms % 1000);
}

namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t length, int& out)
{
    if (pos + length > text.size())
        return false;
    for (std::size_t i = pos; i < pos + length; ++i)
        if (text[i] < '0' || text[i] > '9')
            return false;
    auto result = std::from_chars(text.data() + pos, text.data() + pos + length, out);
    return result.ec == std::errc {};
}

}

std::optional<WallTime> parse_utc(std::string_view text)
{
    using namespace std::chrono;
    // YYYY-MM-DDTHH:MM:SS[.mmm](Z|+00:00)
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, frac = 0;
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    if (!read_int(text, 0, 4, y) || !read_int(text, 5, 2, mo) || !read_int(text, 8, 2, d) || !read_int(text, 11, 2, h)
        || !read_int(text, 14, 2, mi) || !read_int(text, 17, 2, s))
        return std::nullopt;
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        if (!read_int(text, pos + 1, 3, frac))
            return std::nullopt;
        pos += 4;
    }
    auto zone = text.substr(pos);
    if (zone != "Z" && zone != "+00:00")
        return std::nullopt;
    year_month_day ymd { year { y }, month { unsigned(mo) }, day { unsigned(d) } };
    // Years outside 1900-2200 are no journal's, and past 2261 a WallTime cannot hold them
    // (fuzz_spool_file found the signed overflow with a year of 3955).
    if (!ymd.ok() || y < 1900 || y > 2200 || h > 23 || mi > 59 || s > 59)
        return std::nullopt;
    auto ms = milliseconds { sys_days { ymd }.time_since_epoch() } + hours { h } + minutes { mi } + seconds { s }
        + milliseconds { frac };
    return from_unix_ms(ms.count());
}

}
