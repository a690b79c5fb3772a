// libFuzzer target: JSON Lines landmark parsing and the analyser behind it must never crash.
#include "motion/analyzer.h"
#include "motion/frame_codec.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<char const*>(data), size);
    rc::motion::JsonlParse parsed = rc::motion::parse_jsonl(text);
    auto analyzer = rc::motion::Analyzer::create({ .exercise = "thoracic_roll" });
    if (analyzer)
        for (auto const& frame : parsed.frames)
            (void)analyzer->push(frame);
    return 0;
}
