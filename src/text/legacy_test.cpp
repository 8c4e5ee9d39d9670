#include "text/legacy.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <iconv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace odp::text {
namespace {

using namespace std::literals;

// One text in UTF-8 and in the four legacy encodings. The Windows-1258, TCVN3 and VISCII bytes are
// `iconv -t CP1258`, `-t TCVN5712-1` and `-t VISCII` output; the VNI bytes follow the VNI-Windows
// table (base letter, then a byte for the marks).
struct Sample {
  const char* utf8;
  const char* cp1258;
  const char* tcvn3;
  const char* vni;
  const char* viscii;

  std::string_view In(Encoding e) const {
    switch (e) {
      case Encoding::kCp1258: return cp1258;
      case Encoding::kTcvn3: return tcvn3;
      case Encoding::kVni: return vni;
      case Encoding::kViscii: return viscii;
      default: return utf8;
    }
  }
};

// Sentences as they appear in provincial data.
const Sample kSentences[] = {
    {"Hà Nội", "H\xE0 N\xF4\xF2i", "H\xB5 N\xE9i", "Ha\xF8 No\xE4i", "H\xE0 N\xB5i"},
    {"Ủy ban nhân dân tỉnh Đắk Lắk", "U\xD2y ban nh\xE2n d\xE2n ti\xD2nh \xD0\xE3\xECk L\xE3\xECk",
     "\x9Ey ban nh\xA9n d\xA9n t\xD8nh \xA7\xBEk L\xBEk",
     "U\xDBy ban nha\xE2n da\xE2n t\xE6nh \xD1"
     "a\xE9k La\xE9k",
     "\x9Cy ban nh\xE2n d\xE2n t\xEFnh \xD0\xA1k L\xA1k"},
    {"Số học sinh",
     "S\xF4\xEC ho\xF2"
     "c sinh",
     "S\xE8 h\xE4"
     "c sinh",
     "So\xE1 ho\xEF"
     "c sinh",
     "S\xAF h\xF7"
     "c sinh"},
    {"Trường Trung học phổ thông Nguyễn Huệ",
     "Tr\xFD\xF5\xCCng Trung ho\xF2"
     "c ph\xF4\xD2 th\xF4ng Nguy\xEA\xDEn Hu\xEA\xF2",
     "Tr\xAD\xEAng Trung h\xE4"
     "c ph\xE6 th\xABng Nguy\xD4n Hu\xD6",
     "Tr\xF6\xF4\xF8ng Trung ho\xEF"
     "c pho\xE5 tho\xE2ng Nguye\xE3n Hue\xE4",
     "Tr\xDF\xB6ng Trung h\xF7"
     "c ph\xB1 th\xF4ng Nguy\xADn Hu\xAE"},
    {"Đường Nguyễn Văn Linh, phường Tân Phong",
     "\xD0\xFD\xF5\xCCng Nguy\xEA\xDEn V\xE3n Linh, ph\xFD\xF5\xCCng T\xE2n Phong",
     "\xA7\xAD\xEAng Nguy\xD4n V\xA8n Linh, ph\xAD\xEAng T\xA9n Phong",
     "\xD1\xF6\xF4\xF8ng Nguye\xE3n Va\xEAn Linh, ph\xF6\xF4\xF8ng Ta\xE2n Phong",
     "\xD0\xDF\xB6ng Nguy\xADn V\xE5n Linh, ph\xDF\xB6ng T\xE2n Phong"},
    {"Sở Tài nguyên và Môi trường tỉnh Thừa Thiên Huế",
     "S\xF5\xD2 T\xE0i nguy\xEAn v\xE0 M\xF4i tr\xFD\xF5\xCCng ti\xD2nh Th\xFD\xCC"
     "a Thi\xEAn H"
     "u\xEA\xEC",
     "S\xEB T\xB5i nguy\xAAn v\xB5 M\xABi tr\xAD\xEAng t\xD8nh Th\xF5"
     "a Thi\xAAn Hu\xD5",
     "S\xF4\xFB Ta\xF8i nguye\xE2n va\xF8 Mo\xE2i tr\xF6\xF4\xF8ng t\xE6nh Th\xF6\xF8"
     "a Thie"
     "\xE2n Hue\xE1",
     "S\xB7 T\xE0i nguy\xEAn v\xE0 M\xF4i tr\xDF\xB6ng t\xEFnh Th\xD7"
     "a Thi\xEAn Hu\xAA"},
    {"Danh sách các xã đạt chuẩn nông thôn mới năm 2024",
     "Danh s\xE1"
     "ch c\xE1"
     "c xa\xDE \xF0"
     "a\xF2t chu\xE2\xD2n n\xF4ng th\xF4n m\xF5\xECi n"
     "\xE3m 2024",
     "Danh s\xB8"
     "ch c\xB8"
     "c x\xB7 \xAE\xB9t chu\xC8n n\xABng th\xABn m\xEDi n\xA8m 2024",
     "Danh sa\xF9"
     "ch ca\xF9"
     "c xa\xF5 \xF1"
     "a\xEFt chua\xE5n no\xE2ng tho\xE2n m\xF4\xF9i na"
     "\xEAm 2024",
     "Danh s\xE1"
     "ch c\xE1"
     "c x\xE3 \xF0\xD5t chu\xA6n n\xF4ng th\xF4n m\xBEi n\xE5m 2024"},
    {"Bệnh viện Đa khoa tỉnh Quảng Trị",
     "B\xEA\xF2nh vi\xEA\xF2n \xD0"
     "a khoa ti\xD2nh Qua\xD2ng Tri\xF2",
     "B\xD6nh vi\xD6n \xA7"
     "a khoa t\xD8nh Qu\xB6ng Tr\xDE",
     "Be\xE4nh vie\xE4n \xD1"
     "a khoa t\xE6nh Qua\xFBng Tr\xF2",
     "B\xAEnh vi\xAEn \xD0"
     "a khoa t\xEFnh Qu\xE4ng Tr\xB8"},
    {"Chỉ số giá tiêu dùng tháng 6 tăng 0,5%",
     "Chi\xD2 s\xF4\xEC gi\xE1 ti\xEAu d\xF9ng th\xE1ng 6 t\xE3ng 0,5%",
     "Ch\xD8 s\xE8 gi\xB8 ti\xAAu d\xEFng th\xB8ng 6 t\xA8ng 0,5%",
     "Ch\xE6 so\xE1 gia\xF9 tie\xE2u du\xF8ng tha\xF9ng 6 ta\xEAng 0,5%",
     "Ch\xEF s\xAF gi\xE1 ti\xEAu d\xF9ng th\xE1ng 6 t\xE5ng 0,5%"},
};

// Every tone mark and every one of ă â đ ê ô ơ ư, in lower case and in capitals.
const Sample kAllMarks[] = {
    {"Ăn ở Ấp Đông, Ê-đê, Ông Ơn, Ưng Hòa: năm nay cân đá, ăn cơm, ưa ô tô; nghỉ hè được mưa rào, "
     "cá chép, bưởi, gỗ, lụa, dễ, sợ, mãi.",
     "\xC3n \xF5\xD2 \xC2\xECp \xD0\xF4ng, \xCA-\xF0\xEA, \xD4ng \xD5n, \xDDng Ho\xCC"
     "a: n\xE3m"
     " nay c\xE2n \xF0\xE1, \xE3n c\xF5m, \xFD"
     "a \xF4 t\xF4; nghi\xD2 h\xE8 \xF0\xFD\xF5\xF2"
     "c m\xFD"
     "a r\xE0o, c\xE1 ch\xE9p, b\xFD\xF5\xD2i, g\xF4\xDE, lu\xF2"
     "a, d\xEA\xDE, s\xF5"
     "\xF2, ma\xDEi.",
     "\xA1n \xEB \xC4p \xA7\xABng, \xA3-\xAE\xAA, \xA4ng \xA5n, \xA6ng H\xDF"
     "a: n\xA8m nay c"
     "\xA9n \xAE\xB8, \xA8n c\xACm, \xAD"
     "a \xAB t\xAB; ngh\xD8 h\xCC \xAE\xAD\xEE"
     "c m\xAD"
     "a"
     " r\xB5o, c\xB8 ch\xD0p, b\xAD\xEBi, g\xE7, l\xF4"
     "a, d\xD4, s\xEE, m\xB7i.",
     "A\xCAn \xF4\xFB A\xC1p \xD1o\xE2ng, E\xC2-\xF1"
     "e\xE2, O\xC2ng \xD4n, \xD6ng Ho\xF8"
     "a: n"
     "a\xEAm nay ca\xE2n \xF1"
     "a\xF9, a\xEAn c\xF4m, \xF6"
     "a o\xE2 to\xE2; ngh\xE6 he\xF8 \xF1"
     "\xF6\xF4\xEF"
     "c m\xF6"
     "a ra\xF8o, ca\xF9 che\xF9p, b\xF6\xF4\xFBi, go\xE3, lu\xEF"
     "a, de"
     "\xE3, s\xF4\xEF, ma\xF5i.",
     "\xC5n \xB7 \x84p \xD0\xF4ng, \xCA-\xF0\xEA, \xD4ng \xB4n, \xBFng H\xF2"
     "a: n\xE5m nay c"
     "\xE2n \xF0\xE1, \xE5n c\xBDm, \xDF"
     "a \xF4 t\xF4; ngh\xEF h\xE8 \xF0\xDF\xFE"
     "c m\xDF"
     "a"
     " r\xE0o, c\xE1 ch\xE9p, b\xDF\xB7i, g\xB2, l\xF8"
     "a, d\xAD, s\xFE, m\xE3i."},
    {"ĐƯỜNG LÊN ẢI BẮC, TRƯỜNG SƠN: ỐC ĐẢO, ỦY BAN, VIỆT NAM, QUỐC HỘI, ĐĂK LĂK, ÔNG ẤY, ÊM Ả.",
     "\xD0\xDD\xD5\xCCNG L\xCAN A\xD2I B\xC3\xEC"
     "C, TR\xDD\xD5\xCCNG S\xD5N: \xD4\xEC"
     "C \xD0"
     "A\xD2O, U\xD2Y BAN, VI\xCA\xF2T NAM, QU\xD4\xEC"
     "C H\xD4\xF2I, \xD0\xC3K L\xC3K, \xD4NG "
     "\xC2\xECY, \xCAM A\xD2.",
     "\xA7\xA6\x98NG L\xA3N \x81I B\xC0"
     "C, TR\xA6\x98NG S\xA5N: \xFF"
     "C \xA7\x81O, \x9EY BAN, "
     "VI\x8CT NAM, QU\xFF"
     "C H\x97I, \xA7\xA1K L\xA1K, \xA4NG \xC4Y, \xA3M \x81.",
     "\xD1\xD6\xD4\xD8NG LE\xC2N A\xDBI BA\xC9"
     "C, TR\xD6\xD4\xD8NG S\xD4N: O\xC1"
     "C \xD1"
     "A"
     "\xDBO, U\xDBY BAN, VIE\xC4T NAM, QUO\xC1"
     "C HO\xC4I, \xD1"
     "A\xCAK LA\xCAK, O\xC2NG A\xC1Y"
     ", E\xC2M A\xDB.",
     "\xD0\xBF\x96NG L\xCAN \xC4I B\x81"
     "C, TR\xBF\x96NG S\xB4N: \x8F"
     "C \xD0\xC4O, \x9CY BAN, "
     "VI\x8ET NAM, QU\x8F"
     "C H\x93I, \xD0\xC5K L\xC5K, \xD4NG \x84Y, \xCAM \xC4."},
};

constexpr Encoding kLegacyEncodings[] = {Encoding::kCp1258, Encoding::kTcvn3, Encoding::kVni,
                                         Encoding::kViscii};

// All of `bytes` through a new Transcoder in one call.
Result<std::string> Convert(Encoding from, std::string_view bytes) {
  Transcoder t(from);
  std::string out;
  Status s = t.Feed(bytes, out, /*last=*/true);
  if (!s.ok()) return s;
  return out;
}

// Text shown as Latin-1 characters (how a legacy font's bytes look in a spreadsheet) → the bytes.
std::string Latin1Bytes(std::string_view utf8) {
  std::string out;
  int32_t i = 0;
  auto len = static_cast<int32_t>(utf8.size());
  while (i < len) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, len, c);
    EXPECT_TRUE(c >= 0 && c < 0x100) << "not Latin-1: " << utf8;
    out += static_cast<char>(c);
  }
  return out;
}

