#include "access/accounts.h"

#include <gtest/gtest.h>

#include "testing/temp_portal.h"

namespace odp::access {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  testing::TempPortal portal_;
  AccountService& accounts() { return *portal_.accounts; }
};

TEST_F(AccountsTest, CreateUserValidatesEveryField) {
  auto r = accounts().CreateUser({"A B", "not-an-email", "", "short", false});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.status().fields().count("username"));
  EXPECT_TRUE(r.status().fields().count("email"));
  EXPECT_TRUE(r.status().fields().count("password"));
}

TEST_F(AccountsTest, DuplicateUsernameOrEmailIsRefused) {
  ASSERT_TRUE(accounts().CreateUser({"lan", "lan@hue.gov.vn", "Lan", "mat-khau-dai", false}).ok());
  EXPECT_EQ(
      accounts().CreateUser({"lan", "x@hue.gov.vn", "", "mat-khau-dai", false}).status().code(),
      StatusCode::kAlreadyExists);
  EXPECT_EQ(
      accounts().CreateUser({"lan2", "LAN@hue.gov.vn", "", "mat-khau-dai", false}).status().code(),
      StatusCode::kAlreadyExists);
}

TEST_F(AccountsTest, LoginOpensASessionThatResolvesToThePrincipal) {
  auto u = accounts().CreateUser({"minh", "minh@hue.gov.vn", "Minh", "mật khẩu mạnh", false});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(accounts().Login("minh", "sai mật khẩu", 1000000).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts().Login("nobody", "mật khẩu mạnh", 1000000).status().code(),
            StatusCode::kUnauthenticated);
  auto s = accounts().Login("minh@hue.gov.vn", "mật khẩu mạnh", 3600LL * 1000000);
  ASSERT_TRUE(s.ok());
  auto p = accounts().PrincipalFromSession(s->cookie_value);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->username, "minh");
  EXPECT_EQ(p->via, Principal::Via::kSession);
  EXPECT_EQ(p->csrf_token, s->csrf_token);
  ASSERT_TRUE(accounts().Logout(s->cookie_value).ok());
  EXPECT_FALSE(accounts().PrincipalFromSession(s->cookie_value).ok());
}

TEST_F(AccountsTest, ExpiredSessionsStopWorkingAndArePurgedAtTheNextLogin) {
  ASSERT_TRUE(accounts().CreateUser({"thu", "thu@hue.gov.vn", "", "mat-khau-dai", false}).ok());
  auto old = accounts().Login("thu", "mat-khau-dai", 1);  // expires after a microsecond
  ASSERT_TRUE(old.ok());
  Micros later = NowMicros() + 10'000'000;
  SetClockForTest([later] { return later; });
  EXPECT_EQ(accounts().PrincipalFromSession(old->cookie_value).status().code(),
            StatusCode::kUnauthenticated);
  ASSERT_TRUE(accounts().Login("thu", "mat-khau-dai", 3600LL * 1000000).ok());
  SetClockForTest(nullptr);
  EXPECT_EQ(portal_.store->GetSession(Sha256Hex(old->cookie_value)).status().code(),
            StatusCode::kNotFound);
}

