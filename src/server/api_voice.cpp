#include "server/api.h"

#include "voice/voice_cache.h"

#include <fmt/core.h>

namespace rc::server {

namespace {

// Long enough for any cue; short enough that the endpoint is no general-purpose synthesiser.
constexpr size_t max_voice_text = 400;

}

void add_voice_routes(Router& router, VoiceOptions options)
{
    router.add(Method::Get, "/api/voice", [options](HttpRequest const& request, RouteParams const&) {
        auto const* text = request.find_query("text");
        if (!text || text->empty())
            return error_response(400, "invalid_argument", "say what to speak: /api/voice?text=Breathe%20out%20slowly");
        if (text->size() > max_voice_text)
            return error_response(400, "invalid_argument", fmt::format("the text is longer than {} characters; cues are short", max_voice_text));
        auto wav = voice::synthesize(*text, options.voice, options.rate_wpm);
        if (!wav)
            return error_response(wav.error());
        HttpResponse response;
        response.content_type = "audio/wav";
        response.file_path = wav->string();
        // The same text always gives the same audio (cached by text, voice and rate).
        response.headers.emplace_back("Cache-Control", "private, max-age=86400");
        return response;
    });
}

}
