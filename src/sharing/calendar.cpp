#include "sharing/calendar.h"

#include <nlohmann/json.hpp>

#include "base/lunar.h"
#include "sharing/request_flow.h"
#include "text/utf8.h"

namespace odp::sharing {
namespace {

HolidayRules RulesFrom(const std::vector<CalendarDayRecord>& days) {
  HolidayRules rules;
  for (const auto& d : days) {
    auto date = ParseCivilDate(d.day);
    if (!date) continue;  // written by PutDay, which checked it
    rules.adjustments.push_back(
        {*date, d.kind == "working_day" ? AdjustmentKind::kWorkingDay : AdjustmentKind::kDayOff,
         d.note});
  }
  return rules;
}

}  // namespace

Result<std::unique_ptr<WorkingCalendar>> SharingCalendar::Current() {
  ODP_ASSIGN_OR_RETURN(auto days, store_.ListCalendarDays());
  HolidayRules rules = RulesFrom(days);
  if (Status s = rules.Validate(); !s.ok()) {
    return Status::Internal("the announced calendar days are invalid: " + s.message());
  }
  return std::make_unique<WorkingCalendar>(std::move(rules));
}

Result<Micros> SharingCalendar::Deadline(Micros submitted) {
  ODP_ASSIGN_OR_RETURN(auto cal, Current());
  return cal->AddWorkingDays(submitted, kDecisionWorkingDays);
}

Result<std::vector<CalendarDayRecord>> SharingCalendar::Days() { return store_.ListCalendarDays(); }

Status SharingCalendar::PutDay(const access::Principal& who, const std::string& day,
                               const std::string& kind, const std::string& note) {
  if (!access::Allowed(who, access::Action::kManageCalendar, {})) {
    return Status::PermissionDenied(
        "only the provincial data unit (sysadmins) edits the calendar",
        "Chỉ đơn vị quản lý dữ liệu của tỉnh (quản trị hệ thống) mới được sửa lịch ngày nghỉ");
  }
  Status bad = Status::InvalidArgument("invalid calendar day", "Ngày nghỉ/làm bù không hợp lệ");
  auto date = ParseCivilDate(day);
  if (!date || date->year < kLunarFirstYear || date->year >= kLunarLastYear) {
    bad.WithField("day", "Ngày có dạng YYYY-MM-DD, trong khoảng năm lịch hỗ trợ");
  }
  if (kind != "day_off" && kind != "working_day") {
    bad.WithField("kind", "Chọn “ngày nghỉ” (day_off) hoặc “ngày làm bù” (working_day)");
  }
  if (note.empty() || note.size() > 300 || !text::IsValidUtf8(note) ||
      text::HasControlCharacters(note)) {
    bad.WithField("note", "Ghi rõ văn bản công bố (tối đa 300 ký tự)");
  }
  if (!bad.fields().empty()) return bad;
  ODP_RETURN_IF_ERROR(store_.PutCalendarDay({day, kind, note, who.user_id, NowMicros()}));
  if (audit_ != nullptr) {
    audit_->Record(
        store::AuditEvent("sharing.calendar_day_set", who.AuditActor(), "", day,
                          nlohmann::json{{"kind", kind}, {"note", note}}.dump(
                              -1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  return Status::Ok();
}

Status SharingCalendar::DeleteDay(const access::Principal& who, const std::string& day) {
  if (!access::Allowed(who, access::Action::kManageCalendar, {})) {
    return Status::PermissionDenied(
        "only the provincial data unit (sysadmins) edits the calendar",
        "Chỉ đơn vị quản lý dữ liệu của tỉnh (quản trị hệ thống) mới được sửa lịch ngày nghỉ");
  }
  Status s = store_.DeleteCalendarDay(day.substr(0, 20));
  if (s.code() == StatusCode::kNotFound) {
    return Status(StatusCode::kNotFound, "calendar day not announced: " + day.substr(0, 20),
                  "Ngày này không có trong danh sách ngày nghỉ/làm bù đã công bố");
  }
  if (s.ok() && audit_ != nullptr) {
    audit_->Record(
        store::AuditEvent("sharing.calendar_day_removed", who.AuditActor(), "", day, "{}"));
  }
  return s;
}

Result<std::vector<Holiday>> SharingCalendar::Holidays(int year) {
  if (year < kLunarFirstYear || year >= kLunarLastYear) {
    return Status::InvalidArgument("year out of range", "Năm nằm ngoài khoảng lịch hỗ trợ")
        .WithField("year", "Năm nằm ngoài khoảng lịch hỗ trợ");
  }
  ODP_ASSIGN_OR_RETURN(auto cal, Current());
  return cal->Holidays(year);
}

}  // namespace odp::sharing
