#include "text/utf8.h"

#include <cstdint>
#include <string>

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

// The definition, decoded the slow way: a lead byte, its continuation bytes, and the code
// point's range for its length.
bool ReferenceValid(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<uint8_t>(s[i]);
    int n = c < 0x80             ? 0
            : (c & 0xE0) == 0xC0 ? 1
            : (c & 0xF0) == 0xE0 ? 2
            : (c & 0xF8) == 0xF0 ? 3
                                 : -1;
    if (n < 0 || i + static_cast<size_t>(n) >= s.size() + (n == 0 ? 1 : 0)) return false;
    uint32_t cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    for (int k = 1; k <= n; ++k) {
      const auto d = static_cast<uint8_t>(s[i + static_cast<size_t>(k)]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<size_t>(n) + 1;
  }
  return true;
}

TEST(Utf8Test, AgreesWithTheDefinitionOnEverySequenceUpToThreeBytesAndManyOfFour) {
  std::string s;
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      for (int c : {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC2, 0xFF}) {
        for (const std::string& tail :
             {std::string(), std::string("\x80"), std::string("\xBF"), std::string("x")}) {
          // Also behind eight ASCII bytes, where the word-at-a-time skip hands over.
          for (const std::string& head :
               {std::string(), std::string("abcdefgh"), std::string("abcdefg")}) {
            s = head;
            s += static_cast<char>(a);
            s += static_cast<char>(b);
            s += static_cast<char>(c);
            s += tail;
            ASSERT_EQ(IsValidUtf8(s), ReferenceValid(s))
                << a << " " << b << " " << c << " " << tail.size();
            s.pop_back();  // shorter forms too
            if (!tail.empty()) {
              ASSERT_EQ(IsValidUtf8(s), ReferenceValid(s));
            }
          }
        }
      }
    }
  }
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
