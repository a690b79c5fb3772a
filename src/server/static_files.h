// The built front-end (web/dist), served read-only. A request path is percent-decoded by the
// caller, then resolved here: "/" is index.html; any path with a NUL, a backslash or a ".."
// segment is refused, and the canonical result must stay inside the canonical root (symlinks
// out of the root are refused too).
#pragma once

#include "common/result.h"
#include "server/http_types.h"

#include <filesystem>

namespace rc::server {

class StaticFiles {
public:
    // The root need not exist yet: requests then get a page that says how to build the
    // front-end.
    explicit StaticFiles(std::filesystem::path root);

    std::filesystem::path const& root() const { return m_root; }
    bool built() const;

    // A 200 response naming the file to stream, or a 4xx error (403 traversal, 404 missing).
    HttpResponse serve(std::string const& decoded_path) const;

    Result<std::filesystem::path> resolve(std::string const& decoded_path) const;

    static std::string content_type_for(std::filesystem::path const& file);

private:
    std::filesystem::path m_root;
};

}