TEST_F(AccountsTest, TokensAreStoredHashedAndStopWorkingWhenRevoked) {
  auto u = accounts().CreateUser({"hoa", "hoa@hue.gov.vn", "", "mat-khau-dai", false});
  ASSERT_TRUE(u.ok());
  auto t = accounts().CreateToken("hoa", "script");
  ASSERT_TRUE(t.ok());
  EXPECT_NE(t->token.token_hash, t->secret);
  EXPECT_EQ(t->token.token_hash, Sha256Hex(t->secret));
  ASSERT_TRUE(accounts().PrincipalFromToken(t->secret).ok());
  EXPECT_FALSE(accounts().PrincipalFromToken(t->secret + "x").ok());
  ASSERT_TRUE(accounts().RevokeToken(u->id, t->token.id).ok());
  EXPECT_EQ(accounts().PrincipalFromToken(t->secret).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AccountsTest, DisabledUserCannotLogInOrUseTokens) {
  auto u = accounts().CreateUser({"tuan", "tuan@hue.gov.vn", "", "mat-khau-dai", false});
  ASSERT_TRUE(u.ok());
  auto t = accounts().CreateToken("tuan", "");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(accounts().SetDisabled(u->id, true).ok());
  EXPECT_FALSE(accounts().Login("tuan", "mat-khau-dai", 1000000).ok());
  EXPECT_FALSE(accounts().PrincipalFromToken(t->secret).ok());
}

TEST_F(AccountsTest, MembershipsBecomeRolesOfThePrincipal) {
  auto u = accounts().CreateUser({"an", "an@hue.gov.vn", "", "mat-khau-dai", false});
  ASSERT_TRUE(u.ok());
  catalog::OrganizationInput in;
  in.title_vi = "Sở Y tế";
  auto org = portal_.catalog->CreateOrganization(testing::TempPortal::Sysadmin(), in);
  ASSERT_TRUE(org.ok());
  ASSERT_TRUE(accounts().SetMembership("an", "so-y-te", OrgRole::kEditor).ok());
  auto p = accounts().PrincipalOf(u->id);
  ASSERT_TRUE(p.ok());
  ASSERT_NE(p->RoleIn(org->id), nullptr);
  EXPECT_EQ(*p->RoleIn(org->id), OrgRole::kEditor);
}

// Issue 14: 30 wrong passwords, then the right one, must not sign in until the lock passes or
// a sysadmin lifts it.
TEST_F(AccountsTest, ThirtyWrongPasswordsLockTheAccountUntilItPassesOrIsUnlocked) {
  auto u = accounts().CreateUser({"lan", "lan@hue.gov.vn", "", "mat-khau-dai", false});
  ASSERT_TRUE(u.ok());
  Micros now = NowMicros();
  SetClockForTest([&now] { return now; });
  // The attacker waits out every delay, so that each attempt is really checked.
  int refused_by_throttle = 0;
  for (int i = 0; i < 30; ++i) {
    auto r =
        accounts().Login("lan", "sai-mat-khau-" + std::to_string(i), 1000000, {"198.51.100.7"});
    ASSERT_FALSE(r.ok());
    if (r.status().code() == StatusCode::kResourceExhausted) ++refused_by_throttle;
    now += 20LL * 1000000;
  }
  EXPECT_GT(refused_by_throttle, 0);
  auto right = accounts().Login("lan", "mat-khau-dai", 1000000, {"203.0.113.1"});
  EXPECT_EQ(right.status().code(), StatusCode::kResourceExhausted);
  auto until = accounts().LockedUntil(u->id);
  ASSERT_TRUE(until.ok());
  EXPECT_GT(*until, now);
  // The lock passes...
  Micros saved = now;
  now = *until + 1;
  EXPECT_TRUE(accounts().Login("lan", "mat-khau-dai", 1000000, {"203.0.113.1"}).ok());
  // ...or a sysadmin lifts it.
  now = saved;
  for (int i = 0; i < 12; ++i) {
    (void)accounts().Login("lan", "sai", 1000000, {});
    now += 20LL * 1000000;
  }
  EXPECT_FALSE(accounts().Login("lan", "mat-khau-dai", 1000000, {}).ok());
  ASSERT_TRUE(accounts().Unlock(u->id).ok());
  EXPECT_TRUE(accounts().Login("lan", "mat-khau-dai", 1000000, {}).ok());
  SetClockForTest(nullptr);
}

TEST_F(AccountsTest, ThrottledAnswersAreTheSameForUnknownAccounts) {
  ASSERT_TRUE(accounts().CreateUser({"minh", "minh@hue.gov.vn", "", "mat-khau-dai", false}).ok());
  Status known, unknown;
  for (int i = 0; i < 7; ++i) {
    known = accounts().Login("minh", "sai", 1000000, {}).status();
    unknown = accounts().Login("khong-co-ai", "sai", 1000000, {}).status();
  }
  EXPECT_EQ(known.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(unknown.code(), known.code());
  EXPECT_EQ(unknown.message(), known.message());
  EXPECT_EQ(unknown.message_vi(), known.message_vi());
}

TEST_F(AccountsTest, OneAddressIsLimitedAcrossManyUserNames) {
  ASSERT_TRUE(accounts().CreateUser({"hai", "hai@hue.gov.vn", "", "mat-khau-dai", false}).ok());
  for (int i = 0; i < 25; ++i) {
    (void)accounts().Login("ten-" + std::to_string(i), "sai", 1000000, {"192.0.2.50"});
  }
  EXPECT_EQ(accounts().Login("hai", "mat-khau-dai", 1000000, {"192.0.2.50"}).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(accounts().Login("hai", "mat-khau-dai", 1000000, {"192.0.2.51"}).ok());
}

TEST_F(AccountsTest, DisabledAndUnknownAccountsGetTheWrongPasswordAnswer) {
  auto u = accounts().CreateUser({"thao", "thao@hue.gov.vn", "", "mat-khau-dai", false});
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(accounts().SetDisabled(u->id, true).ok());
  Status disabled = accounts().Login("thao", "mat-khau-dai", 1000000).status();
  Status unknown = accounts().Login("khong-ai", "mat-khau-dai", 1000000).status();
  EXPECT_EQ(disabled.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(disabled.message(), unknown.message());
}

TEST_F(AccountsTest, PasswordRuleAppliesToCreationAndChange) {
  // "mat-khau-dai" reversed contains "tam": a user named tam cannot use it.
  EXPECT_FALSE(accounts().CreateUser({"tam", "tam@hue.gov.vn", "", "mat-khau-dai", false}).ok());
  EXPECT_FALSE(accounts().CreateUser({"hung", "hung@hue.gov.vn", "", "password1234", false}).ok());
  EXPECT_FALSE(
      accounts().CreateUser({"hung", "hung@hue.gov.vn", "", "hung-hung-hung-1", false}).ok());
  auto u = accounts().CreateUser({"hung", "hung@hue.gov.vn", "", "mat-khau-dai", false});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(accounts().SetPassword(u->id, "            ").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(accounts().SetPassword(u->id, "gnuh-reversed-name").code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(accounts().SetPassword(u->id, "mot-mat-khau-moi-dai").ok());
}

TEST_F(AccountsTest, RegistrationDoesNotTellWhetherANameOrEmailIsTaken) {
  ASSERT_TRUE(accounts().Register({"lan", "lan@hue.gov.vn", "", "mat-khau-dai", false}).ok());
  EXPECT_TRUE(accounts().Register({"lan", "khac@hue.gov.vn", "", "mat-khau-rieng-1", false}).ok());
  EXPECT_TRUE(accounts().Register({"lan2", "LAN@hue.gov.vn", "", "mat-khau-rieng-1", false}).ok());
  EXPECT_EQ(accounts().GetUser("lan2").status().code(), StatusCode::kNotFound);
  // The original account is untouched.
  EXPECT_TRUE(accounts().Login("lan", "mat-khau-dai", 1000000).ok());
  // Invalid input is still explained.
  EXPECT_EQ(accounts().Register({"A B", "x", "", "short", false}).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AccountsTest, RegistrationRecordsTheConsentToTheNoticeVersionShownAndOnlyForANewAccount) {
  NewUser u{"hoa", "hoa@hue.gov.vn", "Hoa", "mat-khau-dai-hon", false};
  ASSERT_TRUE(accounts().Register(u, 2).ok());
  User hoa = accounts().GetUser("hoa").value();
  auto consents = accounts().ListPrivacyConsents(hoa.id).value();
  ASSERT_EQ(consents.size(), 1u);
  EXPECT_EQ(consents[0].notice_version, 2);
  EXPECT_EQ(consents[0].accepted, hoa.created);
  // Registering the taken name again records nothing for the existing account.
  ASSERT_TRUE(accounts().Register(u, 3).ok());
  EXPECT_EQ(accounts().ListPrivacyConsents(hoa.id).value().size(), 1u);
  // Accepting a newer version from the account page: newest first; accepting it twice keeps one.
  ASSERT_TRUE(accounts().RecordPrivacyConsent(hoa.id, 3).ok());
  ASSERT_TRUE(accounts().RecordPrivacyConsent(hoa.id, 3).ok());
  consents = accounts().ListPrivacyConsents(hoa.id).value();
  ASSERT_EQ(consents.size(), 2u);
  EXPECT_EQ(consents[0].notice_version, 3);
  EXPECT_EQ(accounts().RecordPrivacyConsent(hoa.id, 0).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(accounts().RecordPrivacyConsent("no-such-user", 3).code(), StatusCode::kNotFound);
}

TEST_F(AccountsTest, PasswordChangeRevokesTokensAndOtherSessionsUnlessKept) {
  auto u = accounts().CreateUser({"vy", "vy@hue.gov.vn", "", "mat-khau-dai", false});
  ASSERT_TRUE(u.ok());
  auto mine = accounts().Login("vy", "mat-khau-dai", 3600LL * 1000000);
  auto other = accounts().Login("vy", "mat-khau-dai", 3600LL * 1000000);
  auto token = accounts().CreateToken("vy", "script");
  ASSERT_TRUE(mine.ok() && other.ok() && token.ok());
  PasswordChange keep;
  keep.keep_session_cookie = mine->cookie_value;
  keep.keep_tokens = true;
  ASSERT_TRUE(accounts().SetPassword(u->id, "mat-khau-moi-so-mot", keep).ok());
  EXPECT_TRUE(accounts().PrincipalFromSession(mine->cookie_value).ok());
  EXPECT_FALSE(accounts().PrincipalFromSession(other->cookie_value).ok());
  EXPECT_TRUE(accounts().PrincipalFromToken(token->secret).ok());
  PasswordChange revoke;
  revoke.keep_session_cookie = mine->cookie_value;
  ASSERT_TRUE(accounts().SetPassword(u->id, "mat-khau-moi-so-hai", revoke).ok());
  EXPECT_TRUE(accounts().PrincipalFromSession(mine->cookie_value).ok());
  EXPECT_EQ(accounts().PrincipalFromToken(token->secret).status().code(),
            StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace odp::access
