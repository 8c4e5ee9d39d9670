// The relying party's flow (oidc/relying_party.h) against a provider made here behind the
// HttpClient seam (key rotation and replays are hard to cause with a real one; the end-to-end
// test against LemonLDAP::NG is tests/browser/oidc.test.mjs), and the choice of account
// (oidc/external_accounts.h) on a real store.
#include "oidc/relying_party.h"

#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "oidc/external_accounts.h"
#include "testing/rsa_keys.h"
#include "testing/temp_portal.h"

namespace odp::oidc {
namespace {

using json = nlohmann::json;
using testing::RsaTestKey;

constexpr const char* kIssuer = "https://idp.example.vn";
constexpr const char* kRedirect = "https://data.example.vn/login/oidc/callback";
constexpr Micros kT0 = 1'800'000'000LL * 1000000;
constexpr Micros kMinute = 60LL * 1000000;

std::map<std::string, std::string> QueryOf(const std::string& url) {
  std::map<std::string, std::string> out;
  std::string q = url.substr(url.find('?') + 1);
  size_t start = 0;
  while (start <= q.size()) {
    size_t end = q.find('&', start);
    if (end == std::string::npos) end = q.size();
    std::string kv = q.substr(start, end - start);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) out[kv.substr(0, eq)] = kv.substr(eq + 1);
    start = end + 1;
  }
  return out;
}

// A provider in memory: discovery, a key set it can rotate, an authorization step the test
// drives (Authorize), a token endpoint that checks the code, redirect URI and PKCE verifier,
// and userinfo.
class TestProvider final : public HttpClient {
 public:
  TestProvider() { keys_.push_back(std::make_unique<RsaTestKey>("k1")); }

  std::string issuer = kIssuer;
  std::string subject = "dwho";
  json userinfo = {{"email", "dwho@badwolf.org"}, {"name", "Doctor Who"}};
  std::string userinfo_subject;  // "" = `subject`
  std::string signing_kid;       // "" = the newest published key's
  int jwks_fetches = 0;
  std::string last_verifier;

  // The person signs in at the provider: returns the code for the authorization `url`.
  std::string Authorize(const std::string& url) {
    auto q = QueryOf(url);
    pending_ = q;
    return "code-" + q["state"].substr(0, 8);
  }
  void Rotate(const std::string& kid) {
    keys_.clear();
    keys_.push_back(std::make_unique<RsaTestKey>(kid));
  }

  Result<HttpAnswer> Get(const std::string& url, const std::vector<std::string>& headers) override {
    if (url == std::string(kIssuer) + "/.well-known/openid-configuration") {
      json d = {{"issuer", issuer},
                {"authorization_endpoint", std::string(kIssuer) + "/authorize"},
                {"token_endpoint", std::string(kIssuer) + "/token"},
                {"userinfo_endpoint", std::string(kIssuer) + "/userinfo"},
                {"jwks_uri", std::string(kIssuer) + "/jwks"},
                {"code_challenge_methods_supported", {"plain", "S256"}}};
      return HttpAnswer{200, d.dump()};
    }
    if (url == std::string(kIssuer) + "/jwks") {
      ++jwks_fetches;
      std::string body = "{\"keys\":[";
      for (size_t i = 0; i < keys_.size(); ++i) body += (i ? "," : "") + keys_[i]->JwkJson();
      return HttpAnswer{200, body + "]}"};
    }
    if (url == std::string(kIssuer) + "/userinfo") {
      bool bearer = false;
      for (const auto& h : headers) bearer = bearer || h == "Authorization: Bearer at-1";
      if (!bearer) return HttpAnswer{401, "{}"};
      json u = userinfo;
      u["sub"] = userinfo_subject.empty() ? subject : userinfo_subject;
      return HttpAnswer{200, u.dump()};
    }
    return HttpAnswer{404, ""};
  }

