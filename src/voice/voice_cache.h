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

#include <cstdint>
#include <filesystem>
#include <vector>

namespace rc::voice {

// $XDG_CACHE_HOME/rollcoach/voice, else ~/.cache/rollcoach/voice, else a temp directory.
std::filesystem::path default_cache_dir();

// The cache's size on disk: past it, the files written longest ago are removed (a cue removed
// is synthesised again when next asked for). /api/voice speaks
// any text up to 400 characters (about 1 MB of WAV each), so without a cap a client could fill
// the disk the journal lives on one distinct text at a time.
constexpr std::uintmax_t default_cache_bytes = 256ULL * 1024 * 1024;

class VoiceCache {
public:
    explicit VoiceCache(std::filesystem::path dir, std::uintmax_t max_bytes = default_cache_bytes);

    std::filesystem::path const& dir() const { return m_dir; }
    // Where the WAV for this text would live (whether or not it exists yet).
    std::filesystem::path path_for(std::string_view text, VoiceSettings const& settings) const;
    // The cached WAV, synthesised now if missing.
    Result<std::filesystem::path> wav_for(std::string_view text, VoiceSettings const& settings) const;

private:
    // Removes the WAVs written longest ago until the folder holds at most m_max_bytes of them.
    void trim() const;

    std::filesystem::path m_dir;
    std::uintmax_t m_max_bytes;
};

// For the web server: the cached WAV file for a text, or its bytes.
Result<std::filesystem::path> synthesize(std::string_view text, std::string const& voice, int rate_wpm);
Result<std::vector<std::uint8_t>> synthesize_wav_bytes(std::string_view text, std::string const& voice, int rate_wpm);

}
