#include "voice/voice_cache.h"

#include <thread>

#include "voice/wav.h"

#include <algorithm>
#include <cstdlib>
#include <fmt/core.h>
#include <fstream>
#include <iterator>
#include <system_error>
#include <unistd.h>
#include <vector>

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

VoiceCache::VoiceCache(std::filesystem::path dir, std::uintmax_t max_bytes)
    : m_dir(std::move(dir))
    , m_max_bytes(max_bytes)
{
}

void VoiceCache::trim() const
{
    struct Entry {
        std::filesystem::path path;
        std::filesystem::file_time_type written;
        std::uintmax_t bytes;
    };
    std::vector<Entry> entries;
    std::uintmax_t total = 0;
    std::error_code ec;
    for (auto const& item : std::filesystem::directory_iterator(m_dir, ec)) {
        if (item.path().extension() != ".wav")
            continue;
        std::error_code item_ec;
        auto const bytes = item.file_size(item_ec);
        auto const written = item.last_write_time(item_ec);
        if (item_ec)
            continue;
        entries.push_back({ item.path(), written, bytes });
        total += bytes;
    }
    if (total <= m_max_bytes)
        return;
    std::sort(entries.begin(), entries.end(), [](Entry const& a, Entry const& b) { return a.written < b.written; });
    for (auto const& entry : entries) {
        if (total <= m_max_bytes)
            break;
        // Another worker may be reading it: on POSIX its open file stays readable.
        if (std::filesystem::remove(entry.path, ec))
            total -= entry.bytes;
    }
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
    trim();
    if (!std::filesystem::exists(path, ec))
        return Error::io(fmt::format("the voice cache {} is smaller than one cue ({} bytes): raise its size", m_dir.string(), m_max_bytes));
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
