// The server's worker threads, free of Boost.Beast: API requests, journal writes and speech
// synthesis run here, off the I/O thread, so a slow request never delays a cue. A fixed number
// of threads (ServerOptions::workers) take work from one queue in order. After stop_and_join(),
// posted work runs inline on the caller (shutdown: sessions that close while the I/O context is
// destroyed still record how they ended). Work that throws is logged; the thread goes on.
//
//   Worker worker(2);
//   worker.post([] { /* runs on a worker thread */ });
//   worker.stop_and_join();   // runs what is queued, then ends the threads
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rc::server {

class Worker {
public:
    explicit Worker(std::size_t threads);
    ~Worker();
    Worker(Worker const&) = delete;
    Worker& operator=(Worker const&) = delete;

    // Thread-safe.
    void post(std::function<void()> work);

    // Runs what is queued, then ends the threads.
    void stop_and_join();

private:
    static void run_guarded(std::function<void()>& work);
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_queue;
    bool m_stopping { false };
    bool m_joined { false };
    std::vector<std::thread> m_threads;
};

}
