// Consumer systems: registration, decisions, credentials and the authentication of their calls.
#include "access/consumers.h"

#include <gtest/gtest.h>

#include "access/jwt.h"
#include "base/crypto.h"
#include "testing/temp_portal.h"

namespace odp::access {
namespace {

constexpr Micros kSecond = 1000000;

class ConsumersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Organization o;
    o.id = "org-stc";
    o.slug = "so-thong-tin";
    o.title_vi = o.title_en = "Sở Thông tin";
    ASSERT_TRUE(portal_.store->InsertOrganization(o).ok());
    o.id = "org-other";
    o.slug = "so-khac";
    ASSERT_TRUE(portal_.store->InsertOrganization(o).ok());
    admin_.user_id = "u-admin";
    admin_.username = "admin";
    admin_.roles["org-stc"] = OrgRole::kAdmin;
    editor_.user_id = "u-editor";
    editor_.roles["org-stc"] = OrgRole::kEditor;
    outsider_.user_id = "u-out";
    outsider_.roles["org-other"] = OrgRole::kAdmin;
    service_ = std::make_unique<ConsumerService>(
        *portal_.store, *portal_.store,
        ConsumerOptions{.issuer = "https://odp.test", .audience = "https://odp.test"});
  }
  ConsumerRegistration Valid() {
    ConsumerRegistration r;
    r.organization = "so-thong-tin";
    r.agency_code = "000.00.12.h41";
    r.system_code = "Mot-Cua";
    r.name = "Hệ thống một cửa điện tử";
    r.technical = {"Nguyễn Văn Kỹ", "ky@stc.gov.vn", "+84 912 345 678", ""};
    r.contacts = {{"Trần Thị Lan", "lan@stc.gov.vn", "", "lãnh đạo"}};
    return r;
  }
  ConsumerSystem Approved() {
    auto c = service_->Register(admin_, Valid());
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    auto a = service_->Approve(testing::TempPortal::Sysadmin(), c->id);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return *a;
  }

  testing::TempPortal portal_;
  Principal admin_, editor_, outsider_;
  std::unique_ptr<ConsumerService> service_;
};

