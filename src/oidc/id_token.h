// OpenID Connect ID tokens (OpenID Connect Core 1.0 §2, §3.1.3.7): parsing and verification of
// the signed JSON Web Token a provider returns, against the provider's published RSA keys.
//
// Everything here reads hostile bytes and is bounded: a token of at most kMaxIdTokenBytes,
// exactly three base64url parts (strict: no padding, no stray characters, no non-zero trailing
// bits), JSON objects nested at most kMaxJsonDepth deep. The header must say "alg":"RS256"
// (anything else — "none", "HS256", "RS512", "ES256" — is refused, so a token cannot choose how
// it is checked, and an HMAC made with the public key as its secret never passes) and must not
// carry "crit", "jku", "jwk", "x5u" or "x5c" (a token never brings its own key). The key is the
// one whose `kid` the header names; a header without `kid` is accepted only when the provider
// publishes exactly one key. The signature is RSASSA-PKCS1-v1_5 with SHA-256 (OpenSSL's
// libcrypto) over the first two parts exactly as sent, and must be as long as the modulus.
// Then the claims: `iss` equal to the expected issuer; `aud` the client id, or an array that
// contains it (with several audiences, `azp` must be present); `azp`, when present, the client
// id; `exp` after now − kIdTokenSkew; `iat` present and not after now + kIdTokenSkew; `nonce`
// equal to the one sent (compared in constant time); `sub` of 1–255 bytes.
//
// Every failure is kUnauthenticated with the same Vietnamese words for the person; the English
// message names the reason for the log. Pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace odp::oidc {

inline constexpr size_t kMaxIdTokenBytes = 16 * 1024;
inline constexpr int kMaxJsonDepth = 16;
inline constexpr Micros kIdTokenSkew = 60LL * 1000000;
// A key set with more keys than this is refused whole.
inline constexpr size_t kMaxJwksKeys = 32;

// An RSA public key of a provider's key set (RFC 7517 §6.3.1): modulus and exponent as
// unsigned big-endian bytes.
struct RsaJwk {
  std::string kid;  // "" when the key set gives none
  std::string modulus;
  std::string exponent;
};

// The RSA signing keys of a JWKS document: keys with "kty":"RSA", "use" absent or "sig",
// "alg" absent or "RS256", a modulus of 2048–8192 bits and an exponent of at most 8 bytes;
// other keys (EC, encryption keys, other algorithms) are skipped. kInvalidArgument when the
// text is not a JSON object with a "keys" array, nests deeper than kMaxJsonDepth, or holds more
// than kMaxJwksKeys keys.
Result<std::vector<RsaJwk>> ParseJwks(std::string_view text);

// The `kid` a token's header names ("" when none), after the header's checks (size, parts,
// base64url, JSON, alg, forbidden keys); for choosing whether the key set must be fetched again.
Result<std::string> IdTokenKeyId(std::string_view token);

struct IdTokenCheck {
  std::string issuer;
  std::string client_id;
  std::string nonce;
  Micros now = 0;
};

struct IdTokenClaims {
  std::string issuer;
  std::string subject;
  std::string email;            // "" when absent
  bool email_verified = false;  // only a JSON `true` counts
  std::string name;
  std::string preferred_username;
  Micros issued_at = 0;
  Micros expires = 0;
  std::string claims_json;  // the whole payload, a JSON object (for admin-mapped claims)
};

// Verifies `token` as described in the header comment; the claims when it passes.
Result<IdTokenClaims> VerifyIdToken(std::string_view token, const std::vector<RsaJwk>& keys,
                                    const IdTokenCheck& check);

// The PKCE S256 challenge of `verifier` (RFC 7636 §4.2): BASE64URL(SHA-256(verifier)).
std::string PkceChallenge(std::string_view verifier);

// True when the arrays and objects in `text` nest deeper than `max_depth` (brackets inside
// strings do not count). Cheap; run before parsing JSON from outside.
bool JsonTooDeep(std::string_view text, int max_depth);

}  // namespace odp::oidc
