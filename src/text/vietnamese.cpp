#include "text/vietnamese.h"

#include <memory>
#include <vector>

#include <unicode/coll.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "text/utf8.h"

namespace odp::text {
namespace {

const icu::Normalizer2* NfcInstance() {
  UErrorCode ec = U_ZERO_ERROR;
  return icu::Normalizer2::getNFCInstance(ec);
}

const icu::Normalizer2* NfdInstance() {
  UErrorCode ec = U_ZERO_ERROR;
  return icu::Normalizer2::getNFDInstance(ec);
}

}  // namespace

namespace {

// True when `s` is valid UTF-8 and every code point is below U+0300 or in Latin Extended
// Additional (U+1E00–U+1EFF): text made only of those is already NFC (none of them is a
// combining mark or excluded from composition). Precomposed Vietnamese is exactly that, so most
// text skips ICU, checked in the same pass that validates it.
bool ValidAndSurelyNfc(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
    } else if (c >= 0xC2 && c < 0xCC) {  // U+0080–U+02FF
      if (end - p < 2 || (p[1] & 0xC0) != 0x80) return false;
      p += 2;
    } else if (c == 0xE1) {  // U+1E00–U+1EFF: E1 B8..BB and a continuation byte
      if (end - p < 3 || p[1] < 0xB8 || p[1] > 0xBB || (p[2] & 0xC0) != 0x80) return false;
      p += 3;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Nfc(std::string_view s) {
  if (IsAscii(s) || ValidAndSurelyNfc(s) || !IsValidUtf8(s)) return std::string(s);
  UErrorCode ec = U_ZERO_ERROR;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  if (NfcInstance()->isNormalized(u, ec) && U_SUCCESS(ec)) return std::string(s);
  ec = U_ZERO_ERROR;
  icu::UnicodeString n = NfcInstance()->normalize(u, ec);
  if (U_FAILURE(ec)) return std::string(s);
  std::string out;
  n.toUTF8String(out);
  return out;
}

namespace {

// Folding one code point at a time through ICU (NFD, marks dropped, the special cases, lower
// case): FoldVietnamese's reference, and the source of its table.
std::string FoldSlow(std::string_view s, std::string& out) {
  UErrorCode ec = U_ZERO_ERROR;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  icu::UnicodeString d = NfdInstance()->normalize(u, ec);
  if (U_FAILURE(ec)) return std::string(s);
  for (int32_t i = 0; i < d.length();) {
    UChar32 cp = d.char32At(i);
    i += U16_LENGTH(cp);
    if (cp < 0x80) {
      out += (cp >= 'A' && cp <= 'Z') ? static_cast<char>(cp + 32) : static_cast<char>(cp);
      continue;
    }
    if (u_getIntPropertyValue(cp, UCHAR_GENERAL_CATEGORY) == U_NON_SPACING_MARK) continue;
    switch (cp) {
      case 0x0110:
      case 0x0111:
      case 0x0189: out += 'd'; continue;  // Đ đ Ɖ
      case 0x2010:
      case 0x2011:
      case 0x2012:
      case 0x2013:
      case 0x2014:
      case 0x2015:
      case 0x2212: out += '-'; continue;  // dashes, minus
      case 0x2018:
      case 0x2019:
      case 0x201A: out += '\''; continue;
      case 0x201C:
      case 0x201D:
      case 0x201E: out += '"'; continue;
      case 0x00A0: out += ' '; continue;
      default: break;
    }
    AppendUtf8(out, static_cast<char32_t>(u_tolower(cp)));
  }
  return out;
}

// The folding of every code point below kTableEnd (Latin, Vietnamese's precomposed letters,
// combining marks, general punctuation), made once by FoldSlow: folding is per code point (NFD
// decomposes each on its own, and the marks it reorders are all dropped), so a string of such
// code points folds to the concatenation of theirs, without ICU.
constexpr char32_t kTableEnd = 0x2400;
const std::vector<std::string>& FoldTable() {
  static const std::vector<std::string> table = [] {
    std::vector<std::string> t(kTableEnd);
    for (char32_t cp = 0x80; cp < kTableEnd; ++cp) {
      if (cp >= 0xD800 && cp < 0xE000) continue;
      std::string one;
      AppendUtf8(one, cp);
      std::string out;
      t[cp] = FoldSlow(one, out);
    }
    return t;
  }();
  return table;
}

}  // namespace

std::string FoldVietnameseByCodePoint(std::string_view s) {
  std::string out;
  return FoldSlow(s, out);
}

std::string FoldVietnamese(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  if (IsAscii(s)) {
    for (char c : s) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    return out;
  }
  // Invalid UTF-8 comes back as it is; it is found while decoding (no pass of its own).
  const auto& table = FoldTable();
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
      ++i;
      continue;
    }
    // 2, 3 or 4 bytes, checked as in IsValidUtf8.
    char32_t cp;
    size_t len;
    const auto c1 = static_cast<unsigned char>(i + 1 < s.size() ? s[i + 1] : 0);
    if (c < 0xC2) return std::string(s);
    if (c < 0xE0) {
      if ((c1 & 0xC0) != 0x80) return std::string(s);
      cp = (c & 0x1Fu) << 6 | (c1 & 0x3Fu);
      len = 2;
    } else if (c < 0xF0) {
      const auto c2 = static_cast<unsigned char>(i + 2 < s.size() ? s[i + 2] : 0);
      if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80 || (c == 0xE0 && c1 < 0xA0) ||
          (c == 0xED && c1 >= 0xA0)) {
        return std::string(s);
      }
      cp = (c & 0x0Fu) << 12 | (c1 & 0x3Fu) << 6 | (c2 & 0x3Fu);
      len = 3;
    } else {
      cp = kTableEnd;  // beyond the table
      len = 4;
    }
    if (cp >= kTableEnd) {
      if (!IsValidUtf8(s)) return std::string(s);
      out.clear();
      return FoldSlow(s, out);  // a script the table does not cover: ICU for the whole string
    }
    out += table[cp];
    i += len;
  }
  return out;
}

