// WAV files (16-bit PCM mono) through libsndfile: written to disk or to memory, read back.
#pragma once

#include "common/result.h"
#include "voice/synthesizer.h"

#include <filesystem>

namespace rc::voice {

Result<void> write_wav(std::filesystem::path const& path, Pcm const& pcm);
Result<std::vector<std::uint8_t>> encode_wav(Pcm const& pcm);
Result<Pcm> read_wav(std::filesystem::path const& path);

}
