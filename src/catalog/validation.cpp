#include "catalog/validation.h"

#include "base/parse.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::catalog {

void CheckText(const std::string& field, const std::string& value, size_t max_bytes, bool multiline,
               Status& errors, bool& bad) {
  if (!text::IsValidUtf8(value)) {
    errors.WithField(field, "Văn bản không phải UTF-8 hợp lệ");
    bad = true;
    return;
  }
  if (value.size() > max_bytes) {
    errors.WithField(field, "Quá dài (tối đa " + std::to_string(max_bytes) + " byte)");
    bad = true;
    return;
  }
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    bool allowed_ws = multiline && (c == '\n' || c == '\r' || c == '\t');
    if ((u < 0x20 && !allowed_ws) || u == 0x7F) {
      errors.WithField(field, "Chứa ký tự điều khiển không được phép");
      bad = true;
      return;
    }
  }
}

bool IsIsoDate(const std::string& s) {
  if (s.empty()) return true;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  // Digits only, checked above: each part parses.
  const std::string_view text = s;
  const int64_t year = *ParseInt(text.substr(0, 4)), month = *ParseInt(text.substr(5, 2)),
                day = *ParseInt(text.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool IsKnownFrequency(const std::string& s) {
  static const char* kKnown[] = {"",          "realtime",   "daily",  "weekly",    "monthly",
                                 "quarterly", "semiannual", "annual", "irregular", "never"};
  for (const char* k : kKnown) {
    if (s == k) return true;
  }
  return false;
}

Status ValidateDataset(const Dataset& d) {
  Status errors = Status::InvalidArgument("the dataset has invalid fields",
                                          "Bộ dữ liệu có trường không hợp lệ");
  bool bad = false;
  if (d.title_vi.empty()) {
    errors.WithField("title_vi", "Cần có tiêu đề tiếng Việt");
    bad = true;
  }
  CheckText("title_vi", d.title_vi, 500, false, errors, bad);
  CheckText("title_en", d.title_en, 500, false, errors, bad);
  CheckText("description_vi", d.description_vi, 100000, true, errors, bad);
  CheckText("description_en", d.description_en, 100000, true, errors, bad);
  CheckText("contact_name", d.contact_name, 300, false, errors, bad);
  CheckText("contact_email", d.contact_email, 300, false, errors, bad);
  CheckText("version", d.version, 100, false, errors, bad);
  // An empty address comes from an empty title, which is reported already.
  if (!text::IsValidSlug(d.slug) && !(d.slug.empty() && d.title_vi.empty())) {
    errors.WithField("name", "Đường dẫn chỉ gồm a-z, 0-9 và '-', dài 2–100 ký tự");
    bad = true;
  }
  if (!IsIsoDate(d.temporal_start)) {
    errors.WithField("temporal_start", "Ngày phải có dạng YYYY-MM-DD");
    bad = true;
  }
  if (!IsIsoDate(d.temporal_end)) {
    errors.WithField("temporal_end", "Ngày phải có dạng YYYY-MM-DD");
    bad = true;
  }
  if (!d.temporal_start.empty() && !d.temporal_end.empty() && d.temporal_end < d.temporal_start) {
    errors.WithField("temporal_end", "Ngày kết thúc trước ngày bắt đầu");
    bad = true;
  }
  if (!IsKnownFrequency(d.update_frequency)) {
    errors.WithField("update_frequency",
                     "Tần suất cập nhật không hợp lệ (realtime, daily, weekly, monthly, quarterly, "
                     "semiannual, annual, irregular, never)");
    bad = true;
  }
  if (d.tags.size() > 50) {
    errors.WithField("tags", "Tối đa 50 từ khoá");
    bad = true;
  }
  for (const auto& t : d.tags) {
    if (t.empty()) {
      errors.WithField("tags", "Từ khoá không được để trống");
      bad = true;
    }
    CheckText("tags", t, 100, false, errors, bad);
  }
  for (const auto& s : d.spatial) CheckText("spatial", s, 20, false, errors, bad);
  if (d.extras.size() > 100) {
    errors.WithField("extras", "Tối đa 100 trường bổ sung");
    bad = true;
  }
  for (const auto& [k, v] : d.extras) {
    CheckText("extras", k, 200, false, errors, bad);
    CheckText("extras", v, 10000, true, errors, bad);
  }
  return bad ? errors : Status::Ok();
}

}  // namespace odp::catalog
