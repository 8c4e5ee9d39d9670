// In-portal notifications: the bell in the top bar with its unread count, and the list behind it,
// and their copies by e-mail.
//
// Notify() is the one seam every notice goes through: it stores one notification per recipient
// user, then hands the whole delivery (the stored notifications, the notice and the addresses
// of people who are not portal users, such as a consumer system's contacts) to each sender
// added with AddSender: e-mail (web.h StartNoticeMail) is the one the server adds. A sender's
// failure is logged, never returned: the notice is stored whatever happens to its copies.
// Thread-safe, AddSender included.
#pragma once

#include <functional>
#include <mutex>
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
  // Delivers one notice beyond the bell: `stored` holds one notification per recipient user
  // (possibly none), `emails` the addresses told by e-mail only.
  using Sender =
      std::function<Status(const std::vector<NotificationRecord>& stored, const Notice& notice,
                           const std::vector<std::string>& emails)>;

  // `store` must outlive the service.
  explicit Notifications(store::SharingStore& store) : store_(store) {}

  // Adds a way to deliver notices beyond the bell (e-mail); it must stay valid until
  // ClearSenders() or the end of the service.
  void AddSender(Sender sender);
  // Removes every sender (before what they use stops).
  void ClearSenders();

  // Stores `notice` for each of `user_ids` (duplicates and empty ids skipped), then sends it to
  // them and to `emails`: addresses told by e-mail only (people without an account here, such
  // as a consumer system's contacts; a user's own address among them gets one message).
  Status Notify(const std::vector<std::string>& user_ids, const Notice& notice,
                const std::vector<std::string>& emails = {});

  // The caller's newest notifications (at most `limit`, 1–200) and unread count.
  Result<std::vector<NotificationRecord>> List(const access::Principal& who, int limit = 50);
  Result<int64_t> Unread(const access::Principal& who);
  // Marks one (`id`) or every (`id` empty) unread notification of the caller read.
  Status MarkRead(const access::Principal& who, const std::string& id);

 private:
  store::SharingStore& store_;
  std::mutex mu_;
  std::vector<Sender> senders_;  // guarded by mu_
};

}  // namespace odp::sharing
