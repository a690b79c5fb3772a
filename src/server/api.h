// rollcoach's JSON API over the core libraries. Every answer is JSON; every error is
// {"error": {"code", "message"}} with a 4xx/5xx status and a message a user can act on.
//
//   GET  /api/health                     {"ok": true, "version"}
//   GET  /api/kb                         everything the app shows from the knowledge base
//   GET  /api/kb/{zones,tools,exercises,rules,sources}
//   GET  /api/kb/explain/:id             title, explanation and sources for any id
//
// Each module adds its routes in its own file (api_<module>.cpp); Api only composes them.
// Api is used from the server's single worker thread.
#pragma once

#include "knowledge/model.h"
#include "server/gateway.h"
#include "server/router.h"

namespace rc::server {

struct ApiServices {
    kb::KnowledgeBase const& kb;
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

}