std::string Utf16(std::string_view utf8, bool big_endian) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(utf8);
  std::string out;
  for (int32_t i = 0; i < u.length(); ++i) {
    char16_t unit = u.charAt(i);
    char hi = static_cast<char>(unit >> 8), lo = static_cast<char>(unit & 0xFF);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  }
  return out;
}

// glibc's converter, for round trips of generated text.
std::optional<std::string> Iconv(std::string_view in, const char* from, const char* to) {
  iconv_t cd = iconv_open(to, from);
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << from << " -> " << to;
  std::string out(in.size() * 4 + 16, '\0');
  char* inp = const_cast<char*>(in.data());
  size_t in_left = in.size();
  char* o = out.data();
  size_t out_left = out.size();
  bool ok = iconv(cd, &inp, &in_left, &o, &out_left) != static_cast<size_t>(-1) &&
            iconv(cd, nullptr, nullptr, &o, &out_left) != static_cast<size_t>(-1);
  iconv_close(cd);
  if (!ok) return std::nullopt;
  out.resize(static_cast<size_t>(o - out.data()));
  return out;
}

std::string IconvEncode(std::string_view utf8, const char* to) {
  std::optional<std::string> out = Iconv(utf8, "UTF-8", to);
  EXPECT_TRUE(out.has_value()) << to;
  return out.value_or("");
}

