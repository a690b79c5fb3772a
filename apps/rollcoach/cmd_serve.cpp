// rollcoach serve: the web app. Serves the built front-end and the JSON/WebSocket API over the
// core on one port; prints the address to open (with the access token when one is needed).
#include "app_context.h"

#include "common/clock.h"
#include "common/paths.h"
#include "journal/open_journal.h"
#include "knowledge/loader.h"
#include "server/api.h"
#include "server/clinic_api.h"
#include "clinic/clinic_store.h"
#include "journal/postgres_journal.h"
#include "coach/coach.h"
#include "server/gateway.h"
#include "server/http_server.h"
#include "server/live_session.h"
#include "server/record_spool.h"

#include <algorithm>
#include <arpa/inet.h>
#include <fmt/core.h>
#include <ifaddrs.h>
#include <memory>
#include <net/if.h>
#include <netinet/in.h>
#include <vector>

namespace rc::app {

namespace {

struct ServeOptions {
    std::string host { "127.0.0.1" };
    uint16_t port { 8080 };
    std::string token;
    double speed { 1.0 };
    std::string web_dir;
    bool no_voice { false };
    std::string voice { "en" };
    int rate_wpm { 150 };
    bool clinic { false };
    bool secure_cookies { false };
    std::string spool_dir;
    std::size_t workers { 0 };   // 0: the mode's default
};

// Clinic mode's worker threads: the API's time is mostly spent waiting on PostgreSQL, so a few
// threads per core keep both cores busy without one patient's request waiting for another's.
constexpr std::size_t clinic_workers = 4;

// This computer's IPv4 addresses on its networks (interfaces that are up, loopback left out),
// in the order the system lists them: what a phone on the same network can open.
std::vector<std::string> network_addresses()
{
    std::vector<std::string> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0)
        return out;
    for (auto* it = list; it; it = it->ifa_next) {
        if (!it->ifa_addr || it->ifa_addr->sa_family != AF_INET || !(it->ifa_flags & IFF_UP) || (it->ifa_flags & IFF_LOOPBACK))
            continue;
        char text[INET_ADDRSTRLEN] = {};
        auto const* address = reinterpret_cast<sockaddr_in const*>(it->ifa_addr);
        if (::inet_ntop(AF_INET, &address->sin_addr, text, sizeof text) && std::find(out.begin(), out.end(), text) == out.end())
            out.emplace_back(text);
    }
    ::freeifaddrs(list);
    return out;
}

// The hosts to print in the address to open: for "every interface" this computer's network
// addresses (a placeholder when it has none), otherwise the host itself; IPv6 in brackets.
std::vector<std::string> hosts_for_url(std::string const& host)
{
    if (host == "0.0.0.0" || host == "::") {
        auto addresses = network_addresses();
        if (addresses.empty())
            addresses.emplace_back("<this-computer's-address>");
        return addresses;
    }
    std::string shown = host;
    if (shown.find(':') != std::string::npos && shown.front() != '[')
        shown = "[" + shown + "]";
    return { shown };
}

// The spool for finished sessions the journal refuses (server/record_spool.h): --spool-dir, or
// next to the SQLite journal, or under the user's data directory.
Result<std::shared_ptr<server::RecordSpool>> open_spool(ServeOptions const& options, std::optional<std::filesystem::path> const& journal)
{
    auto directory = options.spool_dir.empty() ? server::default_spool_directory(journal ? journal->string() : std::string())
                                               : std::filesystem::path(options.spool_dir);
    return server::RecordSpool::open(directory);
}

// Clinic mode (docs/clinic.md): accounts and one journal per patient in the PostgreSQL database.
int serve_clinic(AppContext const& context, ServeOptions const& options)
{
    auto location = context.journal_path();
    if (!location || !journal::is_postgres_location(location->string()))
        return report(Error::invalid_argument("--clinic needs the clinic's PostgreSQL database: pass --db postgresql://... (or set "
                                              "ROLLCOACH_DB). A clinic keeps every patient's journal there; the single-user SQLite "
                                              "journal is not used. docs/clinic.md shows a local trial."));
    if (!options.token.empty())
        return report(Error::invalid_argument("--token is not used with --clinic: every person logs in with their own account."));
    auto kb = kb::load_knowledge_base(context.knowledge_dir());
    if (!kb)
        return report(kb.error());
    std::size_t const workers = options.workers ? options.workers : clinic_workers;
    // One connection per worker, and one for the I/O thread (it checks a login when a live
    // session's WebSocket opens).
    auto store = clinic::ClinicStore::open(location->string(), workers + 1);
    if (!store)
        return report(store.error());
    auto policy = server::AccessPolicy::for_clinic(options.host);
    if (!policy)
        return report(policy.error());
    auto spool = open_spool(options, location);
    if (!spool)
        return report(spool.error());

    SystemClock clock;
    // A spooled record is written by a coach over its patient's journal schema, opened for it.
    server::SpoolReplayer replayer(*spool, [&](std::string const& schema) -> Result<std::shared_ptr<coach::Coach>> {
        if (schema.empty())
            return Error::storage("a record spooled by the single-user server waits for it: serve without --clinic, or give a --spool-dir of its own");
        journal::PostgresOptions journal_options;
        journal_options.schema = schema;
        auto journal = TRY(journal::PostgresJournal::open(location->string(), std::move(journal_options)));
        return std::make_shared<coach::Coach>(*kb, std::move(journal), clock);
    }, server::unwritten_retry);
    server::ClinicOptions clinic_options;
    clinic_options.database = location->string();
    clinic_options.secure_cookies = options.secure_cookies;
    clinic_options.speed = options.speed;
    clinic_options.spool = *spool;
    if (!options.no_voice)
        clinic_options.voice = server::VoiceOptions { options.voice, options.rate_wpm };
    server::ClinicApi api(*kb, **store, clock, clinic_options);
    std::filesystem::path web_dir = options.web_dir.empty() ? shipped_web_dir() : std::filesystem::path(options.web_dir);
    server::StaticFiles files(web_dir);
    server::WsRoutes routes { { "/ws/session", api.session_factory() } };
    server::Gateway gateway(*policy, files, api, { "/ws/session" });

    server::ServerOptions server_options;
    server_options.host = options.host;
    server_options.port = options.port;
    server_options.workers = workers;
    auto http = server::HttpServer::create(server_options, gateway, std::move(routes));
    if (!http)
        return report(http.error());
    auto const shown_hosts = hosts_for_url(options.host);
    fmt::print("rollcoach clinic is ready: open http://{}:{}/#/login\n", shown_hosts.front(), (*http)->port());
    for (std::size_t i = 1; i < shown_hosts.size(); ++i)
        fmt::print("  (or, on another network of this computer: http://{}:{}/#/login)\n", shown_hosts[i], (*http)->port());
    fmt::print("sessions the database cannot take yet are kept in {}\n", (*spool)->directory().string());
    if (!files.built())
        fmt::print("note: the web front-end is not built ({} has no index.html): run `make web`\n", files.root().string());
    if (options.host != "127.0.0.1" && options.host != "localhost" && options.host != "::1" && !options.secure_cookies)
        fmt::print("note: serve a clinic to other computers only behind HTTPS (a TLS proxy), with --secure-cookies\n");
    fmt::print("Press Ctrl-C to stop.\n");
    std::fflush(stdout);
    (*http)->run();
    fmt::print("rollcoach: stopped\n");
    return ExitCode::Ok;
}

int serve(AppContext const& context, ServeOptions const& options)
{
    if (options.clinic)
        return serve_clinic(context, options);
    if (options.workers > 1)
        return report(Error::invalid_argument("--workers is for --clinic: the single-user server's one journal takes one write at a "
                                              "time, so it runs one worker."));
    auto kb = kb::load_knowledge_base(context.knowledge_dir());
    if (!kb)
        return report(kb.error());
    // The CLI's lock wait (ROLLCOACH_JOURNAL_WAIT, said on stderr after 1.5 s, given up on with a
    // fix) holds for the server too: at start-up (exit status 4) and for every write after.
    auto journal = context.open_journal(journal::Purpose::Write);
    if (!journal)
        return report(journal.error());
    auto spool = open_spool(options, context.journal_path());
    if (!spool)
        return report(spool.error());

    auto policy = server::AccessPolicy::for_host(options.host,
        options.token.empty() ? std::nullopt : std::optional<std::string>(options.token));
    if (!policy)
        return report(policy.error());

    SystemClock clock;
    coach::Coach coach(*kb, std::move(*journal), clock);
    server::SpoolReplayer replayer(*spool, [&](std::string const& name) -> Result<std::shared_ptr<coach::Coach>> {
        if (!name.empty())
            return Error::storage(fmt::format("a record spooled for the clinic journal {} waits for `serve --clinic`", name));
        return std::shared_ptr<coach::Coach>(&coach, [](coach::Coach*) {});
    }, server::unwritten_retry);
    std::optional<server::VoiceOptions> voice;
    if (!options.no_voice)
        voice = server::VoiceOptions { options.voice, options.rate_wpm };
    server::Api api({ *kb, &coach, voice });
    std::filesystem::path web_dir = options.web_dir.empty() ? shipped_web_dir() : std::filesystem::path(options.web_dir);
    server::StaticFiles files(web_dir);
    server::WsRoutes routes { { "/ws/session", server::live_session_factory(coach, options.speed, server::resume_grace, { *spool, "" }) } };
    server::Gateway gateway(*policy, files, api, { "/ws/session" });

    server::ServerOptions server_options;
    server_options.host = options.host;
    server_options.port = options.port;
    auto http = server::HttpServer::create(server_options, gateway, std::move(routes));
    if (!http)
        return report(http.error());

    auto const shown_hosts = hosts_for_url(options.host);
    auto url_of = [&](std::string const& host) {
        std::string url = fmt::format("http://{}:{}/", host, (*http)->port());
        if (policy->mode() == server::AccessMode::TokenRequired)
            url += "?token=" + policy->token();
        return url;
    };
    fmt::print("rollcoach is ready: open {}\n", url_of(shown_hosts.front()));
    for (std::size_t i = 1; i < shown_hosts.size(); ++i)
        fmt::print("  (or, on another network of this computer: {})\n", url_of(shown_hosts[i]));
    if (!files.built())
        fmt::print("note: the web front-end is not built ({} has no index.html): run `make web`\n", files.root().string());
    if (options.speed != 1.0)
        fmt::print("note: sessions run {}x faster than real time (--speed)\n", options.speed);
    fmt::print("Press Ctrl-C to stop.\n");
    std::fflush(stdout);
    (*http)->run();
    fmt::print("rollcoach: stopped\n");
    return ExitCode::Ok;
}

}

