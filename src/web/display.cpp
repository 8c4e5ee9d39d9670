#include "web/display.h"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <map>

#include "text/vietnamese.h"
#include "web/embedded.h"

namespace odp::web {

namespace {

struct UnitNames {
  std::map<std::string, std::string, std::less<>> vi, en;
};

struct AdminUnits {
  UnitNames provinces, wards;
};

// The bundled list (web/data/admin_units.json), read once.
const AdminUnits& Units() {
  static const AdminUnits kUnits = [] {
    AdminUnits u;
    for (const internal::EmbeddedFile* f = internal::kEmbeddedFiles; f->name; ++f) {
      if (std::string_view(f->name) != "data/admin_units.json") continue;
      nlohmann::json j = nlohmann::json::parse(std::string_view(f->data, f->size), nullptr, false);
      if (!j.is_object()) break;
      if (j["provinces"].is_array()) {
        for (const auto& p : j["provinces"]) {
          u.provinces.vi[p.value("code", "")] = p.value("name_vi", "");
          u.provinces.en[p.value("code", "")] = p.value("name_en", "");
        }
      }
      if (j["wards"].is_array()) {  // [code, province code, name_vi, name_en]
        for (const auto& w : j["wards"]) {
          if (!w.is_array() || w.size() != 4 || !w[0].is_string() || !w[2].is_string() ||
              !w[3].is_string()) {
            continue;
          }
          u.wards.vi[w[0].get<std::string>()] = w[2].get<std::string>();
          u.wards.en[w[0].get<std::string>()] = w[3].get<std::string>();
        }
      }
    }
    return u;
  }();
  return kUnits;
}

const std::string* Lookup(const UnitNames& names, std::string_view code, Lang lang) {
  const auto& m = lang == Lang::kVi ? names.vi : names.en;
  auto it = m.find(code);
  return it == m.end() || it->second.empty() ? nullptr : &it->second;
}

// Digits `d` with `sep` between groups of three from the right.
std::string Grouped(std::string_view d, char sep) {
  std::string out;
  out.reserve(d.size() + d.size() / 3);
  for (size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) out += sep;
    out += d[i];
  }
  return out;
}

// "-1234567.5e-07" written with the language's marks.
std::string WithMarks(std::string_view s, Lang lang, bool digit_groups) {
  const char group = lang == Lang::kVi ? '.' : ',';
  const char decimal = lang == Lang::kVi ? ',' : '.';
  std::string out;
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) out += s[i++];
  size_t digits_end = i;
  while (digits_end < s.size() && s[digits_end] >= '0' && s[digits_end] <= '9') ++digits_end;
  std::string_view digits = s.substr(i, digits_end - i);
  out += digit_groups ? Grouped(digits, group) : std::string(digits);
  for (size_t k = digits_end; k < s.size(); ++k) out += s[k] == '.' ? decimal : s[k];
  return out;
}

// The words of a column's id and label, folded ("Mã TP" → {"ma", "tp"}).
std::vector<std::string> NameWords(std::string_view id, std::string_view label) {
  std::vector<std::string> words;
  for (std::string_view part : {id, label}) {
    std::string folded = text::FoldVietnamese(part);
    std::string w;
    for (char c : folded) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        w += c;
      } else if (!w.empty()) {
        words.push_back(std::move(w));
        w.clear();
      }
    }
    if (!w.empty()) words.push_back(std::move(w));
  }
  return words;
}

// The text of a code cell of `width` digits ("46"; an integer 1 is "01", or "00001" for a ward
// code), or "" when it cannot be one.
std::string CodeText(const nlohmann::json& v, int width) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) {
    int64_t n = v.get<int64_t>();
    if (n < 0 || n > (width == 2 ? 99 : 99999)) return "";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*d", width, static_cast<int>(n));
    return buf;
  }
  return "";
}

constexpr int kProvinceCodeWidth = 2;
constexpr int kWardCodeWidth = 5;

// Whether the folded words of `id` or `label` are one of `hints` or start with one.
bool NameStartsWith(std::string_view id, std::string_view label,
                    std::initializer_list<std::string_view> hints) {
  for (std::string_view part : {id, label}) {
    std::vector<std::string> w = NameWords(part, "");
    std::string joined;
    for (const auto& x : w) joined += (joined.empty() ? "" : " ") + x;
    for (std::string_view hint : hints) {
      if (joined == hint || joined.starts_with(std::string(hint) + " ")) return true;
    }
  }
  return false;
}

// Whether every non-null value of column `i` in `rows` names a unit of `names` (and one does).
bool AllNamed(const std::vector<std::vector<nlohmann::json>>& rows, size_t i,
              const UnitNames& names, int width) {
  bool any = false;
  for (const auto& r : rows) {
    if (i >= r.size() || r[i].is_null()) continue;
    any = true;
    if (!Lookup(names, CodeText(r[i], width), Lang::kVi)) return false;
  }
  return any;
}

}  // namespace

std::string FormatNumberText(double v, Lang lang, bool digit_groups) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return WithMarks(buf, lang, digit_groups);
}

std::string FormatIntegerText(int64_t v, Lang lang, bool digit_groups) {
  return WithMarks(std::to_string(v), lang, digit_groups);
}

std::string FormatDateText(std::string_view iso, Lang lang) {
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
      if (i >= iso.size() || iso[i] < '0' || iso[i] > '9') return false;
    }
    return true;
  };
  if (iso.size() < 10 || !digits(0, 4) || iso[4] != '-' || !digits(5, 2) || iso[7] != '-' ||
      !digits(8, 2)) {
    return std::string(iso);
  }
  if (lang == Lang::kEn) return std::string(iso.substr(0, 10)) + std::string(iso.substr(10));
  return std::string(iso.substr(8, 2)) + "/" + std::string(iso.substr(5, 2)) + "/" +
         std::string(iso.substr(0, 4)) + std::string(iso.substr(10));
}

