// Hashing and password storage (libsodium). Call InitCrypto() once before any other function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace odp {

Status InitCrypto();

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Incremental SHA-256 for streams (uploads, blobs).
class Sha256Stream {
 public:
  Sha256Stream();
  void Update(std::string_view data);
  std::string FinishHex();

 private:
  alignas(64) unsigned char state_[128];
};

// Argon2id hash in libsodium's self-describing string form.
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& hash, const std::string& password);

// Constant-time comparison of two equal-purpose secrets.
bool SecretsEqual(std::string_view a, std::string_view b);

// URL-safe base64 without padding, and back (nullopt for text that is not such base64).
std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);
// Standard base64 with padding (RFC 4648 §4, as in HTTP Basic credentials), nullopt when not.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace odp
