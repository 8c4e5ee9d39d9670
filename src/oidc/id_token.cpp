#include "oidc/id_token.h"

#include <memory>
#include <optional>

#include <nlohmann/json.hpp>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include "base/crypto.h"

namespace odp::oidc {
namespace {

using json = nlohmann::json;

constexpr Micros kSecond = 1000000;

Status Refused(const std::string& why) {
  return Status::Unauthenticated(
      "ID token refused: " + why,
      "Không xác minh được thông tin đăng nhập từ nhà cung cấp danh tính");
}

// The JSON object in one base64url part, or null (not strict base64url, too deep, not JSON, not
// an object).
json DecodeObject(std::string_view part) {
  auto bytes = Base64UrlDecode(part);
  if (!bytes || JsonTooDeep(*bytes, kMaxJsonDepth)) return nullptr;
  json j = json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : json(nullptr);
}

std::string StringOf(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// An integer claim in seconds, as microseconds; -1 when absent or not a sane non-negative
// integer.
Micros Seconds(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number_integer()) return -1;
  int64_t v = it->get<int64_t>();
  if (v < 0 || v > 253402300799) return -1;  // up to year 9999
  return v * kSecond;
}

struct Parts {
  std::string_view header, payload, signature;
  json header_json;
};

Result<Parts> Split(std::string_view token) {
  if (token.empty() || token.size() > kMaxIdTokenBytes) return Refused("empty or too long");
  size_t a = token.find('.');
  if (a == std::string_view::npos) return Refused("not three parts");
  size_t b = token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos)
    return Refused("not three parts");
  Parts p{token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1), nullptr};
  p.header_json = DecodeObject(p.header);
  if (p.header_json.is_null()) return Refused("header is not a base64url JSON object");
  auto alg = p.header_json.find("alg");
  if (alg == p.header_json.end() || !alg->is_string() || alg->get<std::string>() != "RS256")
    return Refused("algorithm is not RS256");
  for (const char* k : {"crit", "jku", "jwk", "x5u", "x5c"}) {
    if (p.header_json.contains(k)) return Refused(std::string("header carries \"") + k + "\"");
  }
  auto kid = p.header_json.find("kid");
  if (kid != p.header_json.end() && (!kid->is_string() || kid->get<std::string>().size() > 200))
    return Refused("kid is not a short string");
  return p;
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::unique_ptr<EVP_PKEY, PkeyFree> RsaPublicKey(const RsaJwk& k) {
  std::unique_ptr<BIGNUM, BnFree> n(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(k.modulus.data()),
                static_cast<int>(k.modulus.size()), nullptr));
  std::unique_ptr<BIGNUM, BnFree> e(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(k.exponent.data()),
                static_cast<int>(k.exponent.size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!n || !e || !bld) return nullptr;
  if (OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    return nullptr;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
  return std::unique_ptr<EVP_PKEY, PkeyFree>(raw);
}

bool VerifyRs256(const RsaJwk& key, std::string_view signed_part, std::string_view signature) {
  auto pkey = RsaPublicKey(key);
  if (!pkey) return false;
  // The signature is exactly as long as the modulus (without its leading zero bytes).
  if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(pkey.get()))) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1)
    return false;
  return EVP_DigestVerify(
             md.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
             reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

// The bytes of a base64url big-endian integer without its leading zero bytes.
std::optional<std::string> UnsignedBytes(const json& key, const char* name) {
  auto it = key.find(name);
  if (it == key.end() || !it->is_string() || it->get<std::string>().size() > 2048)
    return std::nullopt;
  auto bytes = Base64UrlDecode(it->get<std::string>());
  if (!bytes) return std::nullopt;
  size_t zeros = 0;
  while (zeros < bytes->size() && (*bytes)[zeros] == '\0') ++zeros;
  bytes->erase(0, zeros);
  if (bytes->empty()) return std::nullopt;
  return bytes;
}

}  // namespace