  Result<HttpAnswer> PostForm(const std::string& url, const std::string& body,
                              const std::vector<std::string>& headers) override {
    if (url != std::string(kIssuer) + "/token") return HttpAnswer{404, ""};
    auto form = QueryOf("?" + body);
    last_verifier = form["code_verifier"];
    if (form["grant_type"] != "authorization_code" ||
        form["code"] != "code-" + pending_["state"].substr(0, 8) ||
        PkceChallenge(last_verifier) != pending_["code_challenge"] ||
        pending_["code_challenge_method"] != "S256") {
      return HttpAnswer{400, "{\"error\":\"invalid_grant\"}"};
    }
    pending_.clear();  // a code is good once
    json claims = {{"iss", issuer},        {"sub", subject},
                   {"aud", "odp-client"},  {"exp", kT0 / 1000000 + 3600},
                   {"iat", kT0 / 1000000}, {"nonce", QueryOf("?" + nonce_source_)["nonce"]}};
    const RsaTestKey& key = *keys_.back();
    json header = {{"alg", "RS256"}, {"kid", signing_kid.empty() ? key.kid() : signing_kid}};
    json answer = {{"access_token", "at-1"},
                   {"token_type", "Bearer"},
                   {"id_token", key.Token(header.dump(), claims.dump())}};
    return HttpAnswer{200, answer.dump()};
  }

  // The nonce the token carries: the one of the authorization request.
  void UseNonceOf(const std::string& url) { nonce_source_ = url; }

 private:
  std::vector<std::unique_ptr<RsaTestKey>> keys_;
  std::map<std::string, std::string> pending_;
  std::string nonce_source_;
};

class RelyingPartyTest : public ::testing::Test {
 protected:
  RelyingPartyTest() {
    auto p = std::make_unique<TestProvider>();
    provider_ = p.get();
    OidcSettings s;
    s.enabled = true;
    s.issuer = kIssuer;
    s.client_id = "odp-client";
    s.client_secret = "odp-secret";
    rp_ =
        std::make_unique<RelyingParty>(*portal_.store, *portal_.store, s, kRedirect, std::move(p));
  }

  // One whole sign-in at `now`; the result of Complete.
  Result<VerifiedIdentity> SignIn(Micros now) {
    auto a = rp_->Begin({"/workspace", "", "vi"}, now);
    if (!a.ok()) return a.status();
    provider_->UseNonceOf(a->url);
    std::string code = provider_->Authorize(a->url);
    return rp_->Complete(a->state, a->state, code, now + 5 * 1000000);
  }

  testing::TempPortal portal_;
  TestProvider* provider_;
  std::unique_ptr<RelyingParty> rp_;
};

TEST_F(RelyingPartyTest, AuthorizationRequestCarriesPkceS256StateAndNonce) {
  auto a = rp_->Begin({"/", "", "en"}, kT0);
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto q = QueryOf(a->url);
  EXPECT_EQ(a->url.rfind(std::string(kIssuer) + "/authorize?", 0), 0u);
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["client_id"], "odp-client");
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_EQ(q["code_challenge"].size(), 43u);
  EXPECT_EQ(q["state"], a->state);
  EXPECT_GE(q["nonce"].size(), 40u);
  EXPECT_EQ(q["scope"], "openid%20email%20profile");
  EXPECT_EQ(q["redirect_uri"], "https%3A%2F%2Fdata.example.vn%2Flogin%2Foidc%2Fcallback");
}

TEST_F(RelyingPartyTest, CompletesWithVerifiedTokenAndUserinfo) {
  auto who = SignIn(kT0);
  ASSERT_TRUE(who.ok()) << who.status().message();
  EXPECT_EQ(who->claims.subject, "dwho");
  EXPECT_EQ(who->claims.issuer, kIssuer);
  EXPECT_EQ(who->claims.email, "dwho@badwolf.org");  // from userinfo
  EXPECT_FALSE(who->claims.email_verified);
  EXPECT_EQ(who->request.return_to, "/workspace");
  EXPECT_EQ(provider_->last_verifier.size(), 64u);
}

