// libFuzzer target: binary landmark frames (a stream of them) and the analyser behind them must
// never crash, whatever the bytes.
#include "motion/analyzer.h"
#include "motion/frame_codec.h"

#include <cstddef>
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
        offset += decoded->consumed;
    }
    return 0;
}
