// Limits failed logins, per account (the email tried) and per client (its address): after
// `max_failures` failures within `window`, more tries are refused until the oldest failure
// leaves the window. A success clears the account's count (not the client's). Time is passed in.
// Kept in memory: a restart forgets it, and each server process counts its own tries.
//
//   LoginLimiter limiter;
//   if (auto wait = limiter.retry_after({email, ip}, now)) -> 429, Retry-After: *wait
//   limiter.record_failure({email, ip}, now);
#pragma once

#include "common/clock.h"

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace rc::clinic {

struct LoginAttempt {
    std::string account;   // the email as typed, lower-cased
    std::string client;    // the client's address ("" when unknown)
};

struct LoginLimits {
    int max_failures_per_account { 5 };
    int max_failures_per_client { 20 };
    std::chrono::seconds window { std::chrono::minutes(15) };
};

class LoginLimiter {
public:
    explicit LoginLimiter(LoginLimits limits = {})
        : m_limits(limits)
    {
    }
    // How long the caller must wait, or nothing when it may try now.
    std::optional<std::chrono::seconds> retry_after(LoginAttempt const& attempt, MonoTime now);
    void record_failure(LoginAttempt const& attempt, MonoTime now);
    void record_success(LoginAttempt const& attempt);

private:
    using Failures = std::deque<MonoTime>;
    std::optional<std::chrono::seconds> wait(std::map<std::string, Failures>& table, std::string const& key, int max, MonoTime now);

    LoginLimits m_limits;
    std::mutex m_mutex;
    std::map<std::string, Failures> m_accounts;
    std::map<std::string, Failures> m_clients;
};

}