TEST_F(ConsumersTest, RegistrationValidatesEveryFieldAndNormalisesCodes) {
  ConsumerRegistration bad;
  bad.organization = "so-thong-tin";
  bad.agency_code = "H41.12";
  bad.system_code = "-x";
  bad.technical.email = "no-at";
  bad.technical.phone = "call me";
  auto r = service_->Register(admin_, bad);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  for (const char* f : {"agency_code", "system_code", "name", "technical_name", "technical_email",
                        "technical_phone"}) {
    EXPECT_TRUE(r.status().fields().count(f)) << f;
  }
  auto ok = service_->Register(admin_, Valid());
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->agency_code, "000.00.12.H41");
  EXPECT_EQ(ok->system_code, "mot-cua");
  EXPECT_EQ(ok->state, "pending");
  EXPECT_EQ(ok->organization_id, "org-stc");
  EXPECT_EQ(service_->Register(admin_, Valid()).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(ConsumersTest, OnlyTheOrganizationsAdminsRegisterAndSeeItsSystems) {
  EXPECT_EQ(service_->Register(editor_, Valid()).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Register(outsider_, Valid()).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Register(Principal{}, Valid()).status().code(),
            StatusCode::kPermissionDenied);
  auto c = service_->Register(admin_, Valid());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(service_->Get(outsider_, c->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Get(editor_, c->id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(service_->Get(admin_, c->id).ok());
  EXPECT_EQ(service_->List(admin_)->size(), 1u);
  EXPECT_EQ(service_->List(outsider_)->size(), 0u);
  EXPECT_EQ(service_->List(testing::TempPortal::Sysadmin(), "pending")->size(), 1u);
  EXPECT_EQ(service_->List(testing::TempPortal::Sysadmin(), "approved")->size(), 0u);
}

TEST_F(ConsumersTest, TheDataUnitApprovesOrRefusesWithAReason) {
  auto c = service_->Register(admin_, Valid());
  ASSERT_TRUE(c.ok());
  const Principal root = testing::TempPortal::Sysadmin();
  EXPECT_EQ(service_->Approve(admin_, c->id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Refuse(root, c->id, "  ").status().code(), StatusCode::kInvalidArgument);
  auto refused = service_->Refuse(root, c->id, "Thiếu văn bản đề nghị");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->state, "refused");
  EXPECT_EQ(refused->reason, "Thiếu văn bản đề nghị");
  EXPECT_EQ(refused->decided_by, "root");
  // No credentials while not approved.
  EXPECT_EQ(service_->IssueCredential(admin_, c->id, {"api_key", "k", 30}).status().code(),
            StatusCode::kConflict);
  auto approved = service_->Approve(root, c->id);
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->state, "approved");
  EXPECT_EQ(approved->reason, "");
  EXPECT_EQ(service_->Refuse(root, c->id, "late").status().code(), StatusCode::kConflict);
}

// Review finding F4: an organization's admin registered under another agency's code. The code
// belongs to the organization whose system the data unit approved first.
TEST_F(ConsumersTest, AnAgencyCodeBelongsToTheOrganizationApprovedUnderItFirst) {
  const Principal root = testing::TempPortal::Sysadmin();
  ConsumerRegistration squat = Valid();
  squat.organization = "so-khac";
  squat.system_code = "ke-mao-danh";
  auto pending = service_->Register(outsider_, squat);  // before anyone holds the code
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  Approved();  // the agency's own system, code 000.00.12.H41
  // Another organization can no longer register under that code, nor be approved under it.
  squat.system_code = "ke-mao-danh-2";
  auto again = service_->Register(outsider_, squat);
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
  EXPECT_TRUE(again.status().fields().count("agency_code"));
  EXPECT_EQ(service_->Approve(root, pending->id).status().code(), StatusCode::kConflict);
  // The holder registers more systems under its code.
  ConsumerRegistration second = Valid();
  second.system_code = "dich-vu-cong";
  EXPECT_TRUE(service_->Register(admin_, second).ok());
}

// Two decisions at once (an approval read "pending" while a revocation committed): the later
// write must not undo the revocation. The store writes a decision only from the state it read.
TEST_F(ConsumersTest, ADecisionFromAStateThatChangedMeanwhileIsRefused) {
  auto c = service_->Register(admin_, Valid());
  ASSERT_TRUE(c.ok());
  ConsumerSystem stale = *c;  // what an approval read: pending
  ASSERT_TRUE(service_->Revoke(admin_, c->id, "Bị lộ khoá").ok());
  stale.state = "approved";
  EXPECT_EQ(portal_.store->UpdateConsumerSystem(stale, "pending").code(), StatusCode::kConflict);
  EXPECT_EQ(portal_.store->GetConsumerSystem(c->id)->state, "revoked");
  EXPECT_EQ(service_->Approve(testing::TempPortal::Sysadmin(), c->id).status().code(),
            StatusCode::kConflict);
}

TEST_F(ConsumersTest, ApiKeyIsShownOnceStoredHashedAndAuthenticatesTheSystem) {
  ConsumerSystem c = Approved();
  auto k = service_->IssueCredential(admin_, c.id, {"api_key", "production", 30});
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->secret.rfind("odpk_", 0), 0u);
  auto stored = portal_.store->GetConsumerCredential(k->credential.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->secret_hash, Sha256Hex(k->secret));
  EXPECT_EQ(stored->lookup, k->secret.substr(0, 13));
  auto listed = service_->ListCredentials(admin_, c.id);
  ASSERT_TRUE(listed.ok());
  for (const auto& l : *listed) EXPECT_TRUE(l.secret_hash.empty());
  auto p = service_->AuthenticateKey(k->secret);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->consumer_id, c.id);
  EXPECT_EQ(p->via, Principal::Via::kConsumerKey);
  EXPECT_FALSE(p->authenticated());  // not a user
  EXPECT_TRUE(p->roles.empty());
  EXPECT_EQ(service_->AuthenticateKey(k->secret + "x").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(service_->AuthenticateKey("odpk_" + std::string(500, 'a')).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(service_->AuthenticateKey("").status().code(), StatusCode::kUnauthenticated);
}

TEST_F(ConsumersTest, TwoKeysLiveAtOnceForRotationAndNoThird) {
  ConsumerSystem c = Approved();
  auto first = service_->IssueCredential(admin_, c.id, {"api_key", "old", 30});
  auto second = service_->IssueCredential(admin_, c.id, {"api_key", "new", 30});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(service_->AuthenticateKey(first->secret).ok());
  EXPECT_TRUE(service_->AuthenticateKey(second->secret).ok());
  EXPECT_EQ(service_->IssueCredential(admin_, c.id, {"api_key", "third", 30}).status().code(),
            StatusCode::kConflict);
  // An OAuth client is another kind: allowed.
  EXPECT_TRUE(service_->IssueCredential(admin_, c.id, {"oauth_client", "", 30}).ok());
  ASSERT_TRUE(service_->RevokeCredential(admin_, c.id, first->credential.id).ok());
  EXPECT_EQ(service_->AuthenticateKey(first->secret).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(service_->AuthenticateKey(second->secret).ok());
  EXPECT_TRUE(service_->IssueCredential(admin_, c.id, {"api_key", "third", 30}).ok());
  EXPECT_EQ(service_->RevokeCredential(outsider_, c.id, second->credential.id).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->RevokeCredential(admin_, c.id, first->credential.id).code(),
            StatusCode::kNotFound);
}

TEST_F(ConsumersTest, ExpiredKeyStopsWorking) {
  ConsumerSystem c = Approved();
  auto k = service_->IssueCredential(admin_, c.id, {"api_key", "", 1});
  ASSERT_TRUE(k.ok());
  EXPECT_TRUE(service_->AuthenticateKey(k->secret).ok());
  const Micros later = NowMicros() + 86400 * kSecond + kSecond;
  SetClockForTest([later] { return later; });
  EXPECT_EQ(service_->AuthenticateKey(k->secret).status().code(), StatusCode::kUnauthenticated);
  SetClockForTest(nullptr);
}

TEST_F(ConsumersTest, RevokingTheSystemRevokesEveryCredential) {
  ConsumerSystem c = Approved();
  auto k = service_->IssueCredential(admin_, c.id, {"api_key", "", 30});
  auto client = service_->IssueCredential(admin_, c.id, {"oauth_client", "", 30});
  ASSERT_TRUE(k.ok() && client.ok());
  auto token = service_->IssueToken(client->client_id, client->secret);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(service_->AuthenticateToken(token->token).ok());
  EXPECT_EQ(service_->Revoke(admin_, c.id, "").status().code(), StatusCode::kInvalidArgument);
  auto revoked = service_->Revoke(admin_, c.id, "Ngừng vận hành");
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->state, "revoked");
  EXPECT_FALSE(service_->AuthenticateKey(k->secret).ok());
  EXPECT_FALSE(service_->AuthenticateToken(token->token).ok());  // still signed, no longer valid
  EXPECT_FALSE(service_->IssueToken(client->client_id, client->secret).ok());
  EXPECT_EQ(service_->Approve(testing::TempPortal::Sysadmin(), c.id).status().code(),
            StatusCode::kConflict);
}

TEST_F(ConsumersTest, ClientCredentialsGiveShortLivedSignedTokens) {
  ConsumerSystem c = Approved();
  auto client = service_->IssueCredential(admin_, c.id, {"oauth_client", "erp", 30});
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->client_id.rfind("odpc_", 0), 0u);
  EXPECT_EQ(service_->IssueToken(client->client_id, client->secret + "x").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(service_->IssueToken("odpc_unknown", client->secret).status().code(),
            StatusCode::kUnauthenticated);
  auto t = service_->IssueToken(client->client_id, client->secret);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->expires_in, 300);
  auto p = service_->AuthenticateToken(t->token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->consumer_id, c.id);
  EXPECT_EQ(p->via, Principal::Via::kConsumerToken);
  // The token is a JWT that the JWKS verifies.
  auto keys = portal_.store->ListSigningKeys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_TRUE(
      VerifyToken(t->token, *keys, {"https://odp.test", "https://odp.test"}, NowMicros()).ok());
  // Another portal (or service) that trusts the same issuer but is a different audience refuses it.
  EXPECT_FALSE(
      VerifyToken(t->token, *keys, {"https://odp.test", "https://other.test"}, NowMicros()).ok());
  EXPECT_NE(service_->Jwks()->find(keys->front().kid), std::string::npos);
  // After its lifetime it is refused.
  const Micros later = NowMicros() + 301 * kSecond;
  SetClockForTest([later] { return later; });
  EXPECT_EQ(service_->AuthenticateToken(t->token).status().code(), StatusCode::kUnauthenticated);
  SetClockForTest(nullptr);
  // Revoking the client refuses its tokens at once.
  ASSERT_TRUE(service_->RevokeCredential(admin_, c.id, client->credential.id).ok());
  EXPECT_FALSE(service_->AuthenticateToken(t->token).ok());
}

TEST_F(ConsumersTest, RotationKeepsOldTokensValidUntilTheOldKeyIsRetired) {
  ConsumerSystem c = Approved();
  auto client = service_->IssueCredential(admin_, c.id, {"oauth_client", "", 30});
  ASSERT_TRUE(client.ok());
  auto old_token = service_->IssueToken(client->client_id, client->secret);
  ASSERT_TRUE(old_token.ok());
  const Principal root = testing::TempPortal::Sysadmin();
  EXPECT_EQ(service_->RotateSigningKey(admin_).status().code(), StatusCode::kPermissionDenied);
  auto fresh = service_->RotateSigningKey(root);
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh->secret_key.empty());
  EXPECT_TRUE(service_->AuthenticateToken(old_token->token).ok());  // the old key still verifies
  auto new_token = service_->IssueToken(client->client_id, client->secret);
  ASSERT_TRUE(new_token.ok());
  EXPECT_NE(new_token->token.substr(0, new_token->token.find('.')),
            old_token->token.substr(0, old_token->token.find('.')));
  // A second rotation, after every token of the first key expired, retires the first key.
  const Micros later = NowMicros() + 400 * kSecond;
  SetClockForTest([later] { return later; });
  ASSERT_TRUE(service_->RotateSigningKey(root).ok());
  SetClockForTest(nullptr);
  auto keys = service_->ListSigningKeys(root);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 3u);
  int retired = 0;
  for (const auto& k : *keys) retired += k.retired != 0;
  EXPECT_EQ(retired, 1);
  for (const auto& k : *keys) EXPECT_TRUE(k.secret_key.empty());
}

