// The personal-data scan measured on a labelled set, through real loads: generated registers
// whose personal columns are known (citizen IDs, ID cards, phones, e-mails, tax codes, plates,
// bank accounts, names with dates of birth, addresses, under Vietnamese, English and tone-free
// names, some without any name that hints) beside ordinary columns, and every column of the
// real files in ../shared/data/vn/, none of them personal. Prints recall and precision; fails
// below 0.99 and 0.95.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include <gtest/gtest.h>
#include <unistd.h>

#include "datastore/datastore.h"
#include "datastore/personal_data.h"

namespace odp::datastore {
namespace {

const std::filesystem::path kVn =
    std::filesystem::path(ODP_TEST_DATA_DIR) / "../../../shared/data/vn";

// Name lists written for this test (common Vietnamese family, middle and given names).
const std::vector<std::string> kFamily = {"Nguyễn", "Trần", "Lê",    "Phạm", "Hoàng", "Huỳnh",
                                          "Phan",   "Vũ",   "Võ",    "Đặng", "Bùi",   "Đỗ",
                                          "Hồ",     "Ngô",  "Dương", "Lý",   "Đinh",  "Trương"};
const std::vector<std::string> kMiddle = {"Văn",   "Thị",  "Hữu", "Đức", "Minh", "Ngọc",
                                          "Thanh", "Quốc", "Thu", "Gia", "Bảo",  "Xuân"};
const std::vector<std::string> kGiven = {"An",   "Bình", "Châu",  "Dũng", "Giang", "Hà",    "Hải",
                                         "Hùng", "Lan",  "Linh",  "Long", "Mai",   "Nam",   "Ngọc",
                                         "Phúc", "Quân", "Sơn",   "Tâm",  "Thảo",  "Trang", "Tuấn",
                                         "Vy",   "Yến",  "Khánh", "Đạt",  "Hiếu",  "Nhung"};
const std::vector<std::string> kStreets = {
    "Lê Lợi",        "Trần Hưng Đạo", "Nguyễn Huệ",    "Hùng Vương",  "Phan Chu Trinh",
    "Điện Biên Phủ", "Bà Triệu",      "Ông Ích Khiêm", "Nguyễn Trãi", "Lý Thường Kiệt"};
const std::vector<std::string> kWards = {"phường Vĩnh Ninh", "phường Phú Hội", "xã Hương Sơ",
                                         "phường Bến Nghé",  "quận 5",         "huyện Phú Vang"};
const std::vector<int> kProvinces = {1,  2,  4,  8,  10, 22, 31, 38, 40,
                                     46, 48, 56, 66, 75, 79, 89, 92, 96};
const std::vector<std::string> kMobile = {
    "32", "33", "34", "35", "36", "37", "38", "39", "56", "58", "70", "76", "77", "78", "79",
    "81", "82", "83", "84", "85", "86", "88", "90", "91", "93", "94", "96", "97", "98"};

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  const std::string& Pick(const std::vector<std::string>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }
  std::string Digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + Int(0, 9));
    return s;
  }
  std::string Pad(int v, int width) {
    std::string s = std::to_string(v);
    return std::string(static_cast<size_t>(std::max<int>(0, width - static_cast<int>(s.size()))),
                       '0') +
           s;
  }
  std::string Name() {
    std::string n = Pick(kFamily) + " " + Pick(kMiddle) + " " + Pick(kGiven);
    if (Int(0, 4) == 0) n = Pick(kFamily) + " " + Pick(kGiven);
    return n;
  }
  std::string CitizenId() {
    const int g = Int(0, 3);
    const int yy = g < 2 ? Int(30, 99) : Int(0, 8);
    return Pad(kProvinces[static_cast<size_t>(Int(0, static_cast<int>(kProvinces.size()) - 1))],
               3) +
           std::to_string(g) + Pad(yy, 2) + Digits(6);
  }
  std::string Phone() {
    std::string national = Pick(kMobile) + Digits(7);
    switch (Int(0, 5)) {
      case 0: return "0" + national;
      case 1:
        return "0" + national.substr(0, 3) + " " + national.substr(3, 3) + " " + national.substr(6);
      case 2:
        return "0" + national.substr(0, 3) + "." + national.substr(3, 3) + "." + national.substr(6);
      case 3:
        return "+84 " + national.substr(0, 2) + " " + national.substr(2, 3) + " " +
               national.substr(5);
      case 4: return "84" + national;
      default:
        return "02" + std::to_string(Int(0, 9)) + Digits(1) + " " + Digits(3) + " " + Digits(4);
    }
  }
  std::string Email() {
    static const std::vector<std::string> kAscii = {"an",  "binh", "chau", "dung", "hai",
                                                    "lan", "linh", "nam",  "tam",  "vy"};
    static const std::vector<std::string> kDomains = {"gmail.com", "yahoo.com.vn", "outlook.com",
                                                      "hue.edu.vn"};
    return Pick(kAscii) + (Int(0, 1) ? "." : "") + Pick(kAscii) + std::to_string(Int(1, 999)) +
           "@" + Pick(kDomains);
  }
  std::string TaxCode() {
    for (;;) {
      std::string first =
          Pad(kProvinces[static_cast<size_t>(Int(0, static_cast<int>(kProvinces.size()) - 1))], 2) +
          Digits(7);
      auto check = TaxCodeCheckDigit(first);
      if (!check) continue;
      std::string code = first + std::to_string(*check);
      if (Int(0, 3) == 0) code += "-" + Pad(Int(1, 30), 3);
      return code;
    }
  }
  std::string Plate() {
    const std::string letters = "ABCDEFGHKLMNPSTUVXYZ";
    const std::string area = std::to_string(Int(11, 99));
    const char l = letters[static_cast<size_t>(Int(0, static_cast<int>(letters.size()) - 1))];
    switch (Int(0, 3)) {
      case 0: return area + l + "-" + Digits(3) + "." + Digits(2);
      case 1: return area + l + "-" + Digits(5);
      case 2: return area + "-" + l + std::to_string(Int(1, 9)) + " " + Digits(3) + "." + Digits(2);
      default: return area + l + std::to_string(Int(1, 9)) + "-" + Digits(3) + "." + Digits(2);
    }
  }
  std::string Address() {
    switch (Int(0, 3)) {
      case 0: return std::to_string(Int(1, 300)) + " đường " + Pick(kStreets) + ", " + Pick(kWards);
      case 1:
        return "Số nhà " + std::to_string(Int(1, 99)) + ", ngõ " + std::to_string(Int(1, 200)) +
               " phố " + Pick(kStreets);
      case 2:
        return "Kiệt " + std::to_string(Int(1, 90)) + "/" + std::to_string(Int(1, 20)) + " " +
               Pick(kStreets) + ", " + Pick(kWards);
      default:
        return std::to_string(Int(1, 400)) + "/" + std::to_string(Int(1, 30)) + " " +
               Pick(kStreets) + ", " + Pick(kWards);
    }
  }
  std::string Date(int y0, int y1) {
    return Pad(Int(1, 28), 2) + "/" + Pad(Int(1, 12), 2) + "/" + std::to_string(Int(y0, y1));
  }

 private:
  std::mt19937 rng_;
};

