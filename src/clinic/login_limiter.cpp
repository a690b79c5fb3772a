#include "clinic/login_limiter.h"

#include <algorithm>

namespace rc::clinic {

std::optional<std::chrono::seconds> LoginLimiter::wait(std::map<std::string, Failures>& table, std::string const& key, int max, MonoTime now)
{
    auto it = table.find(key);
    if (it == table.end())
        return std::nullopt;
    auto& failures = it->second;
    while (!failures.empty() && failures.front() + m_limits.window <= now)
        failures.pop_front();
    if (failures.empty()) {
        table.erase(it);
        return std::nullopt;
    }
    if (static_cast<int>(failures.size()) < max)
        return std::nullopt;
    auto const left = failures.front() + m_limits.window - now;
    return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(left));
}

std::optional<std::chrono::seconds> LoginLimiter::retry_after(LoginAttempt const& attempt, MonoTime now)
{
    std::lock_guard lock(m_mutex);
    auto account = wait(m_accounts, attempt.account, m_limits.max_failures_per_account, now);
    auto client = wait(m_clients, attempt.client, m_limits.max_failures_per_client, now);
    if (account && client)
        return std::max(*account, *client);
    return account ? account : client;
}

void LoginLimiter::record_failure(LoginAttempt const& attempt, MonoTime now)
{
    std::lock_guard lock(m_mutex);
    m_accounts[attempt.account].push_back(now);
    m_clients[attempt.client].push_back(now);
}

void LoginLimiter::record_success(LoginAttempt const& attempt)
{
    std::lock_guard lock(m_mutex);
    m_accounts.erase(attempt.account);
}

}
