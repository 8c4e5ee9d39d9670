#include "access/masks.h"

#include <gtest/gtest.h>

#include "base/crypto.h"

namespace odp::access {
namespace {

constexpr std::string_view kKey = "a portal secret of at least thirty-two bytes";

TEST(Masks, PartialKeepsBothEndsAndStarsTheMiddle) {
  ColumnMask m{MaskKind::kPartial, 4, 3};
  EXPECT_EQ(MaskValue(m, "0912345456", kKey), "0912***456");
  EXPECT_EQ(MaskValue(m, "091234", kKey), "******");  // not longer than what would be kept
  EXPECT_EQ(MaskValue(m, "", kKey), "");
}

TEST(Masks, PartialCountsCodePointsNotBytes) {
  ColumnMask m{MaskKind::kPartial, 1, 1};
  EXPECT_EQ(MaskValue(m, "Nguyễn", kKey), "N****n");
  EXPECT_EQ(MaskValue(m, "Đức", kKey), "Đ*c");
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
}

TEST(Masks, YearGeneralisesDatesAndNullsWhatIsNotOne) {
  ColumnMask m{MaskKind::kYear};
  EXPECT_EQ(MaskValue(m, "1990-05-17", kKey), 1990);
  EXPECT_EQ(MaskValue(m, "1990-05-17T08:00:00", kKey), 1990);
  EXPECT_TRUE(MaskValue(m, "17/05/1990", kKey).is_null());
  EXPECT_EQ(MaskText(m, "2001-01-01", kKey).value_or(""), "2001");
  EXPECT_FALSE(MaskText(m, "abc", kKey).has_value());
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
