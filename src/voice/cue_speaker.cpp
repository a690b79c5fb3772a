#include "voice/cue_speaker.h"

#include "voice/wav.h"

#include <fmt/core.h>
#include <pulse/error.h>
#include <pulse/simple.h>

namespace rc::voice {

namespace {

pa_simple* open_pulse(int sample_rate)
{
    pa_sample_spec spec {};
    spec.format = PA_SAMPLE_S16LE;
    spec.rate = static_cast<std::uint32_t>(sample_rate);
    spec.channels = 1;
    int error = 0;
    return pa_simple_new(nullptr, "rollcoach", PA_STREAM_PLAYBACK, nullptr, "coach cues", &spec, nullptr, nullptr, &error);
}

}

Result<std::unique_ptr<CueSpeaker>> CueSpeaker::create(SpeakerOptions options)
{
    // Learn espeak-ng's sample rate (and that it works at all) before choosing an output.
    auto probe = synthesize_pcm("ok", options.settings);
    if (!probe)
        return probe.error();
    Output output = options.output;
    if (options.out_dir)
        output = Output::Directory;
    void* pulse = nullptr;
    if (output != Output::Directory) {
        pulse = open_pulse(probe->sample_rate);
        if (!pulse && output == Output::Pulse)
            return Error { ErrorCode::Unsupported, "no PulseAudio server answered: use --voice-out DIR to write WAV files instead" };
        output = pulse ? Output::Pulse : Output::Directory;
    }
    if (output == Output::Directory) {
        if (!options.out_dir) {
            auto const stamp = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
            options.out_dir = default_cache_dir().parent_path() / "voice-out" / std::to_string(stamp);
        }
        std::error_code ec;
        std::filesystem::create_directories(*options.out_dir, ec);
        if (ec)
            return Error::io(fmt::format("cannot create {}: {}", options.out_dir->string(), ec.message()));
    }
    return std::unique_ptr<CueSpeaker>(new CueSpeaker(std::move(options), output, pulse));
}

CueSpeaker::CueSpeaker(SpeakerOptions options, Output output, void* pulse)
    : m_settings(options.settings)
    , m_cache(options.cache_dir.value_or(default_cache_dir()))
    , m_output(output)
    , m_out_dir(options.out_dir)
    , m_pulse(pulse)
{
    m_thread = std::thread([this] { run(); });
}

CueSpeaker::~CueSpeaker()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    if (m_pulse)
        pa_simple_free(static_cast<pa_simple*>(m_pulse));
}

Result<void> CueSpeaker::prepare(std::vector<std::string> const& texts)
{
    for (auto const& text : texts) {
        if (text.empty())
            continue;
        if (auto path = m_cache.wav_for(text, m_settings); !path)
            return path.error();
    }
    return {};
}

void CueSpeaker::say(Utterance utterance)
{
    if (utterance.text.empty())
        return;
    {
        std::lock_guard lock(m_mutex);
        // Speech that would only be heard late gives way to a more urgent cue.
        std::erase_if(m_queue, [&](Utterance const& queued) { return queued.priority < utterance.priority; });
        m_queue.push_back(std::move(utterance));
    }
    m_wake.notify_one();
}

void CueSpeaker::drain()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [&] { return m_queue.empty() && !m_busy; });
}

std::vector<std::filesystem::path> CueSpeaker::written() const
{
    std::lock_guard lock(m_mutex);
    return m_written;
}

std::optional<Error> CueSpeaker::last_error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void CueSpeaker::run()
{
    for (;;) {
        Utterance next;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) {
                m_idle.notify_all();
                return;   // stopping, and everything queued has been handled
            }
            next = std::move(m_queue.front());
            m_queue.pop_front();
            m_busy = true;
        }
        speak(next);
        {
            std::lock_guard lock(m_mutex);
            m_busy = false;
        }
        m_idle.notify_all();
    }
}

void CueSpeaker::speak(Utterance const& utterance)
{
    auto fail = [&](Error error) {
        std::lock_guard lock(m_mutex);
        m_error = std::move(error);
    };
    auto path = m_cache.wav_for(utterance.text, m_settings);
    if (!path)
        return fail(path.error());
    if (m_output == Output::Directory) {
        std::string label = utterance.label.empty() ? "cue" : utterance.label;
        auto target = *m_out_dir / fmt::format("{:09}ms_{}.wav", utterance.at.count(), label);
        for (int n = 2; std::filesystem::exists(target); ++n)
            target = *m_out_dir / fmt::format("{:09}ms_{}_{}.wav", utterance.at.count(), label, n);
        std::error_code ec;
        std::filesystem::copy_file(*path, target, ec);
        if (ec)
            return fail(Error::io(fmt::format("cannot write {}: {}", target.string(), ec.message())));
        std::lock_guard lock(m_mutex);
        m_written.push_back(target);
        return;
    }
    auto pcm = read_wav(*path);
    if (!pcm)
        return fail(pcm.error());
    int error = 0;
    auto* pulse = static_cast<pa_simple*>(m_pulse);
    if (pa_simple_write(pulse, pcm->samples.data(), pcm->samples.size() * sizeof(std::int16_t), &error) < 0
        || pa_simple_drain(pulse, &error) < 0)
        fail(Error::io(fmt::format("PulseAudio playback failed: {}", pa_strerror(error))));
}

}