TEST_F(RelyingPartyTest, StateMustBeTheBrowsersAndIsUsedOnce) {
  auto a = rp_->Begin({"/", "", "vi"}, kT0);
  ASSERT_TRUE(a.ok());
  provider_->UseNonceOf(a->url);
  std::string code = provider_->Authorize(a->url);
  // Another browser (no cookie, or another sign-in's cookie) cannot finish it.
  EXPECT_EQ(rp_->Complete(a->state, "", code, kT0).status().code(), StatusCode::kUnauthenticated);
  EXPECT_FALSE(rp_->Complete(a->state, "someone-elses-state", code, kT0).ok());
  ASSERT_TRUE(rp_->Complete(a->state, a->state, code, kT0).ok());
  // A replayed callback finds nothing.
  auto again = rp_->Complete(a->state, a->state, code, kT0);
  EXPECT_EQ(again.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(again.status().message().find("already used"), std::string::npos);
}

TEST_F(RelyingPartyTest, SlowSignInExpires) {
  auto a = rp_->Begin({"/", "", "vi"}, kT0);
  ASSERT_TRUE(a.ok());
  provider_->UseNonceOf(a->url);
  std::string code = provider_->Authorize(a->url);
  EXPECT_FALSE(rp_->Complete(a->state, a->state, code, kT0 + kSignInLifetime + 1).ok());
}

TEST_F(RelyingPartyTest, KeyRotationFetchesTheSetAgainOnceAndRateLimited) {
  ASSERT_TRUE(SignIn(kT0).ok());
  EXPECT_EQ(provider_->jwks_fetches, 1);
  ASSERT_TRUE(SignIn(kT0 + kMinute).ok());
  EXPECT_EQ(provider_->jwks_fetches, 1);  // cached
  // The provider rotates its key: the new kid makes one fetch, and the sign-in works.
  provider_->Rotate("k2");
  auto rotated = SignIn(kT0 + 2 * kMinute);
  ASSERT_TRUE(rotated.ok()) << rotated.status().message();
  EXPECT_EQ(provider_->jwks_fetches, 2);
  // Tokens naming a kid the provider does not publish: one fetch, then none within the interval.
  provider_->signing_kid = "forged";
  EXPECT_FALSE(SignIn(kT0 + 4 * kMinute).ok());
  EXPECT_EQ(provider_->jwks_fetches, 3);
  EXPECT_FALSE(SignIn(kT0 + 4 * kMinute + 1000000).ok());
  EXPECT_FALSE(SignIn(kT0 + 4 * kMinute + 2000000).ok());
  EXPECT_EQ(provider_->jwks_fetches, 3);
}

TEST_F(RelyingPartyTest, DiscoveryNamingAnotherIssuerIsRefused) {
  provider_->issuer = "https://attacker.example";
  auto a = rp_->Begin({"/", "", "vi"}, kT0);
  EXPECT_EQ(a.status().code(), StatusCode::kUnavailable);
}

TEST_F(RelyingPartyTest, UserinfoOfAnotherSubjectIsRefused) {
  provider_->userinfo_subject = "someone-else";
  auto r = SignIn(kT0);
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(r.status().message().find("userinfo"), std::string::npos);
}

TEST_F(RelyingPartyTest, DisabledOrUnsetSettingsRefuseToBegin) {
  OidcSettings off;
  off.issuer = kIssuer;
  off.client_id = "odp-client";
  off.enabled = false;
  ASSERT_TRUE(rp_->Save(off, false).ok());
  EXPECT_EQ(rp_->Begin({"/", "", "vi"}, kT0).status().code(), StatusCode::kUnavailable);
}

TEST(OidcSettingsTest, ValidationAndSecretKeeping) {
  OidcSettings s;
  s.enabled = true;
  s.issuer = "http://idp.example.vn";  // http only on loopback
  s.client_id = "odp";
  EXPECT_TRUE(ValidateOidcSettings(s).fields().count("oidc_issuer"));
  s.issuer = "http://localhost:8999";
  EXPECT_TRUE(ValidateOidcSettings(s).ok());
  s.issuer = "https://user@idp.example.vn";
  EXPECT_FALSE(ValidateOidcSettings(s).ok());
  s.issuer = "https://idp.example.vn";
  s.mapping.claim = "groups";
  EXPECT_TRUE(ValidateOidcSettings(s).fields().count("oidc_role_organization"));
  s.mapping.organization = "so-gd";
  s.mapping.value = "bientap";
  s.mapping.role = "owner";
  EXPECT_TRUE(ValidateOidcSettings(s).fields().count("oidc_role"));
  s.mapping.role = "editor";
  EXPECT_TRUE(ValidateOidcSettings(s).ok());

  testing::TempPortal portal;
  RelyingParty rp(*portal.store, *portal.store, {}, kRedirect);
  s.client_secret = "secret-1";
  ASSERT_TRUE(rp.Save(s, false).ok());
  OidcSettingsView v = rp.View();
  EXPECT_TRUE(v.secret_set);
  EXPECT_EQ(v.settings.client_secret, "");
  s.client_secret = "";
  ASSERT_TRUE(rp.Save(s, false).ok());  // an empty secret keeps the stored one
  EXPECT_EQ(rp.Settings().client_secret, "secret-1");
  ASSERT_TRUE(rp.Save(s, true).ok());
  EXPECT_EQ(rp.Settings().client_secret, "");
}

// The choice of account ------------------------------------------------------------------

class ExternalAccountsTest : public ::testing::Test {
 protected:
  ExternalAccountsTest() : accounts_(*portal_.store, *portal_.store, *portal_.store) {}

  static VerifiedIdentity Who(const std::string& sub, const std::string& email, bool verified,
                              json claims = json::object()) {
    VerifiedIdentity v;
    v.claims.issuer = kIssuer;
    v.claims.subject = sub;
    v.claims.email = email;
    v.claims.email_verified = verified;
    v.claims.name = "Nguyễn Văn An";
    claims["sub"] = sub;
    v.claims_json = claims.dump();
    return v;
  }
  User Existing(const std::string& username, const std::string& email) {
    return portal_.accounts->CreateUser({username, email, "", "Mat-khau-rat-dai-2026", false})
        .value();
  }

  testing::TempPortal portal_;
  ExternalAccounts accounts_;
};

TEST_F(ExternalAccountsTest, FirstSignInCreatesAPlainAccountThenReusesIt) {
  auto first = accounts_.Resolve(Who("s-1", "an@example.vn", false), {});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->how, "new account");
  EXPECT_EQ(first->user.username, "an");
  EXPECT_EQ(first->user.email, "an@example.vn");
  EXPECT_EQ(first->user.password_hash, "");
  EXPECT_FALSE(first->user.sysadmin);
  EXPECT_TRUE(portal_.store->ListMembershipsOfUser(first->user.id).value().empty());
  auto second = accounts_.Resolve(Who("s-1", "an@example.vn", false), {});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->how, "linked");
  EXPECT_EQ(second->user.id, first->user.id);
  EXPECT_EQ(portal_.store->ListUsers().value().size(), 1u);
}