// ---------------------------------------------------------------------------------------------
// Names

TEST(EncodingNameTest, EveryNameParsesBack) {
  for (Encoding e : {Encoding::kUtf8, Encoding::kUtf16Le, Encoding::kUtf16Be, Encoding::kCp1258,
                     Encoding::kTcvn3, Encoding::kVni, Encoding::kViscii}) {
    EXPECT_EQ(ParseEncodingName(EncodingName(e)), e) << EncodingName(e);
  }
  EXPECT_STREQ(EncodingName(Encoding::kCp1258), "Windows-1258");
  EXPECT_STREQ(EncodingName(Encoding::kUtf16Le), "UTF-16LE");
}

TEST(EncodingNameTest, AcceptsCommonAliasesIgnoringCase) {
  struct Case {
    const char* name;
    std::optional<Encoding> want;
  };
  const Case kCases[] = {
      {"utf8", Encoding::kUtf8},
      {"UTF-8", Encoding::kUtf8},
      {"utf16", Encoding::kUtf16Le},
      {"UTF-16LE", Encoding::kUtf16Le},
      {"utf-16be", Encoding::kUtf16Be},
      {"cp1258", Encoding::kCp1258},
      {"WINDOWS-1258", Encoding::kCp1258},
      {"abc", Encoding::kTcvn3},
      {"TCVN3", Encoding::kTcvn3},
      {"tcvn5712", Encoding::kTcvn3},
      {"TCVN5712-1", Encoding::kTcvn3},
      {"vni", Encoding::kVni},
      {"VNI-Windows", Encoding::kVni},
      {"vni windows", Encoding::kVni},
      {"viscii", Encoding::kViscii},
      {"latin1", std::nullopt},
      {"", std::nullopt},
      {"shift_jis", std::nullopt},
  };
  for (const Case& c : kCases) EXPECT_EQ(ParseEncodingName(c.name), c.want) << c.name;
}

