#include "datastore/infer.h"

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

}  // namespace

std::optional<double> ParseNumber(std::string_view s, NumberStyle style) {
  auto plain = Normalize(s, GroupOf(style), DecimalOf(style));
  if (!plain) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(plain->data(), plain->data() + plain->size(), v);
  if (ec != std::errc() || p != plain->data() + plain->size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseInteger(std::string_view s, NumberStyle style) {
  auto plain = Normalize(s, GroupOf(style), DecimalOf(style));
  if (!plain || plain->find('.') != std::string::npos) return std::nullopt;
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
    if (!Digits(s, i, 4, 4, y) || s[i++] != '-' || !Digits(s, i, 2, 2, m) || i >= s.size() || s[i++] != '-' ||
        !Digits(s, i, 2, 2, d) || i != s.size()) {
      return std::nullopt;
    }
  } else {
    if (!Digits(s, i, 1, 2, d) || i >= s.size() || (s[i] != '/' && s[i] != '-' && s[i] != '.')) return std::nullopt;
    char sep = s[i++];
    if (!Digits(s, i, 1, 2, m) || i >= s.size() || s[i++] != sep || !Digits(s, i, 4, 4, y) || i != s.size()) {
      return std::nullopt;
    }
  }
  if (!ValidDate(y, m, d)) return std::nullopt;
  // yyyy-mm-dd (ValidDate keeps the year to four digits).
  std::string out = "0000-00-00";
  for (int k = 3; k >= 0; --k, y /= 10) out[static_cast<size_t>(k)] = static_cast<char>('0' + y % 10);
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
  if (!Digits(t, i, 1, 2, h) || i >= t.size() || t[i++] != ':' || !Digits(t, i, 2, 2, mi)) return std::nullopt;
  if (i < t.size()) {
    if (t[i++] != ':' || !Digits(t, i, 2, 2, se)) return std::nullopt;
    // Fractions of a second and a trailing Z are accepted and dropped.
    if (i < t.size() && t[i] == '.') {
      ++i;
      while (i < t.size() && IsDigit(t[i])) ++i;
    }
    if (i < t.size() && t[i] == 'Z') ++i;
    if (i != t.size()) return std::nullopt;
  }
  if (h > 23 || mi > 59 || se > 59) return std::nullopt;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d", date->c_str(), h, mi, se);
  return std::string(buf);
}

void ColumnProfile::Add(std::string_view raw) {
  std::string_view v = Trim(raw);
  if (v.empty()) {
    ++missing_;
    return;
  }
  ++values_;
  max_length_ = std::max(max_length_, raw.size());
  bool int_vi = integer_vi_ && ParseInteger(v, NumberStyle::kVietnamese).has_value();
  bool int_en = integer_en_ && ParseInteger(v, NumberStyle::kInternational).has_value();
  bool num_vi = number_vi_ && ParseNumber(v, NumberStyle::kVietnamese).has_value();
  bool num_en = number_en_ && ParseNumber(v, NumberStyle::kInternational).has_value();
  // A value only one style reads ("1,5" or "3.14") decides the style of the column (no need
  // to look once the column cannot be numbers any more).
  if (num_vi || num_en || number_vi_ || number_en_) {
    bool reads_vi = num_vi || ParseNumber(v, NumberStyle::kVietnamese).has_value();
    bool reads_en = num_en || ParseNumber(v, NumberStyle::kInternational).has_value();
    if (reads_vi && !reads_en) only_vi_seen_ = true;
    if (reads_en && !reads_vi) only_en_seen_ = true;
  }
  integer_vi_ = int_vi;
  integer_en_ = int_en;
  number_vi_ = num_vi;
  number_en_ = num_en;
  if (boolean_ && !ParseBoolean(v)) boolean_ = false;
  if (date_ && !ParseDate(v)) date_ = false;
  if (datetime_ && !ParseDatetime(v)) datetime_ = false;
}

NumberStyle ColumnProfile::style() const {
  if (typed_) return NumberStyle::kInternational;
  // Vietnamese first: "1.234" alone reads as one thousand two hundred and thirty-four.
  if (only_en_seen_ && !only_vi_seen_) return NumberStyle::kInternational;
  if (prefer_en_ && number_en_ && !only_vi_seen_) return NumberStyle::kInternational;
  if (!number_vi_ && number_en_) return NumberStyle::kInternational;
  return NumberStyle::kVietnamese;
}

ColumnType ColumnProfile::Decide() const {
  if (values_ == 0) return ColumnType::kString;
  if (only_vi_seen_ && only_en_seen_ && !typed_) {
    // Both styles in one column: not numbers we can read safely.
  } else {
    bool vi = style() == NumberStyle::kVietnamese;
    if (vi ? integer_vi_ : integer_en_) return ColumnType::kInteger;
    if (vi ? number_vi_ : number_en_) return ColumnType::kNumber;
  }
  if (boolean_) return ColumnType::kBoolean;
  if (date_) return ColumnType::kDate;
  if (datetime_) return ColumnType::kDatetime;
  return ColumnType::kString;
}

ColumnType TypeFromString(const std::string& s) {
  for (ColumnType t : {ColumnType::kInteger, ColumnType::kNumber, ColumnType::kBoolean, ColumnType::kDate,
                       ColumnType::kDatetime, ColumnType::kString}) {
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
    if (!lat && named(ids[i], {"vi_do", "lat", "latitude", "vido"})) lat = i;
    else if (!lon && named(ids[i], {"kinh_do", "lon", "lng", "long", "longitude", "kinhdo"})) lon = i;
  }
  if (!lat || !lon) return std::nullopt;
  return std::make_pair(*lat, *lon);
}

}  // namespace odp::datastore
