// rollcoach's JSON API over the core libraries. Every answer is JSON; every error is
// {"error": {"code", "message"}} with a 4xx/5xx status and a message a user can act on.
//
//   GET  /api/health                     {"ok": true, "version"}
//   GET  /api/kb                         everything the app shows from the knowledge base
//   GET  /api/kb/{zones,tools,exercises,rules,sources}
//   GET  /api/kb/explain/:id             title, explanation and sources for any id
//   GET  /api/status                     screening tier, unfinished, profile saved, check-in due, blocked
//   GET  /api/screening | /api/checkin   the questionnaire; POST {"answers": {...}} -> verdict (stored)
//   POST /api/screening/evaluate | /api/checkin/evaluate
//                                        the verdict for the answers so far, stored nowhere
//                                        ("stored": false): the web's stop-at-once check
//   GET  /api/profile; POST /api/profile the profile (experience, rollers, minutes, focus...)
//   GET  /api/plan                       today's plan with its reasons; 409 when refused, the error
//                                        carrying kind, tier, reason, what_to_do and clearable
//   GET  /api/history?limit=N            journal entries, newest first
//   GET  /api/stats?utc_offset=S         streak, weekly goal, minutes per zone, pain, soreness
//   POST /api/clearance                  a clinician's clearance {"by", "on", "covers", "limits",
//                                        "note"}: 201, 400 (not JSON), 422 (breaks a rule)
//   GET  /api/clearance                  the clearances, newest first, and the flags on record
//   GET  /api/export?format=json|fhir|csv[&table=T]   streamed from a spool file
//   GET  /api/report.pdf?utc_offset=S    the patient report (src/report) as a PDF
//   GET  /api/voice?text=...             the cue spoken by espeak-ng (audio/wav, cached)
//
// Each module adds its routes in its own file (api_<module>.cpp); Api only composes them.
// Api is called from the server's workers, several at once in clinic mode: its routes keep no state
// of their own (the coach serialises its journal).
#pragma once

#include "knowledge/model.h"
#include "server/gateway.h"
#include "server/router.h"

#include <functional>
#include <optional>
#include <string>

namespace rc::coach {
class Coach;
}

namespace rc::server {

using coach::Coach;

struct VoiceOptions {
    std::string voice { "en" };   // espeak-ng voice name
    int rate_wpm { 150 };
};

struct ApiServices {
    kb::KnowledgeBase const& kb;
    Coach* coach { nullptr };                 // null: knowledge base only (tests of the transport)
    std::optional<VoiceOptions> voice {};     // nothing: no /api/voice
};

class Api final : public RequestHandler {
public:
    explicit Api(ApiServices services);
    HttpResponse handle(HttpRequest const& request) override;

private:
    ApiServices m_services;
    Router m_router;
};

void add_kb_routes(Router& router, kb::KnowledgeBase const& kb);
void add_coach_routes(Router& router, Coach& coach);
void add_report_routes(Router& router, Coach& coach);
void add_voice_routes(Router& router, VoiceOptions options);

}
