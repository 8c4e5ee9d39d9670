#include "datastore/personal_data.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string>

#include "access/masks.h"
#include "datastore/infer.h"
#include "text/vietnamese.h"

namespace odp::datastore {

namespace {

constexpr std::array<const char*, kPersonalKinds> kNames = {
    "citizen_id",    "id_card",      "phone",       "email",      "tax_code",
    "vehicle_plate", "bank_account", "person_name", "birth_date", "address"};
constexpr std::array<const char*, kPersonalKinds> kLabelsVi = {
    "Số căn cước công dân", "Số chứng minh nhân dân", "Số điện thoại", "Thư điện tử", "Mã số thuế",
    "Biển số xe",           "Số tài khoản ngân hàng", "Họ tên",        "Ngày sinh",   "Địa chỉ"};
constexpr std::array<const char*, kPersonalKinds> kLabelsEn = {
    "Citizen ID number", "ID card number",      "Phone number", "E-mail address", "Tax code",
    "Vehicle plate",     "Bank account number", "Person name",  "Date of birth",  "Street address"};

// The provinces' codes of the citizen ID (Circular 07/2016/TT-BCA, the 63 provinces before the
// 2025 merger: the code of a person's birth registration never changes).
constexpr std::array<int, 63> kProvinceCodes = {
    1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
    34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
    67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};

// Family names (folded): the common ones cover about nine Vietnamese in ten.
const std::set<std::string>& FamilyNames() {
  static const std::set<std::string> kFamily = {
      "nguyen", "tran",   "le",   "pham",  "hoang",  "huynh",  "phan",  "vu",    "vo",
      "dang",   "bui",    "do",   "ho",    "ngo",    "duong",  "ly",    "dinh",  "dao",
      "doan",   "lam",    "mai",  "trinh", "truong", "cao",    "luong", "ha",    "luu",
      "ta",     "thai",   "chu",  "kieu",  "quach",  "la",     "tong",  "vuong", "van",
      "trieu",  "phung",  "tang", "khuc",  "hua",    "nghiem", "mac",   "diep",  "kha",
      "thach",  "ton",    "lai",  "giang", "au",     "bach",   "cu",    "nong",  "lo",
      "khong",  "nghiem", "ung",  "hong",  "tieu",   "lieu",   "tu",    "quan",  "vi"};
  return kFamily;
}

bool AllDigits(std::string_view v) {
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

// `v` without the separators people write inside numbers (spaces, dots, dashes, brackets).
std::string Compact(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '\t') continue;
    out += c;
  }
  return out;
}

std::string_view TrimView(std::string_view v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  return v;
}

// A national significant number (after 0 or 84): mobile per the 2018 numbering, or landline.
bool IsNationalPhone(std::string_view n) {
  if (!AllDigits(n)) return false;
  if (n.size() == 9) {
    const char a = n[0], b = n[1];
    switch (a) {
      case '3': return true;  // 3x
      case '5':
        return b == '2'   ? (n[2] == '2' || n[2] == '3' || n[2] == '8')
               : b == '5' ? n[2] == '9'
                          : (b == '6' || b == '8' || b == '9');
      case '7': return b == '0' || (b >= '6' && b <= '9');                   // 70, 76–79
      case '8': return (b >= '1' && b <= '8') || (b == '9' && n[2] >= '6');  // 81–88, 896–899
      case '9': return b != '9' || n[2] != '2';                              // 90–98, 99[013-9]
      default: return false;
    }
  }
  return n.size() == 10 && n[0] == '2';  // a landline with its area code
}

// Splits into words on spaces and commas (keeps '/' inside house numbers).
std::vector<std::string> Words(std::string_view folded) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : folded) {
    if (c == ' ' || c == ',' || c == ';' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      if (c == ',') out.emplace_back(",");
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

bool IsHouseNumber(std::string_view w) {
  // 12, 12A, 123/4, 45/12B, 7B/2
  if (w.empty() || !std::isdigit(static_cast<unsigned char>(w[0]))) return false;
  for (size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '/') continue;
    if (std::isalpha(static_cast<unsigned char>(c)) && (i + 1 == w.size() || w[i + 1] == '/')) {
      continue;
    }
    return false;
  }
  return w.back() != '/';
}

bool IsStreetWord(std::string_view w) {
  static const std::set<std::string, std::less<>> kStreet = {"duong", "pho",  "ngo", "ngach",
                                                             "hem",   "kiet", "so"};
  return kStreet.count(w) > 0;
}

bool IsPlaceWord(std::string_view w) {
  static const std::set<std::string, std::less<>> kPlace = {
      "phuong", "xa",   "quan",  "huyen", "thi", "tp",   "tp.", "p.",
      "q.",     "tinh", "thanh", "khu",   "ap",  "thon", "to"};
  return kPlace.count(w) > 0;
}

bool Contains(std::string_view haystack, std::string_view word) {
  // `word` as a whole word (or words) of the folded, space-separated `haystack`.
  size_t at = haystack.find(word);
  while (at != std::string_view::npos) {
    bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(haystack[at - 1]));
    size_t end = at + word.size();
    bool ends = end == haystack.size() || !std::isalnum(static_cast<unsigned char>(haystack[end]));
    if (starts && ends) return true;
    at = haystack.find(word, at + 1);
  }
  return false;
}

}  // namespace