std::string FoldVietnameseIcu(std::string_view s) {
  UErrorCode ec = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      "NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Lower", UTRANS_FORWARD, ec));
  if (U_FAILURE(ec)) return std::string(s);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::string LowerExact(std::string_view s) {
  if (IsAscii(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
  }
  std::string n = Nfc(s);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(n);
  static const icu::Locale kVietnamese("vi");
  u.toLower(kVietnamese);
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::vector<std::string> Tokenize(std::string_view s) {
  std::vector<std::string> tokens;
  std::string cur;
  int32_t i = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  auto len = static_cast<int32_t>(s.size());
  while (i < len) {
    int32_t start = i;
    UChar32 cp;
    U8_NEXT(p, i, len, cp);
    bool word =
        cp >= 0 &&
        (cp < 0x80
             ? ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
             : (u_isalnum(cp) ||
                u_getIntPropertyValue(cp, UCHAR_GENERAL_CATEGORY) == U_NON_SPACING_MARK));
    if (word) {
      cur.append(s.data() + start, static_cast<size_t>(i - start));
    } else if (!cur.empty()) {
      tokens.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) tokens.push_back(std::move(cur));
  return tokens;
}

std::string Slugify(std::string_view s, size_t max_len) {
  std::string folded = FoldVietnamese(s);
  std::string out;
  bool dash = false;
  for (char c : folded) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (ok) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += c;
    } else {
      dash = true;
    }
    if (out.size() >= max_len) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

bool IsValidSlug(std::string_view s) {
  if (s.size() < 2 || s.size() > 100 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string VietnameseSortKey(std::string_view s) {
  thread_local std::unique_ptr<icu::Collator> collator = [] {
    UErrorCode ec = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> c(icu::Collator::createInstance(icu::Locale("vi"), ec));
    if (U_FAILURE(ec)) c.reset();
    return c;
  }();
  if (!collator) return std::string(s);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  std::string key(64, '\0');
  int32_t n = collator->getSortKey(u, reinterpret_cast<uint8_t*>(key.data()),
                                   static_cast<int32_t>(key.size()));
  if (n > static_cast<int32_t>(key.size())) {
    key.resize(static_cast<size_t>(n));
    n = collator->getSortKey(u, reinterpret_cast<uint8_t*>(key.data()), n);
  }
  key.resize(n > 0 ? static_cast<size_t>(n - 1) : 0);  // drop the trailing NUL
  return key;
}

}  // namespace odp::text
