#include "app/demo.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/parse.h"
#include "formats/text_writers.h"

namespace odp::app {
namespace {

// LoadDemo's parameter `catalog` hides the namespace inside its body.
using catalog::CatalogService;
using catalog::DatasetInput;
using catalog::OrganizationInput;
using catalog::ResourceInput;
using catalog::UploadedFile;

// Deterministic pseudo-random numbers (a linear congruential generator): the demo files are the
// same, byte for byte, on every run and every machine.
class Rng {
 public:
  explicit Rng(uint32_t seed) : state_(seed) {}
  int Int(int lo, int hi) {  // uniform in [lo, hi]
    state_ = state_ * 1664525u + 1013904223u;
    return lo + static_cast<int>((state_ >> 8) % static_cast<uint32_t>(hi - lo + 1));
  }
  double Real(double lo, double hi) { return lo + (hi - lo) * Int(0, 999999) / 1e6; }

 private:
  uint32_t state_;
};

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}
std::string Num(int64_t v) { return std::to_string(v); }
std::string Two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// "a|b|c" → {"a", "b", "c"}; "" → {}. Keeps the tables below one row per line.
std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  for (size_t start = 0; !s.empty();) {
    size_t bar = s.find('|', start);
    out.emplace_back(s.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return out;
}

// A generated table: written as CSV (RFC 4180, UTF-8 without BOM) and optionally as JSON.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::set<size_t> text_columns;  // codes: JSON strings even when they look like numbers
};

Table Rows(const char* header, std::initializer_list<const char*> rows,
           std::set<size_t> text = {}) {
  Table t{Split(header), {}, std::move(text)};
  for (const char* r : rows) t.rows.push_back(Split(r));
  return t;
}

std::string ToCsv(const Table& t) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      formats::AppendDelimitedCell(out, cells[i], ',');
    }
    out += "\r\n";
  };
  line(t.header);
  for (const auto& r : t.rows) line(r);
  return out;
}

