// The output sinks exports are written to (journal/exports.h): a string, or a file that appears
// under its name only once it is complete.
#include "journal/exports.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

namespace rc::journal {

namespace fs = std::filesystem;

Result<void> StringSink::write(std::string_view bytes)
{
    m_text.append(bytes);
    return {};
}

FileSink::FileSink(int fd, std::string name, fs::path partial, fs::path final_path)
    : m_fd(fd)
    , m_name(std::move(name))
    , m_partial(std::move(partial))
    , m_final(std::move(final_path))
{
    m_buffer.reserve(buffer_size);
}

Result<std::unique_ptr<FileSink>> FileSink::create_new(fs::path const& path)
{
    std::error_code ec;
    if (fs::exists(path, ec))
        return Error::conflict(fmt::format("{} already exists; export never overwrites a file. Choose a new name.", path.string()));
    auto partial = path;
    partial += ".partial";
    int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return Error::io(fmt::format("Could not write {}: {} (does the folder exist?).", path.string(), std::strerror(errno)));
    return std::unique_ptr<FileSink>(new FileSink(fd, path.string(), partial, path));
}

std::unique_ptr<FileSink> FileSink::on_descriptor(int fd, std::string name)
{
    return std::unique_ptr<FileSink>(new FileSink(fd, std::move(name), {}, {}));
}

FileSink::~FileSink()
{
    if (m_partial.empty() || m_committed)
        return;
    // Abandoned half-way: nothing that looks like a finished export stays behind.
    ::close(m_fd);
    std::error_code ec;
    fs::remove(m_partial, ec);
}

Result<void> FileSink::flush()
{
    std::size_t done = 0;
    while (done < m_buffer.size()) {
        auto written = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return Error::io(fmt::format("Could not write {}: {} (is the disk full?).", m_name, std::strerror(errno)));
        done += std::size_t(written);
    }
    m_buffer.clear();
    return {};
}

Result<void> FileSink::write(std::string_view bytes)
{
    while (!bytes.empty()) {
        auto room = buffer_size - m_buffer.size();
        auto piece = bytes.substr(0, room);
        m_buffer.append(piece);
        bytes.remove_prefix(piece.size());
        if (m_buffer.size() >= buffer_size)
            TRY(flush());
    }
    return {};
}

Result<void> FileSink::commit()
{
    TRY(flush());
    if (m_partial.empty() || m_committed)
        return {};
    bool synced = ::fsync(m_fd) == 0;
    bool closed = ::close(m_fd) == 0;
    m_committed = true;
    std::error_code ec;
    if (!synced || !closed) {
        fs::remove(m_partial, ec);
        return Error::io(fmt::format("Could not write {} (is the disk full?).", m_name));
    }
    if (fs::exists(m_final, ec)) {
        fs::remove(m_partial, ec);
        return Error::conflict(fmt::format("{} appeared while the export was written; it was left alone.", m_name));
    }
    fs::rename(m_partial, m_final, ec);
    if (ec) {
        fs::remove(m_partial, ec);
        return Error::io(fmt::format("Could not write {}: {}.", m_name, ec.message()));
    }
    return {};
}

}
