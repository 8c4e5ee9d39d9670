// In-portal notifications: the bell in the top bar with its unread count, and the list behind it.
//
// Notify() is the one seam every notice goes through: it stores one notification per recipient
// and then hands each to the senders added with AddSender (none yet: e-mail through SMTP is
// another part's, which will add a sender here). A sender's failure is logged, never returned:
// the notice is stored whatever happens to its copies. Thread-safe once the senders are added
// (add them before serving).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "store/sharing_store.h"

namespace odp::sharing {

struct Notice {
  std::string kind;        // "sharing_request", "sharing_decision", "sharing_due", …
  std::string subject_id;  // what it is about
  std::string text_vi;
  std::string text_en;
  std::string link;  // a portal path without the language prefix ("/chia-se/yeu-cau/…")
};

class Notifications {
 public:
  using Sender = std::function<Status(const NotificationRecord&)>;

  // `store` must outlive the service.
  explicit Notifications(store::SharingStore& store) : store_(store) {}

  // Adds a way to deliver notices beyond the bell (e-mail). Not thread-safe: call at start-up.
  void AddSender(Sender sender) { senders_.push_back(std::move(sender)); }

  // Stores `notice` for each of `user_ids` (duplicates and empty ids skipped), then sends it.
  Status Notify(const std::vector<std::string>& user_ids, const Notice& notice);

  // The caller's newest notifications (at most `limit`, 1–200) and unread count.
  Result<std::vector<NotificationRecord>> List(const access::Principal& who, int limit = 50);
  Result<int64_t> Unread(const access::Principal& who);
  // Marks one (`id`) or every (`id` empty) unread notification of the caller read.
  Status MarkRead(const access::Principal& who, const std::string& id);

 private:
  store::SharingStore& store_;
  std::vector<Sender> senders_;
};

}  // namespace odp::sharing