// Whether `v` names an organisation (an agency, school, hospital, company …): a table with a
// column of them lists organisations, whose phones, e-mails, addresses and tax codes are theirs.
bool NamesOrganisation(std::string_view v) {
  static constexpr std::array<std::string_view, 34> kPrefixes = {
      "truong ",    "benh vien",   "trung tam", "phong kham", "tram y te",   "uy ban",
      "ubnd",       "so ",         "cong ty",   "chi cuc",    "ban quan ly", "doanh nghiep",
      "hop tac xa", "nha van hoa", "thu vien",  "bao tang",   "khach san",   "ngan hang",
      "chi nhanh",  "van phong",   "cuc ",      "vien ",      "hoi ",        "dai ",
      "thpt",       "thcs",        "tieu hoc",  "mam non",    "co so",       "phong ",
      "nha may",    "cho ",        "ben xe",    "cang "};
  const std::string f = text::FoldVietnamese(v);
  // "Sở Y tế" names an agency, "Số 12 …" and "Số nhà …" begin an address.
  if (f.rfind("so ", 0) == 0) {
    return f.size() > 3 && std::isalpha(static_cast<unsigned char>(f[3])) &&
           f.rfind("so nha", 0) != 0;
  }
  return std::any_of(kPrefixes.begin(), kPrefixes.end(),
                     [&](std::string_view p) { return f.rfind(p, 0) == 0; });
}

const char* ToString(PersonalKind k) { return kNames[static_cast<size_t>(k)]; }

std::optional<PersonalKind> ParsePersonalKind(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) return static_cast<PersonalKind>(i);
  }
  return std::nullopt;
}

const char* LabelVi(PersonalKind k) { return kLabelsVi[static_cast<size_t>(k)]; }
const char* LabelEn(PersonalKind k) { return kLabelsEn[static_cast<size_t>(k)]; }

bool IsCitizenId(std::string_view v) {
  std::string d = Compact(TrimView(v));
  if (d.size() != 12 || !AllDigits(d)) return false;
  const int province = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
  if (!std::binary_search(kProvinceCodes.begin(), kProvinceCodes.end(), province)) return false;
  const int century = d[3] - '0';
  const int yy = (d[4] - '0') * 10 + (d[5] - '0');
  if (century == 0 || century == 1) return true;
  // Born in the 2000s: not after this decade's cards could exist (2000–2039 is generous and
  // keeps the rule independent of the clock).
  return (century == 2 || century == 3) && yy < 40;
}

bool IsIdCardNumber(std::string_view v) {
  std::string d = Compact(TrimView(v));
  return AllDigits(d) && (d.size() == 9 || IsCitizenId(d));
}

