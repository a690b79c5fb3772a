#include "clinic/password.h"

#include <fmt/core.h>
#include <mutex>
#include <sodium.h>

namespace rc::clinic {

namespace {

void ensure_sodium()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0)
            throw std::runtime_error("libsodium could not start");
    });
}

std::string hex(unsigned char const* bytes, std::size_t size)
{
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, size);
    out.pop_back();
    return out;
}

}

Result<std::string> hash_password(std::string_view password)
{
    ensure_sodium();
    if (password.size() < min_password_length)
        return Error::invalid_data(fmt::format("Choose a password of at least {} characters.", min_password_length));
    if (password.size() > 1024)
        return Error::invalid_data("Choose a password of at most 1024 characters.");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return Error::internal("The server ran out of memory while protecting the password; try again.");
    return std::string(out);
}

bool verify_password(std::string const& hash, std::string_view password)
{
    ensure_sodium();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void spend_verification_time(std::string_view password)
{
    // A hash of a fixed password made once; verifying against it costs what a real check costs.
    static std::string const decoy = [] {
        auto hash = hash_password("not-a-real-account-password");
        return hash ? *hash : std::string();
    }();
    (void)verify_password(decoy, password);
}

std::string random_token()
{
    ensure_sodium();
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    return hex(bytes, sizeof bytes);
}

std::string sha256_hex(std::string_view text)
{
    ensure_sodium();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<unsigned char const*>(text.data()), text.size());
    return hex(digest, sizeof digest);
}

bool same_secret(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}
