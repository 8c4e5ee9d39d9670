// Identifiers: random UUIDs (v4) for records, random secrets for tokens and sessions.
#pragma once

#include <string>

namespace odp {

// "3f2b…-…" lowercase UUID v4 from libsodium's CSPRNG.
std::string NewUuid();
// True when `s` has the 8-4-4-4-12 lowercase hex shape.
bool LooksLikeUuid(const std::string& s);
// `bytes` random bytes as URL-safe base64 without padding.
std::string RandomToken(size_t bytes);

}  // namespace odp
