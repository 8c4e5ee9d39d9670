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
  EXPECT_EQ(accounts().CreateUser({"lan", "x@hue.gov.vn", "", "mat-khau-dai", false}).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(accounts().CreateUser({"lan2", "LAN@hue.gov.vn", "", "mat-khau-dai", false}).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(AccountsTest, LoginOpensASessionThatResolvesToThePrincipal) {
  auto u = accounts().CreateUser({"minh", "minh@hue.gov.vn", "Minh", "mật khẩu mạnh", false});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(accounts().Login("minh", "sai mật khẩu", 1000000).status().code(), StatusCode::kUnauthenticated);
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
  EXPECT_EQ(accounts().PrincipalFromSession(old->cookie_value).status().code(), StatusCode::kUnauthenticated);
  ASSERT_TRUE(accounts().Login("thu", "mat-khau-dai", 3600LL * 1000000).ok());
  SetClockForTest(nullptr);
  EXPECT_EQ(portal_.store->GetSession(Sha256Hex(old->cookie_value)).status().code(), StatusCode::kNotFound);
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

}  // namespace
}  // namespace odp::access
