#include "voice/wav.h"

#include <algorithm>
#include <cstring>
#include <fmt/core.h>
#include <sndfile.h>

namespace rc::voice {

namespace {

SF_INFO wav_info(Pcm const& pcm)
{
    SF_INFO info {};
    info.samplerate = pcm.sample_rate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    return info;
}

// libsndfile's virtual I/O over a growing byte vector.
struct Memory {
    std::vector<std::uint8_t> bytes;
    sf_count_t position { 0 };
};

sf_count_t mem_length(void* user) { return static_cast<sf_count_t>(static_cast<Memory*>(user)->bytes.size()); }
sf_count_t mem_seek(sf_count_t offset, int whence, void* user)
{
    auto* m = static_cast<Memory*>(user);
    sf_count_t base = whence == SEEK_CUR ? m->position : whence == SEEK_END ? static_cast<sf_count_t>(m->bytes.size()) : 0;
    m->position = std::max<sf_count_t>(0, base + offset);
    return m->position;
}
sf_count_t mem_read(void* ptr, sf_count_t count, void* user)
{
    auto* m = static_cast<Memory*>(user);
    auto const available = std::max<sf_count_t>(0, static_cast<sf_count_t>(m->bytes.size()) - m->position);
    auto const n = std::min(count, available);
    std::memcpy(ptr, m->bytes.data() + m->position, static_cast<std::size_t>(n));
    m->position += n;
    return n;
}
sf_count_t mem_write(void const* ptr, sf_count_t count, void* user)
{
    auto* m = static_cast<Memory*>(user);
    auto const end = static_cast<std::size_t>(m->position + count);
    if (m->bytes.size() < end)
        m->bytes.resize(end);
    std::memcpy(m->bytes.data() + m->position, ptr, static_cast<std::size_t>(count));
    m->position += count;
    return count;
}
sf_count_t mem_tell(void* user) { return static_cast<Memory*>(user)->position; }

}

Result<void> write_wav(std::filesystem::path const& path, Pcm const& pcm)
{
    SF_INFO info = wav_info(pcm);
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!file)
        return Error::io(fmt::format("cannot write {}: {}", path.string(), sf_strerror(nullptr)));
    auto const written = sf_write_short(file, pcm.samples.data(), static_cast<sf_count_t>(pcm.samples.size()));
    sf_close(file);
    if (written != static_cast<sf_count_t>(pcm.samples.size()))
        return Error::io(fmt::format("short write to {}: is the disk full?", path.string()));
    return {};
}

Result<std::vector<std::uint8_t>> encode_wav(Pcm const& pcm)
{
    Memory memory;
    SF_VIRTUAL_IO io { mem_length, mem_seek, mem_read, mem_write, mem_tell };
    SF_INFO info = wav_info(pcm);
    SNDFILE* file = sf_open_virtual(&io, SFM_WRITE, &info, &memory);
    if (!file)
        return Error::internal(fmt::format("libsndfile could not encode a WAV: {}", sf_strerror(nullptr)));
    sf_write_short(file, pcm.samples.data(), static_cast<sf_count_t>(pcm.samples.size()));
    sf_close(file);
    return std::move(memory.bytes);
}

Result<Pcm> read_wav(std::filesystem::path const& path)
{
    SF_INFO info {};
    SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
    if (!file)
        return Error::io(fmt::format("cannot read {}: {}", path.string(), sf_strerror(nullptr)));
    if (info.channels != 1) {
        sf_close(file);
        return Error::invalid_data(fmt::format("{}: expected mono audio, found {} channels", path.string(), info.channels));
    }
    Pcm pcm;
    pcm.sample_rate = info.samplerate;
    pcm.samples.resize(static_cast<std::size_t>(info.frames));
    sf_read_short(file, pcm.samples.data(), info.frames);
    sf_close(file);
    return pcm;
}

}
