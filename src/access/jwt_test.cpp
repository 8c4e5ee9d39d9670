// Access tokens: signing and every way a hostile token must fail.
#include "access/jwt.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "base/crypto.h"

namespace odp::access {
namespace {

using json = nlohmann::json;
constexpr Micros kSecond = 1000000;
constexpr Micros kNow = 1'800'000'000LL * kSecond;

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    key_ = NewSigningKey(kNow);
    claims_.issuer = "https://odp.example";
    claims_.audience = "https://odp.example";
    claims_.subject = "system-1";
    claims_.client_id = "odpc_abc";
    claims_.token_id = "jti-1";
    claims_.issued_at = kNow;
    claims_.expires = kNow + 300 * kSecond;
  }
  Result<TokenClaims> Verify(const std::string& token, Micros now = kNow) {
    return VerifyToken(token, {key_}, {"https://odp.example", "https://odp.example"}, now);
  }
  // A token with our header and any `payload`, signed by key_.
  std::string SignPayload(const json& payload) {
    json header = {{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", key_.kid}};
    std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
    auto sk = Base64UrlDecode(key_.secret_key);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(input.data()),
                         input.size(), reinterpret_cast<const unsigned char*>(sk->data()));
    return input + "." +
           Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
  }
  SigningKey key_;
  TokenClaims claims_;
};

TEST_F(JwtTest, SignedTokenVerifiesWithItsClaims) {
  std::string t = SignToken(claims_, key_);
  ASSERT_FALSE(t.empty());
  auto c = Verify(t);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->subject, "system-1");
  EXPECT_EQ(c->client_id, "odpc_abc");
  EXPECT_EQ(c->expires, kNow + 300 * kSecond);
}

TEST_F(JwtTest, ExpiredTokenIsRefused) {
  std::string t = SignToken(claims_, key_);
  EXPECT_TRUE(Verify(t, kNow + 299 * kSecond).ok());
  auto c = Verify(t, kNow + 300 * kSecond);
  EXPECT_EQ(c.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(c.status().message().find("expired"), std::string::npos);
}

TEST_F(JwtTest, TokenIssuedInTheFutureIsRefused) {
  claims_.issued_at = kNow + 10 * 60 * kSecond;
  claims_.expires = claims_.issued_at + 300 * kSecond;
  EXPECT_FALSE(Verify(SignToken(claims_, key_)).ok());
}

TEST_F(JwtTest, TokenSignedByAnotherKeyIsRefused) {
  SigningKey other = NewSigningKey(kNow);
  EXPECT_FALSE(Verify(SignToken(claims_, other)).ok());  // unknown kid
  other.kid = key_.kid;                                  // same kid, wrong key
  auto c = Verify(SignToken(claims_, other));
  EXPECT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("signature"), std::string::npos);
}

TEST_F(JwtTest, RetiredKeyNoLongerVerifies) {
  std::string t = SignToken(claims_, key_);
  key_.retired = kNow;
  EXPECT_FALSE(Verify(t).ok());
}

TEST_F(JwtTest, WrongIssuerIsRefused) {
  claims_.issuer = "https://elsewhere.example";
  EXPECT_FALSE(Verify(SignToken(claims_, key_)).ok());
}

TEST_F(JwtTest, SignedTokenCarriesTheAudience) {
  std::string t = SignToken(claims_, key_);
  const size_t d1 = t.find('.');
  const size_t d2 = t.find('.', d1 + 1);
  auto payload = Base64UrlDecode(t.substr(d1 + 1, d2 - d1 - 1));
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(json::parse(*payload).value("aud", ""), "https://odp.example");
}