bool IsPhoneNumber(std::string_view v) {
  std::string d = Compact(TrimView(v));
  if (d.empty()) return false;
  if (d[0] == '+') {
    if (d.rfind("+84", 0) != 0) return false;
    return IsNationalPhone(std::string_view(d).substr(3));
  }
  if (!AllDigits(d)) return false;
  if (d[0] == '0') return IsNationalPhone(std::string_view(d).substr(1));
  if (d.rfind("84", 0) == 0 && (d.size() == 11 || d.size() == 12)) {
    return IsNationalPhone(std::string_view(d).substr(2));
  }
  return false;
}

bool IsEmail(std::string_view v) {
  v = TrimView(v);
  if (v.size() > 254) return false;
  const size_t at = v.find('@');
  if (at == 0 || at == std::string_view::npos || v.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view local = v.substr(0, at), domain = v.substr(at + 1);
  for (char c : local) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("._%+-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  const size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) return false;
  for (char c : domain.substr(0, dot)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  for (char c : domain.substr(dot + 1)) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::optional<int> TaxCodeCheckDigit(std::string_view first9) {
  static constexpr std::array<int, 9> kWeights = {31, 29, 23, 19, 17, 13, 7, 5, 3};
  if (first9.size() != 9 || !AllDigits(first9)) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) sum += kWeights[i] * (first9[i] - '0');
  const int check = 10 - sum % 11;
  if (check == 10) return std::nullopt;  // the sum is a multiple of 11: no valid code
  return check;
}

bool IsTaxCode(std::string_view v) {
  v = TrimView(v);
  std::string main(v.substr(0, std::min<size_t>(10, v.size())));
  if (main.size() != 10 || !AllDigits(main)) return false;
  std::string_view rest = v.substr(10);
  if (!rest.empty()) {
    if (rest.front() == '-' || rest.front() == ' ') rest.remove_prefix(1);
    if (rest.size() != 3 || !AllDigits(rest) || rest == "000") return false;
  }
  if (main.substr(2, 7) == "0000000") return false;
  auto check = TaxCodeCheckDigit(std::string_view(main).substr(0, 9));
  return check && *check == main[9] - '0';
}

bool IsVehiclePlate(std::string_view v) {
  v = TrimView(v);
  if (v.size() < 7 || v.size() > 14) return false;
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c == ' ' || c == '-' || c == '.') continue;
    if (c == 0xC4 && i + 1 < v.size() && static_cast<unsigned char>(v[i + 1]) == 0x90) {
      s += 'D';  // Đ
      ++i;
      continue;
    }
    if (!std::isdigit(c) && !(c >= 'A' && c <= 'Z')) return false;  // plates are upper case
    s += static_cast<char>(c);
  }
  // AA L[L|d] dddd[d]
  if (s.size() < 7 || !std::isdigit(static_cast<unsigned char>(s[0])) ||
      !std::isdigit(static_cast<unsigned char>(s[1]))) {
    return false;
  }
  const int area = (s[0] - '0') * 10 + (s[1] - '0');
  if (area < 11) return false;
  size_t i = 2;
  size_t letters = 0;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) {
    ++letters;
    ++i;
  }
  if (letters < 1 || letters > 2) return false;
  std::string_view tail = std::string_view(s).substr(i);
  if (!AllDigits(tail)) return false;
  // The series may end in a digit (29-B1 123.45): then 5 or 6 digits follow the letters.
  return tail.size() == 4 || tail.size() == 5 || (letters == 1 && tail.size() == 6);
}

bool IsBankAccountNumber(std::string_view v) {
  v = TrimView(v);
  std::string d;
  for (char c : v) {
    if (c == ' ' || c == '-') continue;
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    d += c;
  }
  return d.size() >= 6 && d.size() <= 19;
}