// ---------------------------------------------------------------------------------------------
// Detection

TEST(DetectEncodingTest, TellsTheFourLegacyEncodingsApartOnRealSentences) {
  for (const Sample& s : kSentences) {
    for (Encoding e : kLegacyEncodings) {
      EXPECT_EQ(DetectEncoding(s.In(e)), e) << EncodingName(e) << ": " << s.utf8;
    }
  }
}

TEST(DetectEncodingTest, TellsTheEncodingsApartOnAWholeFile) {
  for (Encoding e : kLegacyEncodings) {
    std::string file = "STT,Ten,Dia chi\r\n";
    for (const Sample& s : kSentences) file += std::string("1,") + std::string(s.In(e)) + "\r\n";
    EXPECT_EQ(DetectEncoding(file), e) << EncodingName(e);
  }
}

TEST(DetectEncodingTest, ValidUtf8AndAsciiAreUtf8) {
  for (const Sample& s : kSentences) EXPECT_EQ(DetectEncoding(s.utf8), Encoding::kUtf8) << s.utf8;
  EXPECT_EQ(DetectEncoding("Population by district, 2024"), Encoding::kUtf8);
  EXPECT_EQ(DetectEncoding(""), Encoding::kUtf8);
}

TEST(DetectEncodingTest, Utf8SampleCutInsideACharacterIsStillUtf8) {
  std::string text = "Trường Trung học phổ thông Nguyễn Huệ";
  std::string sample = text.substr(0, text.find("ễ") + 2);  // ends inside the 3 bytes of ễ
  EXPECT_EQ(DetectEncoding(sample), Encoding::kUtf8);
  std::string ascii_then_cut = std::string(200, 'a') + "\xE1\xBB";
  EXPECT_EQ(DetectEncoding(ascii_then_cut), Encoding::kUtf8);
}

