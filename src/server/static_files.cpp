#include "server/static_files.h"

#include <fmt/core.h>
#include <map>

namespace rc::server {

namespace fs = std::filesystem;

StaticFiles::StaticFiles(fs::path root)
{
    std::error_code ec;
    auto canonical = fs::weakly_canonical(root, ec);
    m_root = ec ? root : canonical;
}

bool StaticFiles::built() const
{
    std::error_code ec;
    return fs::is_regular_file(m_root / "index.html", ec);
}

std::string StaticFiles::content_type_for(fs::path const& file)
{
    static std::map<std::string, std::string> const types = {
        { ".html", "text/html; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".mjs", "text/javascript; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },
        { ".json", "application/json" },
        { ".webmanifest", "application/manifest+json" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".ico", "image/x-icon" },
        { ".wasm", "application/wasm" },
        { ".wav", "audio/wav" },
        { ".txt", "text/plain; charset=utf-8" },
        { ".map", "application/json" },
        { ".tflite", "application/octet-stream" },
        { ".data", "application/octet-stream" },
        { ".binarypb", "application/octet-stream" },
    };
    auto it = types.find(file.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

Result<fs::path> StaticFiles::resolve(std::string const& decoded_path) const
{
    if (decoded_path.empty() || decoded_path.front() != '/')
        return Error::invalid_argument("a file path must start with '/'");
    if (decoded_path.find('\0') != std::string::npos || decoded_path.find('\\') != std::string::npos)
        return Error::invalid_argument("the path contains a character that is not allowed in file names here");
    std::string relative = decoded_path.substr(1);
    if (relative.empty())
        relative = "index.html";
    for (auto const& segment : fs::path(relative)) {
        if (segment == "..")
            return Error::conflict(fmt::format("'{}' points outside the web app's folder", decoded_path));
    }
    std::error_code ec;
    auto candidate = fs::weakly_canonical(m_root / relative, ec);
    if (ec)
        return Error::not_found(fmt::format("no file at '{}'", decoded_path));
    auto root_text = m_root.string();
    auto candidate_text = candidate.string();
    if (candidate_text.size() <= root_text.size() || candidate_text.compare(0, root_text.size(), root_text) != 0
        || candidate_text[root_text.size()] != '/')
        return Error::conflict(fmt::format("'{}' points outside the web app's folder", decoded_path));
    if (!fs::is_regular_file(candidate, ec))
        return Error::not_found(fmt::format("no file at '{}'", decoded_path));
    return candidate;
}

HttpResponse StaticFiles::serve(std::string const& decoded_path) const
{
    if (!built()) {
        HttpResponse response;
        response.status = 503;
        response.content_type = "text/html; charset=utf-8";
        response.body = fmt::format("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                    "<title>rollcoach: front-end not built</title></head><body>"
                                    "<h1>The web front-end is not built</h1><p>No index.html in {}. "
                                    "Run <code>make web</code> (or <code>npm --prefix web run build</code>) "
                                    "and reload.</p></body></html>\n",
            m_root.string());
        return response;
    }
    auto file = resolve(decoded_path);
    if (!file) {
        if (file.error().code == ErrorCode::Conflict)
            return error_response(403, "forbidden", file.error().message);
        if (file.error().code == ErrorCode::InvalidArgument)
            return error_response(400, "invalid_argument", file.error().message);
        return error_response(404, "not_found", file.error().message);
    }
    HttpResponse response;
    response.status = 200;
    response.content_type = content_type_for(*file);
    response.file_path = file->string();
    // Vite names built assets by content hash: they never change. index.html, the service
    // worker and the manifest must be revalidated so an update reaches the user.
    if (decoded_path.rfind("/assets/", 0) == 0)
        response.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
    else
        response.headers.emplace_back("Cache-Control", "no-cache");
    return response;
}

}
