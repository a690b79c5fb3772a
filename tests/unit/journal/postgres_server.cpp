#include "postgres_server.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <cstdlib>
#include <fmt/core.h>
#include <fstream>
#include <pwd.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace rc::journal::test {

namespace fs = std::filesystem;

namespace {

std::string quoted(std::string const& text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The newest installed server, e.g. /usr/lib/postgresql/15/bin.
std::optional<fs::path> find_server_binaries()
{
    if (char const* dir = std::getenv("ROLLCOACH_PG_BIN"); dir && *dir)
        return fs::path(dir);
    std::vector<std::pair<int, fs::path>> found;
    std::error_code ec;
    for (auto const& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        auto bin = entry.path() / "bin";
        if (fs::exists(bin / "initdb", ec) && fs::exists(bin / "pg_ctl", ec))
            found.emplace_back(std::atoi(entry.path().filename().c_str()), bin);
    }
    if (found.empty())
        return std::nullopt;
    std::sort(found.begin(), found.end());
    return found.back().second;
}

std::string tail_of(fs::path const& log)
{
    std::ifstream in(log);
    std::ostringstream text;
    text << in.rdbuf();
    auto all = text.str();
    return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

PostgresServer* g_server = nullptr;
std::string g_start_error;

}

PostgresServer::PostgresServer(fs::path root, fs::path bin, std::string run_as)
    : m_root(std::move(root))
    , m_bin(std::move(bin))
    , m_run_as(std::move(run_as))
{
}

Result<void> PostgresServer::run(std::string const& what, std::string const& command) const
{
    auto full = m_run_as.empty() ? command : fmt::format("runuser -u {} -- {}", m_run_as, command);
    auto log = m_root / "commands.log";
    int status = std::system(fmt::format("{} >>{} 2>&1", full, quoted(log.string())).c_str());
    if (status != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return Error::internal(fmt::format("The test PostgreSQL server could not {} (`{}` exited with {}). Its output:\n{}\n{}",
            what, full, status, tail_of(log), tail_of(m_root / "server.log")));
    return {};
}

Result<std::unique_ptr<PostgresServer>> PostgresServer::start()
{
    auto bin = find_server_binaries();
    if (!bin)
        return Error::not_found("The PostgreSQL tests need Debian's PostgreSQL server (initdb and pg_ctl under "
                                "/usr/lib/postgresql/<version>/bin) and found none. Install it: "
                                "`apt-get install postgresql` (scripts/install-deps.sh and `make test` do), or set "
                                "ROLLCOACH_PG_BIN to the folder holding initdb and pg_ctl.");
    std::string run_as;
    if (::geteuid() == 0) {
        // PostgreSQL will not run as root.
        for (char const* name : { "postgres", "nobody" })
            if (::getpwnam(name)) {
                run_as = name;
                break;
            }
        if (run_as.empty())
            return Error::not_found("The PostgreSQL tests run as root and need an unprivileged user to run the server as "
                                    "(postgres or nobody); neither exists. Install the postgresql package, which creates postgres.");
    }
    std::string pattern = (fs::temp_directory_path() / "rollcoach-pg-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        return Error::io("Could not make a temporary folder for the test PostgreSQL server.");
    std::unique_ptr<PostgresServer> server(new PostgresServer(pattern, *bin, run_as));
    auto const& root = server->m_root;
    fs::create_directories(root / "socket");
    if (!run_as.empty()) {
        auto* user = ::getpwnam(run_as.c_str());
        for (auto const& path : { root, root / "socket" })
            if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0)
                return Error::io(fmt::format("Could not hand {} to the user {}.", path.string(), run_as));
    }
    TRY(server->run("initialise its folder",
        fmt::format("{} -D {} -U rollcoach --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync", quoted((*bin / "initdb").string()),
            quoted((root / "data").string()))));
    {
        std::ofstream conf(root / "data" / "postgresql.conf", std::ios::app);
        conf << "\n# rollcoach tests: a private unix socket only, small, no fsync\n"
             << "listen_addresses = ''\n"
             << "unix_socket_directories = '" << (root / "socket").string() << "'\n"
             << "port = 5432\n"
             << "fsync = off\nfull_page_writes = off\n"
             << "max_connections = 40\nshared_buffers = 16MB\n";
        if (!conf)
            return Error::io("Could not configure the test PostgreSQL server.");
    }
    TRY(server->resume());
    return server;
}

Result<void> PostgresServer::resume()
{
    TRY(run("start", fmt::format("{} -D {} -l {} -w -t 60 start", quoted((m_bin / "pg_ctl").string()),
                          quoted((m_root / "data").string()), quoted((m_root / "server.log").string()))));
    m_running = true;
    return {};
}

Result<void> PostgresServer::stop()
{
    TRY(run("stop", fmt::format("{} -D {} -m fast -w -t 60 stop", quoted((m_bin / "pg_ctl").string()),
                         quoted((m_root / "data").string()))));
    m_running = false;
    return {};
}

PostgresServer::~PostgresServer()
{
    if (m_running)
        (void)run("stop", fmt::format("{} -D {} -m immediate -w -t 60 stop", quoted((m_bin / "pg_ctl").string()),
                              quoted((m_root / "data").string())));
    std::error_code ec;
    fs::remove_all(m_root, ec);
}

std::string PostgresServer::uri(std::string const& name) const
{
    return fmt::format("postgresql:///{}?host={}&user=rollcoach", name, (m_root / "socket").string());
}

Result<std::string> PostgresServer::create_database()
{
    auto name = fmt::format("journal_{}", ++m_databases);
    try {
        pqxx::connection admin(uri("postgres"));
        pqxx::nontransaction tx(admin);
        tx.exec(fmt::format("CREATE DATABASE {}", name));
    } catch (std::exception const& e) {
        return Error::internal(fmt::format("Could not create a test database: {}", e.what()));
    }
    return uri(name);
}

PostgresServer* PostgresEnvironment::server()
{
    if (!g_server && g_start_error.empty()) {
        auto started = PostgresServer::start();
        if (started)
            g_server = started->release();
        else
            g_start_error = started.error().message;
    }
    if (!g_server)
        ADD_FAILURE() << g_start_error;
    return g_server;
}

void PostgresEnvironment::TearDown()
{
    delete g_server;
    g_server = nullptr;
}

namespace {

// Registered before main() runs (the binary uses gtest_main).
[[maybe_unused]] ::testing::Environment* const environment = ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

}

}
