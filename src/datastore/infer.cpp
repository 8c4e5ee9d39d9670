#include "datastore/infer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace odp::datastore {

const char* ToString(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger: return "integer";
    case ColumnType::kNumber: return "number";
    case ColumnType::kBoolean: return "boolean";
    case ColumnType::kDate: return "date";
    case ColumnType::kDatetime: return "datetime";
    case ColumnType::kString: return "string";
  }
  return "string";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Splits a number written with `group` between thousands and `decimal` before the fraction into
// plain digits ("1.234,5" with '.', ',' → "1234.5"). Groups must be three digits after the first.
std::optional<std::string> Normalize(std::string_view s, char group, char decimal) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  // Every number's whole part starts with a digit after the sign: text ("Nguyễn Văn An", "có")
  // is refused here, before it is scanned.
  const size_t lead = s.front() == '-' || s.front() == '+' ? 1 : 0;
  if (lead >= s.size() || !IsDigit(s[lead])) return std::nullopt;
  // An exponent ("1e-07", "2.5E+10", as spreadsheets write small and large numbers): a sign and
  // one to three digits after the mantissa, which is read by the rules below. (A loop, not
  // find_first_of("eE"), which calls memchr once per character.)
  std::string_view exponent;
  size_t e = 0;
  while (e < s.size() && s[e] != 'e' && s[e] != 'E') ++e;
  if (e < s.size()) {
    exponent = s.substr(e + 1);
    s = s.substr(0, e);
    std::string_view digits = exponent;
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+'))
      digits.remove_prefix(1);
    if (digits.empty() || digits.size() > 3 || s.empty()) return std::nullopt;
    for (char c : digits) {
      if (!IsDigit(c)) return std::nullopt;
    }
  }
  std::string out;
  if (s.front() == '-' || s.front() == '+') {
    if (s.front() == '-') out += '-';
    s.remove_prefix(1);
  }
  size_t dec = s.find(decimal);
  std::string_view whole = s.substr(0, dec);
  std::string_view frac = dec == std::string_view::npos ? std::string_view() : s.substr(dec + 1);
  if (dec != std::string_view::npos && frac.empty()) return std::nullopt;
  if (whole.empty()) return std::nullopt;
  // "007" and "046" are codes, not numbers: their leading zeros matter.
  if (whole.size() > 1 && whole[0] == '0' && IsDigit(whole[1])) return std::nullopt;
  // Whole part: digits, or digit groups separated by `group`.
  if (whole.find(group) == std::string_view::npos) {
    for (char c : whole) {
      if (!IsDigit(c)) return std::nullopt;
    }
    out += whole;
  } else {
    size_t first = whole.find(group);
    if (first == 0 || first > 3) return std::nullopt;
    for (size_t i = 0; i < whole.size(); ++i) {
      char c = whole[i];
      if (c == group) continue;
      if (!IsDigit(c)) return std::nullopt;
      out += c;
    }
    // Every group after the first has exactly three digits.
    size_t pos = first;
    while (pos != std::string_view::npos) {
      size_t next = whole.find(group, pos + 1);
      size_t len = (next == std::string_view::npos ? whole.size() : next) - pos - 1;
      if (len != 3) return std::nullopt;
      pos = next;
    }
  }
  if (!frac.empty()) {
    for (char c : frac) {
      if (!IsDigit(c)) return std::nullopt;
    }
    out += '.';
    out += frac;
  }
  if (!exponent.empty()) {
    out += 'e';
    out += exponent;
  }
  return out;
}

char GroupOf(NumberStyle s) { return s == NumberStyle::kVietnamese ? '.' : ','; }
char DecimalOf(NumberStyle s) { return s == NumberStyle::kVietnamese ? ',' : '.'; }