TEST_F(ExternalAccountsTest, VerifiedMatchingEmailLinksTheExistingAccount) {
  User an = Existing("an", "An@Example.vn");
  auto r = accounts_.Resolve(Who("s-2", "an@example.vn", true), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->how, "verified e-mail");
  EXPECT_EQ(r->user.id, an.id);
  EXPECT_EQ(accounts_.List(an.id).value().size(), 1u);
}

TEST_F(ExternalAccountsTest, UnverifiedEmailNeverTakesOverAnAccount) {
  User an = Existing("an", "an@example.vn");
  auto r = accounts_.Resolve(Who("s-3", "an@example.vn", false), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->how, "new account");
  EXPECT_NE(r->user.id, an.id);
  EXPECT_EQ(r->user.username, "an-2");
  EXPECT_NE(r->user.email.find("@users.invalid"), std::string::npos);
  EXPECT_TRUE(accounts_.List(an.id).value().empty());
}

TEST_F(ExternalAccountsTest, LinkingFromTheAccountPage) {
  User an = Existing("an", "an@example.vn");
  User binh = Existing("binh", "binh@example.vn");
  VerifiedIdentity who = Who("s-4", "other@example.vn", false);
  who.request.link_user_id = an.id;
  auto r = accounts_.Resolve(who, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->user.id, an.id);
  EXPECT_EQ(r->how, "account page");
  // The same identity cannot be linked to a second account.
  who.request.link_user_id = binh.id;
  EXPECT_EQ(accounts_.Resolve(who, {}).status().code(), StatusCode::kAlreadyExists);
  // Signing in with it lands in the first account.
  auto in = accounts_.Resolve(Who("s-4", "", false), {});
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->user.id, an.id);
  ASSERT_TRUE(accounts_.Unlink(an.id, kIssuer, "s-4").ok());
  EXPECT_EQ(accounts_.Unlink(an.id, kIssuer, "s-4").code(), StatusCode::kNotFound);
}

