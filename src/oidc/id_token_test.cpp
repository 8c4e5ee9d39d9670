// ID token verification (oidc/id_token.h) against keys made here with libcrypto: one behaviour
// per test, each a way a token can be wrong.
#include "oidc/id_token.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "base/crypto.h"
#include "testing/rsa_keys.h"

namespace odp::oidc {
namespace {

using json = nlohmann::json;
using testing::RsaTestKey;

constexpr Micros kNow = 1'800'000'000LL * 1000000;  // 2027-01-15
constexpr int64_t kNowSeconds = 1'800'000'000LL;
constexpr const char* kIssuer = "https://dichvucong.example.vn";
constexpr const char* kClient = "odp-client";
constexpr const char* kNonce = "n-0S6_WzA2Mj";

class IdTokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    (void)InitCrypto();
    key_ = new RsaTestKey("k1");
    other_ = new RsaTestKey("k2");
  }
  static void TearDownTestSuite() {
    delete key_;
    delete other_;
  }

  static json Claims() {
    return {{"iss", kIssuer},           {"sub", "248289761001"},  {"aud", kClient},
            {"exp", kNowSeconds + 300}, {"iat", kNowSeconds - 5}, {"nonce", kNonce},
            {"email", "an@example.vn"}, {"email_verified", true}, {"name", "Nguyễn Văn An"}};
  }
  static json Header() { return {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "k1"}}; }
  static std::string Token(const json& header = Header(), const json& claims = Claims()) {
    return key_->Token(header.dump(), claims.dump());
  }
  static std::vector<RsaJwk> Keys() {
    return ParseJwks("{\"keys\":[" + key_->JwkJson() + "," + other_->JwkJson() + "]}").value();
  }
  static Result<IdTokenClaims> Verify(const std::string& token,
                                      const std::vector<RsaJwk>& keys = Keys()) {
    return VerifyIdToken(token, keys, {kIssuer, kClient, kNonce, kNow});
  }

  static RsaTestKey* key_;
  static RsaTestKey* other_;
};
RsaTestKey* IdTokenTest::key_ = nullptr;
RsaTestKey* IdTokenTest::other_ = nullptr;

TEST_F(IdTokenTest, ValidTokenGivesItsClaims) {
  auto c = Verify(Token());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->issuer, kIssuer);
  EXPECT_EQ(c->subject, "248289761001");
  EXPECT_EQ(c->email, "an@example.vn");
  EXPECT_TRUE(c->email_verified);
  EXPECT_EQ(c->name, "Nguyễn Văn An");
  EXPECT_EQ(c->expires, (kNowSeconds + 300) * 1000000);
}

TEST_F(IdTokenTest, AlgorithmNoneIsRefused) {
  json h = Header();
  h["alg"] = "none";
  std::string unsigned_token =
      Base64UrlEncode(h.dump()) + "." + Base64UrlEncode(Claims().dump()) + ".";
  EXPECT_EQ(Verify(unsigned_token).status().code(), StatusCode::kUnauthenticated);
  // Even with a valid RS256 signature attached.
  EXPECT_FALSE(Verify(key_->Token(h.dump(), Claims().dump())).ok());
}

TEST_F(IdTokenTest, Hs256MadeWithThePublicKeyIsRefused) {
  json h = Header();
  h["alg"] = "HS256";
  std::string signed_part = Base64UrlEncode(h.dump()) + "." + Base64UrlEncode(Claims().dump());
  // The classic confusion: the public key (as the verifier would hold it) used as HMAC secret.
  const std::string secret = key_->JwkJson();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(signed_part.data()),
                                signed_part.size());
  crypto_auth_hmacsha256_final(&st, mac);
  std::string token = signed_part + "." +
                      Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), sizeof mac));
  auto r = Verify(token);
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(r.status().message().find("RS256"), std::string::npos);
}

TEST_F(IdTokenTest, OtherAlgorithmsAreRefused) {
  for (const char* alg : {"RS512", "PS256", "ES256", "rs256", ""}) {
    json h = Header();
    h["alg"] = alg;
    EXPECT_FALSE(Verify(Token(h)).ok()) << alg;
  }
  json h = Header();
  h.erase("alg");
  EXPECT_FALSE(Verify(Token(h)).ok());
}

TEST_F(IdTokenTest, HeaderThatBringsItsOwnKeyIsRefused) {
  for (const char* k : {"jwk", "jku", "x5u", "x5c", "crit"}) {
    json h = Header();
    h[k] = "https://attacker.example/keys";
    EXPECT_FALSE(Verify(Token(h)).ok()) << k;
  }
}

TEST_F(IdTokenTest, BadSignatureIsRefused) {
  std::string t = Token();
  // Flip one bit of the signature.
  std::string sig = Base64UrlDecode(t.substr(t.rfind('.') + 1)).value();
  sig[10] = static_cast<char>(sig[10] ^ 1);
  std::string forged = t.substr(0, t.rfind('.') + 1) + Base64UrlEncode(sig);
  EXPECT_EQ(Verify(forged).status().code(), StatusCode::kUnauthenticated);
  // Claims changed after signing.
  json c = Claims();
  c["sub"] = "admin";
  std::string swapped =
      t.substr(0, t.find('.') + 1) + Base64UrlEncode(c.dump()) + t.substr(t.rfind('.'));
  EXPECT_FALSE(Verify(swapped).ok());
}

