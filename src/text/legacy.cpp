#include "text/legacy.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include <iconv.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::text {
namespace {

// ---------------------------------------------------------------------------------------------
// Names

std::string NameKey(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '_') continue;
    key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return key;
}

struct Alias {
  const char* key;  // as NameKey() leaves it
  Encoding encoding;
};

constexpr Alias kAliases[] = {
    {"utf8", Encoding::kUtf8},
    {"utf16le", Encoding::kUtf16Le},
    {"utf16", Encoding::kUtf16Le},
    {"ucs2", Encoding::kUtf16Le},
    {"ucs2le", Encoding::kUtf16Le},
    {"utf16be", Encoding::kUtf16Be},
    {"ucs2be", Encoding::kUtf16Be},
    {"windows1258", Encoding::kCp1258},
    {"cp1258", Encoding::kCp1258},
    {"win1258", Encoding::kCp1258},
    {"xcp1258", Encoding::kCp1258},
    {"1258", Encoding::kCp1258},
    {"tcvn3", Encoding::kTcvn3},
    {"tcvn", Encoding::kTcvn3},
    {"abc", Encoding::kTcvn3},
    {"tcvn5712", Encoding::kTcvn3},
    {"tcvn57121", Encoding::kTcvn3},
    {"tcvn5712:1993", Encoding::kTcvn3},
    {"tcvn57121:1993", Encoding::kTcvn3},
    {"vn3", Encoding::kTcvn3},
    {"vscii3", Encoding::kTcvn3},
    {"vni", Encoding::kVni},
    {"vniwindows", Encoding::kVni},
    {"vniwin", Encoding::kVni},
    {"viscii", Encoding::kViscii},
    {"csviscii", Encoding::kViscii},
    {"viscii1.1", Encoding::kViscii},
    {"viscii1.11", Encoding::kViscii},
};

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != prefix[i]) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// UTF-8 and CP1252

enum class Utf8Step { kChar, kIncomplete, kInvalid };

// Looks at the sequence starting at p[0] (n > 0 bytes available). kChar sets `len`; kIncomplete
// means the bytes are a valid beginning that the input ends inside (Unicode Table 3-7).
Utf8Step NextUtf8(const uint8_t* p, size_t n, size_t& len) {
  uint8_t c = p[0];
  if (c < 0x80) {
    len = 1;
    return Utf8Step::kChar;
  }
  size_t need;
  uint8_t lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return Utf8Step::kInvalid;
  }
  for (size_t i = 1; i < need; ++i) {
    if (i >= n) return Utf8Step::kIncomplete;
    uint8_t t = p[i];
    if (i == 1 ? (t < lo || t > hi) : (t & 0xC0) != 0x80) return Utf8Step::kInvalid;
  }
  len = need;
  return Utf8Step::kChar;
}

// CP1252 bytes 0x80-0x9F; 0 where CP1252 has no character (there Latin-1's C1 control is used).
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

UChar32 Cp1252Char(uint8_t b) {
  if (b >= 0x80 && b < 0xA0 && kCp1252High[b - 0x80] != 0) return kCp1252High[b - 0x80];
  return b;
}

