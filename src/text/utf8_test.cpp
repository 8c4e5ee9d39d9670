#include "text/utf8.h"

#include <gtest/gtest.h>

namespace odp::text {
namespace {

TEST(Utf8Test, AcceptsVietnameseAndRejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("Đất đai – Huế"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xFF"));
}

TEST(Utf8Test, FindsControlCharactersIncludingC1) {
  EXPECT_FALSE(HasControlCharacters("bảng số liệu.xlsx"));
  EXPECT_TRUE(HasControlCharacters("a\nb"));
  EXPECT_TRUE(HasControlCharacters("a\x7F"));
  EXPECT_TRUE(HasControlCharacters("a\xC2\x85"));
}

TEST(Utf8Test, TruncateNeverSplitsACodePoint) {
  EXPECT_EQ(TruncateUtf8("Huế", 3), "Hu");
  EXPECT_EQ(TruncateUtf8("Huế", 5), "Huế");
}

TEST(Utf8Test, AsciiFallbackReplacesEachCodePointOnce) {
  EXPECT_EQ(AsciiFallbackFilename("Dân số.csv"), "D_n_s_.csv");
  EXPECT_EQ(AsciiFallbackFilename(""), "download");
}

}  // namespace
}  // namespace odp::text
