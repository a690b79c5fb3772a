// libFuzzer target for import JSON (rollcoach import, the journal's export document read back):
// journal::parse_contents on any JSON, parsed without exceptions as a caller would.
// Oracles: accepted contents written back with to_json are accepted again with the same
// number of records of each kind; nothing throws.
#include "fuzz_world.h"

#include "journal/record_json.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size)
{
    using namespace rc;
    std::string_view text(reinterpret_cast<char const*>(data), size);
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded())
        return 0;
    auto contents = journal::parse_contents(json);
    if (!contents)
        return 0;
    auto written = journal::to_json(*contents);
    auto again = journal::parse_contents(written);
    if (!again)
        fuzz::fail("to_json wrote a document parse_contents refuses", again.error().message);
    if (again->screenings.size() != contents->screenings.size() || again->sessions.size() != contents->sessions.size()
        || again->pain_ratings.size() != contents->pain_ratings.size() || again->checkins.size() != contents->checkins.size()
        || again->notes.size() != contents->notes.size() || again->clearances.size() != contents->clearances.size()
        || again->profile.has_value() != contents->profile.has_value())
        fuzz::fail("records were lost in a round trip", text);
    return 0;
}
