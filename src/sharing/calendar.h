// The working-day calendar of the sharing clock: base/workdays.h's Vietnamese public holidays
// (Tết and the Hùng Kings' day from the lunar calendar, 1/1, 30/4, 1/5, 2/9 with its second day,
// compensatory days off) plus the days off and make-up working days the government announces
// each year, which the provincial data unit keeps in the database (`calendar_days`).
//
// Changes are administrative events of the audit log ("sharing.calendar_day_set",
// "sharing.calendar_day_removed") when a sink is set.
//
// No cache: every call reads the announced days (a few dozen rows), so a change made on one
// server counts on every server at once. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "access/policy.h"
#include "base/workdays.h"
#include "store/audit_store.h"
#include "store/sharing_store.h"

namespace odp::sharing {

class SharingCalendar {
 public:
  // `store` must outlive the calendar.
  explicit SharingCalendar(store::SharingStore& store) : store_(store) {}
  // `sink` must outlive the calendar; set before use.
  void SetAuditSink(store::AuditSink* sink) { audit_ = sink; }

  // The calendar with every announced day.
  Result<std::unique_ptr<WorkingCalendar>> Current();

  // When a request submitted at `submitted` is due: the end (23:59:59 Viet Nam time) of the
  // kDecisionWorkingDays-th working day after the day of submission (WorkingCalendar's rule).
  Result<Micros> Deadline(Micros submitted);

  // The announced days, by date (anyone signed in may read them; they are public facts).
  Result<std::vector<CalendarDayRecord>> Days();
  // Adds or replaces an announced day: `day` "YYYY-MM-DD" within the supported years, `kind`
  // "day_off" or "working_day", `note` (the announcement, 1–300 characters). The data unit's
  // (kManageCalendar); kInvalidArgument names the field.
  Status PutDay(const access::Principal& who, const std::string& day, const std::string& kind,
                const std::string& note);
  // kNotFound when the day was not announced.
  Status DeleteDay(const access::Principal& who, const std::string& day);

  // The public holidays and announced days off of `year` (for the editor page).
  Result<std::vector<Holiday>> Holidays(int year);

 private:
  store::SharingStore& store_;
  store::AuditSink* audit_ = nullptr;
};

}  // namespace odp::sharing
