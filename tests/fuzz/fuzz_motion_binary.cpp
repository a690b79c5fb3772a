// libFuzzer target: binary landmark frames (a stream of them, versions 1 and 2, with or without a
// roller sighting) and the analyser behind them must never crash, whatever the bytes; and a frame
// the decoder accepted, written again, reads back the same (the sighting included).
#include "motion/analyzer.h"
#include "motion/frame_codec.h"

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::span<std::uint8_t const> bytes(data, size);
    auto analyzer = rc::motion::Analyzer::create({});
    std::size_t offset = 0;
    while (offset < bytes.size() && analyzer) {
        auto decoded = rc::motion::decode_binary_frame(bytes.subspan(offset));
        if (!decoded)
            break;
        (void)analyzer->push(decoded->frame);
        std::vector<std::uint8_t> again;
        rc::motion::encode_binary_frame(decoded->frame, again);
        auto reread = rc::motion::decode_binary_frame(again);
        if (!reread || reread->consumed != again.size() || reread->frame.timestamp != decoded->frame.timestamp
            || reread->frame.roller != decoded->frame.roller || reread->frame.landmarks != decoded->frame.landmarks) {
            std::fprintf(stderr, "a decoded frame, encoded again, does not read back the same: %s\n",
                reread ? "different" : reread.error().message.c_str());
            std::abort();
        }
        offset += decoded->consumed;
    }
    return 0;
}
