// An on-disk cache of synthesised speech: one WAV per (text, voice, rate), named by a stable
// hash, so a cue is synthesised once and replayed instantly after that.
//
//   VoiceCache cache { default_cache_dir() };
//   auto path = cache.wav_for("Switch sides.", settings);   // synthesises on first use
//
// synthesize() is the entry point for the web server: the WAV for a text, as a file or as bytes.
#pragma once

#include "common/result.h"
#include "voice/synthesizer.h"

#include <filesystem>
#include <vector>

namespace rc::voice {

// $XDG_CACHE_HOME/rollcoach/voice, else ~/.cache/rollcoach/voice, else a temp directory.
std::filesystem::path default_cache_dir();

class VoiceCache {
public:
    explicit VoiceCache(std::filesystem::path dir);

    std::filesystem::path const& dir() const { return m_dir; }
    // Where the WAV for this text would live (whether or not it exists yet).
    std::filesystem::path path_for(std::string_view text, VoiceSettings const& settings) const;
    // The cached WAV, synthesised now if missing.
    Result<std::filesystem::path> wav_for(std::string_view text, VoiceSettings const& settings) const;

private:
    std::filesystem::path m_dir;
};

// For the web server: the cached WAV file for a text, or its bytes.
Result<std::filesystem::path> synthesize(std::string_view text, std::string const& voice, int rate_wpm);
Result<std::vector<std::uint8_t>> synthesize_wav_bytes(std::string_view text, std::string const& voice, int rate_wpm);

}