TEST_F(ExternalAccountsTest, RolesComeOnlyFromTheAdminsMapping) {
  Organization org;
  org.id = "org-gd";
  org.slug = "so-gd";
  org.title_vi = "Sở Giáo dục";
  org.title_en = "Department of Education";
  ASSERT_TRUE(portal_.store->InsertOrganization(org).ok());
  json claims = {{"groups", {"can-bo", "bien-tap-gd"}}, {"role", "admin"}};
  // No mapping: nothing, whatever the claims say.
  auto plain = accounts_.Resolve(Who("s-5", "", false, claims), {});
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(portal_.store->ListMembershipsOfUser(plain->user.id).value().empty());
  EXPECT_FALSE(plain->user.sysadmin);
  // A mapping that does not match: nothing.
  RoleMapping m{"groups", "quan-tri", "so-gd", "admin"};
  ASSERT_TRUE(accounts_.Resolve(Who("s-5", "", false, claims), m).ok());
  EXPECT_TRUE(portal_.store->ListMembershipsOfUser(plain->user.id).value().empty());
  // A matching one: the mapped role, once.
  m = {"groups", "bien-tap-gd", "so-gd", "editor"};
  auto mapped = accounts_.Resolve(Who("s-5", "", false, claims), m);
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->role_granted, "editor of so-gd");
  auto ms = portal_.store->ListMembershipsOfUser(plain->user.id).value();
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].organization_id, "org-gd");
  EXPECT_EQ(ms[0].role, OrgRole::kEditor);
  // A membership changed by hand is left as it is.
  ASSERT_TRUE(portal_.store->PutMembership({plain->user.id, "org-gd", OrgRole::kMember}).ok());
  auto again = accounts_.Resolve(Who("s-5", "", false, claims), m);
  EXPECT_EQ(again->role_granted, "");
  EXPECT_EQ(portal_.store->ListMembershipsOfUser(plain->user.id).value()[0].role, OrgRole::kMember);
}

TEST(ClaimMatchesTest, StringsArraysNumbersAndNothingElse) {
  RoleMapping m{"grp", "7", "x", "member"};
  EXPECT_TRUE(ClaimMatches(R"({"grp":"7"})", m));
  EXPECT_TRUE(ClaimMatches(R"({"grp":7})", m));
  EXPECT_TRUE(ClaimMatches(R"({"grp":["1","7"]})", m));
  EXPECT_FALSE(ClaimMatches(R"({"grp":"77"})", m));
  EXPECT_FALSE(ClaimMatches(R"({"grp":{"7":true}})", m));
  EXPECT_FALSE(ClaimMatches(R"({"other":"7"})", m));
  EXPECT_FALSE(ClaimMatches("not json", m));
  EXPECT_FALSE(ClaimMatches(R"({"grp":"7"})", RoleMapping{}));
}

}  // namespace
}  // namespace odp::oidc
