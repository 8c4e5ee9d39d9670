// Test support: RSA keys made in the test with OpenSSL's libcrypto, published as a JWKS and used
// to sign JSON Web Tokens (RS256), as an OpenID Connect provider does.
#pragma once

#include <memory>
#include <string>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "base/crypto.h"

namespace odp::testing {

class RsaTestKey {
 public:
  explicit RsaTestKey(std::string kid, int bits = 2048)
      : kid_(std::move(kid)), key_(EVP_RSA_gen(static_cast<unsigned>(bits))) {}
  ~RsaTestKey() { EVP_PKEY_free(key_); }
  RsaTestKey(const RsaTestKey&) = delete;
  RsaTestKey& operator=(const RsaTestKey&) = delete;

  const std::string& kid() const { return kid_; }

  // The key as a JWK object's text: {"kty":"RSA","kid":…,"use":"sig","alg":"RS256","n":…,"e":…}.
  std::string JwkJson() const {
    return "{\"kty\":\"RSA\",\"kid\":\"" + kid_ + "\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"" +
           Base64UrlEncode(Param(OSSL_PKEY_PARAM_RSA_N)) + "\",\"e\":\"" +
           Base64UrlEncode(Param(OSSL_PKEY_PARAM_RSA_E)) + "\"}";
  }
  // The modulus as bytes (for tests that misuse the public key as an HMAC secret).
  std::string Modulus() const { return Param(OSSL_PKEY_PARAM_RSA_N); }

  // RS256 signature of `data`.
  std::string Sign(const std::string& data) const {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key_);
    EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                   data.size());
    std::string sig(len, '\0');
    EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(data.data()), data.size());
    EVP_MD_CTX_free(md);
    sig.resize(len);
    return sig;
  }

  // A compact JWS of `header` and `payload` (JSON texts) signed with this key.
  std::string Token(const std::string& header, const std::string& payload) const {
    std::string signed_part = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
    return signed_part + "." + Base64UrlEncode(Sign(signed_part));
  }

 private:
  std::string Param(const char* name) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_, name, &bn);
    std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }

  std::string kid_;
  EVP_PKEY* key_;
};

}  // namespace odp::testing