TEST(DetectEncodingTest, ByteOrderMarksComeFirst) {
  EXPECT_EQ(DetectEncoding("\xEF\xBB\xBFH\xC3\xA0"), Encoding::kUtf8);
  EXPECT_EQ(DetectEncoding("\xFF\xFEH\0"sv), Encoding::kUtf16Le);
  EXPECT_EQ(DetectEncoding("\xFE\xFF\0H"sv), Encoding::kUtf16Be);
  EXPECT_EQ(DetectEncoding("\xEF\xBB\xBFH\xB5 N\xE9i"), Encoding::kUtf8);  // BOM beats content
}

TEST(DetectEncodingTest, Utf16WithoutBomFromTheZeroBytes) {
  for (const Sample& s : kSentences) {
    EXPECT_EQ(DetectEncoding(Utf16(s.utf8, false)), Encoding::kUtf16Le) << s.utf8;
    EXPECT_EQ(DetectEncoding(Utf16(s.utf8, true)), Encoding::kUtf16Be) << s.utf8;
  }
}

// ---------------------------------------------------------------------------------------------
// Conversion

TEST(TranscoderTest, ConvertsSentencesFromEveryLegacyEncoding) {
  for (const Sample& s : kSentences) {
    for (Encoding e : kLegacyEncodings) {
      Result<std::string> r = Convert(e, s.In(e));
      ASSERT_TRUE(r.ok()) << EncodingName(e) << ": " << r.status().ToString();
      EXPECT_EQ(*r, s.utf8) << EncodingName(e);
    }
  }
}

TEST(TranscoderTest, ConvertsAllToneMarksAndLettersInBothCases) {
  for (const Sample& s : kAllMarks) {
    for (Encoding e : kLegacyEncodings) {
      Result<std::string> r = Convert(e, s.In(e));
      ASSERT_TRUE(r.ok()) << EncodingName(e) << ": " << r.status().ToString();
      EXPECT_EQ(*r, s.utf8) << EncodingName(e);
    }
  }
}

constexpr const char* kAlphabet =
    "aáàảãạ ăắằẳẵặ âấầẩẫậ eéèẻẽẹ êếềểễệ iíìỉĩị oóòỏõọ ôốồổỗộ ơớờởỡợ uúùủũụ ưứừửữự yýỳỷỹỵ đ "
    "AÁÀẢÃẠ ĂẮẰẲẴẶ ÂẤẦẨẪẬ EÉÈẺẼẸ ÊẾỀỂỄỆ IÍÌỈĨỊ OÓÒỎÕỌ ÔỐỒỔỖỘ ƠỚỜỞỠỢ UÚÙỦŨỤ ƯỨỪỬỮỰ YÝỲỶỸỴ Đ";

TEST(TranscoderTest, EveryVietnameseLetterRoundTripsThroughIconvEncodings) {
  struct Case {
    Encoding encoding;
    const char* iconv_name;
  };
  for (Case c : {Case{Encoding::kCp1258, "CP1258"}, Case{Encoding::kTcvn3, "TCVN5712-1"},
                 Case{Encoding::kViscii, "VISCII"}}) {
    Result<std::string> r = Convert(c.encoding, IconvEncode(kAlphabet, c.iconv_name));
    ASSERT_TRUE(r.ok()) << c.iconv_name << ": " << r.status().ToString();
    EXPECT_EQ(*r, kAlphabet) << c.iconv_name;
  }
}

TEST(TranscoderTest, EveryVietnameseLetterFromVni) {
  // The VNI-Windows table, vowel by vowel: plain, sắc, huyền, hỏi, ngã, nặng.
  std::string vni = Latin1Bytes(
      "aaùaøaûaõaï aêaéaèaúaüaë aâaáaàaåaãaä eeùeøeûeõeï eâeáeàeåeãeä iíìæóò "
      "ooùoøoûoõoï oâoáoàoåoãoä ôôùôøôûôõôï uuùuøuûuõuï ööùöøöûöõöï yyùyøyûyõî ñ "
      "AAÙAØAÛAÕAÏ AÊAÉAÈAÚAÜAË AÂAÁAÀAÅAÃAÄ EEÙEØEÛEÕEÏ EÂEÁEÀEÅEÃEÄ IÍÌÆÓÒ "
      "OOÙOØOÛOÕOÏ OÂOÁOÀOÅOÃOÄ ÔÔÙÔØÔÛÔÕÔÏ UUÙUØUÛUÕUÏ ÖÖÙÖØÖÛÖÕÖÏ YYÙYØYÛYÕÎ Ñ");
  Result<std::string> r = Convert(Encoding::kVni, vni);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, kAlphabet);
}