TEST_F(ConsumersTest, RetiringTheSigningKeyRefusesItsTokensAtOnceAndAFreshKeySigns) {
  ConsumerSystem c = Approved();
  auto client = service_->IssueCredential(admin_, c.id, {"oauth_client", "", 30});
  ASSERT_TRUE(client.ok());
  auto leaked = service_->IssueToken(client->client_id, client->secret);
  ASSERT_TRUE(leaked.ok());
  // A second server on the same database, which has read (and cached) the keys already.
  ConsumerService other(*portal_.store, *portal_.store, service_->options());
  ASSERT_TRUE(other.AuthenticateToken(leaked->token).ok());
  auto keys = portal_.store->ListSigningKeys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  const std::string kid = keys->front().kid;

  const Principal root = testing::TempPortal::Sysadmin();
  EXPECT_EQ(service_->RetireSigningKey(admin_, kid).status().code(), StatusCode::kPermissionDenied);
  auto signer = service_->RetireSigningKey(root, kid);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_NE(signer->kid, kid);
  EXPECT_TRUE(signer->secret_key.empty());
  // Refused at once here and on the other server, whose key cache is still fresh.
  EXPECT_EQ(service_->AuthenticateToken(leaked->token).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(other.AuthenticateToken(leaked->token).status().code(), StatusCode::kUnauthenticated);
  // The other server's next token is signed by the fresh key, not the retired one it cached.
  auto fresh = other.IssueToken(client->client_id, client->secret);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  auto p = service_->AuthenticateToken(fresh->token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->consumer_id, c.id);
  EXPECT_EQ(service_->Jwks()->find(kid), std::string::npos);
  // Only keys not retired can be retired.
  EXPECT_EQ(service_->RetireSigningKey(root, kid).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->RetireSigningKey(root, "no-such-kid").status().code(), StatusCode::kNotFound);
}

TEST_F(ConsumersTest, RetiringAnOlderKeyKeepsTheNewestSigning) {
  ConsumerSystem c = Approved();
  auto client = service_->IssueCredential(admin_, c.id, {"oauth_client", "", 30});
  ASSERT_TRUE(client.ok());
  auto old_token = service_->IssueToken(client->client_id, client->secret);
  ASSERT_TRUE(old_token.ok());
  const Principal root = testing::TempPortal::Sysadmin();
  auto newest = service_->RotateSigningKey(root);
  ASSERT_TRUE(newest.ok());
  auto keys = portal_.store->ListSigningKeys();  // newest first
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  auto signer = service_->RetireSigningKey(root, keys->back().kid);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->kid, newest->kid);
  EXPECT_FALSE(service_->AuthenticateToken(old_token->token).ok());
  auto t = service_->IssueToken(client->client_id, client->secret);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(service_->AuthenticateToken(t->token).ok());
  EXPECT_EQ(portal_.store->ListSigningKeys()->size(), 2u);  // no key made
}

}  // namespace
}  // namespace odp::access