bool LooksNumeric(const std::string& s) {
  size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  if (i >= s.size() || s.back() == '.' || s[i] == '.') return false;
  if (s[i] == '0' && i + 1 < s.size() && s[i + 1] != '.') return false;  // "007" is a code
  auto digit_or_dot = [](char c) { return c == '.' || (c >= '0' && c <= '9'); };
  return std::count(s.begin(), s.end(), '.') <= 1 &&
         std::all_of(s.begin() + i, s.end(), digit_or_dot);
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// An array of objects keyed by the header; numbers as JSON numbers.
std::string ToJson(const Table& t) {
  std::string out = "[\n";
  for (size_t r = 0; r < t.rows.size(); ++r) {
    out += "  {";
    for (size_t i = 0; i < t.header.size(); ++i) {
      const std::string& v = t.rows[r][i];
      bool number = !t.text_columns.count(i) && LooksNumeric(v);
      out += (i ? ", " : "") + JsonString(t.header[i]) + ": " + (number ? v : JsonString(v));
    }
    out += r + 1 < t.rows.size() ? "},\n" : "}\n";
  }
  return out + "]\n";
}

// Districts (GSO codes of the former Thừa Thiên Huế; the figures are illustrative).
struct District {
  const char* code;
  const char* kind;  // "thành phố", "thị xã", "huyện"
  const char* place;
  double area_km2;
  int population, communes, rice_ha;
  double lat, lon;
};
const District kDistricts[] = {
    {"474", "thành phố", "Huế", 265.99, 455230, 29, 1180, 16.4637, 107.5909},
    {"479", "thị xã", "Hương Thủy", 456.02, 110480, 10, 3320, 16.4008, 107.6900},
    {"480", "thị xã", "Hương Trà", 393.12, 89760, 9, 3790, 16.4828, 107.4917},
    {"476", "thị xã", "Phong Điền", 945.72, 95120, 16, 7050, 16.5660, 107.3560},
    {"477", "huyện", "Quảng Điền", 163.08, 90340, 11, 5820, 16.5820, 107.4940},
    {"478", "huyện", "Phú Vang", 279.94, 145610, 14, 6480, 16.4780, 107.7090},
    {"482", "huyện", "Phú Lộc", 720.36, 134950, 17, 3240, 16.2840, 107.8720},
    {"481", "huyện", "A Lưới", 1224.98, 50180, 18, 910, 16.2740, 107.2390},
    {"483", "huyện", "Nam Đông", 647.82, 27260, 10, 310, 16.1590, 107.6930},
};
constexpr int kRemote = 7;  // districts from this index on are mountainous

// "thị xã" → "Thị xã" (every kind starts with an ASCII letter).
std::string Level(const District& d) {
  std::string s = d.kind;
  s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}
std::string DistrictName(const District& d) { return Level(d) + " " + d.place; }

std::string Address(Rng& rng, int district) {
  static const char* const kStreets[] = {"Lê Lợi",        "Hùng Vương",     "Trần Hưng Đạo",
                                         "Điện Biên Phủ", "Lý Thường Kiệt", "Bà Triệu",
                                         "Nguyễn Trãi",   "Lê Duẩn"};
  static const char* const kRoads[] = {"Quốc lộ 1A", "Quốc lộ 49", "Tỉnh lộ 10", "Tỉnh lộ 4"};
  // Separate statements: the operands of an overloaded + are evaluated in unspecified order.
  int number = district == 0 ? rng.Int(2, 240) : rng.Int(2, 60);
  int street = rng.Int(0, 7);
  if (district == 0) return Num(number) + " " + kStreets[street];
  return "Km " + Num(number) + ", " + kRoads[street % 4];
}

Table MakeAdminUnits() {
  Table t{Split("Mã đơn vị|Tên đơn vị|Cấp|Diện tích (km²)|Dân số trung bình (người)|"
                "Mật độ dân số (người/km²)|Số đơn vị hành chính cấp xã"),
          {},
          {0}};
  auto row = [&](std::string code, std::string name, std::string level, double area, int pop,
                 int communes) {
    t.rows.push_back(
        {code, name, level, Fixed(area, 2), Num(pop), Num(std::lround(pop / area)), Num(communes)});
  };
  double area = 0;
  int pop = 0, communes = 0;
  for (const District& d : kDistricts) {
    area += d.area_km2;
    pop += d.population;
    communes += d.communes;
  }
  row("46", "Tỉnh Huế", "Tỉnh", area, pop, communes);
  for (const District& d : kDistricts) {
    std::string level = Level(d) == "Thành phố" ? "Thành phố thuộc tỉnh" : Level(d);
    row(d.code, DistrictName(d), level, d.area_km2, d.population, d.communes);
  }
  return t;
}

struct School {
  const char* name;
  int district;
};
const School kSchools[] = {
    {"THPT Nguyễn Huệ", 0},   {"THPT Hai Bà Trưng", 0}, {"THPT Cao Thắng", 0},
    {"THPT Gia Hội", 0},      {"THPT Bùi Thị Xuân", 0}, {"THPT Phú Bài", 1},
    {"THPT Hương Thủy", 1},   {"THPT Hương Trà", 2},    {"THPT Bình Điền", 2},
    {"THPT Phong Điền", 3},   {"THPT Tam Giang", 3},    {"THPT Nguyễn Chí Thanh", 4},
    {"THPT Hóa Châu", 4},     {"THPT Thuận An", 5},     {"THPT Vinh Xuân", 5},
    {"THPT Phú Lộc", 6},      {"THPT Vinh Lộc", 6},     {"THPT A Lưới", 7},
    {"THPT Hương Lâm", 7},    {"THPT Nam Đông", 8},     {"THCS Nguyễn Tri Phương", 0},
    {"THCS Trần Cao Vân", 0}, {"THCS Phan Sào Nam", 0}, {"THCS Thủy Dương", 1},
    {"THCS Hương Chữ", 2},    {"THCS Phong Thu", 3},    {"THCS Quảng Thành", 4},
    {"THCS Phú Đa", 5},       {"THCS Lăng Cô", 6},      {"THCS Hồng Vân", 7},
    {"THCS Khe Tre", 8},
};

Table MakeSchools() {
  Table t{Split("Mã trường|Tên trường|Cấp học|Loại hình|Địa chỉ|Đơn vị hành chính|Số lớp|"
                "Số học sinh|Số giáo viên|Năm học"),
          {},
          {0}};
  Rng rng(2024);
  int n = 0;
  for (const School& s : kSchools) {
    const District& d = kDistricts[s.district];
    bool upper = std::string_view(s.name).substr(0, 4) == "THPT";
    int students = upper ? rng.Int(850, 1750) : rng.Int(420, 1150);
    if (s.district >= kRemote) students = students * 2 / 3;
    int classes = (students + 37) / 38;
    t.rows.push_back({"46" + std::string(d.code) + Two(++n), "Trường " + std::string(s.name),
                      upper ? "Trung học phổ thông" : "Trung học cơ sở", "Công lập",
                      Address(rng, s.district), DistrictName(d), Num(classes), Num(students),
                      Num(std::lround(classes * (upper ? 2.25 : 1.9))), "2024-2025"});
  }
  return t;
}

Table MakeHealthFacilities() {
  // name | public | district | beds from | beds to
  const char* const kFacilities[] = {"Bệnh viện Đa khoa tỉnh|1|0|900|1100",
                                     "Bệnh viện Y học cổ truyền tỉnh|1|0|180|250",
                                     "Bệnh viện Phục hồi chức năng tỉnh|1|0|120|180",
                                     "Bệnh viện Mắt tỉnh|1|0|100|150",
                                     "Bệnh viện Tâm thần tỉnh|1|2|150|220",
                                     "Bệnh viện Đa khoa Hoàng Long|0|0|150|250",
                                     "Bệnh viện Quốc tế Hương Giang|0|0|100|200",
                                     "Bệnh viện Đa khoa Bình Minh|0|1|60|120",
                                     "Bệnh viện Mắt An Cựu|0|0|30|60",
                                     "Bệnh viện Đa khoa Kim Long|0|2|80|150",
                                     "Phòng khám Đa khoa Thiên Ân|0|5|10|20"};
  Table t{Split("Tên cơ sở|Loại hình|Tuyến|Địa chỉ|Đơn vị hành chính|Số giường bệnh|Điện thoại|"
                "Vĩ độ|Kinh độ"),
          {},
          {}};
  Rng rng(115);
  auto add = [&](const std::string& name, bool is_public, const char* tier, int di, int lo,
                 int hi) {
    const District& d = kDistricts[di];
    t.rows.push_back(
        {name, is_public ? "Công lập" : "Tư nhân", tier, Address(rng, di), DistrictName(d),
         Num(rng.Int(lo, hi)), "0234 3" + Num(rng.Int(800000, 999999)),
         Fixed(d.lat + rng.Real(-0.012, 0.012), 5), Fixed(d.lon + rng.Real(-0.012, 0.012), 5)});
  };
  for (const char* spec : kFacilities) {
    auto f = Split(spec);
    bool pub = f[1] == "1";
    add(f[0], pub, pub ? "Tuyến tỉnh" : "Ngoài công lập", static_cast<int>(*ParseInt(f[2])),
        static_cast<int>(*ParseInt(f[3])), static_cast<int>(*ParseInt(f[4])));
  }
  for (int i = 1; i < 9; ++i) {
    add("Trung tâm Y tế " + std::string(kDistricts[i].kind) + " " + kDistricts[i].place, true,
        "Tuyến huyện", i, 80, 250);
  }
  return t;
}

Table MakeDengue() {
  Table t{Split("Năm|Tuần|Mã đơn vị|Đơn vị|Số ca mắc|Số ca nặng|Số ca tử vong"), {}, {2}};
  const double kWeekFactor[] = {0.8, 1.0, 1.3, 1.1};
  Rng rng(36);
  for (int w = 0; w < 4; ++w) {
    for (const District& d : kDistricts) {
      auto cases = std::lround(d.population / 12000.0 * kWeekFactor[w] * rng.Real(0.6, 1.4));
      t.rows.push_back(
          {"2024", Num(36 + w), d.code, DistrictName(d), Num(cases), Num(cases / 15), "0"});
    }
  }
  return t;
}

Table MakeRainfall() {
  const char* const kStations[][2] = {{"KTTV-01", "Trạm Huế"},
                                      {"KTTV-02", "Trạm A Lưới"},
                                      {"KTTV-03", "Trạm Nam Đông"},
                                      {"KTTV-04", "Trạm Phú Ốc"}};
  const double kFactor[] = {1.0, 1.35, 1.5, 1.05};
  const double kMonthly[] = {150, 60, 50, 60, 95, 100, 80, 120, 430, 780, 620, 290};
  Table t{Split("Mã trạm|Tên trạm|Năm|Tháng|Lượng mưa (mm)|Số ngày mưa|"
                "Lượng mưa ngày lớn nhất (mm)"),
          {},
          {0}};
  Rng rng(1999);
  for (int s = 0; s < 4; ++s) {
    for (int m = 0; m < 12; ++m) {
      double rain = kMonthly[m] * kFactor[s] * rng.Real(0.75, 1.25);
      int days = std::min(28, static_cast<int>(rain / 25) + rng.Int(3, 7));
      t.rows.push_back({kStations[s][0], kStations[s][1], "2024", Num(m + 1), Fixed(rain, 1),
                        Num(days), Fixed(rain * rng.Real(0.2, 0.35), 1)});
    }
  }
  return t;
}

// VN_AQI sub-index of hourly PM2.5, interpolated between the breakpoints.
int AqiPm25(double pm) {
  const double kBp[] = {0, 25, 50, 80, 150, 250, 350, 500};
  const double kIdx[] = {0, 50, 100, 150, 200, 300, 400, 500};
  for (int i = 1; i < 8; ++i) {
    if (pm <= kBp[i]) {
      double f = (pm - kBp[i - 1]) / (kBp[i] - kBp[i - 1]);
      return static_cast<int>(std::lround(kIdx[i - 1] + (kIdx[i] - kIdx[i - 1]) * f));
    }
  }
  return 500;
}

Table MakeAirQuality() {
  const char* const kStations[] = {"Trạm Lê Lợi (thành phố Huế)", "Trạm Khu công nghiệp Phú Bài"};
  const double kBase[] = {16, 24}, kNo2[] = {22, 30};
  Table t{Split("Thời điểm|Trạm|PM2.5 (µg/m³)|PM10 (µg/m³)|NO2 (µg/m³)|VN_AQI"), {}, {}};
  Rng rng(2411);
  for (int s = 0; s < 2; ++s) {
    for (int h = 0; h < 24; ++h) {
      bool rush = (h >= 6 && h <= 8) || (h >= 16 && h <= 19);
      double f = rush ? 1.6 : h <= 4 ? 0.7 : 1.0;
      double pm25 = kBase[s] * f * rng.Real(0.85, 1.15);
      t.rows.push_back({"2024-11-15T" + Two(h) + ":00:00+07:00", kStations[s], Fixed(pm25, 1),
                        Fixed(pm25 * rng.Real(1.5, 1.9), 1),
                        Fixed(kNo2[s] * f * rng.Real(0.8, 1.2), 1), Num(AqiPm25(pm25))});
    }
  }
  return t;
}

Table MakeBudget() {
  Table t = Rows("STT|Nội dung|Dự toán năm 2025 (triệu đồng)|Ước thực hiện năm 2024 (triệu đồng)",
                 {"A|TỔNG THU NGÂN SÁCH NHÀ NƯỚC TRÊN ĐỊA BÀN|13500000|12900000",
                  "I|Thu nội địa|11800000|11250000",
                  "1|Thu từ doanh nghiệp nhà nước|820000|790000",
                  "2|Thu từ doanh nghiệp có vốn đầu tư nước ngoài|2150000|2080000",
                  "3|Thu từ khu vực kinh tế ngoài quốc doanh|2300000|2140000",
                  "4|Thuế thu nhập cá nhân|780000|735000",
                  "5|Thu tiền sử dụng đất|3200000|3050000",
                  "6|Các khoản thu nội địa khác|2550000|2455000",
                  "II|Thu từ hoạt động xuất khẩu, nhập khẩu|1700000|1650000",
                  "B|TỔNG CHI NGÂN SÁCH ĐỊA PHƯƠNG|16200000|15400000",
                  "I|Chi đầu tư phát triển|6100000|5750000",
                  "II|Chi thường xuyên|9650000|9220000",
                  "1|Chi sự nghiệp giáo dục - đào tạo và dạy nghề|3420000|3260000",
                  "2|Chi sự nghiệp y tế, dân số và gia đình|1180000|1120000",
                  "3|Chi sự nghiệp văn hóa, thể thao và du lịch|410000|392000",
                  "4|Chi sự nghiệp bảo vệ môi trường|265000|248000",
                  "5|Chi quản lý hành chính|1850000|1790000",
                  "6|Chi sự nghiệp kinh tế|1395000|1330000",
                  "7|Chi khác thuộc chi thường xuyên|1130000|1080000",
                  "III|Chi trả lãi các khoản vay|130000|130000",
                  "IV|Dự phòng ngân sách|320000|300000"},
                 {0});
  t.header.push_back("Dự toán 2025 so với ước thực hiện 2024 (%)");
  for (auto& r : t.rows) r.push_back(Fixed(100.0 * *ParseDouble(r[2]) / *ParseDouble(r[3]), 1));
  return t;
}

Table MakeTourism() {
  const double kIntl[] = {1.1, 1.2, 1.3, 1.2, 0.9, 0.8, 0.8, 0.8, 0.6, 0.5, 0.7, 0.9};
  const double kDomestic[] = {0.8, 1.0, 0.9, 1.1, 1.3, 1.5, 1.4, 1.2, 0.7, 0.6, 0.6, 0.8};
  Table t{Split("Năm|Tháng|Khách quốc tế (lượt)|Khách nội địa (lượt)|Tổng lượt khách|"
                "Khách lưu trú (lượt)|Tổng thu từ du lịch (tỷ đồng)"),
          {},
          {}};
  Rng rng(1993);
  for (int year = 2023; year <= 2024; ++year) {
    double growth = year == 2023 ? 1.0 : 1.15;
    for (int m = 0; m < 12; ++m) {
      auto intl = std::lround(65000 * growth * kIntl[m] * rng.Real(0.9, 1.1));
      auto dom = std::lround(190000 * growth * kDomestic[m] * rng.Real(0.9, 1.1));
      t.rows.push_back({Num(year), Num(m + 1), Num(intl), Num(dom), Num(intl + dom),
                        Num(std::lround((intl + dom) * rng.Real(0.5, 0.6))),
                        Fixed((intl * 2.1e6 + dom * 1.3e6) / 1e9, 1)});
    }
  }
  return t;
}

Table MakeMonuments() {
  return Rows(
      "Tên di tích|Loại hình|Cấp xếp hạng|Địa bàn|Vĩ độ|Kinh độ",
      {"Hoàng thành Huế (Đại Nội)|Kiến trúc nghệ thuật|Quốc gia đặc biệt|Thành phố Huế|"
       "16.46980|107.57860",
       "Lăng vua Minh Mạng|Kiến trúc nghệ thuật|Quốc gia đặc biệt|Thị xã Hương Trà|"
       "16.38700|107.57000",
       "Lăng vua Tự Đức|Kiến trúc nghệ thuật|Quốc gia đặc biệt|Thành phố Huế|16.43300|107.56300",
       "Lăng vua Khải Định|Kiến trúc nghệ thuật|Quốc gia đặc biệt|Thị xã Hương Thủy|"
       "16.39900|107.59000",
       "Đàn Nam Giao|Kiến trúc nghệ thuật|Quốc gia đặc biệt|Thành phố Huế|16.44300|107.58600",
       "Điện Hòn Chén|Kiến trúc nghệ thuật|Quốc gia đặc biệt|Thị xã Hương Trà|16.42400|107.54600",
       "Hổ Quyền|Lịch sử|Quốc gia đặc biệt|Thành phố Huế|16.43900|107.55000",
       "Chùa Thiên Mụ|Kiến trúc nghệ thuật|Quốc gia|Thành phố Huế|16.45360|107.54480",
       "Chùa Từ Hiếu|Kiến trúc nghệ thuật|Quốc gia|Thành phố Huế|16.44300|107.57200",
       "Cầu ngói Thanh Toàn|Kiến trúc nghệ thuật|Quốc gia|Thị xã Hương Thủy|16.48800|107.63900",
       "Thành Hóa Châu|Khảo cổ|Quốc gia|Huyện Quảng Điền|16.54000|107.59000",
       "Sân bay A So|Lịch sử|Quốc gia|Huyện A Lưới|16.13000|107.34000",
       "Nhà vườn An Hiên|Kiến trúc nghệ thuật|Cấp tỉnh|Thành phố Huế|16.46200|107.55600",
       "Đầm Lập An|Danh lam thắng cảnh|Cấp tỉnh|Huyện Phú Lộc|16.25000|108.03000"});
}

Table MakeFestivals() {
  return Rows(
      "Tên lễ hội|Thời gian tổ chức|Địa bàn|Loại hình|Quy mô",
      {"Festival Huế|Tháng 4 – tháng 6, hai năm một lần|Thành phố Huế|Văn hóa - nghệ thuật|Quốc tế",
       "Festival Nghề truyền thống Huế|Tháng 6, năm lẻ|Thành phố Huế|Lễ hội nghề|Quốc gia",
       "Lễ tế Đàn Nam Giao|Tháng 2 âm lịch|Thành phố Huế|Lễ hội cung đình|Tỉnh",
       "Lễ hội Điện Hòn Chén|Tháng 3 và tháng 7 âm lịch|Thị xã Hương Trà|Tín ngưỡng|Tỉnh",
       "Lễ hội vật làng Sình|Mồng 10 tháng Giêng âm lịch|Huyện Phú Vang|Dân gian|Địa phương",
       "Lễ hội cầu ngư Thuận An|Tháng Giêng âm lịch|Huyện Phú Vang|Dân gian|Địa phương",
       "Đua ghe truyền thống trên sông Hương|Ngày 2 tháng 9|Thành phố Huế|Thể thao dân gian|Tỉnh",
       "Đại lễ Phật đản|Rằm tháng 4 âm lịch|Thành phố Huế|Tôn giáo|Tỉnh",
       "Lễ hội Aza Koonh|Tháng 3|Huyện A Lưới|Lễ hội dân tộc thiểu số|Địa phương",
       "Lễ hội làng cổ Phước Tích|Tháng 6 âm lịch|Thị xã Phong Điền|Dân gian|Địa phương"});
}

Table MakeDishes() {
  return Rows(
      "Tên món|Nhóm món|Nguyên liệu chính|Nơi thưởng thức tiêu biểu|"
      "Giá thấp nhất (đồng)|Giá cao nhất (đồng)",
      {"Bún bò Huế|Món nước|Bún, thịt bò, giò heo, sả, mắm ruốc|Thành phố Huế|35000|60000",
       "Cơm hến|Món cơm|Cơm nguội, hến, bánh tráng, rau thơm|Cồn Hến, thành phố Huế|15000|25000",
       "Bánh bèo|Bánh|Bột gạo, tôm chấy, tóp mỡ, nước mắm|Thành phố Huế|25000|40000",
       "Bánh nậm|Bánh|Bột gạo, tôm, thịt, lá dong|Thành phố Huế|25000|40000",
       "Bánh bột lọc|Bánh|Bột năng, tôm, thịt ba chỉ|Thành phố Huế|25000|40000",
       "Bánh khoái|Bánh|Bột gạo, trứng, tôm, thịt, giá, nước lèo|Thành phố Huế|30000|50000",
       "Bánh ướt thịt nướng|Bánh|Bánh ướt, thịt heo nướng, rau sống|Thành phố Huế|25000|40000",
       "Nem lụi|Món nướng|Thịt heo xay, sả, bánh tráng, nước lèo|Thành phố Huế|40000|70000",
       "Bánh canh Nam Phổ|Món nước|Bột gạo, cua, tôm, ruốc|Huyện Phú Vang|20000|35000",
       "Bánh canh cá lóc|Món nước|Bột gạo, cá lóc, hành phi|Thị xã Hương Thủy|20000|35000",
       "Cá dìa kho|Món mặn|Cá dìa, tiêu, nước mắm|Ven phá Tam Giang|80000|150000",
       "Chè bột lọc heo quay|Chè|Bột năng, thịt heo quay, đường phèn|Thành phố Huế|15000|25000",
       "Chè hạt sen|Chè|Hạt sen, long nhãn, đường phèn|Thành phố Huế|15000|30000",
       "Tré|Đặc sản|Thịt heo, tai heo, riềng, lá ổi|Thành phố Huế|50000|120000",
       "Mè xửng|Đặc sản|Mạch nha, mè, đậu phộng|Thành phố Huế|40000|80000"});
}

Table MakeBusRoutes() {
  return Rows(
      "Số hiệu tuyến|Điểm đầu|Điểm cuối|Cự ly (km)|Giãn cách (phút)|"
      "Thời gian hoạt động|Giá vé lượt (đồng)",
      {"01|Bến xe phía Nam|Thị trấn Sịa|27|20|05:30–18:30|20000",
       "02|Bến xe phía Bắc|Thị trấn Thuận An|16|15|05:30–19:00|15000",
       "03|Bến xe phía Nam|Cảng hàng không Phú Bài|15|30|05:00–20:00|15000",
       "04|Chợ Đông Ba|Thị trấn Phong Điền|33|30|05:30–18:00|25000",
       "05|Bến xe phía Nam|Thị trấn Phú Lộc|45|30|05:30–18:00|30000",
       "06|Chợ Đông Ba|Thị trấn Lăng Cô|65|45|05:30–17:30|40000",
       "07|Bến xe phía Bắc|Thị trấn A Lưới|70|60|05:30–16:30|50000",
       "08|Bến xe phía Nam|Thị trấn Khe Tre|50|60|05:30–17:00|35000",
       "09|Chợ Đông Ba|Khu đô thị An Vân Dương|10|15|05:30–20:00|10000",
       "10|Ga Huế|Bãi biển Thuận An|14|20|05:30–20:00|15000",
       "11|Bến xe phía Bắc|Phường Tứ Hạ|14|20|05:30–19:00|15000",
       "12|Ga Huế|Lăng vua Minh Mạng|13|30|06:00–18:00|10000"},
      {0});
}

Table MakeRice() {
  Table t{Split("Vụ|Năm|Mã đơn vị|Đơn vị|Diện tích gieo cấy (ha)|Năng suất (tạ/ha)|"
                "Sản lượng (tấn)"),
          {},
          {2}};
  Rng rng(2025);
  for (int season = 0; season < 2; ++season) {
    for (int i = 0; i < 9; ++i) {
      const District& d = kDistricts[i];
      double area = d.rice_ha * (season ? rng.Real(0.9, 0.98) : rng.Real(0.98, 1.02));
      double yield = i >= kRemote ? rng.Real(42, 50) : season ? rng.Real(55, 62) : rng.Real(60, 68);
      t.rows.push_back({season ? "Hè Thu" : "Đông Xuân", "2024", d.code, DistrictName(d),
                        Fixed(area, 1), Fixed(yield, 1), Num(std::lround(area * yield / 10))});
    }
  }
  return t;
}

Table MakeFieldReports() {
  const char* const kFields[] = {"Giao thông", "Vệ sinh môi trường", "Trật tự đô thị",
                                 "Điện chiếu sáng", "Cấp thoát nước"};
  const int kBase[] = {420, 350, 380, 160, 210};
  Table t{Split("Năm|Tháng|Lĩnh vực|Số phản ánh tiếp nhận|Số phản ánh đã xử lý|"
                "Tỷ lệ xử lý đúng hạn (%)|Thời gian xử lý trung bình (giờ)"),
          {},
          {}};
  Rng rng(1022);
  for (int m = 1; m <= 12; ++m) {
    for (int f = 0; f < 5; ++f) {
      int received = (m >= 9 && m <= 11 ? kBase[f] * 13 / 10 : kBase[f]) + rng.Int(-60, 60);
      int done = received - rng.Int(0, received / 25);
      t.rows.push_back({"2024", Num(m), kFields[f], Num(received), Num(done),
                        Fixed(rng.Real(88, 98.5), 1), Fixed(rng.Real(18, 60), 1)});
    }
  }
  return t;
}

struct OrgSpec {
  const char* slug;
  const char* parent;  // slug; "" for a top-level agency
  const char* title_vi;
  const char* title_en;
  const char* description_vi;
  const char* description_en;
  const char* email;
  const char* contact;  // named as the contact of the organization's datasets
};
const OrgSpec kOrgs[] = {
    {.slug = "so-giao-duc-dao-tao",
     .parent = "",
     .title_vi = "Sở Giáo dục và Đào tạo",
     .title_en = "Department of Education and Training",
     .description_vi = "Quản lý nhà nước về giáo dục mầm non, giáo dục phổ thông, giáo dục thường "
                       "xuyên và đào tạo.",
     .description_en = "Preschool, general and continuing education and training.",
     .email = "sgddt@hue.gov.vn",
     .contact = "Phòng Kế hoạch - Tài chính, Sở Giáo dục và Đào tạo"},
    {.slug = "so-y-te",
     .parent = "",
     .title_vi = "Sở Y tế",
     .title_en = "Department of Health",
     .description_vi = "Quản lý nhà nước về y tế dự phòng, khám bệnh, chữa bệnh, dược, an toàn "
                       "thực phẩm và dân số.",
     .description_en =
         "Public health, medical services, pharmaceuticals, food safety and population.",
     .email = "syt@hue.gov.vn",
     .contact = "Phòng Nghiệp vụ Y, Sở Y tế"},
    {.slug = "so-tai-nguyen-moi-truong",
     .parent = "",
     .title_vi = "Sở Tài nguyên và Môi trường",
     .title_en = "Department of Natural Resources and Environment",
     .description_vi =
         "Quản lý đất đai, tài nguyên nước, khoáng sản, khí tượng thủy văn và bảo vệ môi trường.",
     .description_en = "Land, water, minerals, hydro-meteorology and environmental protection.",
     .email = "stnmt@hue.gov.vn",
     .contact = "Chi cục Bảo vệ môi trường"},
    {.slug = "trung-tam-quan-trac-moi-truong",
     .parent = "so-tai-nguyen-moi-truong",
     .title_vi = "Trung tâm Quan trắc tài nguyên và môi trường",
     .title_en = "Environmental Monitoring Centre",
     .description_vi =
         "Đơn vị trực thuộc Sở Tài nguyên và Môi trường, vận hành các trạm quan trắc tự động.",
     .description_en =
         "Runs the automatic monitoring stations of the Department of Natural Resources and "
         "Environment.",
     .email = "quantrac@hue.gov.vn",
     .contact = "Phòng Quan trắc môi trường"},
    {.slug = "so-tai-chinh",
     .parent = "",
     .title_vi = "Sở Tài chính",
     .title_en = "Department of Finance",
     .description_vi =
         "Ngân sách nhà nước, tài sản công, giá và đầu tư công; công khai ngân sách địa phương.",
     .description_en =
         "State budget, public assets, prices and public investment; publishes the local budget.",
     .email = "stc@hue.gov.vn",
     .contact = "Phòng Quản lý ngân sách, Sở Tài chính"},
    {.slug = "so-van-hoa-the-thao",
     .parent = "",
     .title_vi = "Sở Văn hóa và Thể thao",
     .title_en = "Department of Culture and Sports",
     .description_vi =
         "Quản lý di sản văn hóa, nghệ thuật biểu diễn, lễ hội, thư viện và thể dục thể thao.",
     .description_en = "Cultural heritage, performing arts, festivals, libraries and sports.",
     .email = "svhtt@hue.gov.vn",
     .contact = "Phòng Quản lý di sản, Sở Văn hóa và Thể thao"},
    {.slug = "so-du-lich",
     .parent = "",
     .title_vi = "Sở Du lịch",
     .title_en = "Department of Tourism",
     .description_vi =
         "Quản lý nhà nước về du lịch; thống kê khách du lịch, cơ sở lưu trú và quảng bá điểm đến.",
     .description_en = "Tourism: visitor statistics, accommodation and destination promotion.",
     .email = "sdl@hue.gov.vn",
     .contact = "Phòng Quản lý lữ hành, Sở Du lịch"},
    {.slug = "cuc-thong-ke",
     .parent = "",
     .title_vi = "Cục Thống kê tỉnh",
     .title_en = "Provincial Statistics Office",
     .description_vi =
         "Thu thập và phổ biến thông tin thống kê kinh tế - xã hội; biên soạn niên giám thống kê.",
     .description_en = "Socio-economic statistics and the provincial statistical yearbook.",
     .email = "ctk@hue.gov.vn",
     .contact = "Phòng Thống kê tổng hợp"},
    {.slug = "so-giao-thong-van-tai",
     .parent = "",
     .title_vi = "Sở Giao thông vận tải",
     .title_en = "Department of Transport",
     .description_vi =
         "Quản lý hạ tầng giao thông, vận tải hành khách công cộng và an toàn giao thông.",
     .description_en = "Transport infrastructure, public passenger transport and road safety.",
     .email = "sgtvt@hue.gov.vn",
     .contact = "Phòng Quản lý vận tải, Sở Giao thông vận tải"},
    {.slug = "so-nong-nghiep-ptnt",
     .parent = "",
     .title_vi = "Sở Nông nghiệp và Phát triển nông thôn",
     .title_en = "Department of Agriculture and Rural Development",
     .description_vi =
         "Quản lý trồng trọt, chăn nuôi, thủy sản, lâm nghiệp, thủy lợi và phát triển nông thôn.",
     .description_en = "Crops, livestock, fisheries, forestry, irrigation and rural development.",
     .email = "snnptnt@hue.gov.vn",
     .contact = "Chi cục Trồng trọt và Bảo vệ thực vật"},
    {.slug = "trung-tam-ioc",
     .parent = "",
     .title_vi = "Trung tâm Giám sát, điều hành đô thị thông minh",
     .title_en = "Intelligent Operations Centre (IOC)",
     .description_vi =
         "Tiếp nhận, điều phối xử lý phản ánh hiện trường; giám sát giao thông và dịch vụ đô thị.",
     .description_en = "Handles citizens' field reports; monitors traffic and city services.",
     .email = "ioc@hue.gov.vn",
     .contact = "Phòng Giám sát và điều hành"},
};

enum class Finish { kDraft, kPending, kPublished };

// Lists are '|'-separated ("y-te|thong-ke").
struct DatasetSpec {
  const char* slug;
  const char* organization;
  const char* title_vi;
  const char* title_en;
  const char* description_vi;  // Markdown
  const char* description_en;
  const char* sectors;
  const char* topics;
  const char* tags;
  const char* license;
  const char* access;
  const char* frequency;
  const char* temporal_start;
  const char* temporal_end;
  Table (*make)();
  const char* csv_filename;
  const char* json_filename = nullptr;  // nullptr: no JSON copy
  const char* link = nullptr;           // "name|format|url" of a link resource; nullptr: none
  Finish finish;
  const char* spatial;  // administrative-unit codes
};

constexpr Finish kPublished = Finish::kPublished;
const DatasetSpec kDatasets[] = {
    {.slug = "danh-sach-truong-trung-hoc",
     .organization = "so-giao-duc-dao-tao",
     .title_vi = "Danh sách trường trung học cơ sở và trung học phổ thông",
     .title_en = "Secondary schools",
     .description_vi =
         "Các trường **THCS** và **THPT** công lập năm học 2024-2025: mã trường, địa chỉ, số lớp, "
         "số học sinh và số giáo viên.",
     .description_en = "Public lower and upper secondary schools in 2024-2025, with classes, "
                       "pupils and teachers.",
     .sectors = "giao-duc-dao-tao",
     .topics = "giao-duc-va-dao-tao",
     .tags = "trường học|giáo dục|trung học phổ thông|học sinh",
     .license = "cc-by",
     .access = "public",
     .frequency = "annual",
     .temporal_start = "2024-09-05",
     .temporal_end = "2025-05-31",
     .make = MakeSchools,
     .csv_filename = "Danh sách trường học.csv",
     .json_filename = "Danh sách trường học.json",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "co-so-kham-chua-benh",
     .organization = "so-y-te",
     .title_vi = "Danh sách cơ sở khám bệnh, chữa bệnh",
     .title_en = "Hospitals and medical facilities",
     .description_vi =
         "Bệnh viện, trung tâm y tế và phòng khám đa khoa đang hoạt động:\n\n"
         "- loại hình (công lập / tư nhân) và tuyến;\n- địa chỉ, điện thoại, tọa độ;\n"
         "- số giường bệnh.",
     .description_en =
         "Hospitals, district health centres and polyclinics with type, beds and coordinates.",
     .sectors = "y-te",
     .topics = "benh-vien-tu-nhan",
     .tags = "bệnh viện|y tế|cơ sở y tế|giường bệnh",
     .license = "odc-by",
     .access = "public",
     .frequency = "semiannual",
     .temporal_start = "2025-01-01",
     .temporal_end = "2025-06-30",
     .make = MakeHealthFacilities,
     .csv_filename = "Cơ sở khám chữa bệnh.csv",
     .link = "Tra cứu cơ sở khám chữa bệnh trên trang Sở Y tế|HTML|"
             "https://syt.hue.gov.vn/tra-cuu/co-so-kham-chua-benh",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "sot-xuat-huyet-theo-tuan",
     .organization = "so-y-te",
     .title_vi = "Số ca mắc sốt xuất huyết theo tuần",
     .title_en = "Weekly dengue fever cases",
     .description_vi =
         "Ca mắc, ca nặng và tử vong do sốt xuất huyết theo tuần dịch tễ và đơn vị hành chính, mùa "
         "dịch 2024. Dành cho người dùng đã đăng ký.",
     .description_en =
         "Dengue cases, severe cases and deaths per epidemiological week and district, 2024.",
     .sectors = "y-te",
     .topics = "",
     .tags = "sốt xuất huyết|dịch bệnh|y tế dự phòng",
     .license = "cc-by",
     .access = "registered",
     .frequency = "weekly",
     .temporal_start = "2024-09-02",
     .temporal_end = "2024-09-29",
     .make = MakeDengue,
     .csv_filename = "Ca mắc sốt xuất huyết theo tuần.csv",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "luong-mua-thang-2024",
     .organization = "so-tai-nguyen-moi-truong",
     .title_vi = "Lượng mưa tháng tại các trạm khí tượng thủy văn năm 2024",
     .title_en = "Monthly rainfall, 2024",
     .description_vi =
         "Tổng lượng mưa, số ngày mưa và lượng mưa ngày lớn nhất theo tháng tại bốn trạm. Mùa mưa "
         "tập trung từ **tháng 9 đến tháng 12**.",
     .description_en = "Monthly rainfall, rainy days and maximum daily rainfall at four stations.",
     .sectors = "tai-nguyen-moi-truong",
     .topics = "",
     .tags = "lượng mưa|khí tượng thủy văn|thời tiết",
     .license = "cc-zero",
     .access = "public",
     .frequency = "monthly",
     .temporal_start = "2024-01-01",
     .temporal_end = "2024-12-31",
     .make = MakeRainfall,
     .csv_filename = "Lượng mưa tháng 2024.csv",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "chat-luong-khong-khi",
     .organization = "trung-tam-quan-trac-moi-truong",
     .title_vi = "Chất lượng không khí tại các trạm quan trắc tự động",
     .title_en = "Air quality, automatic stations",
     .description_vi = "PM2.5, PM10, NO2 trung bình giờ và chỉ số **VN_AQI** theo PM2.5. Tệp CSV "
                       "là bản trích một "
                       "ngày; dữ liệu thời gian thực lấy qua API.",
     .description_en =
         "Hourly PM2.5, PM10 and NO2 with the VN_AQI index; the CSV is a one-day extract.",
     .sectors = "tai-nguyen-moi-truong",
     .topics = "",
     .tags = "không khí|quan trắc|bụi mịn|môi trường",
     .license = "odc-odbl",
     .access = "public",
     .frequency = "realtime",
     .temporal_start = "2024-11-15",
     .temporal_end = "2024-11-15",
     .make = MakeAirQuality,
     .csv_filename = "Quan trắc không khí ngày 15-11-2024.csv",
     .link = "API dữ liệu quan trắc thời gian thực|"
             "JSON|https://quantrac.hue.gov.vn/api/khong-khi/hien-tai.json",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "du-toan-ngan-sach-2025",
     .organization = "so-tai-chinh",
     .title_vi = "Dự toán thu, chi ngân sách địa phương năm 2025",
     .title_en = "Local budget estimates 2025",
     .description_vi = "Công khai dự toán thu ngân sách nhà nước trên địa bàn và chi ngân sách địa "
                       "phương năm 2025, "
                       "so với ước thực hiện năm 2024. Đơn vị: triệu đồng.",
     .description_en =
         "Revenue and expenditure estimates for 2025 against the 2024 outturn (VND million).",
     .sectors = "kinh-te-tai-chinh",
     .topics = "kinh-te-xa-hoi",
     .tags = "ngân sách|tài chính công|dự toán",
     .license = "cc-by",
     .access = "public",
     .frequency = "annual",
     .temporal_start = "2025-01-01",
     .temporal_end = "2025-12-31",
     .make = MakeBudget,
     .csv_filename = "Dự toán ngân sách 2025.csv",
     .json_filename = "Dự toán ngân sách 2025.json",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "dan-so-dien-tich-don-vi-hanh-chinh",
     .organization = "cuc-thong-ke",
     .title_vi = "Diện tích, dân số và mật độ dân số theo đơn vị hành chính",
     .title_en = "Area, population and density by administrative unit",
     .description_vi =
         "Số liệu năm 2024 theo mã đơn vị hành chính cấp tỉnh và cấp huyện, kèm số đơn vị cấp xã.",
     .description_en = "2024 area, average population and density by province and district code.",
     .sectors = "thong-ke|dan-cu-lao-dong",
     .topics = "ma-dinh-danh|kinh-te-xa-hoi",
     .tags = "dân số|diện tích|đơn vị hành chính|niên giám thống kê",
     .license = "cc-zero",
     .access = "public",
     .frequency = "annual",
     .temporal_start = "2024-01-01",
     .temporal_end = "2024-12-31",
     .make = MakeAdminUnits,
     .csv_filename = "Dân số và diện tích 2024.csv",
     .finish = kPublished,
     .spatial = "46|474|476|477|478|479|480|481|482|483"},
    {.slug = "luot-khach-du-lich-theo-thang",
     .organization = "so-du-lich",
     .title_vi = "Lượt khách du lịch và doanh thu theo tháng",
     .title_en = "Monthly tourist arrivals and revenue",
     .description_vi =
         "Lượt khách quốc tế, nội địa, khách lưu trú và tổng thu từ du lịch theo tháng, 2023–2024.",
     .description_en =
         "International and domestic arrivals, overnight guests and tourism revenue, 2023-2024.",
     .sectors = "thuong-mai-dich-vu-du-lich",
     .topics = "kinh-te-xa-hoi",
     .tags = "du lịch|khách quốc tế|lưu trú",
     .license = "cc-by",
     .access = "public",
     .frequency = "monthly",
     .temporal_start = "2023-01-01",
     .temporal_end = "2024-12-31",
     .make = MakeTourism,
     .csv_filename = "Khách du lịch theo tháng 2023-2024.csv",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "di-tich-lich-su-van-hoa",
     .organization = "so-van-hoa-the-thao",
     .title_vi = "Danh mục di tích lịch sử - văn hóa đã xếp hạng",
     .title_en = "Ranked historical and cultural sites",
     .description_vi =
         "Di tích xếp hạng cấp quốc gia đặc biệt, cấp quốc gia và cấp tỉnh, kèm tọa độ để hiển thị "
         "trên bản đồ.",
     .description_en =
         "Ranked monuments (special national, national and provincial) with coordinates.",
     .sectors = "van-hoa-xa-hoi",
     .topics = "van-hoa-dia-diem",
     .tags = "di tích|di sản|cố đô|văn hóa",
     .license = "cc-by",
     .access = "public",
     .frequency = "irregular",
     .temporal_start = "",
     .temporal_end = "",
     .make = MakeMonuments,
     .csv_filename = "Di tích đã xếp hạng.csv",
     .json_filename = "Di tích đã xếp hạng.json",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "le-hoi-truyen-thong",
     .organization = "so-van-hoa-the-thao",
     .title_vi = "Lịch lễ hội truyền thống",
     .title_en = "Calendar of traditional festivals",
     .description_vi =
         "Các lễ hội truyền thống và lễ hội văn hóa lớn: thời gian, địa bàn, loại hình và quy mô.",
     .description_en = "Traditional and cultural festivals: dates, place, type and scale.",
     .sectors = "van-hoa-xa-hoi",
     .topics = "van-hoa-le-hoi",
     .tags = "lễ hội|festival|văn hóa",
     .license = "cc-by",
     .access = "public",
     .frequency = "annual",
     .temporal_start = "2025-01-01",
     .temporal_end = "2025-12-31",
     .make = MakeFestivals,
     .csv_filename = "Lịch lễ hội 2025.csv",
     .finish = Finish::kPending,
     .spatial = "46"},
    {.slug = "mon-an-dac-san",
     .organization = "so-du-lich",
     .title_vi = "Danh mục món ăn đặc sản địa phương",
     .title_en = "Local specialty dishes",
     .description_vi = "Món ăn tiêu biểu của ẩm thực xứ Huế — món nước, bánh, chè và đặc sản làm "
                       "quà — với nguyên "
                       "liệu chính và giá tham khảo.",
     .description_en =
         "Signature dishes of Huế cuisine with main ingredients and indicative prices.",
     .sectors = "thuong-mai-dich-vu-du-lich|van-hoa-xa-hoi",
     .topics = "van-hoa-am-thuc",
     .tags = "ẩm thực|món ăn|đặc sản|du lịch",
     .license = "cc-by",
     .access = "public",
     .frequency = "irregular",
     .temporal_start = "",
     .temporal_end = "",
     .make = MakeDishes,
     .csv_filename = "Món ăn đặc sản.csv",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "tuyen-xe-buyt-noi-tinh",
     .organization = "so-giao-thong-van-tai",
     .title_vi = "Mạng lưới tuyến xe buýt nội tỉnh",
     .title_en = "Intra-provincial bus routes",
     .description_vi = "Các tuyến xe buýt đang khai thác: điểm đầu, điểm cuối, cự ly, giãn cách, "
                       "giờ hoạt động và "
                       "giá vé. Lịch trình chi tiết theo chuẩn **GTFS**.",
     .description_en =
         "Bus routes with termini, length, headway, hours and fares; timetables as GTFS.",
     .sectors = "giao-thong-van-tai",
     .topics = "",
     .tags = "xe buýt|giao thông công cộng|vận tải",
     .license = "odc-by",
     .access = "public",
     .frequency = "quarterly",
     .temporal_start = "2025-01-01",
     .temporal_end = "2025-03-31",
     .make = MakeBusRoutes,
     .csv_filename = "Tuyến xe buýt.csv",
     .link = "Lịch trình xe buýt (GTFS)|GTFS|"
             "https://sgtvt.hue.gov.vn/du-lieu/gtfs/xe-buyt-noi-tinh.zip",
     .finish = kPublished,
     .spatial = "46"},
    {.slug = "dien-tich-nang-suat-lua-2024",
     .organization = "so-nong-nghiep-ptnt",
     .title_vi = "Diện tích, năng suất và sản lượng lúa năm 2024",
     .title_en = "Rice area, yield and production 2024",
     .description_vi = "Diện tích gieo cấy, năng suất và sản lượng lúa vụ Đông Xuân và vụ Hè Thu "
                       "theo đơn vị hành "
                       "chính. *Bản nháp, đang rà soát số liệu.*",
     .description_en =
         "Rice area, yield and production for the two 2024 seasons, by district (draft).",
     .sectors = "nong-nghiep",
     .topics = "kinh-te-xa-hoi",
     .tags = "lúa|nông nghiệp|sản lượng|mùa vụ",
     .license = "cc-by",
     .access = "public",
     .frequency = "semiannual",
     .temporal_start = "2024-01-01",
     .temporal_end = "2024-12-31",
     .make = MakeRice,
     .csv_filename = "Sản xuất lúa 2024.csv",
     .finish = Finish::kDraft,
     .spatial = "46"},
    {.slug = "phan-anh-hien-truong-2024",
     .organization = "trung-tam-ioc",
     .title_vi = "Tổng hợp phản ánh hiện trường của người dân năm 2024",
     .title_en = "Citizen field reports, 2024",
     .description_vi =
         "Số phản ánh tiếp nhận qua ứng dụng công dân số, số đã xử lý, tỷ lệ đúng hạn và thời gian "
         "xử lý trung bình theo tháng và lĩnh vực. **Chỉ sử dụng nội bộ.**",
     .description_en =
         "Field reports received and resolved per month and field (internal use only).",
     .sectors = "hanh-chinh-phap-luat",
     .topics = "",
     .tags = "phản ánh hiện trường|đô thị thông minh|dịch vụ công",
     .license = "other",
     .access = "internal",
     .frequency = "monthly",
     .temporal_start = "2024-01-01",
     .temporal_end = "2024-12-31",
     .make = MakeFieldReports,
     .csv_filename = "Phản ánh hiện trường 2024.csv",
     .finish = kPublished,
     .spatial = "46"},
};

// Stores `data` as a blob and attaches it to `dataset` as an uploaded file.
Status AttachFile(CatalogService& svc, store::BlobStore& blobs, const access::Principal& admin,
                  const std::string& dataset, const std::string& filename,
                  const std::string& mimetype, const std::string& data,
                  const std::string& description) {
  ODP_ASSIGN_OR_RETURN(store::BlobInfo info, blobs.Put(data));
  ResourceInput in;
  in.name = filename.substr(0, filename.rfind('.'));
  in.description = description;
  return svc.AddResource(admin, dataset, in, UploadedFile{info, filename, mimetype, {}}).status();
}

// Appended to every description: the figures are made up.
const char kNoteVi[] =
    "\n\n*Dữ liệu minh họa do hệ thống tạo tự động, không phải số liệu chính thức.*";
const char kNoteEn[] =
    "\n\n*Illustrative data generated by the demo loader, not official figures.*";

Status LoadDataset(CatalogService& svc, store::BlobStore& blobs, const access::Principal& admin,
                   const DatasetSpec& s) {
  const OrgSpec* org = nullptr;
  for (const OrgSpec& o : kOrgs) {
    if (std::string_view(o.slug) == s.organization) org = &o;
  }
  if (org == nullptr) {
    return Status::Internal(std::string("demo: no organization ") + s.organization);
  }
  DatasetInput in;
  in.slug = s.slug;
  in.title_vi = s.title_vi;
  in.title_en = s.title_en;
  in.description_vi = s.description_vi + std::string(kNoteVi);
  in.description_en = s.description_en + std::string(kNoteEn);
  in.organization = s.organization;
  in.sectors = Split(s.sectors);
  in.topics = Split(s.topics);
  in.tags = Split(s.tags);
  in.license_id = s.license;
  in.access = s.access;
  in.update_frequency = s.frequency;
  in.temporal_start = s.temporal_start;
  in.temporal_end = s.temporal_end;
  in.spatial = Split(s.spatial);
  in.contact_name = org->contact;
  in.contact_email = org->email;
  ODP_RETURN_IF_ERROR(svc.CreateDataset(admin, in).status());

  Table table = s.make();
  std::string rows = std::to_string(table.rows.size()) + " dòng dữ liệu.";
  ODP_RETURN_IF_ERROR(AttachFile(svc, blobs, admin, s.slug, s.csv_filename, "text/csv",
                                 ToCsv(table), "Tệp CSV (UTF-8, dấu phẩy phân cách), " + rows));
  if (s.json_filename != nullptr) {
    ODP_RETURN_IF_ERROR(AttachFile(svc, blobs, admin, s.slug, s.json_filename, "application/json",
                                   ToJson(table),
                                   "Cùng dữ liệu dạng JSON (mảng đối tượng), " + rows));
  }
  if (s.link != nullptr) {
    std::vector<std::string> parts = Split(s.link);
    ResourceInput link;
    link.name = parts[0];
    link.format = parts[1];  // the service would guess it from the URL's last dot
    link.url = parts[2];
    ODP_RETURN_IF_ERROR(svc.AddResource(admin, s.slug, link, std::nullopt).status());
  }
  if (s.finish == Finish::kDraft) return Status::Ok();
  // The administrator publishes a draft directly: a submission would need another reviewer.
  if (s.finish == Finish::kPending) {
    return svc.Transition(admin, s.slug, access::Action::kSubmitDataset, "").status();
  }
  return svc.Transition(admin, s.slug, access::Action::kPublishDataset, "").status();
}

}  // namespace

