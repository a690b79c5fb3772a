#include "server/worker.h"

#include <algorithm>
#include <exception>
#include <fmt/core.h>
#include <utility>

namespace rc::server {

Worker::Worker(std::size_t threads)
{
    for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i)
        m_threads.emplace_back([this] { loop(); });
}

Worker::~Worker()
{
    stop_and_join();
}

void Worker::post(std::function<void()> work)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_joined) {
            m_queue.push_back(std::move(work));
            m_wake.notify_one();
            return;
        }
    }
    run_guarded(work);
}

void Worker::stop_and_join()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_joined || m_stopping)
            return;
        m_stopping = true;
        m_wake.notify_all();
    }
    for (auto& thread : m_threads)
        thread.join();
    std::lock_guard lock(m_mutex);
    m_joined = true;
}

void Worker::run_guarded(std::function<void()>& work)
{
    try {
        work();
    } catch (std::exception const& e) {
        fmt::print(stderr, "rollcoach serve: background task failed: {}\n", e.what());
    } catch (...) {
        fmt::print(stderr, "rollcoach serve: background task failed with a non-standard exception\n");
    }
}

void Worker::loop()
{
    for (;;) {
        std::function<void()> work;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return;
            work = std::move(m_queue.front());
            m_queue.pop_front();
        }
        run_guarded(work);
    }
}

}
