// Text to speech with espeak-ng, into memory (16-bit mono PCM), never to the sound card.
//
//   auto pcm = synthesize_pcm("Switch sides.", VoiceSettings { "en", 150 });
//   if (!pcm) report(pcm.error());
//
// espeak-ng keeps global state, so calls are serialised inside; any thread may call.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rc::voice {

struct VoiceSettings {
    std::string voice { "en" };   // an espeak-ng voice name: "en", "en-us", "de", ...
    int rate_wpm { 150 };         // words per minute, 80-450

    bool operator==(VoiceSettings const&) const = default;
};

struct Pcm {
    std::vector<std::int16_t> samples;
    int sample_rate { 22050 };

    double seconds() const { return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0; }
};

Result<Pcm> synthesize_pcm(std::string_view text, VoiceSettings const& settings);

}