Status LoadDemo(catalog::CatalogService& catalog, store::BlobStore& blobs,
                const access::Principal& admin) {
  for (const OrgSpec& o : kOrgs) {
    OrganizationInput in;
    in.slug = o.slug;
    in.title_vi = o.title_vi;
    in.title_en = o.title_en;
    in.description_vi = o.description_vi;
    in.description_en = o.description_en;
    in.email = o.email;
    if (*o.parent != '\0') in.parent = o.parent;
    ODP_RETURN_IF_ERROR(catalog.CreateOrganization(admin, in).status());
  }
  for (const DatasetSpec& s : kDatasets) ODP_RETURN_IF_ERROR(LoadDataset(catalog, blobs, admin, s));
  return Status::Ok();
}

catalog::SiteSettings DemoSiteSettings() {
  catalog::SiteSettings s;
  s.title_vi = "Cổng dữ liệu mở thành phố Huế (dữ liệu mẫu)";
  s.title_en = "Hue City Open Data Portal (demo)";
  s.province_vi = "Thành phố Huế";
  s.province_en = "Hue City";
  s.tagline_vi =
      "Dữ liệu mở của các sở, ban, ngành thành phố Huế, miễn phí cho mọi người (dữ liệu mẫu)";
  s.tagline_en = "Open data from Hue City's departments, free for everyone (demo)";
  s.agency_vi = "Sở Khoa học và Công nghệ thành phố Huế (dữ liệu mẫu)";
  s.agency_en = "Hue City Department of Science and Technology (demo)";
  s.responsible_vi = "Ông Nguyễn Văn An, Giám đốc Sở Khoa học và Công nghệ (dữ liệu mẫu)";
  s.responsible_en =
      "Mr Nguyễn Văn An, Director of the Department of Science and Technology (demo)";
  s.license_vi =
      "Quyết định số 000/QĐ-UBND ngày 15/01/2026 của Ủy ban nhân dân thành phố Huế (dữ liệu mẫu)";
  s.license_en =
      "Decision 000/QĐ-UBND of 15 January 2026 of the Hue City People's Committee (demo)";
  s.address_vi = "Số 1 Lê Lai, phường Thuận Hóa, thành phố Huế (địa chỉ mẫu)";
  s.address_en = "1 Le Lai Street, Thuan Hoa Ward, Hue City (demo address)";
  s.contact_phone = "0234 3 000 000";
  s.contact_email = "dulieumo@example.gov.vn";
  s.footer_vi =
      "Đây là bản trình diễn với dữ liệu mẫu; số liệu chỉ có tính minh họa, không phải số liệu "
      "chính thức.";
  s.footer_en =
      "This is a demonstration with sample data; the figures are illustrative, not official.";
  return s;
}

}  // namespace odp::app
