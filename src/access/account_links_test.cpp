#include <gtest/gtest.h>

#include "access/accounts.h"
#include "testing/temp_portal.h"

namespace odp::access {
namespace {

constexpr Micros kMinute = 60LL * 1000000;

class AccountLinksTest : public ::testing::Test {
 protected:
  testing::TempPortal portal_;
  AccountService& accounts() { return *portal_.accounts; }
  User Invited(const std::string& name) {
    auto u = accounts().CreateInvitedUser({name, name + "@hue.gov.vn", "Người " + name, "", {}});
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return *u;
  }
};

TEST_F(AccountLinksTest, InvitedAccountCannotSignInUntilThePasswordIsSet) {
  User u = Invited("lan");
  EXPECT_EQ(accounts().Login("lan", "", kMinute).status().code(), StatusCode::kUnauthenticated);
  auto link = accounts().IssueLink(u.id, LinkKind::kInvite, "admin");
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->link.expires - link->link.created, kInvitationLifetime);
  // Without consent to the privacy notice an invitation is not used.
  EXPECT_EQ(accounts().UseLink(link->secret, "mật khẩu rất mạnh", 0).status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(accounts().UseLink(link->secret, "mật khẩu rất mạnh", 1).ok());
  EXPECT_TRUE(accounts().Login("lan", "mật khẩu rất mạnh", kMinute).ok());
  auto consents = accounts().ListPrivacyConsents(u.id);
  ASSERT_TRUE(consents.ok());
  ASSERT_EQ(consents->size(), 1u);
  // An account with a password is not invited again.
  EXPECT_EQ(accounts().IssueLink(u.id, LinkKind::kInvite).status().code(), StatusCode::kConflict);
}

TEST_F(AccountLinksTest, ALinkWorksOnce) {
  User u = Invited("minh");
  auto link = accounts().IssueLink(u.id, LinkKind::kInvite);
  ASSERT_TRUE(link.ok());
  ASSERT_TRUE(accounts().UseLink(link->secret, "mật khẩu rất mạnh", 1).ok());
  auto again = accounts().UseLink(link->secret, "mật khẩu khác hẳn", 1);
  EXPECT_EQ(again.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(accounts().CheckLink(link->secret).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(accounts().Login("minh", "mật khẩu rất mạnh", kMinute).ok());
}

TEST_F(AccountLinksTest, AResetLinkExpiresAfterHalfAnHour) {
  auto u = accounts().CreateUser({"hoa", "hoa@hue.gov.vn", "Hoa", "mật khẩu cũ rất dài", false});
  ASSERT_TRUE(u.ok());
  const Micros t0 = NowMicros();
  auto link = accounts().IssueLink(u->id, LinkKind::kReset, "", t0);
  ASSERT_TRUE(link.ok());
  EXPECT_TRUE(accounts().CheckLink(link->secret, t0 + 29 * kMinute).ok());
  EXPECT_EQ(accounts().CheckLink(link->secret, t0 + 30 * kMinute).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(accounts()
                .UseLink(link->secret, "mật khẩu mới rất dài", 0, t0 + 31 * kMinute)
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(accounts().Login("hoa", "mật khẩu cũ rất dài", kMinute).ok());
}

TEST_F(AccountLinksTest, ResetSetsThePasswordAndEndsSessionsAndOlderLinks) {
  auto u = accounts().CreateUser({"binh", "binh@hue.gov.vn", "Bình", "mật khẩu cũ rất dài", false});
  ASSERT_TRUE(u.ok());
  auto session = accounts().Login("binh", "mật khẩu cũ rất dài", 3600 * 1000000LL);
  ASSERT_TRUE(session.ok());
  auto first = accounts().IssueLink(u->id, LinkKind::kReset);
  auto second = accounts().IssueLink(u->id, LinkKind::kReset);
  ASSERT_TRUE(first.ok() && second.ok());
  // A newer link voids the older one.
  EXPECT_EQ(accounts().CheckLink(first->secret).status().code(), StatusCode::kNotFound);
  // The password policy applies.
  EXPECT_EQ(accounts().UseLink(second->secret, "123", 0).status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(accounts().UseLink(second->secret, "mật khẩu mới rất dài", 0).ok());
  EXPECT_FALSE(accounts().PrincipalFromSession(session->cookie_value).ok());
  EXPECT_FALSE(accounts().Login("binh", "mật khẩu cũ rất dài", kMinute).ok());
  EXPECT_TRUE(accounts().Login("binh", "mật khẩu mới rất dài", kMinute).ok());
}

TEST_F(AccountLinksTest, UnknownOrGarbledSecretsGetTheSameAnswer) {
  Status unknown = accounts().CheckLink("no-such-secret").status();
  Status empty = accounts().CheckLink("").status();
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.message(), empty.message());
}

TEST_F(AccountLinksTest, PendingInvitationsCanBeRevoked) {
  User a = Invited("an");
  User b = Invited("ba");
  ASSERT_TRUE(accounts().IssueLink(a.id, LinkKind::kInvite).ok());
  auto link_b = accounts().IssueLink(b.id, LinkKind::kInvite);
  ASSERT_TRUE(link_b.ok());
  auto pending = accounts().ListPendingInvitations();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 2u);
  ASSERT_TRUE(accounts().RevokeInvitation(b.id).ok());
  EXPECT_EQ(accounts().RevokeInvitation(b.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(accounts().CheckLink(link_b->secret).status().code(), StatusCode::kNotFound);
  // The revoked one is still waiting for a password, with no usable invitation.
  pending = accounts().ListPendingInvitations();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  for (const auto& p : *pending) EXPECT_EQ(p.expired, p.user.username == "ba") << p.user.username;
}

TEST_F(AccountLinksTest, ResetRequestsAreThrottledPerAddressWhetherOrNotItExists) {
  const Micros t0 = NowMicros();
  for (const std::string email : {"nobody@hue.gov.vn", "NOBODY@hue.gov.vn", "nobody@hue.gov.vn"})
    EXPECT_TRUE(accounts().CountResetRequest(email, {"10.0.0.1"}, t0).ok());
  Status refused = accounts().CountResetRequest("nobody@hue.gov.vn", {"10.0.0.2"}, t0);
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  // Another address from the first client is still served; half an hour later so is this one.
  EXPECT_TRUE(accounts().CountResetRequest("other@hue.gov.vn", {"10.0.0.1"}, t0).ok());
  EXPECT_TRUE(
      accounts().CountResetRequest("nobody@hue.gov.vn", {"10.0.0.3"}, t0 + 31 * kMinute).ok());
}

TEST_F(AccountLinksTest, ResetRequestsAreThrottledPerClient) {
  const Micros t0 = NowMicros();
  for (int i = 0; i < AccountService::kResetsPerClient; ++i) {
    EXPECT_TRUE(accounts()
                    .CountResetRequest("u" + std::to_string(i) + "@hue.gov.vn", {"10.9.9.9"}, t0)
                    .ok());
  }
  EXPECT_EQ(accounts().CountResetRequest("fresh@hue.gov.vn", {"10.9.9.9"}, t0).code(),
            StatusCode::kResourceExhausted);
}

TEST_F(AccountLinksTest, SearchFindsUsersWithoutToneMarksAndIsBounded) {
  ASSERT_TRUE(
      accounts()
          .CreateUser({"an.nguyen", "an@hue.gov.vn", "Nguyễn Văn An", "mật khẩu rất dài", false})
          .ok());
  ASSERT_TRUE(accounts()
                  .CreateUser({"dung", "dung@sotttt.vn", "Đặng Dũng", "mật khẩu rất dài", false})
                  .ok());
  auto r = accounts().SearchUsers("nguyen van");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().username, "an.nguyen");
  r = accounts().SearchUsers("DANG dung");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  r = accounts().SearchUsers("sotttt");  // by e-mail
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
  EXPECT_TRUE(accounts().SearchUsers("").value().empty());
  for (int i = 0; i < 21; ++i) {
    ASSERT_TRUE(accounts()
                    .CreateUser({"cb" + std::to_string(i), "cb" + std::to_string(i) + "@x.vn",
                                 "Cán bộ", "mật khẩu rất dài", false})
                    .ok());
  }
  EXPECT_EQ(accounts().SearchUsers("can bo", 20).value().size(), 20u);
}

}  // namespace
}  // namespace odp::access