struct Column {
  std::string label;
  std::string kind;  // "" for a column that is not personal
  std::function<std::string(Gen&)> value;
};

// Each kind under several names (the first of each list has no hint where the kind stands
// alone by its values).
std::vector<std::vector<Column>> Registers() {
  auto name = [](Gen& g) { return g.Name(); };
  auto dob = [](Gen& g) { return g.Date(1940, 2010); };
  auto amount = [](Gen& g) { return std::to_string(g.Int(100, 99999)) + "000"; };
  auto count = [](Gen& g) { return std::to_string(g.Int(0, 500)); };
  auto code = [](Gen& g) { return "HS-2025-" + g.Pad(g.Int(1, 99999), 5); };
  auto issued = [](Gen& g) { return g.Date(2015, 2025); };
  auto sector = [](Gen& g) {
    static const std::vector<std::string> kS = {"Y tế", "Giáo dục", "Giao thông", "Nông nghiệp",
                                                "Tư pháp"};
    return g.Pick(kS);
  };
  auto cccd = [](Gen& g) { return g.CitizenId(); };
  auto cmnd = [](Gen& g) { return g.Digits(9); };
  auto phone = [](Gen& g) { return g.Phone(); };
  auto email = [](Gen& g) { return g.Email(); };
  auto tax = [](Gen& g) { return g.TaxCode(); };
  auto plate = [](Gen& g) { return g.Plate(); };
  auto bank = [](Gen& g) { return g.Digits(g.Int(9, 14)); };
  auto addr = [](Gen& g) { return g.Address(); };
  std::vector<std::vector<Column>> out;
  const std::vector<std::array<std::string, 12>> labels = {
      {"Họ và tên", "Ngày sinh", "Số CCCD", "Số điện thoại", "Email", "Mã số thuế", "Biển số xe",
       "Số tài khoản", "Địa chỉ thường trú", "Số CMND", "Số tiền", "Ngày cấp"},
      {"Ho ten", "Ngay sinh", "so_cccd", "sdt", "thu_dien_tu", "mst", "bien_so", "stk", "dia_chi",
       "so_cmnd", "so_luong", "ngay_cap"},
      {"Full name", "Date of birth", "Citizen ID", "Phone", "E-mail", "Tax code", "Plate number",
       "Bank account", "Address", "ID card number", "Amount", "Issued on"},
      {"Chủ hộ", "Năm sinh", "Số định danh cá nhân", "Điện thoại liên hệ", "Thư điện tử",
       "MST cá nhân", "Biển kiểm soát", "Tài khoản ngân hàng", "Nơi ở hiện nay", "CMND", "Giá trị",
       "Ngày nhận"},
      // No hints where the values speak for themselves.
      {"Người nộp", "Sinh ngày", "Cột C", "Liên hệ", "Ghi chú", "Mã đối tượng", "Phương tiện",
       "STK", "Nơi cư trú", "Số CMT", "Tổng", "Ngày"},
  };
  for (const auto& l : labels) {
    std::vector<Column> t = {
        {l[0], "person_name", name},    {l[1], "birth_date", dob},    {l[2], "citizen_id", cccd},
        {l[3], "phone", phone},         {l[4], "email", email},       {l[5], "tax_code", tax},
        {l[6], "vehicle_plate", plate}, {l[7], "bank_account", bank}, {l[8], "address", addr},
        {l[9], "id_card", cmnd},        {l[10], "", amount},          {l[11], "", issued},
        {"Mã hồ sơ", "", code},         {"Lĩnh vực", "", sector},     {"Số lượng", "", count}};
    if (l[1] == "Năm sinh") t[1].value = [](Gen& g) { return std::to_string(g.Int(1940, 2010)); };
    out.push_back(std::move(t));
  }
  return out;
}