bool IsStreetAddress(std::string_view v) {
  std::string folded = text::FoldVietnamese(TrimView(v));
  std::vector<std::string> w = Words(folded);
  if (w.size() < 2) return false;
  for (size_t i = 0; i < w.size(); ++i) {
    // "số nhà 12", "ngõ 45", "kiệt 7/2", "hẻm 123/4"; "số 12 Lê Lợi" only at the start ("Trường
    // Tiểu học số 2 …" is a school).
    if (IsStreetWord(w[i]) && i + 1 < w.size() && (w[i] != "so" || i == 0)) {
      size_t j = i + 1;
      if (w[i] == "so" && w[j] == "nha" && j + 1 < w.size()) ++j;
      if (IsHouseNumber(w[j]) && (w[i] != "so" || j + 1 < w.size())) return true;
    }
    // "12 đường Lê Lợi", "34B phố Huế"
    if (IsHouseNumber(w[i]) && i + 1 < w.size() && IsStreetWord(w[i + 1]) && w[i + 1] != "so") {
      return true;
    }
  }
  // "123 Nguyễn Huệ, phường Bến Nghé": a house number, a street name, then a place.
  if (IsHouseNumber(w[0])) {
    size_t i = 1;
    while (i < w.size() && w[i] != ",") {
      if (!std::all_of(w[i].begin(), w[i].end(),
                       [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
        return false;
      }
      ++i;
    }
    return i >= 2 && i + 1 < w.size() && IsPlaceWord(w[i + 1]);
  }
  return false;
}

bool IsPersonName(std::string_view v) {
  v = TrimView(v);
  if (v.empty() || v.size() > 80) return false;
  std::string folded = text::FoldVietnamese(v);
  std::vector<std::string> words;
  std::string cur;
  for (char c : folded) {
    if (c == ' ') {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      cur += c;
    } else {
      return false;  // digits, punctuation: not a name
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  if (words.size() < 2 || words.size() > 5 || !FamilyNames().count(words[0])) return false;
  // Every word begins with a capital letter (as written, in any case after it).
  bool at_start = true;
  for (size_t i = 0; i < v.size();) {
    if (v[i] == ' ') {
      at_start = true;
      ++i;
      continue;
    }
    size_t len = 1;
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    if (at_start) {
      std::string letter(v.substr(i, len));
      if (text::LowerExact(letter) == letter) return false;
      at_start = false;
    }
    i += len;
  }
  return true;
}

bool IsBirthDate(std::string_view v, int this_year) {
  v = TrimView(v);
  int year = 0;
  if (auto d = ParseDate(v)) {
    year = std::stoi(d->substr(0, 4));
  } else if (auto dt = ParseDatetime(v)) {
    year = std::stoi(dt->substr(0, 4));
  } else if (v.size() == 4 && AllDigits(v)) {
    year = std::stoi(std::string(v));
  } else {
    return false;
  }
  return year >= 1900 && year <= this_year;
}

std::optional<PersonalKind> HintOf(std::string_view label) {
  std::string f = text::FoldVietnamese(label);
  for (char& c : f) {
    if (c == '_' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == ':') c = ' ';
  }
  struct Hint {
    const char* words;
    PersonalKind kind;
  };
  // The first hint that matches wins: longer, more specific phrases first.
  static constexpr Hint kHints[] = {
      {"can cuoc", PersonalKind::kCitizenId},
      {"cccd", PersonalKind::kCitizenId},
      {"dinh danh", PersonalKind::kCitizenId},
      {"citizen id", PersonalKind::kCitizenId},
      {"national id", PersonalKind::kCitizenId},
      {"chung minh", PersonalKind::kIdCard},
      {"cmnd", PersonalKind::kIdCard},
      {"cmt", PersonalKind::kIdCard},
      {"id card", PersonalKind::kIdCard},
      {"ma so thue", PersonalKind::kTaxCode},
      {"mst", PersonalKind::kTaxCode},
      {"tax code", PersonalKind::kTaxCode},
      {"tax id", PersonalKind::kTaxCode},
      {"tai khoan", PersonalKind::kBankAccount},
      {"stk", PersonalKind::kBankAccount},
      {"account number", PersonalKind::kBankAccount},
      {"bank account", PersonalKind::kBankAccount},
      {"iban", PersonalKind::kBankAccount},
      {"dien thoai", PersonalKind::kPhone},
      {"sdt", PersonalKind::kPhone},
      {"dt", PersonalKind::kPhone},
      {"di dong", PersonalKind::kPhone},
      {"phone", PersonalKind::kPhone},
      {"mobile", PersonalKind::kPhone},
      {"tel", PersonalKind::kPhone},
      {"email", PersonalKind::kEmail},
      {"e mail", PersonalKind::kEmail},
      {"thu dien tu", PersonalKind::kEmail},
      {"mail", PersonalKind::kEmail},
      {"bien so", PersonalKind::kVehiclePlate},
      {"bien kiem soat", PersonalKind::kVehiclePlate},
      {"bks", PersonalKind::kVehiclePlate},
      {"plate", PersonalKind::kVehiclePlate},
      {"ngay sinh", PersonalKind::kBirthDate},
      {"nam sinh", PersonalKind::kBirthDate},
      {"sinh ngay", PersonalKind::kBirthDate},
      {"ngay thang nam sinh", PersonalKind::kBirthDate},
      {"dob", PersonalKind::kBirthDate},
      {"birth", PersonalKind::kBirthDate},
      {"birthday", PersonalKind::kBirthDate},
      {"dia chi", PersonalKind::kAddress},
      {"noi o", PersonalKind::kAddress},
      {"cho o", PersonalKind::kAddress},
      {"thuong tru", PersonalKind::kAddress},
      {"cu tru", PersonalKind::kAddress},
      {"tam tru", PersonalKind::kAddress},
      {"address", PersonalKind::kAddress},
      {"ho ten", PersonalKind::kPersonName},
      {"ho va ten", PersonalKind::kPersonName},
      {"ten nguoi", PersonalKind::kPersonName},
      {"chu ho", PersonalKind::kPersonName},
      {"nguoi nop", PersonalKind::kPersonName},
      {"full name", PersonalKind::kPersonName},
      {"fullname", PersonalKind::kPersonName},
      {"name", PersonalKind::kPersonName},
      {"ten", PersonalKind::kPersonName},
  };
  for (const auto& h : kHints) {
    if (Contains(f, h.words)) return h.kind;
  }
  return std::nullopt;
}

PersonalDataScan::PersonalDataScan(size_t columns, int this_year)
    : samples_(columns), this_year_(this_year) {
  for (auto& s : samples_) s.reserve(64);
}

void PersonalDataScan::Add(const std::vector<std::string>& row) {
  if (full_ == samples_.size()) return;
  const size_t n = std::min(row.size(), samples_.size());
  for (size_t c = 0; c < n; ++c) {
    auto& s = samples_[c];
    if (s.size() >= kSampleCells) continue;
    std::string_view v = TrimView(row[c]);
    if (v.empty()) continue;
    s.emplace_back(v);
    if (s.size() == kSampleCells) ++full_;
  }
}

namespace {

bool Matches(PersonalKind k, std::string_view v, bool hinted, int this_year) {
  switch (k) {
    case PersonalKind::kCitizenId: {
      // A workbook stores the number as a number: the leading 0 is gone.
      std::string d = Compact(v);
      if (hinted && d.size() == 11 && AllDigits(d)) return IsCitizenId("0" + d);
      return IsCitizenId(v);
    }
    case PersonalKind::kIdCard: return IsIdCardNumber(v);
    case PersonalKind::kPhone: {
      if (IsPhoneNumber(v)) return true;
      std::string d = Compact(v);
      return hinted && AllDigits(d) && IsNationalPhone(d);  // the leading 0 lost
    }
    case PersonalKind::kEmail: return IsEmail(v);
    case PersonalKind::kTaxCode: return IsTaxCode(v);
    case PersonalKind::kVehiclePlate: return IsVehiclePlate(v);
    case PersonalKind::kBankAccount: return IsBankAccountNumber(v);
    case PersonalKind::kPersonName: return IsPersonName(v);
    case PersonalKind::kBirthDate: return IsBirthDate(v, this_year);
    case PersonalKind::kAddress: return IsStreetAddress(v);
  }
  return false;
}

// The kinds that belong to an organisation as well as to a person.
bool OrganisationsHaveIt(PersonalKind k) {
  return k == PersonalKind::kPhone || k == PersonalKind::kEmail || k == PersonalKind::kAddress ||
         k == PersonalKind::kTaxCode;
}

// Kinds flagged from their values alone (the others need the column's name).
bool StandsAlone(PersonalKind k) {
  return k != PersonalKind::kIdCard && k != PersonalKind::kBankAccount &&
         k != PersonalKind::kPersonName && k != PersonalKind::kBirthDate;
}

}  // namespace

std::vector<PersonalFinding> PersonalDataScan::Findings(
    const std::vector<Field>& fields, const std::vector<ColumnReview>& reviews) const {
  struct Best {
    PersonalKind kind = PersonalKind::kCitizenId;
    double share = 0;
    bool flagged = false;
  };
  const size_t n = std::min(fields.size(), samples_.size());
  std::vector<Best> best(n);
  bool organisations = false;
  for (size_t c = 0; c < n && !organisations; ++c) {
    const auto& s = samples_[c];
    const auto named = std::count_if(s.begin(), s.end(),
                                     [](const std::string& v) { return NamesOrganisation(v); });
    organisations = !s.empty() && static_cast<double>(named) >= 0.6 * static_cast<double>(s.size());
  }
  std::optional<size_t> name_col, birth_col;
  double name_share = 0, birth_share = 0;
  for (size_t c = 0; c < n; ++c) {
    const auto& s = samples_[c];
    if (s.empty()) continue;
    const std::optional<PersonalKind> hint = HintOf(fields[c].label);
    for (size_t k = 0; k < kPersonalKinds; ++k) {
      const auto kind = static_cast<PersonalKind>(k);
      const bool hinted = hint == kind;
      // ID card numbers and bank accounts are only digits: without their names they would be
      // any code or count.
      if (!hinted && (kind == PersonalKind::kIdCard || kind == PersonalKind::kBankAccount)) {
        continue;
      }
      size_t hits = 0;
      for (const auto& v : s) hits += Matches(kind, v, hinted, this_year_) ? 1 : 0;
      const double share = static_cast<double>(hits) / static_cast<double>(s.size());
      if (kind == PersonalKind::kPersonName) {
        if (share >= (hint == kind ? kHintedShare : kUnhintedShare) && share > name_share) {
          name_col = c;
          name_share = share;
        }
        continue;
      }
      if (kind == PersonalKind::kBirthDate) {
        if (hinted && share >= kHintedShare && share > birth_share) {
          birth_col = c;
          birth_share = share;
        }
        continue;
      }
      const double needed = hinted ? kHintedShare : kUnhintedShare;
      if (!hinted && !StandsAlone(kind)) continue;
      if (organisations && OrganisationsHaveIt(kind)) continue;
      // The kind most cells match; on a tie the one the name says, else the earlier (tax
      // codes, with their check digit, before phones).
      if (share >= needed &&
          (!best[c].flagged || share > best[c].share || (share == best[c].share && hinted))) {
        best[c] = {kind, share, true};
      }
    }
  }
  if (name_col && birth_col && *name_col != *birth_col) {
    best[*name_col] = {PersonalKind::kPersonName, name_share, true};
    best[*birth_col] = {PersonalKind::kBirthDate, birth_share, true};
  }
  std::vector<PersonalFinding> out;
  for (size_t c = 0; c < n; ++c) {
    if (!best[c].flagged) continue;
    PersonalFinding f;
    f.column = fields[c].id;
    f.label = fields[c].label;
    f.kind = ToString(best[c].kind);
    f.share = best[c].share;
    f.sampled = static_cast<int64_t>(samples_[c].size());
    const bool hinted = HintOf(fields[c].label) == best[c].kind;
    for (const auto& v : samples_[c]) {
      if (f.examples.size() == 3) break;
      if (Matches(best[c].kind, v, hinted, this_year_))
        f.examples.push_back(
            access::MaskText(access::DefaultMask(access::MaskKind::kPartial), v, {}).value_or(""));
    }
    for (const auto& r : reviews) {
      if (r.column == f.column) f.review = r;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace odp::datastore
