#include "formats/text_writers.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace odp::formats {

namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;

// Whether any of the eight bytes at `p` must be escaped in a JSON string: a quote, a backslash
// or a control character. The tests flag a word only when one of its bytes matches (a borrow
// can spread only from a byte that matched).
bool JsonEscapeIn8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  const uint64_t q = w ^ (kOnes * '"'), b = w ^ (kOnes * '\\');
  return (((q - kOnes) & ~q) | ((b - kOnes) & ~b) | ((w - kOnes * 0x20) & ~w)) & kHighs;
}

}  // namespace

// Eight bytes at a time: a byte equal to the pattern's is a zero byte of their xor (the test
// flags a word only when one of its bytes matches). The last bytes of a cell of eight or more
// are read as the word that ends the cell, overlapping bytes already found clean.
bool NeedsDelimitedQuotes(std::string_view text, char delimiter) {
  const char* s = text.data();
  const size_t n = text.size();
  const uint64_t d = kOnes * static_cast<unsigned char>(delimiter);
  auto needs = [d](const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    auto zero = [](uint64_t x) { return (x - kOnes) & ~x; };
    return ((zero(w ^ (kOnes * '"')) | zero(w ^ (kOnes * '\r')) | zero(w ^ (kOnes * '\n')) |
             zero(w ^ d)) &
            kHighs) != 0;
  };
  if (n < 8) {
    for (size_t i = 0; i < n; ++i) {
      const char c = s[i];
      if (c == '"' || c == '\r' || c == '\n' || c == delimiter) return true;
    }
    return false;
  }
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    if (needs(s + i)) return true;
  }
  return i < n && needs(s + n - 8);
}

char* WriteDelimitedCell(char* p, std::string_view text, char delimiter) {
  const char* s = text.data();
  const size_t n = text.size();
  if (!NeedsDelimitedQuotes(text, delimiter)) {
    if (n) std::memcpy(p, s, n);
    return p + n;
  }
  *p++ = '"';
  // Runs between quotes are copied whole; each quote is doubled.
  const char* end = s + n;
  while (s < end) {
    const auto* q = static_cast<const char*>(std::memchr(s, '"', static_cast<size_t>(end - s)));
    const char* stop = q ? q + 1 : end;
    std::memcpy(p, s, static_cast<size_t>(stop - s));
    p += stop - s;
    if (q) *p++ = '"';
    s = stop;
  }
  *p++ = '"';
  return p;
}

void AppendDelimitedCell(std::string& out, std::string_view text, char delimiter) {
  if (!NeedsDelimitedQuotes(text, delimiter)) {
    out += text;
    return;
  }
  const size_t len = out.size();
  out.resize(len + DelimitedCellBound(text.size()));
  out.resize(
      static_cast<size_t>(WriteDelimitedCell(out.data() + len, text, delimiter) - out.data()));
}

// Clean words are copied eight bytes at a time.
char* WriteJsonString(char* p, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* s = text.data();
  const size_t n = text.size();
  *p++ = '"';
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n && !JsonEscapeIn8(s + i)) {
      std::memcpy(p, s + i, 8);
      p += 8;
      i += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i++]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      *p++ = static_cast<char>(c);
      continue;
    }
    *p++ = '\\';
    switch (c) {
      case '"': *p++ = '"'; break;
      case '\\': *p++ = '\\'; break;
      case '\n': *p++ = 'n'; break;
      case '\r': *p++ = 'r'; break;
      case '\t': *p++ = 't'; break;
      case '\b': *p++ = 'b'; break;
      case '\f': *p++ = 'f'; break;
      default:
        std::memcpy(p, "u00", 3);
        p[3] = kHex[c >> 4];
        p[4] = kHex[c & 15];
        p += 5;
    }
  }
  *p++ = '"';
  return p;
}

void AppendJsonString(std::string& out, std::string_view s) {
  const size_t len = out.size();
  out.resize(len + JsonStringBound(s.size()));
  out.resize(static_cast<size_t>(WriteJsonString(out.data() + len, s) - out.data()));
}

char* WriteShortestNumber(char* p, double v) {
  if (!std::isfinite(v)) {
    std::memcpy(p, "null", 4);
    return p + 4;
  }
  if (v == std::trunc(v) && std::fabs(v) < 9007199254740992.0 && v != 0) {
    const auto i = static_cast<int64_t>(v);
    char* end = std::to_chars(p, p + 24, i).ptr;
    // The exponent form is shorter when the digits end in enough zeros ("1e+06" for 1000000).
    int zeros = 0;
    for (char* z = end - 1; z > p && *z == '0'; --z) ++zeros;
    const int digits = static_cast<int>(end - p) - (i < 0 ? 1 : 0);
    const int mantissa = digits - zeros;
    const int exponent_form = (i < 0 ? 1 : 0) + mantissa + (mantissa > 1 ? 1 : 0) + 4;  // "e+NN"
    if (static_cast<int>(end - p) <= exponent_form) return end;
  }
  return std::to_chars(p, p + kShortestNumberBound, v).ptr;
}

void AppendCanonicalNumber(std::string& out, double value) {
  if (!std::isfinite(value)) return;
  if (value == 0) {
    out += '0';  // also -0
    return;
  }
  char buf[64];
  const double magnitude = std::fabs(value);
  const auto format = magnitude >= 1e-5 && magnitude < 1e15 ? std::chars_format::fixed
                                                            : std::chars_format::scientific;
  out.append(buf, std::to_chars(buf, buf + sizeof buf, value, format).ptr);
}

}  // namespace odp::formats
