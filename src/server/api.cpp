#include "server/api.h"

namespace rc::server {

Api::Api(ApiServices services)
    : m_services(services)
{
    m_router.add(Method::Get, "/api/health", [](HttpRequest const&, RouteParams const&) {
        return json_response(200, { { "ok", true }, { "version", "0.1.0" } });
    });
    add_kb_routes(m_router, m_services.kb);
    if (m_services.coach) {
        add_coach_routes(m_router, *m_services.coach);
        add_report_routes(m_router, *m_services.coach);
    }
    if (m_services.voice)
        add_voice_routes(m_router, *m_services.voice);
}

HttpResponse Api::handle(HttpRequest const& request)
{
    return m_router.dispatch(request);
}

}
