#include "voice/cue_speaker.h"
#include "voice/voice_cache.h"
#include "voice/wav.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <memory>
#include <unistd.h>

using namespace rc;
using namespace rc::voice;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir()
    {
        std::string pattern = (fs::temp_directory_path() / "rollcoach-voice-test-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

double rms(Pcm const& pcm)
{
    double sum = 0.0;
    for (auto s : pcm.samples)
        sum += static_cast<double>(s) * s;
    return pcm.samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(pcm.samples.size()));
}

// `soxi -D` reads the duration independently of libsndfile; empty when sox is not installed.
std::optional<double> soxi_duration(fs::path const& file)
{
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(("soxi -D '" + file.string() + "' 2>/dev/null").c_str(), "r"), ::pclose);
    if (!pipe)
        return std::nullopt;
    char buffer[64] {};
    if (!std::fgets(buffer, sizeof buffer, pipe.get()))
        return std::nullopt;
    return std::strtod(buffer, nullptr);
}

}

TEST(Voice, ACueIsSynthesisedToAPlausibleNonSilentWav)
{
    TempDir dir;
    VoiceCache cache(dir.path / "cache");
    std::string const text = "Switch sides: now the left side.";
    auto path = cache.wav_for(text, VoiceSettings {});
    ASSERT_TRUE(path.has_value()) << path.error().message;
    auto pcm = read_wav(*path);
    ASSERT_TRUE(pcm.has_value()) << pcm.error().message;
    // Six words at 150 words a minute: about 2.5 s; allow for pauses and voice differences.
    EXPECT_GT(pcm->seconds(), 1.0);
    EXPECT_LT(pcm->seconds(), 6.0);
    EXPECT_GT(rms(*pcm), 300.0) << "the WAV is (nearly) silent";
    if (auto seconds = soxi_duration(*path)) {
        EXPECT_NEAR(*seconds, pcm->seconds(), 0.01);
    }
}

TEST(Voice, AFasterRateGivesShorterSpeechAndADifferentCacheEntry)
{
    TempDir dir;
    VoiceCache cache(dir.path);
    std::string const text = "Breathe in slowly, and a long, slow breath out.";
    auto slow = cache.wav_for(text, VoiceSettings { "en", 120 });
    auto fast = cache.wav_for(text, VoiceSettings { "en", 300 });
    ASSERT_TRUE(slow && fast);
    EXPECT_NE(*slow, *fast);
    EXPECT_GT(read_wav(*slow)->seconds(), read_wav(*fast)->seconds() * 1.5);
}

TEST(Voice, TheCacheSynthesisesOnceAndReusesTheFile)
{
    TempDir dir;
    VoiceCache cache(dir.path);
    auto first = cache.wav_for("Ten seconds left.", VoiceSettings {});
    ASSERT_TRUE(first.has_value());
    auto const written = fs::last_write_time(*first);
    auto second = cache.wav_for("Ten seconds left.", VoiceSettings {});
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(*first, *second);
    EXPECT_EQ(fs::last_write_time(*second), written);
}

TEST(Voice, TheCacheStaysUnderItsSizeWhateverTextsAreAskedFor)
{
    // /api/voice speaks any text: distinct texts one after another once grew the cache without
    // end. With room for about three short cues, the tenth leaves at most the cap on disk, and
    // the newest cue is among what is kept.
    TempDir dir;
    VoiceCache probe(dir.path / "probe");
    auto one = probe.wav_for("Cue number zero.", VoiceSettings {});
    ASSERT_TRUE(one.has_value()) << one.error().message;
    auto const cue_bytes = fs::file_size(*one);
    auto const cap = cue_bytes * 3 + cue_bytes / 2;
    VoiceCache cache(dir.path / "capped", cap);
    fs::path newest;
    for (int i = 0; i < 10; ++i) {
        auto wav = cache.wav_for(fmt::format("Cue number {}.", i), VoiceSettings {});
        ASSERT_TRUE(wav.has_value()) << wav.error().message;
        newest = *wav;
    }
    std::uintmax_t total = 0;
    int files = 0;
    for (auto const& item : fs::directory_iterator(dir.path / "capped")) {
        total += item.file_size();
        ++files;
    }
    EXPECT_LE(total, cap);
    EXPECT_GE(files, 2);
    EXPECT_TRUE(fs::exists(newest));
    // A cap smaller than one cue is a clear error, not an empty answer.
    VoiceCache tiny(dir.path / "tiny", 100);
    auto refused = tiny.wav_for("Cue number eleven.", VoiceSettings {});
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().message.find("smaller than one cue"), std::string::npos) << refused.error().message;
}

TEST(Voice, EmptyTextAndUnknownVoicesAreErrorsNotSilence)
{
    TempDir dir;
    VoiceCache cache(dir.path);
    EXPECT_FALSE(cache.wav_for("", VoiceSettings {}).has_value());
    auto bad = cache.wav_for("Hello.", VoiceSettings { "no-such-voice-xx", 150 });
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("--voices"), std::string::npos);
    EXPECT_FALSE(synthesize_pcm("Hello.", VoiceSettings { "en", 20 }).has_value());
}

TEST(Voice, WavBytesInMemoryAreAValidRiffFile)
{
    auto pcm = synthesize_pcm("Stop.", VoiceSettings {});
    ASSERT_TRUE(pcm.has_value());
    auto bytes = encode_wav(*pcm);
    ASSERT_TRUE(bytes.has_value());
    ASSERT_GT(bytes->size(), 44u + pcm->samples.size());
    EXPECT_EQ(std::string(bytes->begin(), bytes->begin() + 4), "RIFF");
    EXPECT_EQ(std::string(bytes->begin() + 8, bytes->begin() + 12), "WAVE");
}

TEST(CueSpeaker, WritesEachSpokenCueAsATimestampedWavWhenAskedForADirectory)
{
    TempDir dir;
    SpeakerOptions options;
    options.out_dir = dir.path / "out";
    options.cache_dir = dir.path / "cache";
    auto speaker = CueSpeaker::create(options);
    ASSERT_TRUE(speaker.has_value()) << speaker.error().message;
    ASSERT_EQ((*speaker)->output(), Output::Directory);
    ASSERT_TRUE((*speaker)->prepare({ "Switch sides: now the left side." }));
    (*speaker)->say({ "Switch sides: now the left side.", "side_switch", 170000ms, 2 });
    (*speaker)->say({ "Rest for a moment.", "transition", 235000ms, 2 });
    (*speaker)->drain();
    auto const files = (*speaker)->written();
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].filename(), "000170000ms_side_switch.wav");
    EXPECT_EQ(files[1].filename(), "000235000ms_transition.wav");
    for (auto const& file : files) {
        auto pcm = read_wav(file);
        ASSERT_TRUE(pcm.has_value());
        EXPECT_GT(pcm->seconds(), 0.5);
        EXPECT_GT(rms(*pcm), 300.0);
    }
    EXPECT_FALSE((*speaker)->last_error().has_value());
}