TEST_F(IdTokenTest, SignedByAnotherKeyUnderThisKidIsRefused) {
  json h = Header();  // says k1
  EXPECT_FALSE(Verify(other_->Token(h.dump(), Claims().dump())).ok());
}

TEST_F(IdTokenTest, UnknownKidIsRefused) {
  json h = Header();
  h["kid"] = "k9";
  auto r = Verify(Token(h));
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("kid"), std::string::npos);
}

TEST_F(IdTokenTest, NoKidNeedsExactlyOneKey) {
  json h = Header();
  h.erase("kid");
  EXPECT_FALSE(Verify(Token(h)).ok());
  auto one = ParseJwks("{\"keys\":[" + key_->JwkJson() + "]}").value();
  EXPECT_TRUE(Verify(Token(h), one).ok());
}

TEST_F(IdTokenTest, ExpiredIsRefusedBeyondTheSkew) {
  json c = Claims();
  c["exp"] = kNowSeconds - 30;  // within the skew: still taken
  EXPECT_TRUE(Verify(Token(Header(), c)).ok());
  c["exp"] = kNowSeconds - 61;
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
  c.erase("exp");
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
}

TEST_F(IdTokenTest, IssuedInTheFutureIsRefused) {
  json c = Claims();
  c["iat"] = kNowSeconds + 120;
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
  c["iat"] = "yesterday";
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
}

TEST_F(IdTokenTest, WrongAudienceIsRefused) {
  json c = Claims();
  c["aud"] = "another-client";
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
  c["aud"] = json::array({"another-client"});
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
  // Several audiences: azp must name us.
  c["aud"] = json::array({"another-client", kClient});
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
  c["azp"] = kClient;
  EXPECT_TRUE(Verify(Token(Header(), c)).ok());
  c["azp"] = "another-client";
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
}

TEST_F(IdTokenTest, WrongIssuerIsRefused) {
  json c = Claims();
  c["iss"] = std::string(kIssuer) + "/";
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
  c["iss"] = "https://attacker.example";
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
}

TEST_F(IdTokenTest, WrongOrMissingNonceIsRefused) {
  json c = Claims();
  c["nonce"] = "replayed";
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
  c.erase("nonce");
  EXPECT_FALSE(Verify(Token(Header(), c)).ok());
}

TEST_F(IdTokenTest, EmailVerifiedOnlyAsJsonTrue) {
  json c = Claims();
  c["email_verified"] = "true";
  EXPECT_FALSE(Verify(Token(Header(), c)).value().email_verified);
}

TEST_F(IdTokenTest, OversizedTokenIsRefusedBeforeAnyWork) {
  json c = Claims();
  c["padding"] = std::string(kMaxIdTokenBytes, 'x');
  std::string t = Token(Header(), c);
  ASSERT_GT(t.size(), kMaxIdTokenBytes);
  EXPECT_NE(Verify(t).status().message().find("too long"), std::string::npos);
}

TEST_F(IdTokenTest, MalformedBase64IsRefused) {
  std::string t = Token();
  size_t dot = t.find('.');
  EXPECT_FALSE(Verify(t.substr(0, dot) + "=" + t.substr(dot)).ok());  // padding
  EXPECT_FALSE(Verify("+" + t.substr(1)).ok());                       // standard alphabet
  EXPECT_FALSE(Verify(t.substr(0, dot) + " " + t.substr(dot)).ok());  // stray byte
  EXPECT_FALSE(Verify(t + "=").ok());                                 // padded signature
  EXPECT_FALSE(Verify(t.substr(0, t.rfind('.'))).ok());               // two parts
  EXPECT_FALSE(Verify(t + ".x").ok());                                // four parts
  EXPECT_FALSE(Verify("").ok());
  // A header that is base64url but not JSON, and JSON that is not an object.
  EXPECT_FALSE(Verify(Base64UrlEncode("not json") + t.substr(dot)).ok());
  EXPECT_FALSE(Verify(Base64UrlEncode("[\"RS256\"]") + t.substr(dot)).ok());
}

TEST_F(IdTokenTest, DeeplyNestedJsonIsRefused) {
  json c = Claims();
  std::string deep = std::string(100, '[') + std::string(100, ']');
  std::string payload = c.dump();
  payload.insert(payload.size() - 1, ",\"x\":" + deep);
  EXPECT_FALSE(Verify(key_->Token(Header().dump(), payload)).ok());
  EXPECT_TRUE(JsonTooDeep(deep, kMaxJsonDepth));
  EXPECT_FALSE(JsonTooDeep("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[\"}", 2));
}

TEST_F(IdTokenTest, JwksKeepsOnlyUsableRsaSigningKeys) {
  std::string jwks = "{\"keys\":[" + key_->JwkJson() +
                     ",{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}"
                     ",{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}"
                     ",{\"kty\":\"RSA\",\"kid\":\"small\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";
  auto keys = ParseJwks(jwks);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ(keys->front().kid, "k1");
  EXPECT_FALSE(ParseJwks("[]").ok());
  EXPECT_FALSE(ParseJwks("{\"keys\":{}}").ok());
  std::string many = "{\"keys\":[";
  for (size_t i = 0; i <= kMaxJwksKeys; ++i) many += (i ? "," : "") + std::string("{}");
  EXPECT_FALSE(ParseJwks(many + "]}").ok());
}

TEST_F(IdTokenTest, PkceChallengeIsRfc7636S256) {
  // RFC 7636 appendix B.
  EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

}  // namespace
}  // namespace odp::oidc
