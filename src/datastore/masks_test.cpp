#include "datastore/masks.h"

#include <gtest/gtest.h>

#include "base/crypto.h"

namespace odp::datastore {
namespace {

TEST(Masks, PartialKeepsFourFirstAndThreeLastCharacters) {
  EXPECT_EQ(PartialMask("0912345456"), "0912***456");
  EXPECT_EQ(PartialMask("001085012345"), "0010***345");
  EXPECT_EQ(PartialMask("  0912345456 "), "0912***456");
  // Counted in characters, not bytes: a Vietnamese name is not cut inside a letter.
  EXPECT_EQ(PartialMask("Nguyễn Văn Ánh"), "Nguy***Ánh");
  EXPECT_EQ(PartialMask("Lê Hà"), "L***à");
  EXPECT_EQ(PartialMask("ab"), "***");
  EXPECT_EQ(PartialMask(""), "");
}

TEST(Masks, PartialEmailKeepsTheDomain) {
  EXPECT_EQ(PartialMask("nguyenvanan@example.vn"), "ng***@example.vn");
  EXPECT_EQ(PartialMask("a@example.vn"), "***@example.vn");
}

TEST(Masks, HashIsKeyedStableAndShort) {
  ASSERT_TRUE(InitCrypto().ok());
  const std::string a = HashMask("001085012345", "secret-1");
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a, HashMask("001085012345", "secret-1"));
  EXPECT_NE(a, HashMask("001085012346", "secret-1"));
  EXPECT_NE(a, HashMask("001085012345", "secret-2"));
  // Not a plain hash of the value: without the key a guess cannot be checked.
  EXPECT_NE(a, Sha256Hex("001085012345").substr(0, 16));
  EXPECT_EQ(HashMask("", "secret-1"), "");
}

TEST(Masks, HashMatchesHmacSha256TestVector) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(HashMask("what do ya want for nothing?", "Jefe"), "5bdcc146bf60754e");
}

TEST(Masks, YearKeepsOnlyTheYearOfADate) {
  EXPECT_EQ(YearMask("15/03/1985"), "1985");
  EXPECT_EQ(YearMask("1985-03-15"), "1985");
  EXPECT_EQ(YearMask("1985"), "1985");
  EXPECT_EQ(YearMask("không rõ"), "");
}

TEST(Masks, DropLeavesNothingAndNamesRoundTrip) {
  EXPECT_EQ(MaskValue(MaskKind::kDrop, "0912345678", "k"), "");
  for (MaskKind k : {MaskKind::kHash, MaskKind::kPartial, MaskKind::kYear, MaskKind::kDrop}) {
    EXPECT_EQ(ParseMaskKind(ToString(k)), k);
  }
  EXPECT_FALSE(ParseMaskKind("blur"));
}

}  // namespace
}  // namespace odp::datastore
