#include "voice/voice_cache.h"

#include <thread>

#include "voice/wav.h"

#include <cstdlib>
#include <fmt/core.h>
#include <fstream>
#include <iterator>
#include <system_error>
#include <unistd.h>

namespace rc::voice {

namespace {

// FNV-1a: stable across runs and builds (std::hash is not promised to be).
std::uint64_t fnv1a(std::string_view text)
{
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

}

std::filesystem::path default_cache_dir()
{
    if (char const* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "rollcoach" / "voice";
    if (char const* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".cache" / "rollcoach" / "voice";
    return std::filesystem::temp_directory_path() / "rollcoach-voice";
}

VoiceCache::VoiceCache(std::filesystem::path dir)
    : m_dir(std::move(dir))
{
}

std::filesystem::path VoiceCache::path_for(std::string_view text, VoiceSettings const& settings) const
{
    auto const key = fmt::format("{}\x1f{}\x1f{}", text, settings.voice, settings.rate_wpm);
    return m_dir / fmt::format("{:016x}.wav", fnv1a(key));
}

Result<std::filesystem::path> VoiceCache::wav_for(std::string_view text, VoiceSettings const& settings) const
{
    if (text.empty())
        return Error::invalid_argument("nothing to say: the text is empty");
    auto const path = path_for(text, settings);
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 44)
        return path;
    std::filesystem::create_directories(m_dir, ec);
    if (ec)
        return Error::io(fmt::format("cannot create the voice cache {}: {}", m_dir.string(), ec.message()));
    auto pcm = synthesize_pcm(text, settings);
    if (!pcm)
        return pcm.error();
    // Write beside the final name, then rename: a reader never sees half a file.
    // Named for this process and thread: two server workers may synthesise the same cue at once.
    auto const temp = path.string() + fmt::format(".{}.{}.tmp", ::getpid(), std::hash<std::thread::id> {}(std::this_thread::get_id()));
    if (auto written = write_wav(temp, *pcm); !written)
        return written.error();
    std::filesystem::rename(temp, path, ec);
    if (ec)
        return Error::io(fmt::format("cannot store {} in the voice cache: {}", path.string(), ec.message()));
    return path;
}

Result<std::filesystem::path> synthesize(std::string_view text, std::string const& voice, int rate_wpm)
{
    return VoiceCache(default_cache_dir()).wav_for(text, VoiceSettings { voice, rate_wpm });
}

Result<std::vector<std::uint8_t>> synthesize_wav_bytes(std::string_view text, std::string const& voice, int rate_wpm)
{
    auto path = synthesize(text, voice, rate_wpm);
    if (!path)
        return path.error();
    std::ifstream in(*path, std::ios::binary);
    if (!in)
        return Error::io(fmt::format("cannot read {}", path->string()));
    return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}