std::string FormatDatetimeText(std::string_view iso, Lang lang) {
  // 2024-11-15T07:00:00[.fff][zone]
  if (iso.size() < 16 || (iso[10] != 'T' && iso[10] != ' ') || iso[13] != ':') {
    return FormatDateText(iso, lang);
  }
  std::string date = FormatDateText(iso.substr(0, 10), lang);
  if (date.size() != 10) return std::string(iso);
  std::string time(iso.substr(11, 5));
  std::string_view rest = iso.substr(16);
  if (rest.size() >= 3 && rest[0] == ':') {
    std::string_view seconds = rest.substr(1, 2);
    rest.remove_prefix(3);
    // Fractions of a second are kept only with seconds that are shown.
    std::string_view fraction;
    if (!rest.empty() && rest[0] == '.') {
      size_t end = 1;
      while (end < rest.size() && rest[end] >= '0' && rest[end] <= '9') ++end;
      fraction = rest.substr(0, end);
      rest.remove_prefix(end);
    }
    bool zero_fraction = fraction.find_first_not_of(".0") == std::string_view::npos;
    if (seconds != "00" || !zero_fraction) {
      time += ":" + std::string(seconds);
      if (!zero_fraction) {
        std::string f(fraction);
        if (lang == Lang::kVi) f[0] = ',';
        time += f;
      }
    }
  }
  std::string out = date + " " + time;
  if (!rest.empty()) out += " " + std::string(rest == "Z" ? "UTC" : rest);
  return out;
}

bool NamesYearOrCode(std::string_view id, std::string_view label) {
  static const std::vector<std::string_view> kFirst = {"nam", "year", "ma", "stt", "id"};
  static const std::vector<std::string_view> kAny = {
      "year",  "years", "code",    "codes", "id",       "stt",  "zip", "postal",
      "phone", "fax",   "hotline", "thoai", "postcode", "isbn", "mst"};
  for (std::string_view part : {id, label}) {
    std::vector<std::string> words = NameWords(part, "");
    if (words.empty()) continue;
    const std::string& first = words.front();
    // "Số" alone is "number"; only "Số hiệu"/"Số TT"/"Số điện thoại" name one.
    if (first == "so") {
      if (words.size() > 1 && (words[1] == "hieu" || words[1] == "tt" || words[1] == "dien"))
        return true;
    } else if (std::find(kFirst.begin(), kFirst.end(), first) != kFirst.end()) {
      // "Năm" first is the year ("Năm", "Năm học"), not "Số học sinh nam".
      return true;
    }
    for (const auto& w : words) {
      if (std::find(kAny.begin(), kAny.end(), w) != kAny.end()) return true;
    }
  }
  return false;
}

bool NamesProvinceCode(std::string_view id, std::string_view label) {
  return NameStartsWith(
      id, label,
      {"ma tinh", "ma tp", "ma so tinh", "ma tinh thanh", "ma don vi tinh", "province code",
       "provincecode", "province id", "level1 id", "level1 code", "ma cap tinh"});
}

const std::string* ProvinceName(std::string_view code, Lang lang) {
  return Lookup(Units().provinces, code, lang);
}

bool NamesWardCode(std::string_view id, std::string_view label) {
  return NameStartsWith(
      id, label,
      {"ma xa", "ma phuong", "ma px", "ma phuong xa", "ma xa phuong", "ma dac khu", "ma cap xa",
       "ma don vi cap xa", "ma don vi xa", "ward code", "wardcode", "ward id", "commune code",
       "communecode", "commune id", "level2 id", "level2 code"});
}

const std::string* WardName(std::string_view code, Lang lang) {
  return Lookup(Units().wards, code, lang);
}

std::vector<ColumnDisplay> ColumnDisplays(const std::vector<datastore::Field>& fields,
                                          const std::vector<std::vector<nlohmann::json>>& rows) {
  std::vector<ColumnDisplay> out(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    out[i].type = f.type;
    out[i].digit_groups = !NamesYearOrCode(f.id, f.label);
    if (NamesProvinceCode(f.id, f.label)) {
      out[i].province_names = AllNamed(rows, i, Units().provinces, kProvinceCodeWidth);
    } else if (NamesWardCode(f.id, f.label)) {
      out[i].ward_names = AllNamed(rows, i, Units().wards, kWardCodeWidth);
    }
  }
  return out;
}

std::string DisplayText(const nlohmann::json& v, const ColumnDisplay& c, Lang lang) {
  if (v.is_null()) return "";
  if (c.province_names) {
    if (const std::string* name = ProvinceName(CodeText(v, kProvinceCodeWidth), lang)) return *name;
  }
  if (c.ward_names) {
    if (const std::string* name = WardName(CodeText(v, kWardCodeWidth), lang)) return *name;
  }
  if (v.is_number_integer()) return FormatIntegerText(v.get<int64_t>(), lang, c.digit_groups);
  if (v.is_number()) return FormatNumberText(v.get<double>(), lang, c.digit_groups);
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (!v.is_string()) return v.dump();
  const std::string& s = v.get_ref<const std::string&>();
  if (c.type == datastore::ColumnType::kDate) return FormatDateText(s, lang);
  if (c.type == datastore::ColumnType::kDatetime) return FormatDatetimeText(s, lang);
  return s;
}

}  // namespace odp::web
