#include "access/jwt.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "base/crypto.h"
#include "base/ids.h"

namespace odp::access {
namespace {

using json = nlohmann::json;

constexpr Micros kSecond = 1000000;

Status Refused(const std::string& why) {
  return Status::Unauthenticated("invalid access token: " + why,
                                 "Mã truy cập (access token) không hợp lệ hoặc đã hết hạn");
}

// The JSON object in one base64url part, or null (not base64url, not JSON, not an object).
json DecodeObject(std::string_view part) {
  auto bytes = Base64UrlDecode(part);
  if (!bytes) return nullptr;
  json j = json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : json(nullptr);
}

// An integer claim in seconds, as microseconds; -1 when absent or not a non-negative integer.
Micros Seconds(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number_integer()) return -1;
  int64_t v = it->get<int64_t>();
  if (v < 0 || v > 253402300799) return -1;  // up to year 9999
  return v * kSecond;
}

std::string StringClaim(const json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// RFC 7519 §4.1.3: `aud` is one string or an array of strings; the token is for us when `want`
// is among them. An empty `want` matches nothing (a verifier must know who it is).
bool HasAudience(const json& claims, const std::string& want) {
  auto it = claims.find("aud");
  if (want.empty() || it == claims.end()) return false;
  if (it->is_string()) return it->get_ref<const std::string&>() == want;
  if (!it->is_array() || it->size() > kMaxAudiences) return false;
  for (const json& a : *it) {
    if (a.is_string() && a.get_ref<const std::string&>() == want) return true;
  }
  return false;
}

}  // namespace

SigningKey NewSigningKey(Micros now) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  SigningKey k;
  k.kid = RandomToken(12);
  k.public_key = Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk));
  k.secret_key = Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sk), sizeof sk));
  sodium_memzero(sk, sizeof sk);
  k.created = now;
  return k;
}

std::string SignToken(const TokenClaims& c, const SigningKey& key) {
  auto sk = Base64UrlDecode(key.secret_key);
  if (!sk || sk->size() != crypto_sign_SECRETKEYBYTES) return "";
  json header = {{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", key.kid}};
  json payload = {{"iss", c.issuer},           {"aud", c.audience}, {"sub", c.subject},
                  {"client_id", c.client_id},  {"jti", c.token_id}, {"iat", c.issued_at / kSecond},
                  {"exp", c.expires / kSecond}};
  std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size(), reinterpret_cast<const unsigned char*>(sk->data()));
  sodium_memzero(sk->data(), sk->size());
  return input + "." +
         Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
}

Result<TokenClaims> VerifyToken(std::string_view token, const std::vector<SigningKey>& keys,
                                const TokenExpectation& expect, Micros now) {
  if (token.empty() || token.size() > kMaxTokenBytes) return Refused("empty or too long");
  const size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return Refused("not a JWS");
  const size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Refused("not a compact JWS of three parts");
  }
  const std::string_view signed_part = token.substr(0, dot2);
  json header = DecodeObject(token.substr(0, dot1));
  if (header.is_null()) return Refused("bad header");
  // Only the three members we write: the token must not choose its own key or algorithm.
  if (header.size() != 3 || StringClaim(header, "alg") != "EdDSA" ||
      StringClaim(header, "typ") != "at+jwt") {
    return Refused("header is not {alg: EdDSA, typ: at+jwt, kid}");
  }
  const std::string kid = StringClaim(header, "kid");
  const SigningKey* key = nullptr;
  for (const SigningKey& k : keys) {
    if (!kid.empty() && k.kid == kid && k.retired == 0) key = &k;
  }
  if (key == nullptr) return Refused("unknown key id");
  auto pk = Base64UrlDecode(key->public_key);
  auto sig = Base64UrlDecode(token.substr(dot2 + 1));
  if (!pk || pk->size() != crypto_sign_PUBLICKEYBYTES)
    return Status::Internal("signing key " + kid + " is damaged");
  if (!sig || sig->size() != crypto_sign_BYTES) return Refused("bad signature encoding");
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                  reinterpret_cast<const unsigned char*>(signed_part.data()),
                                  signed_part.size(),
                                  reinterpret_cast<const unsigned char*>(pk->data())) != 0) {
    return Refused("signature does not verify");
  }
  json claims = DecodeObject(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (claims.is_null()) return Refused("bad payload");
  TokenClaims c;
  c.issuer = StringClaim(claims, "iss");
  c.subject = StringClaim(claims, "sub");
  c.client_id = StringClaim(claims, "client_id");
  c.token_id = StringClaim(claims, "jti");
  c.issued_at = Seconds(claims, "iat");
  c.expires = Seconds(claims, "exp");
  if (c.issuer != expect.issuer) return Refused("wrong issuer");
  if (!HasAudience(claims, expect.audience)) return Refused("wrong or missing audience");
  c.audience = expect.audience;
  c.key_id = kid;
  if (c.subject.empty() || c.client_id.empty()) return Refused("no subject or client");
  if (c.expires < 0 || c.issued_at < 0) return Refused("no exp or iat");
  if (now >= c.expires) return Refused("expired");
  if (c.issued_at > now + kClockSkew) return Refused("issued in the future");
  return c;
}

std::string JwksJson(const std::vector<SigningKey>& keys) {
  json list = json::array();
  for (const SigningKey& k : keys) {
    if (k.retired != 0) continue;
    list.push_back({{"kty", "OKP"},
                    {"crv", "Ed25519"},
                    {"x", k.public_key},
                    {"kid", k.kid},
                    {"alg", "EdDSA"},
                    {"use", "sig"}});
  }
  return json{{"keys", list}}.dump();
}

}  // namespace odp::access
