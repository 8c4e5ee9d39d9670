#include "access/masks.h"

#include <gtest/gtest.h>

#include "base/crypto.h"

namespace odp::access {
namespace {

constexpr std::string_view kKey = "a portal secret of at least thirty-two bytes";

TEST(Masks, PartialKeepsBothEndsAndHidesTheMiddleAndItsLength) {
  ColumnMask m{MaskKind::kPartial, 4, 3};
  EXPECT_EQ(MaskValue(m, "0912345456", kKey), "0912***456");
  EXPECT_EQ(MaskValue(m, "001085012345", kKey), "0010***345");
  EXPECT_EQ(MaskValue(m, "  0912345456 ", kKey), "0912***456");
  EXPECT_EQ(MaskValue(m, "091234", kKey), "***");  // not longer than what would be kept
  EXPECT_EQ(MaskValue(m, "", kKey), "");
  EXPECT_EQ(DefaultMask(MaskKind::kPartial).keep_start, 4);
  EXPECT_EQ(DefaultMask(MaskKind::kPartial).keep_end, 3);
}

TEST(Masks, PartialCountsCodePointsNotBytes) {
  ColumnMask m{MaskKind::kPartial, 1, 1};
  EXPECT_EQ(MaskValue(m, "Nguyễn", kKey), "N***n");
  EXPECT_EQ(MaskValue(m, "Đức", kKey), "Đ***c");
  EXPECT_EQ(MaskValue(ColumnMask{MaskKind::kPartial, 4, 3}, "Nguyễn Văn Ánh", kKey), "Nguy***Ánh");
}

TEST(Masks, PartialEmailKeepsTheDomain) {
  ColumnMask m{MaskKind::kPartial, 4, 3};
  EXPECT_EQ(MaskValue(m, "nguyenvanan@example.vn", kKey), "ng***@example.vn");
  EXPECT_EQ(MaskValue(m, "a@example.vn", kKey), "***@example.vn");
}

TEST(Masks, HashIsKeyedStableAndHidesTheValue) {
  ColumnMask m{MaskKind::kHash};
  nlohmann::json a = MaskValue(m, "001090012345", kKey);
  EXPECT_EQ(a, MaskValue(m, "001090012345", kKey));
  EXPECT_NE(a, MaskValue(m, "001090012346", kKey));
  EXPECT_NE(a, MaskValue(m, "001090012345", "another key of at least thirty-two bytes!"));
  ASSERT_TRUE(a.is_string());
  EXPECT_EQ(a.get<std::string>().size(), 2u + 32u);
  EXPECT_EQ(a.get<std::string>().find("0010900"), std::string::npos);
  // A number hashes as the text JSON writes for it.
  EXPECT_EQ(MaskValue(m, 12, kKey), MaskValue(m, "12", kKey));
  // The same text whether the cell is masked as a load writes it or as a grant reads it.
  EXPECT_EQ(MaskText(m, " 001090012345", kKey).value_or(""), a.get<std::string>());
  EXPECT_EQ(MaskText(m, "", kKey).value_or("null"), "");
}

TEST(Masks, HashIsHmacSha256) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?" (first 16 bytes).
  EXPECT_EQ(
      MaskText(ColumnMask{MaskKind::kHash}, "what do ya want for nothing?", "Jefe").value_or(""),
      "h:5bdcc146bf60754e6a042426089575c7");
}

TEST(Masks, YearGeneralisesDatesAndNullsWhatIsNotOne) {
  ColumnMask m{MaskKind::kYear};
  EXPECT_EQ(MaskValue(m, "1990-05-17", kKey), 1990);
  EXPECT_EQ(MaskValue(m, "1990-05-17T08:00:00", kKey), 1990);
  EXPECT_EQ(MaskValue(m, "17/05/1990", kKey), 1990);
  EXPECT_EQ(MaskValue(m, "7-5-1990 08:30", kKey), 1990);
  EXPECT_EQ(MaskValue(m, "17.05.1990", kKey), 1990);
  EXPECT_EQ(MaskText(m, "2001-01-01", kKey).value_or(""), "2001");
  EXPECT_EQ(MaskText(m, "15/03/1985", kKey).value_or(""), "1985");
  EXPECT_FALSE(MaskText(m, "abc", kKey).has_value());
  EXPECT_FALSE(MaskText(m, "không rõ", kKey).has_value());
  EXPECT_FALSE(MaskText(m, "31/13/1990", kKey).has_value());
  EXPECT_FALSE(MaskText(m, "", kKey).has_value());
}

TEST(Masks, MaskingTwiceStaysMasked) {
  // A table's personal-data mask, then a grant's: the grant adds to it, never undoes it.
  ColumnMask year{MaskKind::kYear};
  EXPECT_EQ(MaskValue(year, MaskValue(year, "1990-05-17", kKey), kKey), 1990);
  ColumnMask hash{MaskKind::kHash};
  ColumnMask partial{MaskKind::kPartial, 4, 3};
  const nlohmann::json hashed = MaskValue(hash, "001090012345", kKey);
  const nlohmann::json both = MaskValue(partial, hashed, kKey);
  ASSERT_TRUE(both.is_string());
  EXPECT_EQ(both.get<std::string>().find("0010"), std::string::npos);
  EXPECT_EQ(both.get<std::string>().substr(0, 4), "h:" + hashed.get<std::string>().substr(2, 2));
}

TEST(Masks, NamesRoundTrip) {
  for (MaskKind k : {MaskKind::kHash, MaskKind::kPartial, MaskKind::kYear, MaskKind::kDrop}) {
    EXPECT_EQ(ParseMaskKind(ToString(k)), k);
  }
  EXPECT_FALSE(ParseMaskKind("blur"));
}

TEST(Masks, NullStaysNullForEveryKind) {
  for (MaskKind k : {MaskKind::kHash, MaskKind::kPartial, MaskKind::kYear}) {
    EXPECT_TRUE(MaskValue(ColumnMask{k, 2, 2}, nullptr, kKey).is_null()) << ToString(k);
  }
}

TEST(Masks, JsonRoundTripAndRefusals) {
  auto masks = MasksFromText(
      R"({"phone":{"kind":"partial","keep_start":4,"keep_end":3},"cccd":{"kind":"hash"},)"
      R"("dob":{"kind":"year"},"address":{"kind":"drop"}})");
  ASSERT_TRUE(masks.ok()) << masks.status().message();
  EXPECT_EQ(masks->size(), 4u);
  EXPECT_EQ(masks->at("phone").keep_start, 4);
  EXPECT_EQ(masks->at("address").kind, MaskKind::kDrop);
  auto again = MasksFromText(MasksToText(*masks));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(MasksToText(*again), MasksToText(*masks));
  EXPECT_TRUE(MasksFromText("").ok());
  EXPECT_FALSE(MasksFromText(R"({"a":{"kind":"blur"}})").ok());
  EXPECT_FALSE(MasksFromText(R"({"a":{"kind":"partial","keep_start":-1}})").ok());
  EXPECT_FALSE(MasksFromText(R"({"a":{"kind":"partial","keep_end":65}})").ok());
  EXPECT_FALSE(MasksFromText("[1]").ok());
}

}  // namespace
}  // namespace odp::access
