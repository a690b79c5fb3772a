#include "voice/synthesizer.h"

#include <espeak-ng/speak_lib.h>
#include <fmt/core.h>
#include <mutex>

namespace rc::voice {

namespace {

std::mutex engine_mutex;
int engine_rate = 0;   // 0: not initialised; -1: initialisation failed
std::vector<std::int16_t>* collecting = nullptr;

int collect(short* wav, int count, espeak_EVENT*)
{
    if (wav && count > 0 && collecting)
        collecting->insert(collecting->end(), wav, wav + count);
    return 0;
}

}

Result<Pcm> synthesize_pcm(std::string_view text, VoiceSettings const& settings)
{
    if (settings.rate_wpm < 80 || settings.rate_wpm > 450)
        return Error::invalid_argument(fmt::format("speech rate {} wpm is out of range: use 80 to 450", settings.rate_wpm));
    std::lock_guard lock(engine_mutex);
    if (engine_rate == 0) {
        engine_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
        if (engine_rate <= 0)
            engine_rate = -1;
        else
            espeak_SetSynthCallback(collect);
    }
    if (engine_rate < 0)
        return Error { ErrorCode::Unsupported, "espeak-ng could not start: install espeak-ng-data (apt-get install espeak-ng)" };
    if (espeak_SetVoiceByName(settings.voice.c_str()) != EE_OK)
        return Error::invalid_argument(fmt::format("unknown espeak-ng voice '{}': list them with `espeak-ng --voices`", settings.voice));
    espeak_SetParameter(espeakRATE, settings.rate_wpm, 0);

    Pcm pcm;
    pcm.sample_rate = engine_rate;
    collecting = &pcm.samples;
    std::string const buffer(text);
    auto const status = espeak_Synth(buffer.c_str(), buffer.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, nullptr);
    espeak_Synchronize();
    collecting = nullptr;
    if (status != EE_OK)
        return Error::internal(fmt::format("espeak-ng failed to synthesise \"{}\"", text));
    return pcm;
}

}