TEST(TranscoderTest, VniKeepsOtherBytesAsWindows1252) {
  Result<std::string> r = Convert(Encoding::kVni,
                                  "\x93Ha\xF8 No\xE4i\x94 \x96 50\xB0"
                                  "C");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "“Hà Nội” – 50°C");
}

TEST(TranscoderTest, Utf8IsCheckedAndPutInNfc) {
  // "Việt" typed as e + combining circumflex + combining dot below ("Unicode tổ hợp").
  Result<std::string> r = Convert(Encoding::kUtf8, "Vi\x65\xCC\x82\xCC\xA3t Nam");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Việt Nam");
  r = Convert(Encoding::kCp1258, "Vi\xEA\xF2t Nam");  // Windows-1258 keeps the dot apart too
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Việt Nam");
}

TEST(TranscoderTest, DropsTheUtf8Bom) {
  Result<std::string> r = Convert(Encoding::kUtf8, "\xEF\xBB\xBFH\xC3\xA0 N\xE1\xBB\x99i");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Hà Nội");
}

TEST(TranscoderTest, ConvertsUtf16BothWaysWithAndWithoutBom) {
  for (const Sample& s : kSentences) {
    std::string le = Utf16(s.utf8, false), be = Utf16(s.utf8, true);
    EXPECT_EQ(*Convert(Encoding::kUtf16Le, le), s.utf8);
    EXPECT_EQ(*Convert(Encoding::kUtf16Be, be), s.utf8);
    EXPECT_EQ(*Convert(Encoding::kUtf16Le, "\xFF\xFE" + le), s.utf8);
    EXPECT_EQ(*Convert(Encoding::kUtf16Be, "\xFE\xFF" + be), s.utf8);
  }
  // A character outside the BMP is a surrogate pair.
  EXPECT_EQ(*Convert(Encoding::kUtf16Le, Utf16("Mưa 🌧", false)), "Mưa 🌧");
}

// Feeding `bytes` in two pieces cut at every position, and one byte at a time, gives what one call
// gives.
void ExpectChunkingDoesNotMatter(Encoding e, std::string_view bytes, std::string_view want) {
  Result<std::string> whole = Convert(e, bytes);
  ASSERT_TRUE(whole.ok()) << EncodingName(e) << ": " << whole.status().ToString();
  ASSERT_EQ(*whole, want) << EncodingName(e);
  for (size_t cut = 0; cut <= bytes.size(); ++cut) {
    Transcoder t(e);
    std::string out;
    ASSERT_TRUE(t.Feed(bytes.substr(0, cut), out, false).ok()) << EncodingName(e) << " " << cut;
    ASSERT_TRUE(t.Feed(bytes.substr(cut), out, true).ok()) << EncodingName(e) << " " << cut;
    EXPECT_EQ(out, want) << EncodingName(e) << ", cut at byte " << cut;
  }
  Transcoder t(e);
  std::string out;
  for (char c : bytes) ASSERT_TRUE(t.Feed(std::string_view(&c, 1), out, false).ok());
  ASSERT_TRUE(t.Feed({}, out, true).ok());
  EXPECT_EQ(out, want) << EncodingName(e) << ", byte by byte";
}

TEST(TranscoderTest, ChunksCutAtEveryByteGiveTheSameText) {
  const Sample& s = kSentences[4];  // Đường Nguyễn Văn Linh, phường Tân Phong
  for (Encoding e : kLegacyEncodings) ExpectChunkingDoesNotMatter(e, s.In(e), s.utf8);
  std::string text = "Đường Nguyễn 🌧 Linh";
  ExpectChunkingDoesNotMatter(Encoding::kUtf8, "\xEF\xBB\xBF" + text, text);
  ExpectChunkingDoesNotMatter(Encoding::kUtf8, "Vi\x65\xCC\x82\xCC\xA3t", "Việt");
  ExpectChunkingDoesNotMatter(Encoding::kUtf16Le, "\xFF\xFE" + Utf16(text, false), text);
  ExpectChunkingDoesNotMatter(Encoding::kUtf16Be, Utf16(text, true), text);
}

TEST(TranscoderTest, OutputComesOutAsInputArrives) {
  Transcoder t(Encoding::kVni);
  std::string out;
  ASSERT_TRUE(t.Feed("Ha\xF8 No\xE4i ", out, false).ok());
  EXPECT_EQ(out, "Hà Nội");  // the space waits: a mark could still follow it
  ASSERT_TRUE(t.Feed("2024", out, true).ok());
  EXPECT_EQ(out, "Hà Nội 2024");
}

