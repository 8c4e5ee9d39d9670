// Access tokens for consumer systems: JSON Web Tokens (RFC 7519) signed with Ed25519 ("EdDSA",
// RFC 8037) through libsodium, and the JSON Web Key Set that publishes the public keys.
//
// Verification is strict and reads hostile bytes: at most kMaxTokenBytes, exactly three
// base64url parts without padding, a header of only {"alg":"EdDSA","typ":"at+jwt","kid":…}
// (any other algorithm, "none", or keys such as "jwk", "jku", "x5u" and "crit" are refused, so a
// token cannot choose how it is checked), a kid among the keys the caller trusts, a 64-byte
// signature over the header and payload exactly as sent, then the claims: `iss` equal to the
// expected issuer, `aud` the expected audience (a string, or an array of at most
// kMaxAudiences strings that holds it), `exp` after `now`, `iat` not in the future (beyond
// kClockSkew), `sub` and `client_id` non-empty. Every failure is the same kUnauthenticated to the
// caller; the English message names the reason for logs. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/records.h"

namespace odp::access {

inline constexpr size_t kMaxTokenBytes = 4096;
inline constexpr Micros kClockSkew = 60LL * 1000000;
inline constexpr size_t kMaxAudiences = 8;

struct TokenClaims {
  std::string issuer;     // iss: the portal's site URL
  std::string audience;   // aud: who may accept the token (ConsumerOptions::audience)
  std::string subject;    // sub: the consumer system's id
  std::string client_id;  // the OAuth client (a consumer credential's lookup)
  std::string token_id;   // jti: random
  std::string key_id;     // the header's kid (set by VerifyToken; SignToken uses the key's)
  Micros issued_at = 0;   // iat (whole seconds)
  Micros expires = 0;     // exp (whole seconds)
};

// A new Ed25519 key pair with a random kid, created at `now`.
SigningKey NewSigningKey(Micros now);

// The compact JWS of `claims` signed by `key` (header {"alg":"EdDSA","typ":"at+jwt","kid"}).
// REQUIRES: `key` came from NewSigningKey (or the store); an unusable key gives "".
std::string SignToken(const TokenClaims& claims, const SigningKey& key);

// What a verifier expects of a token's claims.
struct TokenExpectation {
  std::string issuer;
  std::string audience;
};

// Checks `token` against `keys` (those not retired) and `expect` at time `now`; see the header
// comment for every rule. The claims returned carry the expected audience.
Result<TokenClaims> VerifyToken(std::string_view token, const std::vector<SigningKey>& keys,
                                const TokenExpectation& expect, Micros now);

// {"keys":[{"kty":"OKP","crv":"Ed25519","x":…,"kid":…,"alg":"EdDSA","use":"sig"},…]} of `keys`.
std::string JwksJson(const std::vector<SigningKey>& keys);

}  // namespace odp::access