void register_serve(CLI::App& app, AppContext& context, int& exit_code)
{
    auto options = std::make_shared<ServeOptions>();
    auto* command = app.add_subcommand("serve", "Start the web app (open the printed address in a browser)");
    command->add_option("--port", options->port, "TCP port (0: any free port)")->capture_default_str();
    command->add_option("--host", options->host,
               "Address to listen on; anything but loopback (e.g. 0.0.0.0 for a phone on your network) requires an access token")
        ->capture_default_str();
    command->add_option("--token", options->token, "Access token to require (default: a random one when --host is not loopback)");
    command->add_option("--speed", options->speed, "Run sessions N times faster than real time (tests and demos)")
        ->check(CLI::Range(0.1, 1000.0))
        ->capture_default_str();
    command->add_option("--web", options->web_dir, "Directory of the built front-end (default: the shipped one)")
        ->check(CLI::ExistingDirectory);
    command->add_flag("--no-voice", options->no_voice, "Do not speak cues (no /api/voice)");
    command->add_option("--voice", options->voice, "espeak-ng voice for spoken cues")->capture_default_str();
    command->add_option("--rate", options->rate_wpm, "Speech rate in words per minute")->check(CLI::Range(80, 450))->capture_default_str();
    command->add_flag("--clinic", options->clinic,
        "Clinic mode: therapists and patients log in; every patient's journal in the PostgreSQL database given with --db (docs/clinic.md)");
    command->add_flag("--secure-cookies", options->secure_cookies, "Clinic mode behind an HTTPS proxy: mark login cookies Secure");
    command->add_option("--spool-dir", options->spool_dir,
        "Where finished sessions the journal cannot take yet are kept on disk until it can (default: next to the SQLite journal "
        "as JOURNAL.spool/, or ~/.local/share/rollcoach/spool with --clinic); one directory per server");
    command->add_option("--workers", options->workers,
               "Clinic mode: threads answering API requests at once (default 4; each holds a database connection)")
        ->check(CLI::Range(1, 64));
    command->callback([&context, &exit_code, options] { exit_code = serve(context, *options); });
}

}