bool ValidDate(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// Reads 1–`max` digits at `i`.
bool Digits(std::string_view s, size_t& i, size_t min, size_t max, int& out) {
  size_t start = i;
  out = 0;
  while (i < s.size() && IsDigit(s[i]) && i - start < max) out = out * 10 + (s[i++] - '0');
  return i - start >= min;
}

// Days since 1970-01-01 of a civil date, and back (the proleptic Gregorian calendar).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

// The value of a normalized number ("1234.5", "-1e-07"); none when it overflows.
std::optional<double> PlainValue(const std::string& plain) {
  double v = 0;
  auto [p, ec] = std::from_chars(plain.data(), plain.data() + plain.size(), v);
  if (ec != std::errc() || p != plain.data() + plain.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

}  // namespace

std::optional<double> ParseNumber(std::string_view s, NumberStyle style) {
  auto plain = Normalize(s, GroupOf(style), DecimalOf(style));
  if (!plain) return std::nullopt;
  return PlainValue(*plain);
}

namespace {

// Whether a normalized number is whole (no decimals, no exponent).
bool PlainInteger(const std::string& plain) {
  return std::none_of(plain.begin(), plain.end(), [](char c) { return c == '.' || c == 'e'; });
}

}  // namespace

std::optional<int64_t> ParseInteger(std::string_view s, NumberStyle style) {
  auto plain = Normalize(s, GroupOf(style), DecimalOf(style));
  if (!plain || !PlainInteger(*plain)) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(plain->data(), plain->data() + plain->size(), v);
  if (ec != std::errc() || p != plain->data() + plain->size()) return std::nullopt;
  return v;
}

std::optional<bool> ParseBoolean(std::string_view s) {
  s = Trim(s);
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (lower == "true" || lower == "yes" || lower == "có" || lower == "đúng") return true;
  if (lower == "false" || lower == "no" || lower == "không" || lower == "sai") return false;
  return std::nullopt;
}

std::optional<std::string> ParseDate(std::string_view s) {
  s = Trim(s);
  int y = 0, m = 0, d = 0;
  size_t i = 0;
  if (s.size() >= 10 && IsDigit(s[0]) && IsDigit(s[3]) && s[4] == '-') {
    if (!Digits(s, i, 4, 4, y) || s[i++] != '-' || !Digits(s, i, 2, 2, m) || i >= s.size() ||
        s[i++] != '-' || !Digits(s, i, 2, 2, d) || i != s.size()) {
      return std::nullopt;
    }
  } else {
    if (!Digits(s, i, 1, 2, d) || i >= s.size() || (s[i] != '/' && s[i] != '-' && s[i] != '.'))
      return std::nullopt;
    char sep = s[i++];
    if (!Digits(s, i, 1, 2, m) || i >= s.size() || s[i++] != sep || !Digits(s, i, 4, 4, y) ||
        i != s.size()) {
      return std::nullopt;
    }
  }
  if (!ValidDate(y, m, d)) return std::nullopt;
  // yyyy-mm-dd (ValidDate keeps the year to four digits).
  std::string out = "0000-00-00";
  for (int k = 3; k >= 0; --k, y /= 10)
    out[static_cast<size_t>(k)] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

std::optional<std::string> ParseDatetime(std::string_view s) {
  s = Trim(s);
  size_t sep = s.find_first_of(" T");
  if (sep == std::string_view::npos) return std::nullopt;
  auto date = ParseDate(s.substr(0, sep));
  if (!date) return std::nullopt;
  std::string_view t = Trim(s.substr(sep + 1));
  size_t i = 0;
  int h = 0, mi = 0, se = 0;
  if (!Digits(t, i, 1, 2, h) || i >= t.size() || t[i++] != ':' || !Digits(t, i, 2, 2, mi))
    return std::nullopt;
  if (i < t.size() && t[i] == ':') {
    ++i;
    if (!Digits(t, i, 2, 2, se)) return std::nullopt;
    // Fractions of a second are accepted and dropped.
    if (i < t.size() && t[i] == '.') {
      ++i;
      while (i < t.size() && IsDigit(t[i])) ++i;
    }
  }
  if (h > 23 || mi > 59 || se > 59) return std::nullopt;
  // A zone: "Z", or an offset "+07:00", "+0700", "+07". The time is then given in UTC ("…Z").
  bool zoned = false;
  int offset = 0;  // minutes east of UTC
  if (i < t.size() && t[i] == 'Z') {
    zoned = true;
    ++i;
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    int sign = t[i++] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!Digits(t, i, 2, 2, oh)) return std::nullopt;
    if (i < t.size() && t[i] == ':') ++i;
    if (i < t.size() && !Digits(t, i, 2, 2, om)) return std::nullopt;
    if (oh > 14 || om > 59) return std::nullopt;
    zoned = true;
    offset = sign * (oh * 60 + om);
  }
  if (i != t.size()) return std::nullopt;
  char buf[64];
  if (!zoned) {
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d", date->c_str(), h, mi, se);
    return std::string(buf);
  }
  const std::string& d = *date;
  int y = std::stoi(d.substr(0, 4)), mo = std::stoi(d.substr(5, 2)),
      day = std::stoi(d.substr(8, 2));
  int64_t minutes = DaysFromCivil(y, mo, day) * 1440 + h * 60 + mi - offset;
  int64_t days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
  int64_t in_day = minutes - days * 1440;
  CivilFromDays(days, y, mo, day);
  if (y < 1 || y > 9999) return std::nullopt;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, day,
                static_cast<int>(in_day / 60), static_cast<int>(in_day % 60), se);
  return std::string(buf);
}

bool IsPlaceholder(std::string_view value) {
  std::string_view v = Trim(value);
  if (v.empty() || v.size() > 12) return false;
  std::string lower;
  for (char c : v) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (std::string_view p :
       {"-", "\u2013", "\u2014", "\u2026", "...", "..", "x", "n/a", "kh\u00f4ng c\u00f3",
        "Kh\u00f4ng c\u00f3", "kx\u0111", "kx\u0110", "KX\u0110"}) {
    if (lower == p || v == p) return true;
  }
  return false;
}

int64_t StrayValuesAllowed(int64_t values) { return std::min<int64_t>(50, values / 20); }

void ColumnProfile::Count(NumberEvidence& e, std::string_view v, bool number, bool integer) {
  if (!e.counting) return;
  if (number) {
    ++e.numbers;
    if (!integer) e.integers = false;
    return;
  }
  if (e.strays++ == 0) e.example.assign(v.substr(0, 60));
  // Past the limit and outnumbering the numbers: the column is not numeric in this style, and
  // nothing more needs parsing.
  if (e.strays > 50 && e.strays > e.numbers) e.counting = false;
}

void ColumnProfile::Add(std::string_view raw) {
  std::string_view v = Trim(raw);
  if (v.empty()) {
    ++missing_;
    return;
  }
  ++values_;
  max_length_ = std::max(max_length_, raw.size());
  if (vi_.counting || en_.counting) {
    auto plain_vi = Normalize(v, '.', ',');
    auto plain_en = Normalize(v, ',', '.');
    bool num_vi = plain_vi && PlainValue(*plain_vi).has_value();
    bool num_en = plain_en && PlainValue(*plain_en).has_value();
    if (!num_vi && !num_en && IsPlaceholder(v)) {
      ++placeholders_;
    } else {
      // A value only one style reads ("1,5" or "3.14") says the column's style.
      if (num_vi && !num_en) only_vi_seen_ = true;
      if (num_en && !num_vi) only_en_seen_ = true;
      Count(vi_, v, num_vi, num_vi && PlainInteger(*plain_vi));
      Count(en_, v, num_en, num_en && PlainInteger(*plain_en));
    }
  }
  if (boolean_ && !ParseBoolean(v)) boolean_ = false;
  if (date_ && !ParseDate(v)) date_ = false;
  if (datetime_ && !ParseDatetime(v)) datetime_ = false;
}

NumberStyle ColumnProfile::style() const {
  if (typed_) return NumberStyle::kInternational;
  // Values of both styles: the one with fewer values it cannot read (the others are strays).
  if (only_en_seen_ && only_vi_seen_) {
    return en_.strays < vi_.strays ? NumberStyle::kInternational : NumberStyle::kVietnamese;
  }
  // Vietnamese first: "1.234" alone reads as one thousand two hundred and thirty-four.
  if (only_en_seen_) return NumberStyle::kInternational;
  if (prefer_en_ && en_.Fits() && !only_vi_seen_) return NumberStyle::kInternational;
  if (!vi_.Fits() && en_.Fits()) return NumberStyle::kInternational;
  return NumberStyle::kVietnamese;
}

ColumnType ColumnProfile::Decide() const {
  if (values_ == 0) return ColumnType::kString;
  const NumberEvidence& e = style() == NumberStyle::kVietnamese ? vi_ : en_;
  if (e.Fits()) return e.integers ? ColumnType::kInteger : ColumnType::kNumber;
  if (placeholders_ == values_) return ColumnType::kString;
  if (boolean_) return ColumnType::kBoolean;
  if (date_) return ColumnType::kDate;
  if (datetime_) return ColumnType::kDatetime;
  return ColumnType::kString;
}

std::optional<ColumnProfile::Demotion> ColumnProfile::demotion() const {
  const NumberEvidence& e = style() == NumberStyle::kVietnamese ? vi_ : en_;
  if (e.Fits() || e.numbers <= e.strays) return std::nullopt;
  ColumnType t = Decide();
  if (t == ColumnType::kInteger || t == ColumnType::kNumber) return std::nullopt;
  return Demotion{e.numbers, e.strays, e.example};
}

ColumnType TypeFromString(const std::string& s) {
  for (ColumnType t : {ColumnType::kInteger, ColumnType::kNumber, ColumnType::kBoolean,
                       ColumnType::kDate, ColumnType::kDatetime, ColumnType::kString}) {
    if (s == ToString(t)) return t;
  }
  return ColumnType::kString;
}

bool IsColumnTypeName(const std::string& s) {
  return s == "string" || TypeFromString(s) != ColumnType::kString;
}

std::optional<std::pair<size_t, size_t>> FindLatLon(const std::vector<std::string>& ids,
                                                    const std::vector<ColumnType>& types) {
  auto named = [](const std::string& id, std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) {
      if (id == n) return true;
      if (id.size() > n.size() && id.compare(id.size() - n.size(), n.size(), n) == 0 &&
          id[id.size() - n.size() - 1] == '_') {
        return true;
      }
    }
    return false;
  };
  std::optional<size_t> lat, lon;
  for (size_t i = 0; i < ids.size() && i < types.size(); ++i) {
    if (types[i] != ColumnType::kNumber && types[i] != ColumnType::kInteger) continue;
    if (!lat && named(ids[i], {"vi_do", "lat", "latitude", "vido"}))
      lat = i;
    else if (!lon && named(ids[i], {"kinh_do", "lon", "lng", "long", "longitude", "kinhdo"}))
      lon = i;
  }
  if (!lat || !lon) return std::nullopt;
  return std::make_pair(*lat, *lon);
}

}  // namespace odp::datastore
