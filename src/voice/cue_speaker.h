// CueSpeaker: speaks cue texts in the background, in order, without ever blocking the caller.
//
// Output goes to PulseAudio when a sound server answers; otherwise (or when an output directory
// is given) each utterance is written as a WAV named after its session time and label:
// <dir>/000061000ms_hold_start.wav. A newer, more urgent utterance drops queued ones of lower
// priority, so speech never falls behind the session.
//
//   auto speaker = CueSpeaker::create(options);   // Result<std::unique_ptr<CueSpeaker>>
//   speaker.value()->prepare(texts);               // pre-synthesise the cues that must be on time
//   speaker.value()->say({ "Switch sides.", "side_switch", 170000ms, 2 });
#pragma once

#include "common/result.h"
#include "voice/synthesizer.h"
#include "voice/voice_cache.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace rc::voice {

struct Utterance {
    std::string text;
    std::string label;                  // used in file names: the cue kind
    std::chrono::milliseconds at { 0 }; // session time, used in file names
    int priority { 1 };                 // higher is more urgent
};

enum class Output { Auto, Pulse, Directory };

struct SpeakerOptions {
    VoiceSettings settings;
    Output output { Output::Auto };
    std::optional<std::filesystem::path> out_dir;     // WAV files go here (implies Directory)
    std::optional<std::filesystem::path> cache_dir;   // default: default_cache_dir()
};

class CueSpeaker {
public:
    static Result<std::unique_ptr<CueSpeaker>> create(SpeakerOptions options);
    ~CueSpeaker();
    CueSpeaker(CueSpeaker const&) = delete;
    CueSpeaker& operator=(CueSpeaker const&) = delete;

    // Synthesises into the cache now; returns the first error, if any.
    Result<void> prepare(std::vector<std::string> const& texts);
    void say(Utterance utterance);
    // Blocks until everything queued has been spoken or written.
    void drain();

    Output output() const { return m_output; }
    std::optional<std::filesystem::path> out_dir() const { return m_out_dir; }
    // Files written so far (Directory output) and the last error met by the speaking thread.
    std::vector<std::filesystem::path> written() const;
    std::optional<Error> last_error() const;

private:
    CueSpeaker(SpeakerOptions options, Output output, void* pulse);
    void run();
    void speak(Utterance const& utterance);

    VoiceSettings m_settings;
    VoiceCache m_cache;
    Output m_output;
    std::optional<std::filesystem::path> m_out_dir;
    void* m_pulse { nullptr };   // pa_simple*, kept opaque so callers need no PulseAudio headers

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Utterance> m_queue;
    bool m_busy { false };
    bool m_stopping { false };
    std::vector<std::filesystem::path> m_written;
    std::optional<Error> m_error;
    std::thread m_thread;
};

}
