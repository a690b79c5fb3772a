// libFuzzer target for the record spool's files (server/record_spool.h), which a restarted server
// reads back from disk: parse_spool_file on any bytes, under the name the input claims.
// Oracles: nothing throws; an accepted file written back with spool_file_text is accepted again
// as the same record (journal, times, end reason, pain ratings).
#include "fuzz_world.h"

#include "server/record_spool.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size)
{
    using namespace rc;
    std::string_view input(reinterpret_cast<char const*>(data), size);
    // The first line is the file's name (its id), the rest its text.
    auto const newline = input.find('\n');
    std::string const id(newline == std::string_view::npos ? std::string_view() : input.substr(0, newline));
    auto const text = newline == std::string_view::npos ? input : input.substr(newline + 1);
    auto spooled = server::parse_spool_file(text, id);
    if (!spooled)
        return 0;
    auto again = server::parse_spool_file(server::spool_file_text(spooled->journal, spooled->session), spooled->id);
    if (!again)
        fuzz::fail("spool_file_text wrote a file parse_spool_file refuses", again.error().message);
    if (again->journal != spooled->journal || again->session.started_at != spooled->session.started_at
        || again->session.ended_at != spooled->session.ended_at || again->session.end_reason != spooled->session.end_reason
        || again->session.pain.size() != spooled->session.pain.size())
        fuzz::fail("a spool file changed in a round trip", input);
    return 0;
}