TEST(TranscoderTest, IsReadyForANewStreamAfterTheLastChunk) {
  Transcoder t(Encoding::kUtf16Le);
  std::string out;
  ASSERT_TRUE(t.Feed("\xFF\xFEH\0"sv, out, true).ok());
  ASSERT_TRUE(t.Feed("\xFF\xFEi\0"sv, out, true).ok());
  EXPECT_EQ(out, "Hi");
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(TranscoderErrorTest, InvalidUtf8GivesTheByteOffsetInBothLanguages) {
  Transcoder t(Encoding::kUtf8);
  std::string out;
  ASSERT_TRUE(t.Feed("H\xC3\xA0 N", out, false).ok());
  Status s = t.Feed("\xE1\xBB\x99i \xC3\x28", out, true);  // C3 28: a lead byte without its tail
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("byte offset 10"), std::string::npos) << s.message();
  EXPECT_NE(s.message_vi().find("vị trí byte 10"), std::string::npos) << s.message_vi();
  EXPECT_NE(s.message().find("UTF-8"), std::string::npos);
  // The Transcoder is spent: the same error again.
  EXPECT_EQ(t.Feed("a", out, true).message(), s.message());
}

TEST(TranscoderErrorTest, InvalidBytesInOtherEncodings) {
  struct Case {
    Encoding encoding;
    std::string bytes;
    size_t offset;
  };
  const Case kCases[] = {
      {Encoding::kCp1258, "Ha\xCC N\x81i", 5},     // 0x81 is not Windows-1258
      {Encoding::kUtf16Le, "H\0\x00\xDC!\0"s, 2},  // a low surrogate alone
      {Encoding::kUtf8,
       "\xEF\xBB\xBF"
       "ab\xFF",
       5},                                   // offsets count the BOM
      {Encoding::kUtf8, "\xED\xA0\x80", 0},  // a UTF-8 encoded surrogate
  };
  for (const Case& c : kCases) {
    Result<std::string> r = Convert(c.encoding, c.bytes);
    ASSERT_FALSE(r.ok()) << EncodingName(c.encoding);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("byte offset " + std::to_string(c.offset)),
              std::string::npos)
        << r.status().message();
  }
}

TEST(TranscoderErrorTest, InputEndingInsideACharacterIsAnErrorOnlyAtTheEnd) {
  Transcoder t(Encoding::kUtf16Le);
  std::string out;
  ASSERT_TRUE(t.Feed("H\0\x3D\xD8"sv, out, false).ok());  // ends with a high surrogate
  EXPECT_EQ(out, "");                                     // "H" waits for a possible combining mark
  Status s = t.Feed("", out, true);
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("ends inside"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("byte offset 2"), std::string::npos) << s.message();
  EXPECT_NE(s.message_vi().find("vị trí byte 2"), std::string::npos) << s.message_vi();

  Result<std::string> r = Convert(Encoding::kUtf8, "Nguy\xE1\xBB");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("byte offset 4"), std::string::npos);
  EXPECT_FALSE(Convert(Encoding::kUtf16Be, "\0H\0"sv).ok());
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet text shown through legacy fonts

TEST(LegacyFontTest, FontNamesImplyEncodings) {
  struct Case {
    const char* font;
    std::optional<Encoding> want;
    bool uppercase;
  };
  const Case kCases[] = {
      {".VnTime", Encoding::kTcvn3, false},
      {".VnArial", Encoding::kTcvn3, false},
      {".VnTimeH", Encoding::kTcvn3, true},
      {".VnArialH", Encoding::kTcvn3, true},
      {".vntime", Encoding::kTcvn3, false},
      {"VNI-Times", Encoding::kVni, false},
      {"VNI-Helve", Encoding::kVni, false},
      {"vni-times", Encoding::kVni, false},
      {"Times New Roman", std::nullopt, false},
      {"Arial", std::nullopt, false},
      {"", std::nullopt, false},
      {"VNtimes", std::nullopt, false},
  };
  for (const Case& c : kCases) {
    bool uppercase = !c.uppercase;
    EXPECT_EQ(EncodingOfFont(c.font, &uppercase), c.want) << c.font;
    EXPECT_EQ(uppercase, c.uppercase) << c.font;
  }
  EXPECT_EQ(EncodingOfFont(".VnTimeH"), Encoding::kTcvn3);  // the flag is optional
}