// The CP1252 byte showing `cp` (Latin-1 for U+0000-U+00FF), or -1.
int Cp1252Byte(UChar32 cp) {
  if (cp >= 0 && cp < 0x100) return cp;
  for (int i = 0; i < 32; ++i) {
    if (kCp1252High[i] == cp) return 0x80 + i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Vietnamese spelling, for telling a right decoding from a wrong one

enum Tone : uint8_t { kLevel, kAcute, kGrave, kHook, kTilde, kDotBelow };

struct LetterInfo {
  char32_t base;  // lowercase letter without tone mark: a ă â b c d đ e ê ... ư v x y
  Tone tone;
  bool upper;
};

// Which letters are Vietnamese and which letter sequences make a syllable:
// initial consonant + rhyme (medial, vowel nucleus, final), tones c/ch/p/t only with sắc or nặng.
class Spelling {
 public:
  static const Spelling& Get() {
    static const Spelling kSpelling;
    return kSpelling;
  }

  const LetterInfo* Letter(UChar32 cp) const {
    auto it = letters_.find(cp);
    return it == letters_.end() ? nullptr : &it->second;
  }

  // `letters` are LetterInfo::base values, lowercase; the tone mark, if any, is on
  // letters[tone_at]. The mark must sit where Vietnamese puts it: on the last vowel before a
  // final consonant; in open syllables on the vowel before a final glide or a ("mái", "mía"),
  // on ê ơ and the like when they end the syllable ("Huế", "thuở"), on either vowel of oa oe uy
  // (both "hóa" and "hoá").
  bool IsSyllable(const std::u32string& letters, Tone tone, size_t tone_at) const {
    for (const std::u32string& initial : initials_) {
      if (letters.compare(0, initial.size(), initial) != 0) continue;
      std::u32string rhyme = letters.substr(initial.size());
      auto it = rhymes_.find(rhyme);
      if (it == rhymes_.end()) continue;
      bool stop_final = it->second;
      if (stop_final && tone != kAcute && tone != kDotBelow) continue;
      if (tone == kLevel) return true;
      if (tone_at < initial.size()) continue;
      size_t at = tone_at - initial.size();
      size_t vowels = 0;
      while (vowels < rhyme.size() && IsVowel(rhyme[vowels])) ++vowels;
      bool ok;
      if (vowels < rhyme.size() || IsModifiedVowel(rhyme[vowels - 1])) {
        ok = at == vowels - 1;
      } else if (rhyme == U"oa" || rhyme == U"oe" || rhyme == U"uy") {
        ok = at <= 1;
      } else {
        ok = at == (vowels >= 2 ? vowels - 2 : 0);
      }
      if (ok) return true;
    }
    return false;
  }

 private:
  Spelling() {
    BuildLetters();
    for (const char* i :
         {"ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu", "b", "c", "d",
          "đ",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x", ""}) {
      initials_.push_back(ToU32(i));
    }
    // Nucleus (with medial o/u) and the finals it takes; "-" is no final. A final vowel (the i of
    // "ai", the a of "ia") counts as a final here. "k" (Đắk Lắk, Tây Nguyên names) goes with "c".
    struct Group {
      const char* nucleus;
      const char* finals;
    };
    static constexpr Group kGroups[] = {
        {"a", "- c ch i m n ng nh o p t u y"},
        {"ă", "c m n ng p t"},
        {"â", "c m n ng p t u y"},
        {"e", "- c m n ng o p t"},
        {"ê", "- ch m n nh p t u"},
        {"i", "- a ch m n nh p t u"},
        {"iê", "c m n ng p t u"},
        {"o", "- c i m n ng p t"},
        {"oo", "c ng"},
        {"ô", "- c i m n ng p t"},
        {"ơ", "- i m n p t"},
        {"u", "- a c i m n ng p t"},
        {"uô", "c i m n ng t"},
        {"ư", "- a c i m n ng t u"},
        {"ươ", "c i m n ng p t u"},
        {"y", "-"},
        {"yê", "m n ng t u"},
        {"oa", "- c ch i m n ng nh o p t y"},
        {"oă", "c m n ng t"},
        {"oe", "- n o t"},
        {"uâ", "n ng t y"},
        {"uê", "- ch n nh"},
        {"uy", "- a ch n nh p t u"},
        {"uyê", "n t"},
        {"uơ", "-"},
    };
    for (const Group& g : kGroups) {
      std::u32string nucleus = ToU32(g.nucleus);
      std::string_view finals = g.finals;
      while (!finals.empty()) {
        size_t sp = finals.find(' ');
        std::string_view f = finals.substr(0, sp);
        finals = sp == std::string_view::npos ? std::string_view() : finals.substr(sp + 1);
        if (f == "-") {
          rhymes_[nucleus] = false;
          continue;
        }
        bool stop = f == "c" || f == "ch" || f == "p" || f == "t";
        rhymes_[nucleus + ToU32(f)] = stop;
        if (f == "c") rhymes_[nucleus + U"k"] = true;
      }
    }
  }

  static bool IsVowel(char32_t c) {
    return std::u32string_view(U"aeiouyăâêôơư").find(c) != std::u32string_view::npos;
  }
  static bool IsModifiedVowel(char32_t c) {
    return std::u32string_view(U"ăâêôơư").find(c) != std::u32string_view::npos;
  }

  static std::u32string ToU32(std::string_view s) {
    std::u32string out;
    int32_t i = 0;
    auto len = static_cast<int32_t>(s.size());
    while (i < len) {
      UChar32 c;
      U8_NEXT(s.data(), i, len, c);
      out += static_cast<char32_t>(c);
    }
    return out;
  }

  // Every precomposed Vietnamese letter, found by decomposing the Latin blocks with ICU.
  void BuildLetters() {
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(ec);
    auto add = [&](UChar32 cp) {
      UChar32 lower = u_tolower(cp);
      bool upper = lower != cp;
      if (lower == 0x0111) {  // đ has no decomposition
        letters_[cp] = {0x0111, kLevel, upper};
        return;
      }
      UErrorCode e = U_ZERO_ERROR;
      icu::UnicodeString d = nfd->normalize(icu::UnicodeString(lower), e);
      if (U_FAILURE(e) || d.length() == 0) return;
      UChar32 base = d.charAt(0);
      if (base < 'a' || base > 'z' || base == 'f' || base == 'j' || base == 'w' || base == 'z') {
        return;
      }
      bool vowel = std::u32string_view(U"aeiouy").find(static_cast<char32_t>(base)) !=
                   std::u32string_view::npos;
      Tone tone = kLevel;
      char32_t letter = static_cast<char32_t>(base);
      for (int32_t i = 1; i < d.length(); ++i) {
        UChar mark = d.charAt(i);
        Tone t = mark == 0x0301   ? kAcute
                 : mark == 0x0300 ? kGrave
                 : mark == 0x0309 ? kHook
                 : mark == 0x0303 ? kTilde
                 : mark == 0x0323 ? kDotBelow
                                  : kLevel;
        if (t != kLevel) {
          if (tone != kLevel || !vowel) return;
          tone = t;
          continue;
        }
        if (letter != static_cast<char32_t>(base)) return;  // a second modifier
        if (mark == 0x0306 && base == 'a') {
          letter = U'ă';
        } else if (mark == 0x0302 && (base == 'a' || base == 'e' || base == 'o')) {
          letter = base == 'a' ? U'â' : base == 'e' ? U'ê' : U'ô';
        } else if (mark == 0x031B && (base == 'o' || base == 'u')) {
          letter = base == 'o' ? U'ơ' : U'ư';
        } else {
          return;
        }
      }
      letters_[cp] = {letter, tone, upper};
    };
    for (UChar32 cp = 'A'; cp <= 'z'; ++cp) add(cp);
    for (UChar32 cp = 0xC0; cp <= 0x1B0; ++cp) add(cp);
    for (UChar32 cp = 0x1EA0; cp <= 0x1EF9; ++cp) add(cp);
  }

  std::unordered_map<UChar32, LetterInfo> letters_;
  std::vector<std::u32string> initials_;             // longest first
  std::unordered_map<std::u32string, bool> rhymes_;  // rhyme -> ends in a stop (c ch k p t)
};

// How much decoded text reads like Vietnamese. Only words with a non-ASCII letter count: plain
// ASCII reads the same in every legacy encoding.
struct Plausibility {
  int syllables = 0;  // words spelt as a Vietnamese syllable
  int misspelt = 0;   // words that are not
  int stray = 0;      // characters rare in real text: controls, undefined bytes, odd symbols

  int Score() const { return 2 * syllables - misspelt - 2 * stray; }
};

enum class WordKind { kNeutral, kSyllable, kMisspelt };

WordKind JudgeWord(const std::vector<UChar32>& word) {
  bool non_ascii = false;
  for (UChar32 c : word) non_ascii |= c >= 0x80;
  if (!non_ascii) return WordKind::kNeutral;
  const Spelling& spelling = Spelling::Get();
  std::u32string letters;
  Tone tone = kLevel;
  size_t tone_at = 0;
  size_t uppers = 0;
  for (UChar32 c : word) {
    const LetterInfo* info = spelling.Letter(c);
    if (info == nullptr) return WordKind::kMisspelt;
    if (info->tone != kLevel) {
      if (tone != kLevel) return WordKind::kMisspelt;
      tone = info->tone;
      tone_at = letters.size();
    }
    letters += info->base;
    uppers += info->upper ? 1 : 0;
  }
  // "ha", "Ha", "HA"; a capital inside a word ("NguyÔn") betrays a wrong decoding.
  bool case_ok =
      uppers == 0 || uppers == word.size() || (uppers == 1 && spelling.Letter(word[0])->upper);
  if (!case_ok) return WordKind::kMisspelt;
  if (spelling.IsSyllable(letters, tone, tone_at)) return WordKind::kSyllable;
  return word.size() == 1 ? WordKind::kNeutral : WordKind::kMisspelt;  // "Đ" of "Đ/c"
}

bool IsStray(UChar32 c) {
  if (c < 0x20) return c != '\t' && c != '\n' && c != '\r' && c != '\f';
  if (c < 0x7F) return false;
  switch (c) {
    case 0x00A0:
    case 0x00AB:
    case 0x00BB:
    case 0x00B0:
    case 0x00B7:
    case 0x2013:
    case 0x2014:
    case 0x2018:
    case 0x2019:
    case 0x201C:
    case 0x201D:
    case 0x2022:
    case 0x2026:
    case 0x20AB: return false;
    default: return true;
  }
}

// REQUIRES: `text` is valid UTF-8 in NFC.
Plausibility Assess(std::string_view text) {
  Plausibility p;
  std::vector<UChar32> word;
  auto end_word = [&] {
    if (word.empty()) return;
    switch (JudgeWord(word)) {
      case WordKind::kSyllable: ++p.syllables; break;
      case WordKind::kMisspelt: ++p.misspelt; break;
      case WordKind::kNeutral: break;
    }
    word.clear();
  };
  int32_t i = 0;
  auto len = static_cast<int32_t>(text.size());
  while (i < len) {
    UChar32 c;
    U8_NEXT(text.data(), i, len, c);
    bool letter = c < 0x80 ? ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                           : (c >= 0 && (u_isalpha(c) || u_charType(c) == U_NON_SPACING_MARK));
    if (letter) {
      word.push_back(c);
      continue;
    }
    end_word();
    if (c < 0 || IsStray(c)) ++p.stray;
  }
  end_word();
  return p;
}

// ---------------------------------------------------------------------------------------------
// Single-byte legacy encodings as tables

// The UTF-8 text of each byte read on its own, empty where the encoding has no character. Marks
// that go on the preceding letter (Windows-1258's, TCVN3's 0xB0-0xB4, VNI's second bytes) are
// combining characters, so decoded text must be put in NFC.
struct ByteTable {
  std::array<std::string, 256> text;
  // Defined but absent from real text: the toned capitals of TCVN3, which glibc's TCVN5712-1
  // (VN1) has but ABC fonts (VN3) do not; TCVN3 writes capitals with "H" fonts instead.
  std::array<bool, 256> unlikely{};
};

// What iconv_open() returns on failure.
const iconv_t kNoIconv = reinterpret_cast<iconv_t>(-1);  // NOLINT(performance-no-int-to-ptr)

ByteTable TableFromIconv(const char* name) {
  ByteTable t;
  for (int b = 0; b < 0x80; ++b) t.text[b] = std::string(1, static_cast<char>(b));
  iconv_t cd = iconv_open("UTF-8", name);
  if (cd == kNoIconv) return t;
  for (int b = 0; b < 256; ++b) {
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    char in = static_cast<char>(b);
    char* inp = &in;
    size_t in_left = 1;
    char buf[16];
    char* outp = buf;
    size_t out_left = sizeof buf;
    // glibc holds a letter back in case a combining byte follows; the second call flushes it.
    if (iconv(cd, &inp, &in_left, &outp, &out_left) == static_cast<size_t>(-1) ||
        iconv(cd, nullptr, nullptr, &outp, &out_left) == static_cast<size_t>(-1)) {
      t.text[b].clear();
      continue;
    }
    t.text[b].assign(buf, static_cast<size_t>(outp - buf));
  }
  iconv_close(cd);
  return t;
}

ByteTable TcvnTable() {
  ByteTable t = TableFromIconv("TCVN5712-1");
  const Spelling& spelling = Spelling::Get();
  for (int b = 0x80; b < 256; ++b) {
    const std::string& s = t.text[b];
    if (s.empty()) continue;
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(s.data(), i, static_cast<int32_t>(s.size()), c);
    const LetterInfo* info = spelling.Letter(c);
    bool toned_capital = info != nullptr && info->upper && info->tone != kLevel;
    t.unlikely[b] = toned_capital || u_charType(c) == U_NON_SPACING_MARK;
  }
  return t;
}

// VNI for Windows: ASCII and CP1252, except the bytes below. A vowel carries its marks in the
// byte after it ("aø" = à, "aä" = ậ, "eâ" = ê, "aê" = ă); ơ ư đ and the toned i and ỵ have bytes
// of their own. Capitals use the capital form of the same byte ("AØ" = À).
ByteTable VniTable() {
  ByteTable t;
  for (int b = 0; b < 256; ++b) {
    AppendUtf8(t.text[b], static_cast<char32_t>(Cp1252Char(static_cast<uint8_t>(b))));
  }
  struct Marks {
    uint8_t upper, lower;
    const char* combining;
  };
  static constexpr Marks kMarks[] = {
      // Tone marks: sắc, huyền, hỏi, ngã, nặng.
      {0xD9, 0xF9, "\u0301"},
      {0xD8, 0xF8, "\u0300"},
      {0xDB, 0xFB, "\u0309"},
      {0xD5, 0xF5, "\u0303"},
      {0xCF, 0xEF, "\u0323"},
      // Circumflex (â ê ô), alone and with each tone.
      {0xC2, 0xE2, "\u0302"},
      {0xC1, 0xE1, "\u0302\u0301"},
      {0xC0, 0xE0, "\u0302\u0300"},
      {0xC5, 0xE5, "\u0302\u0309"},
      {0xC3, 0xE3, "\u0302\u0303"},
      {0xC4, 0xE4, "\u0302\u0323"},
      // Breve (ă), alone and with each tone.
      {0xCA, 0xEA, "\u0306"},
      {0xC9, 0xE9, "\u0306\u0301"},
      {0xC8, 0xE8, "\u0306\u0300"},
      {0xDA, 0xFA, "\u0306\u0309"},
      {0xDC, 0xFC, "\u0306\u0303"},
      {0xCB, 0xEB, "\u0306\u0323"},
  };
  for (const Marks& m : kMarks) {
    t.text[m.upper] = m.combining;
    t.text[m.lower] = m.combining;
  }
  struct Letter {
    uint8_t byte;
    const char* letter;
  };
  static constexpr Letter kLetters[] = {
      {0xD4, "Ơ"}, {0xF4, "ơ"}, {0xD6, "Ư"}, {0xF6, "ư"}, {0xD1, "Đ"}, {0xF1, "đ"},
      {0xCD, "Í"}, {0xED, "í"}, {0xCC, "Ì"}, {0xEC, "ì"}, {0xC6, "Ỉ"}, {0xE6, "ỉ"},
      {0xD3, "Ĩ"}, {0xF3, "ĩ"}, {0xD2, "Ị"}, {0xF2, "ị"}, {0xCE, "Ỵ"}, {0xEE, "ỵ"},
  };
  for (const Letter& l : kLetters) t.text[l.byte] = l.letter;
  return t;
}

// The table for a legacy encoding; nullptr for UTF-8 and UTF-16.
const ByteTable* TableFor(Encoding e) {
  switch (e) {
    case Encoding::kCp1258: {
      static const ByteTable kTable = TableFromIconv("CP1258");
      return &kTable;
    }
    case Encoding::kTcvn3: {
      static const ByteTable kTable = TcvnTable();
      return &kTable;
    }
    case Encoding::kVni: {
      static const ByteTable kTable = VniTable();
      return &kTable;
    }
    case Encoding::kViscii: {
      static const ByteTable kTable = TableFromIconv("VISCII");
      return &kTable;
    }
    default: return nullptr;
  }
}

// `bytes` decoded through a table leniently (undefined bytes become U+FFFD), in NFC, and how
// many of them were unlikely ones.
struct LenientDecoding {
  std::string text;
  int unlikely = 0;
};

LenientDecoding DecodeLeniently(const ByteTable& table, std::string_view bytes) {
  LenientDecoding d;
  std::string raw;
  raw.reserve(bytes.size() + bytes.size() / 2);
  for (char ch : bytes) {
    auto b = static_cast<uint8_t>(ch);
    const std::string& s = table.text[b];
    raw += s.empty() ? std::string_view("\uFFFD") : std::string_view(s);
    d.unlikely += table.unlikely[b] ? 1 : 0;
  }
  d.text = Nfc(raw);
  return d;
}

int LegacyScore(Encoding e, std::string_view bytes) {
  LenientDecoding d = DecodeLeniently(*TableFor(e), bytes);
  Plausibility p = Assess(d.text);
  p.stray += d.unlikely;
  return p.Score();
}

// In order of preference when two read equally well (short samples can: "Lào Cai" is the same
// bytes in Windows-1258 and VISCII): TCVN3 and VNI were by far the most used in government files.
constexpr Encoding kLegacy[] = {Encoding::kTcvn3, Encoding::kVni, Encoding::kCp1258,
                                Encoding::kViscii};

// The legacy encoding under which `bytes` read best, and its score.
std::pair<Encoding, int> BestLegacy(std::string_view bytes) {
  std::pair<Encoding, int> best{kLegacy[0], LegacyScore(kLegacy[0], bytes)};
  for (Encoding e : std::span(kLegacy).subspan(1)) {
    int score = LegacyScore(e, bytes);
    if (score > best.second) best = {e, score};
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Streaming helpers

const icu::Normalizer2* NfcInstance() {
  UErrorCode ec = U_ZERO_ERROR;
  return icu::Normalizer2::getNFCInstance(ec);
}

// Moves to `out`, in NFC, the longest prefix of `pending` that nothing appended later can change:
// everything before the last character that has an NFC boundary before it.
void EmitStable(std::string& pending, std::string& out) {
  const icu::Normalizer2* nfc = NfcInstance();
  auto i = static_cast<int32_t>(pending.size());
  while (i > 0) {
    UChar32 c;
    U8_PREV(pending.data(), 0, i, c);
    if (nfc->hasBoundaryBefore(c)) break;
  }
  if (i <= 0) return;
  out += Nfc(std::string_view(pending).substr(0, static_cast<size_t>(i)));
  pending.erase(0, static_cast<size_t>(i));
}

std::string_view BomOf(Encoding e) {
  switch (e) {
    case Encoding::kUtf8: return "\xEF\xBB\xBF";
    case Encoding::kUtf16Le: return "\xFF\xFE";
    case Encoding::kUtf16Be: return "\xFE\xFF";
    default: return {};
  }
}

const char* IconvName(Encoding e) {
  switch (e) {
    case Encoding::kUtf16Le: return "UTF-16LE";
    case Encoding::kUtf16Be: return "UTF-16BE";
    case Encoding::kCp1258: return "CP1258";
    case Encoding::kTcvn3: return "TCVN5712-1";
    case Encoding::kViscii: return "VISCII";
    default: return nullptr;
  }
}

Status InvalidBytes(Encoding e, uint64_t offset) {
  std::string name = EncodingName(e);
  std::string at = std::to_string(offset);
  return Status::InvalidArgument("invalid " + name + " byte sequence at byte offset " + at +
                                     "; the file may be in another encoding",
                                 "Dãy byte không hợp lệ với bảng mã " + name + " tại vị trí byte " +
                                     at + "; tệp có thể dùng bảng mã khác, hãy chọn lại bảng mã");
}

Status TruncatedInput(Encoding e, uint64_t offset) {
  std::string name = EncodingName(e);
  std::string at = std::to_string(offset);
  return Status::InvalidArgument("input ends inside a " + name + " character at byte offset " + at +
                                     "; the file may be cut short",
                                 "Dữ liệu kết thúc giữa chừng một ký tự " + name +
                                     " tại vị trí byte " + at + "; tệp có thể bị cắt cụt");
}

// What a decoder did with its input: bytes used, and the position of a bad byte, if any.
struct Decoded {
  size_t consumed = 0;
  std::optional<size_t> bad_at;
};

Decoded DecodeUtf8(std::string_view data, std::string& out) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t i = 0;
  while (i < data.size()) {
    size_t len = 0;
    switch (NextUtf8(p + i, data.size() - i, len)) {
      case Utf8Step::kChar:
        out.append(data.data() + i, len);
        i += len;
        break;
      case Utf8Step::kIncomplete: return {i, std::nullopt};
      case Utf8Step::kInvalid: return {i, i};
    }
  }
  return {i, std::nullopt};
}

Decoded DecodeTable(const ByteTable& table, std::string_view data, std::string& out) {
  for (char ch : data) out += table.text[static_cast<uint8_t>(ch)];
  return {data.size(), std::nullopt};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Names

const char* EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kUtf8: return "UTF-8";
    case Encoding::kUtf16Le: return "UTF-16LE";
    case Encoding::kUtf16Be: return "UTF-16BE";
    case Encoding::kCp1258: return "Windows-1258";
    case Encoding::kTcvn3: return "TCVN3";
    case Encoding::kVni: return "VNI";
    case Encoding::kViscii: return "VISCII";
  }
  return "unknown";
}

std::optional<Encoding> ParseEncodingName(std::string_view name) {
  std::string key = NameKey(name);
  for (const Alias& a : kAliases) {
    if (key == a.key) return a.encoding;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Detection

Encoding DetectEncoding(std::string_view sample) {
  if (sample.starts_with("\xEF\xBB\xBF")) return Encoding::kUtf8;
  if (sample.starts_with("\xFF\xFE")) return Encoding::kUtf16Le;
  if (sample.starts_with("\xFE\xFF")) return Encoding::kUtf16Be;

  // UTF-16 without BOM: Vietnamese text is mostly ASCII and Latin-1, whose high byte is zero,
  // while text in any 8-bit encoding has no zero bytes at all.
  size_t pairs = sample.size() / 2;
  size_t zero_even = 0, zero_odd = 0;
  for (size_t i = 0; i + 1 < sample.size(); i += 2) {
    zero_even += sample[i] == '\0' ? 1 : 0;
    zero_odd += sample[i + 1] == '\0' ? 1 : 0;
  }
  size_t enough = std::max<size_t>(1, pairs / 8);
  if (zero_odd >= enough && zero_even * 8 <= zero_odd) return Encoding::kUtf16Le;
  if (zero_even >= enough && zero_odd * 8 <= zero_even) return Encoding::kUtf16Be;

  // UTF-8, allowing the sample to end inside a sequence. Also counted: well-formed multi-byte
  // characters and broken bytes over the whole sample, for text that is mostly UTF-8.
  const auto* p = reinterpret_cast<const uint8_t*>(sample.data());
  size_t valid_end = 0;
  bool valid = true;
  size_t good_multibyte = 0, broken = 0;
  for (size_t i = 0; i < sample.size();) {
    size_t len = 0;
    Utf8Step step = NextUtf8(p + i, sample.size() - i, len);
    if (step == Utf8Step::kIncomplete) {
      if (valid) valid_end = i;
      break;
    }
    if (step == Utf8Step::kInvalid) {
      if (valid) valid_end = i;
      valid = false;
      ++broken;
      ++i;
      continue;
    }
    if (len > 1) ++good_multibyte;
    i += len;
    if (valid) valid_end = i;
  }
  bool cut = valid_end < sample.size();
  if (valid && !cut) return Encoding::kUtf8;
  // More well-formed UTF-8 characters than broken bytes: a UTF-8 file with a few bad bytes,
  // which its reader reports where they are, not text in a legacy encoding.
  if (!valid && good_multibyte > broken) return Encoding::kUtf8;

  std::pair<Encoding, int> best = BestLegacy(sample);
  // Valid UTF-8 up to a possibly cut last character, unless the bytes read better as legacy
  // text (a few legacy bytes can happen to form UTF-8: VISCII "Đị" is D0 B8, Cyrillic "и").
  if (valid && Assess(Nfc(sample.substr(0, valid_end))).Score() >= best.second) {
    return Encoding::kUtf8;
  }
  return best.second > 0 ? best.first : Encoding::kCp1258;
}

// ---------------------------------------------------------------------------------------------
// Transcoder

struct Transcoder::State {
  explicit State(Encoding e) : from(e) {
    if (const char* name = IconvName(e)) cd = iconv_open("UTF-8", name);
  }
  ~State() {
    if (cd != kNoIconv) iconv_close(cd);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  Decoded DecodeIconv(std::string_view data, bool last, std::string& out);
  void Reset();

  const Encoding from;
  iconv_t cd = kNoIconv;  // for UTF-16, Windows-1258, TCVN3 and VISCII
  std::string carry;      // input not decoded yet: an incomplete character or a possible BOM
  std::string pending;    // decoded text not yet normalised: it may still take combining marks
  uint64_t offset = 0;    // stream offset of the first byte of `carry` + next input
  bool at_start = true;   // the BOM has not been looked for yet
  Status error;           // the first error, returned by every later call
};

Decoded Transcoder::State::DecodeIconv(std::string_view data, bool last, std::string& out) {
  size_t base = out.size();
  out.resize(base + data.size() * 3 + 16);
  // iconv() takes `char**` for its input but does not write through it.
  char* in = const_cast<char*>(data.data());
  size_t in_left = data.size();
  char* o = out.data() + base;
  size_t out_left = out.size() - base;
  auto grow = [&] {
    size_t used = static_cast<size_t>(o - out.data());
    out.resize(out.size() * 2);
    o = out.data() + used;
    out_left = out.size() - used;
  };
  Decoded result;
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &o, &out_left) != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      grow();
      continue;
    }
    if (errno == EILSEQ) result.bad_at = static_cast<size_t>(in - data.data());
    break;  // EILSEQ, or EINVAL: the input ends inside a character
  }
  // Windows-1258 and TCVN3 hold the last letter back for a combining byte; at the end, flush it.
  while (last && !result.bad_at && in_left == 0 &&
         iconv(cd, nullptr, nullptr, &o, &out_left) == static_cast<size_t>(-1) && errno == E2BIG) {
    grow();
  }
  out.resize(static_cast<size_t>(o - out.data()));
  result.consumed = static_cast<size_t>(in - data.data());
  return result;
}

void Transcoder::State::Reset() {
  carry.clear();
  pending.clear();
  offset = 0;
  at_start = true;
  if (cd != kNoIconv) iconv(cd, nullptr, nullptr, nullptr, nullptr);
}

Transcoder::Transcoder(Encoding from) : state_(std::make_unique<State>(from)) {}
Transcoder::~Transcoder() = default;
Transcoder::Transcoder(Transcoder&&) noexcept = default;
Transcoder& Transcoder::operator=(Transcoder&&) noexcept = default;

Encoding Transcoder::encoding() const { return state_->from; }

Status Transcoder::Feed(std::string_view in, std::string& out, bool last) {
  State& s = *state_;
  if (!s.error.ok()) return s.error;
  if (IconvName(s.from) != nullptr && s.cd == kNoIconv) {
    s.error = Status::Internal(std::string("iconv cannot decode ") + IconvName(s.from));
    return s.error;
  }
  std::string joined;
  std::string_view data = in;
  if (!s.carry.empty()) {
    joined = std::move(s.carry);
    joined.append(in);
    data = joined;
  }
  s.carry.clear();

  size_t skip = 0;
  std::string_view bom = BomOf(s.from);
  if (s.at_start && !bom.empty()) {
    size_t n = std::min(bom.size(), data.size());
    bool prefix = data.substr(0, n) == bom.substr(0, n);
    if (prefix && n < bom.size() && !last) {  // too short to tell yet
      s.carry.assign(data);
      return Status::Ok();
    }
    if (prefix && n == bom.size()) skip = n;
  }
  s.at_start = false;

  std::string_view body = data.substr(skip);
  std::string decoded;
  Decoded d;
  if (s.from == Encoding::kUtf8) {
    d = DecodeUtf8(body, decoded);
  } else if (s.from == Encoding::kVni) {
    d = DecodeTable(*TableFor(Encoding::kVni), body, decoded);
  } else {
    d = s.DecodeIconv(body, last, decoded);
  }
  if (d.bad_at) {
    s.error = InvalidBytes(s.from, s.offset + skip + *d.bad_at);
    return s.error;
  }
  if (last && d.consumed < body.size()) {
    s.error = TruncatedInput(s.from, s.offset + skip + d.consumed);
    return s.error;
  }
  s.carry.assign(body.substr(d.consumed));
  s.offset += skip + d.consumed;
  s.pending += decoded;
  if (last) {
    out += Nfc(s.pending);
    s.Reset();
  } else {
    EmitStable(s.pending, out);
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet text shown through legacy fonts

std::optional<Encoding> EncodingOfFont(std::string_view font_name, bool* uppercase) {
  if (uppercase != nullptr) *uppercase = false;
  while (!font_name.empty() && font_name.front() == ' ') font_name.remove_prefix(1);
  while (!font_name.empty() && font_name.back() == ' ') font_name.remove_suffix(1);
  if (StartsWithIgnoringCase(font_name, ".vn")) {
    if (uppercase != nullptr) *uppercase = font_name.back() == 'H';
    return Encoding::kTcvn3;
  }
  if (StartsWithIgnoringCase(font_name, "vni-") || StartsWithIgnoringCase(font_name, "vni ")) {
    return Encoding::kVni;
  }
  return std::nullopt;
}

std::string FromLegacyFontText(std::string_view utf8, Encoding enc, bool uppercase) {
  const ByteTable* table = TableFor(enc);
  std::string decoded;
  decoded.reserve(utf8.size() + utf8.size() / 2);
  int32_t i = 0;
  auto len = static_cast<int32_t>(utf8.size());
  while (i < len) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(utf8.data(), i, len, c);
    if (c < 0) {
      decoded += "\uFFFD";
      continue;
    }
    int b = table != nullptr ? Cp1252Byte(c) : -1;
    if (b >= 0 && !table->text[b].empty()) {
      decoded += table->text[b];
    } else {
      decoded.append(utf8.data() + start, static_cast<size_t>(i - start));
    }
  }
  std::string out = Nfc(decoded);
  if (!uppercase) return out;
  static const icu::Locale kVietnamese("vi");
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(out);
  u.toUpper(kVietnamese);
  out.clear();
  u.toUTF8String(out);
  return out;
}

std::optional<Encoding> LooksLikeLegacyText(std::string_view utf8) {
  if (!IsValidUtf8(utf8)) return std::nullopt;
  // The bytes a legacy font would have been given, and the text as it stands; a character with
  // no byte is not a letter (a letter rules the text out) and becomes a space in both.
  std::string bytes, as_is;
  bytes.reserve(utf8.size());
  as_is.reserve(utf8.size());
  bool high = false;
  int32_t i = 0;
  auto len = static_cast<int32_t>(utf8.size());
  while (i < len) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(utf8.data(), i, len, c);
    int b = Cp1252Byte(c);
    if (b >= 0) {
      bytes += static_cast<char>(b);
      as_is.append(utf8.data() + start, static_cast<size_t>(i - start));
      high |= b >= 0x80;
      continue;
    }
    // ơ, ư, ạ, a combining mark...: text typed in Unicode, not through a legacy font.
    if (u_isalpha(c) || u_charType(c) == U_NON_SPACING_MARK) return std::nullopt;
    bytes += ' ';
    as_is += ' ';
  }
  if (!high) return std::nullopt;
  std::optional<Encoding> best;
  int best_score = std::max(Assess(Nfc(as_is)).Score(), 0);
  for (Encoding e : {Encoding::kTcvn3, Encoding::kVni}) {
    int score = LegacyScore(e, bytes);
    if (score > best_score) {
      best = e;
      best_score = score;
    }
  }
  return best;
}

}  // namespace odp::text