bool JsonTooDeep(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

Result<std::vector<RsaJwk>> ParseJwks(std::string_view text) {
  Status bad = Status::InvalidArgument("the provider's key set (JWKS) is not usable");
  if (JsonTooDeep(text, kMaxJsonDepth)) return bad;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return bad;
  auto keys = j.find("keys");
  if (keys == j.end() || !keys->is_array() || keys->size() > kMaxJwksKeys) return bad;
  std::vector<RsaJwk> out;
  for (const json& k : *keys) {
    if (!k.is_object() || StringOf(k, "kty") != "RSA") continue;
    if (k.contains("use") && StringOf(k, "use") != "sig") continue;
    if (k.contains("alg") && StringOf(k, "alg") != "RS256") continue;
    auto n = UnsignedBytes(k, "n");
    auto e = UnsignedBytes(k, "e");
    if (!n || !e || n->size() < 256 || n->size() > 1024 || e->size() > 8) continue;
    out.push_back({StringOf(k, "kid"), std::move(*n), std::move(*e)});
  }
  return out;
}

Result<std::string> IdTokenKeyId(std::string_view token) {
  ODP_ASSIGN_OR_RETURN(Parts p, Split(token));
  return StringOf(p.header_json, "kid");
}

Result<IdTokenClaims> VerifyIdToken(std::string_view token, const std::vector<RsaJwk>& keys,
                                    const IdTokenCheck& check) {
  ODP_ASSIGN_OR_RETURN(Parts p, Split(token));
  const std::string kid = StringOf(p.header_json, "kid");
  const RsaJwk* key = nullptr;
  if (kid.empty()) {
    if (keys.size() != 1) return Refused("no kid, and the provider has several keys");
    key = &keys.front();
  } else {
    for (const RsaJwk& k : keys) {
      if (k.kid == kid) key = &k;
    }
    if (key == nullptr) return Refused("unknown kid");
  }
  auto signature = Base64UrlDecode(p.signature);
  if (!signature) return Refused("signature is not base64url");
  std::string_view signed_part = token.substr(0, p.header.size() + 1 + p.payload.size());
  if (!VerifyRs256(*key, signed_part, *signature)) return Refused("bad signature");

  json c = DecodeObject(p.payload);
  if (c.is_null()) return Refused("payload is not a base64url JSON object");
  IdTokenClaims out;
  out.issuer = StringOf(c, "iss");
  if (out.issuer.empty() || out.issuer != check.issuer) return Refused("wrong issuer");
  auto aud = c.find("aud");
  bool audience_ok = false;
  bool several = false;
  if (aud != c.end() && aud->is_string()) {
    audience_ok = aud->get<std::string>() == check.client_id;
  } else if (aud != c.end() && aud->is_array()) {
    several = aud->size() > 1;
    for (const json& a : *aud) audience_ok = audience_ok || (a.is_string() && a == check.client_id);
  }
  if (!audience_ok) return Refused("wrong audience");
  if (c.contains("azp") ? StringOf(c, "azp") != check.client_id : several)
    return Refused("wrong or missing authorized party (azp)");
  out.expires = Seconds(c, "exp");
  out.issued_at = Seconds(c, "iat");
  if (out.expires < 0 || out.expires <= check.now - kIdTokenSkew) return Refused("expired");
  if (out.issued_at < 0 || out.issued_at > check.now + kIdTokenSkew)
    return Refused("issued in the future or without iat");
  const std::string nonce = StringOf(c, "nonce");
  if (nonce.empty() || check.nonce.empty() || !SecretsEqual(nonce, check.nonce))
    return Refused("wrong nonce");
  out.subject = StringOf(c, "sub");
  if (out.subject.empty() || out.subject.size() > 255) return Refused("no subject");
  out.email = StringOf(c, "email");
  auto verified = c.find("email_verified");
  out.email_verified = verified != c.end() && verified->is_boolean() && verified->get<bool>();
  out.name = StringOf(c, "name");
  out.preferred_username = StringOf(c, "preferred_username");
  out.claims_json = c.dump();
  return out;
}

std::string PkceChallenge(std::string_view verifier) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace odp::oidc