TEST(LegacyFontTest, Tcvn3TextComesBack) {
  EXPECT_EQ(FromLegacyFontText("Hµ Néi", Encoding::kTcvn3), "Hà Nội");
  EXPECT_EQ(FromLegacyFontText("Tr\u00ADêng Trung häc phæ th«ng NguyÔn HuÖ", Encoding::kTcvn3),
            "Trường Trung học phổ thông Nguyễn Huệ");
  EXPECT_EQ(FromLegacyFontText("Uû ban nh©n d©n tØnh §¾k L¾k", Encoding::kTcvn3),
            "Uỷ ban nhân dân tỉnh Đắk Lắk");
}

TEST(LegacyFontTest, Tcvn3HFontTextComesBackInCapitals) {
  EXPECT_EQ(FromLegacyFontText("Hµ Néi", Encoding::kTcvn3, /*uppercase=*/true), "HÀ NỘI");
  EXPECT_EQ(FromLegacyFontText("uû ban nh©n d©n tØnh", Encoding::kTcvn3, /*uppercase=*/true),
            "UỶ BAN NHÂN DÂN TỈNH");
}

TEST(LegacyFontTest, VniTextComesBack) {
  EXPECT_EQ(FromLegacyFontText("Haø Noäi", Encoding::kVni), "Hà Nội");
  EXPECT_EQ(FromLegacyFontText("Ñöôøng Nguyeãn Vaên Linh, phöôøng Taân Phong", Encoding::kVni),
            "Đường Nguyễn Văn Linh, phường Tân Phong");
  EXPECT_EQ(FromLegacyFontText("ÑÖÔØNG LEÂ LÔÏI", Encoding::kVni), "ĐƯỜNG LÊ LỢI");
}

TEST(LegacyFontTest, CharactersWithoutALatin1ByteAreKept) {
  EXPECT_EQ(FromLegacyFontText("Hµ Néi ≥ 5 ✓", Encoding::kTcvn3), "Hà Nội ≥ 5 ✓");
}

TEST(LegacyFontTest, DecodingAgreesWithTheTranscoderForEveryByte) {
  for (Encoding e : kLegacyEncodings) {
    for (int b = 0; b < 0x100; ++b) {
      std::string byte(1, static_cast<char>(b));
      Result<std::string> want = Convert(e, byte);
      if (!want.ok()) continue;  // undefined in Windows-1258
      // The character a spreadsheet holds for the byte: CP1252's, or Latin-1's where CP1252 has
      // none.
      std::string shown = Iconv(byte, "CP1252", "UTF-8").value_or("");
      if (shown.empty()) shown = {static_cast<char>(0xC2), static_cast<char>(b)};
      EXPECT_EQ(FromLegacyFontText(shown, e), *want) << EncodingName(e) << " byte " << b;
    }
  }
}

TEST(LegacyFontTest, LooksLikeLegacyTextFindsTcvn3AndVni) {
  EXPECT_EQ(LooksLikeLegacyText("Hµ Néi"), Encoding::kTcvn3);
  EXPECT_EQ(LooksLikeLegacyText("Tr\u00ADêng Trung häc phæ th«ng NguyÔn HuÖ"), Encoding::kTcvn3);
  EXPECT_EQ(LooksLikeLegacyText("Danh s¸ch c¸c x· ®¹t chuÈn n«ng th«n míi"), Encoding::kTcvn3);
  EXPECT_EQ(LooksLikeLegacyText("Haø Noäi"), Encoding::kVni);
  EXPECT_EQ(LooksLikeLegacyText("Ñöôøng Nguyeãn Vaên Linh, phöôøng Taân Phong"), Encoding::kVni);
  EXPECT_EQ(LooksLikeLegacyText("Soá hoïc sinh"), Encoding::kVni);
}

TEST(LegacyFontTest, LooksLikeLegacyTextLeavesUnicodeVietnameseAndEnglishAlone) {
  const char* kTexts[] = {
      "Hà Nội",
      "Trường Trung học phổ thông Nguyễn Huệ",
      "Cà Mau",  // only Latin-1 letters, already Vietnamese
      "Bà Rịa – Vũng Tàu",
      "Vi\x65\xCC\x82\xCC\xA3t Nam",  // decomposed
      "Population by district, 2024",
      "The café opens at 8 à la carte",
      "Müller, Straße, naïve, résumé",
      "",
      "12.345,6",
  };
  for (const char* t : kTexts) EXPECT_EQ(LooksLikeLegacyText(t), std::nullopt) << t;
}

}  // namespace
}  // namespace odp::text
