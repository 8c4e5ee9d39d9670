#include "base/status.h"

#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "base/crypto.h"
#include "base/ids.h"
#include "base/time.h"

namespace odp {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ODP_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

// A failure type that is not a Status, as CKAN's error answers are.
struct Refusal {
  std::string why;
};
Refusal ToRefusal(const Status& s) { return {s.message()}; }

std::variant<int, Refusal> QuarterOrRefusal(int x) {
  ODP_ASSIGN_OR_RETURN_WITH(int h, Half(x), ToRefusal);
  ODP_ASSIGN_OR_RETURN_WITH(int q, Half(h), ToRefusal);
  return q;
}

TEST(StatusTest, AssignOrReturnWithMapsTheFirstErrorToTheCallersType) {
  EXPECT_EQ(std::get<int>(QuarterOrRefusal(8)), 2);
  auto r = QuarterOrRefusal(6);  // 6 halves to 3, which is odd
  ASSERT_TRUE(std::holds_alternative<Refusal>(r));
  EXPECT_EQ(std::get<Refusal>(r).why, "odd");
  EXPECT_EQ(std::get<Refusal>(QuarterOrRefusal(5)).why, "odd");
}

TEST(StatusTest, NotFoundNamesTheThingInBothLanguages) {
  Status s = Status::NotFound("dataset", "abc");
  EXPECT_EQ(s.message(), "dataset not found: abc");
  EXPECT_NE(s.message_vi().find("Không tìm thấy"), std::string::npos);
}

TEST(IdsTest, UuidsAreVersionFourAndDistinct) {
  ASSERT_TRUE(InitCrypto().ok());
  std::string a = NewUuid(), b = NewUuid();
  EXPECT_TRUE(LooksLikeUuid(a));
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, b);
  EXPECT_FALSE(LooksLikeUuid("not-a-uuid"));
}

TEST(CryptoTest, Sha256MatchesKnownVectorAndStreamingAgrees) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256Stream s;
  s.Update("a");
  s.Update("bc");
  EXPECT_EQ(s.FinishHex(), Sha256Hex("abc"));
}

TEST(CryptoTest, PasswordHashVerifiesOnlyTheRightPassword) {
  ASSERT_TRUE(InitCrypto().ok());
  auto h = HashPassword("mật khẩu đúng");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*h, "mật khẩu đúng"));
  EXPECT_FALSE(VerifyPassword(*h, "mat khau dung"));
}

TEST(TimeTest, FormatsCkanAndHttpDates) {
  Micros t = 1704164645000006;  // 2024-01-02T03:04:05.000006Z
  EXPECT_EQ(FormatIsoMicros(t), "2024-01-02T03:04:05.000006");
  EXPECT_EQ(FormatHttpDate(t), "Tue, 02 Jan 2024 03:04:05 GMT");
  EXPECT_EQ(ParseHttpDate("Tue, 02 Jan 2024 03:04:05 GMT"), 1704164645000000);
  EXPECT_EQ(ParseHttpDate("yesterday"), -1);
}

}  // namespace
}  // namespace odp
