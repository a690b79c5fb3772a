// Passwords and secrets for clinic accounts, through libsodium: Argon2id password hashes
// (crypto_pwhash_str, salt and parameters inside the string), random tokens, and the SHA-256
// under which a token is stored (the database never holds a usable cookie or invite link).
//
//   auto hash = TRY(hash_password("correct horse"));   // "$argon2id$v=19$m=65536,t=2,p=1$..."
//   if (verify_password(hash, typed)) ...
#pragma once

#include "common/result.h"

#include <string>
#include <string_view>

namespace rc::clinic {

// Shortest password an account accepts.
inline constexpr std::size_t min_password_length = 10;

// InvalidData when the password is too short (the message says how long it must be).
Result<std::string> hash_password(std::string_view password);
bool verify_password(std::string const& hash, std::string_view password);
// Spends the time of one verification, for an unknown email (no timing difference to tell).
void spend_verification_time(std::string_view password);

// 32 random bytes as 64 lower-case hex characters.
std::string random_token();
std::string sha256_hex(std::string_view text);
// Constant-time equality of two strings.
bool same_secret(std::string_view a, std::string_view b);

}