TEST_F(JwtTest, WrongAudienceIsRefused) {
  claims_.audience = "https://other-portal.example";
  auto c = Verify(SignToken(claims_, key_));
  EXPECT_EQ(c.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(c.status().message().find("audience"), std::string::npos);
}

// A token signed with our key but without `aud` (or with one we do not expect) is refused, and
// an `aud` array counts only when it holds our audience.
TEST_F(JwtTest, AudienceMustBePresentAndOurs) {
  json payload = {{"iss", "https://odp.example"}, {"sub", "system-1"},
                  {"client_id", "odpc_abc"},      {"jti", "j"},
                  {"iat", kNow / kSecond},        {"exp", kNow / kSecond + 300}};
  EXPECT_FALSE(Verify(SignPayload(payload)).ok());  // no aud
  payload["aud"] = json::array({"https://a.example", "https://odp.example"});
  EXPECT_TRUE(Verify(SignPayload(payload)).ok());
  payload["aud"] = json::array({"https://a.example"});
  EXPECT_FALSE(Verify(SignPayload(payload)).ok());
  payload["aud"] = 7;
  EXPECT_FALSE(Verify(SignPayload(payload)).ok());
  payload["aud"] = "https://odp.example";
  EXPECT_TRUE(Verify(SignPayload(payload)).ok());
  // A verifier that expects no audience accepts nothing.
  EXPECT_FALSE(VerifyToken(SignPayload(payload), {key_}, {"https://odp.example", ""}, kNow).ok());
}

TEST_F(JwtTest, TamperedPayloadIsRefused) {
  std::string t = SignToken(claims_, key_);
  size_t d1 = t.find('.'), d2 = t.rfind('.');
  json payload = json::parse(*Base64UrlDecode(t.substr(d1 + 1, d2 - d1 - 1)));
  payload["sub"] = "system-2";
  std::string forged = t.substr(0, d1 + 1) + Base64UrlEncode(payload.dump()) + t.substr(d2);
  EXPECT_FALSE(Verify(forged).ok());
  // One flipped character of the signature.
  std::string flipped = t;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(Verify(flipped).ok());
}

TEST_F(JwtTest, AlgorithmConfusionIsRefused) {
  std::string t = SignToken(claims_, key_);
  size_t d1 = t.find('.');
  const std::string rest = t.substr(d1);
  for (const json& header :
       {json{{"alg", "none"}, {"typ", "at+jwt"}, {"kid", key_.kid}},
        json{{"alg", "HS256"}, {"typ", "at+jwt"}, {"kid", key_.kid}},
        json{{"alg", "ES256"}, {"typ", "at+jwt"}, {"kid", key_.kid}},
        json{{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", key_.kid}},
        json{{"alg", "EdDSA"}, {"typ", "at+jwt"}},
        json{{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", key_.kid}, {"jwk", {{"kty", "OKP"}}}},
        json{{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", key_.kid}, {"crit", {"exp"}}}}) {
    std::string forged = Base64UrlEncode(header.dump()) + rest;
    EXPECT_FALSE(Verify(forged).ok()) << header.dump();
  }
  // "none" with an empty signature.
  std::string none =
      Base64UrlEncode(json{{"alg", "none"}}.dump()) + t.substr(d1, t.rfind('.') - d1) + ".";
  EXPECT_FALSE(Verify(none).ok());
  // An HMAC over the input keyed with the public key (the classic confusion) is not a signature.
  EXPECT_FALSE(
      Verify(t.substr(0, t.rfind('.')) + "." + Base64UrlEncode(std::string(32, 'x'))).ok());
}

TEST_F(JwtTest, MalformedAndOversizedTokensAreRefused) {
  std::string t = SignToken(claims_, key_);
  EXPECT_FALSE(Verify("").ok());
  EXPECT_FALSE(Verify("a.b").ok());
  EXPECT_FALSE(Verify("a.b.c.d").ok());
  EXPECT_FALSE(Verify(t + ".").ok());
  EXPECT_FALSE(Verify(t + "=").ok());
  EXPECT_FALSE(Verify("!!!." + t.substr(t.find('.') + 1)).ok());
  EXPECT_FALSE(Verify(std::string(kMaxTokenBytes + 1, 'a')).ok());
  EXPECT_FALSE(Verify(Base64UrlEncode("[1,2]") + t.substr(t.find('.'))).ok());
}

TEST_F(JwtTest, ClaimsOfTheWrongTypeAreRefused) {
  claims_.subject = "";
  EXPECT_FALSE(Verify(SignToken(claims_, key_)).ok());
}

TEST_F(JwtTest, JwksListsThePublicHalvesOfLiveKeys) {
  SigningKey retired = NewSigningKey(kNow);
  retired.retired = kNow;
  json jwks = json::parse(JwksJson({key_, retired}));
  ASSERT_EQ(jwks["keys"].size(), 1u);
  const json& k = jwks["keys"][0];
  EXPECT_EQ(k["kty"], "OKP");
  EXPECT_EQ(k["crv"], "Ed25519");
  EXPECT_EQ(k["alg"], "EdDSA");
  EXPECT_EQ(k["kid"], key_.kid);
  EXPECT_EQ(Base64UrlDecode(k["x"].get<std::string>())->size(), 32u);
  EXPECT_EQ(jwks.dump().find(key_.secret_key), std::string::npos);
}

}  // namespace
}  // namespace odp::access
