// The records and the store role of inter-agency data sharing (issue 17; the rules are the
// sharing service's, sharing/sharing.h): services offered for sharing, requests for them with
// their history, the calendar changes the government announces, and in-portal notifications.
//
// What a record keeps beyond its indexed columns is the service's business: `doc` is a JSON
// object written and read by sharing/, stored as text. The store never looks inside it.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/transactions.h"

namespace odp {

// A dataset's table (or a subset of its columns) offered for sharing by the organization that
// owns the dataset. `state`: "offered" or "withdrawn".
struct SharedServiceRecord {
  std::string id;
  std::string organization_id;  // the provider
  std::string dataset_id;
  std::string resource_id;  // the table
  std::string state;
  std::string doc;  // titles, legal basis, terms, fields, sample rows (JSON object text)
  std::string created_by;
  Micros created = 0;
  Micros modified = 0;
};

// A request for a shared service by a consumer system of another agency. `state`: "submitted"
// (the clock runs until `deadline`), "info_requested" (the clock stops), "approved", "refused",
// "withdrawn". `reminded` and `overdue_notified` are set once per deadline by the reminder job.
struct SharingRequestRecord {
  std::string id;
  std::string service_id;
  std::string provider_org;   // the service's organization, copied at submission
  std::string requester_org;  // the consumer system's organization
  std::string consumer_id;
  std::string state;
  Micros submitted = 0;  // when the clock (re)started
  Micros deadline = 0;   // 0 while the clock is stopped or after the decision
  bool reminded = false;
  bool overdue_notified = false;
  std::string letter_sha256;  // the request letter (PDF) in the blob store
  std::string doc;            // what was asked, and the decision's terms (JSON object text)
  std::string created_by;
  Micros created = 0;
  Micros modified = 0;
};

// One step of a request, kept for good: who, when, what, why.
struct SharingEventRecord {
  int64_t seq = 0;
  std::string request_id;
  std::string actor_id;  // user id; "system" for the reminder job
  std::string action;    // "submit", "ask_info", "answer", "approve", "refuse", "withdraw",
                         // "remind", "overdue"
  std::string from_state;
  std::string to_state;
  std::string note;  // the reason, question or answer
  std::string doc;   // details (the approved terms, the new deadline), JSON object text
  Micros at = 0;
};

// A day the government announces as a day off ("day_off") or a make-up working day
// ("working_day"); `day` is "YYYY-MM-DD".
struct CalendarDayRecord {
  std::string day;
  std::string kind;
  std::string note;
  std::string updated_by;
  Micros updated = 0;
};

// A notification shown in the portal's bell to one user.
struct NotificationRecord {
  std::string id;
  std::string user_id;
  std::string kind;  // "sharing_request", "sharing_decision", "sharing_due", "sharing_overdue", …
  std::string subject_id;  // what it is about (a request id)
  std::string text_vi;
  std::string text_en;
  std::string link;  // a portal path without the language prefix
  Micros created = 0;
  Micros read = 0;  // 0 = unread
};

namespace store {

class SharingStore : public virtual Transactions {
 public:
  // Shared services. PutSharedService inserts or replaces by id.
  virtual Status PutSharedService(const SharedServiceRecord& s) = 0;
  virtual Result<SharedServiceRecord> GetSharedService(const std::string& id) = 0;
  // Every service, newest first.
  virtual Result<std::vector<SharedServiceRecord>> ListSharedServices() = 0;

  virtual Status InsertSharingRequest(const SharingRequestRecord& r) = 0;
  // Writes `r` only while the stored request is still in `from_state` (compare and set: two
  // decisions at once cannot both win); kConflict when it no longer is.
  virtual Status UpdateSharingRequest(const SharingRequestRecord& r,
                                      const std::string& from_state) = 0;
  virtual Result<SharingRequestRecord> GetSharingRequest(const std::string& id) = 0;
  // Every request, newest first.
  virtual Result<std::vector<SharingRequestRecord>> ListSharingRequests() = 0;
  // Sets the flag "reminded" or "overdue_notified" of a request whose deadline is still
  // `deadline`; true when this call set it (so that one server of several sends the notice).
  virtual Result<bool> MarkSharingRequest(const std::string& id, const std::string& flag,
                                          Micros deadline) = 0;

  // Claims the notice named `key` (at most 200 bytes; "expiry:grant:<id>:<valid_to>", …): true
  // for the one call, of every server and restart, that claims it first; false ever after.
  virtual Result<bool> ClaimNotice(const std::string& key, Micros at) = 0;

  virtual Status InsertSharingEvent(const SharingEventRecord& e) = 0;
  // Oldest first.
  virtual Result<std::vector<SharingEventRecord>> ListSharingEvents(
      const std::string& request_id) = 0;

  // The announced calendar changes, by day.
  virtual Status PutCalendarDay(const CalendarDayRecord& d) = 0;
  virtual Status DeleteCalendarDay(const std::string& day) = 0;  // kNotFound when absent
  virtual Result<std::vector<CalendarDayRecord>> ListCalendarDays() = 0;

  virtual Status InsertNotification(const NotificationRecord& n) = 0;
  // The user's newest `limit` notifications, newest first.
  virtual Result<std::vector<NotificationRecord>> ListNotifications(const std::string& user_id,
                                                                    int limit) = 0;
  virtual Result<int64_t> CountUnreadNotifications(const std::string& user_id) = 0;
  // Marks the user's unread notifications read at `at`: one (`id`), or all (`id` empty).
  virtual Status MarkNotificationsRead(const std::string& user_id, const std::string& id,
                                       Micros at) = 0;

 protected:
  ~SharingStore() = default;
};

}  // namespace store
}  // namespace odp
