#include "text/vietnamese.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "text/utf8.h"

namespace odp::text {
namespace {

TEST(VietnameseTest, FoldsToneMarksAndDStroke) {
  EXPECT_EQ(FoldVietnamese("Giáo dục"), "giao duc");
  EXPECT_EQ(FoldVietnamese("Đất đai"), "dat dai");
  EXPECT_EQ(FoldVietnamese("Đường Nguyễn Huệ – Đắk Lắk"), "duong nguyen hue - dak lak");
}

TEST(VietnameseTest, FastFoldingAgreesWithTheIcuTransform) {
  const char* samples[] = {"Thừa Thiên Huế",           "Sở Tài nguyên và Môi trường",
                           "ĂÂÊÔƠƯĐ ăâêôơưđ",          "Bệnh viện Trung ương Huế",
                           "Quảng Trị – Quảng Bình",   "Chỉ số giá tiêu dùng (CPI) năm 2024",
                           "Phường Vĩnh Ninh, TP. Huế"};
  for (const char* s : samples) EXPECT_EQ(FoldVietnamese(s), FoldVietnameseIcu(s)) << s;
}

TEST(VietnameseTest, NfcKeepsPrecomposedTextAndComposesMixedText) {
  EXPECT_EQ(Nfc("Đường Nguyễn Huệ – Đắk Lắk"), "Đường Nguyễn Huệ – Đắk Lắk");
  // Precomposed "ê" (U+00EA) followed by a combining dot below (U+0323) is "ệ" (U+1EC7).
  EXPECT_EQ(Nfc("Vi\u00ea\u0323t"), "Vi\u1ec7t");
  // A precomposed Latin Extended Additional letter followed by a combining mark.
  EXPECT_EQ(Nfc("\u1ea1\u0306"), "\u1eb7");  // ạ + breve = ặ
}

TEST(VietnameseTest, DecomposedInputBecomesNfc) {
  // "Việt" with e + combining circumflex + combining dot below.
  std::string decomposed = "Vi\x65\xCC\x82\xCC\xA3t";
  EXPECT_EQ(Nfc(decomposed), "Việt");
  EXPECT_EQ(FoldVietnamese(decomposed), "viet");
}

TEST(VietnameseTest, LowerExactKeepsTones) {
  EXPECT_EQ(LowerExact("Giáo Dục ĐÀO TẠO"), "giáo dục đào tạo");
}

TEST(VietnameseTest, TokenizeSplitsOnPunctuationAndKeepsLetters) {
  auto t = Tokenize("Dân số, lao động (2024)–Huế");
  std::vector<std::string> want = {"Dân", "số", "lao", "động", "2024", "Huế"};
  EXPECT_EQ(t, want);
}

TEST(VietnameseTest, SlugsAreReadable) {
  EXPECT_EQ(Slugify("Danh sách trường học tỉnh Huế"), "danh-sach-truong-hoc-tinh-hue");
  EXPECT_EQ(Slugify("  Đất đai -- 2024!  "), "dat-dai-2024");
  EXPECT_EQ(Slugify("!!!"), "");
  EXPECT_TRUE(IsValidSlug("danh-sach-truong-hoc"));
  EXPECT_FALSE(IsValidSlug("-bad"));
  EXPECT_FALSE(IsValidSlug("Có dấu"));
}

TEST(VietnameseTest, SortKeysFollowVietnameseDictionaryOrder) {
  std::vector<std::string> words = {"Ưu", "Đông", "Ăn", "Dương", "An",
                                    "Ơn", "Ân",   "Ô",  "Ong",   "Uy"};
  std::sort(words.begin(), words.end(), [](const std::string& a, const std::string& b) {
    return VietnameseSortKey(a) < VietnameseSortKey(b);
  });
  std::vector<std::string> want = {"An", "Ăn", "Ân", "Dương", "Đông", "Ong", "Ô", "Ơn", "Uy", "Ưu"};
  EXPECT_EQ(words, want);
}

TEST(VietnameseTest, FoldingByTableAgreesWithIcuForEveryCodePointAndMixedText) {
  // Every code point the table covers, alone and inside words, as ICU folds it.
  for (char32_t cp = 0x80; cp < 0x2400; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    std::string one;
    AppendUtf8(one, cp);
    ASSERT_EQ(FoldVietnamese(one), FoldVietnameseByCodePoint(one)) << static_cast<uint32_t>(cp);
    std::string word = "Ab" + one + "Cd";
    ASSERT_EQ(FoldVietnamese(word), FoldVietnameseByCodePoint(word)) << static_cast<uint32_t>(cp);
  }
  // Decomposed text, and text beyond the table (CJK, emoji) that goes through ICU whole.
  for (const char* s : {"Vie\xcc\x82\xcc\xa3t Nam", "Ha\xcc\x80 No\xcc\xa3i", "Huế 順化 😀",
                        "ĐẮK LẮK – “Tây Nguyên”"}) {
    EXPECT_EQ(FoldVietnamese(s), FoldVietnameseByCodePoint(s)) << s;
    EXPECT_EQ(FoldVietnamese(s), FoldVietnameseIcu(s)) << s;
  }
}

TEST(VietnameseTest, TextThatIsNotUtf8ComesBackUnchanged) {
  // Truncated at the end, a stray continuation byte, an overlong form, a surrogate, and bad
  // bytes after text beyond the table: none is folded or normalised, all come back as given.
  for (const std::string& s : {std::string("Huế\xE1\xBB"), std::string("Hu\xC3"),
                               std::string("a\x80"
                                           "b"),
                               std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                               std::string("順化\xFF"), std::string("Vie\xcc\x82\xcc\xa3t\xE1")}) {
    EXPECT_EQ(FoldVietnamese(s), s);
    EXPECT_EQ(Nfc(s), s);
  }
  EXPECT_EQ(Nfc("Vie\xcc\x82\xcc\xa3t Nam"), "Việt Nam");
  EXPECT_EQ(Nfc("Huế – Đà Nẵng"), "Huế – Đà Nẵng");
}

}  // namespace
}  // namespace odp::text
