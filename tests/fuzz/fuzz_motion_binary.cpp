// libFuzzer target: binary landmark frames (a stream of them, versions 1 and 2, with or without a
// roller sighting) and the analyser behind them must never crash, whatever the bytes; and a frame
// the decoder accepted, written again, reads back the same (the sighting included).
#include "motion/analyzer.h"
#include "motion/frame_codec.h"

#include <algorithm>
#include <cmath>
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
        // Landmarks within one step: the encoder writes -32768 (-4.0) as -32767, the format's
        // symmetric range. A sighting is exact (its centre is within +-3, far from that end).
        auto same = [](rc::motion::Landmark const& a, rc::motion::Landmark const& b) {
            return a.present == b.present && std::abs(a.x - b.x) <= 1.0f / 8192 && std::abs(a.y - b.y) <= 1.0f / 8192
                && std::abs(a.z - b.z) <= 1.0f / 8192 && a.visibility == b.visibility;
        };
        bool landmarks_kept = reread && std::equal(decoded->frame.landmarks.begin(), decoded->frame.landmarks.end(), reread->frame.landmarks.begin(), same);
        if (!reread || reread->consumed != again.size() || reread->frame.timestamp != decoded->frame.timestamp
            || reread->frame.roller != decoded->frame.roller || !landmarks_kept) {
            std::fprintf(stderr, "a decoded frame, encoded again, does not read back the same: %s\n",
                reread ? "different" : reread.error().message.c_str());
            std::abort();
        }
        offset += decoded->consumed;
    }
    return 0;
}