std::string CsvCell(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

TEST(PersonalDataMeasure, RecallAndPrecisionOnALabelledSet) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("odp-pii-measure-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto ds = Datastore::Open({.path = (dir / "datastore.db").string()});
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  int personal = 0, found_right = 0, flagged = 0, flagged_right = 0, plain = 0, plain_flagged = 0;
  std::vector<std::string> misses;
  auto flagged_kind = [](const TableInfo& t, const std::string& id) -> std::string {
    for (const auto& f : t.personal_data) {
      if (f.column == id) return f.kind;
    }
    return "";
  };
  // Generated registers, each loaded a few times with other values.
  Gen gen(20260101);
  int n = 0;
  for (const auto& cols : Registers()) {
    for (int copy = 0; copy < 4; ++copy) {
      const std::string path = (dir / ("reg" + std::to_string(n) + ".csv")).string();
      {
        std::ofstream out(path);
        for (size_t c = 0; c < cols.size(); ++c) out << (c ? "," : "") << CsvCell(cols[c].label);
        out << "\n";
        for (int r = 0; r < 40; ++r) {
          for (size_t c = 0; c < cols.size(); ++c)
            out << (c ? "," : "") << CsvCell(cols[c].value(gen));
          out << "\n";
        }
      }
      auto t = (*ds)->Load("reg" + std::to_string(n), 1, path);
      ASSERT_TRUE(t.ok()) << t.status().message();
      ++n;
      for (size_t c = 0; c < cols.size(); ++c) {
        const std::string got = flagged_kind(*t, t->fields[c].id);
        if (!got.empty()) ++flagged;
        if (!cols[c].kind.empty()) {
          ++personal;
          if (got == cols[c].kind) {
            ++found_right;
            ++flagged_right;
          } else {
            misses.push_back(cols[c].label + " (" + cols[c].kind + " → '" + got + "')");
          }
        } else {
          ++plain;
          if (!got.empty()) misses.push_back(cols[c].label + " flagged " + got);
          plain_flagged += got.empty() ? 0 : 1;
        }
      }
    }
  }
  // The real files: every column of every table is not personal.
  int vn_columns = 0, vn_flagged = 0;
  if (!std::filesystem::exists(kVn)) {
    std::printf("personal data: %s is absent; measured on the generated registers only\n",
                kVn.string().c_str());
  } else {
    for (const auto& e : std::filesystem::directory_iterator(kVn)) {
      const std::string ext = e.path().extension().string();
      if (ext != ".csv" && ext != ".xls" && ext != ".json") continue;
      const int sheets = e.path().filename() == "Hue.xls" ? 7 : 1;
      for (int s = 0; s < sheets; ++s) {
        LoadOptions o;
        if (ext == ".xls") o.sheet = s;
        auto t = (*ds)->Load("vn" + std::to_string(n++), 1, e.path().string(), o);
        if (!t.ok()) {
          std::printf("personal data: %s not loaded: %s\n", e.path().filename().c_str(),
                      t.status().message().c_str());
          continue;
        }
        vn_columns += static_cast<int>(t->fields.size());
        vn_flagged += static_cast<int>(t->personal_data.size());
        for (const auto& f : t->personal_data) {
          misses.push_back(e.path().filename().string() + ": " + f.label + " flagged " + f.kind);
        }
      }
    }
    EXPECT_GT(vn_columns, 50);
  }
  flagged += vn_flagged;
  plain += vn_columns;
  plain_flagged += vn_flagged;
  const double recall = static_cast<double>(found_right) / personal;
  const double precision = flagged ? static_cast<double>(flagged_right) / flagged : 1.0;
  std::printf(
      "personal data: %d personal columns, %d found with their kind: recall %.3f; %d columns "
      "flagged, %d rightly: precision %.3f; %d columns not personal (%d of the real files), "
      "%d flagged\n",
      personal, found_right, recall, flagged, flagged_right, precision, plain, vn_columns,
      plain_flagged);
  for (const auto& m : misses) std::printf("  %s\n", m.c_str());
  EXPECT_GE(recall, 0.99);
  EXPECT_GE(precision, 0.95);
  ds->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace odp::datastore
