// libFuzzer target: reading an iCalendar file and parsing a reminder's time and days must never
// crash, whatever the bytes.
#include "reminders/reminder_calendar.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<char const*>(data), size);
    (void)rc::reminders::read_calendar(text);
    auto const split = text.find('|');
    if (split != std::string_view::npos)
        (void)rc::reminders::parse_schedule(text.substr(0, split), text.substr(split + 1));
    return 0;
}
