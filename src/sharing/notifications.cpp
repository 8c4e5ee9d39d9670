#include "sharing/notifications.h"

#include <algorithm>
#include <set>

#include "base/ids.h"
#include "base/log.h"

namespace odp::sharing {
namespace {

Status SignIn() {
  return Status::Unauthenticated("sign in to see your notifications",
                                 "Hãy đăng nhập để xem thông báo");
}

}  // namespace

void Notifications::AddSender(Sender sender) {
  std::lock_guard<std::mutex> lock(mu_);
  senders_.push_back(std::move(sender));
}

void Notifications::ClearSenders() {
  std::lock_guard<std::mutex> lock(mu_);
  senders_.clear();
}

Status Notifications::Notify(const std::vector<std::string>& user_ids, const Notice& notice,
                             const std::vector<std::string>& emails) {
  std::set<std::string> seen;
  const Micros now = NowMicros();
  std::vector<NotificationRecord> stored;
  for (const std::string& user : user_ids) {
    if (user.empty() || !seen.insert(user).second) continue;
    NotificationRecord n{NewUuid(),
                         user,
                         notice.kind,
                         notice.subject_id,
                         notice.text_vi,
                         notice.text_en,
                         notice.link,
                         now,
                         0};
    ODP_RETURN_IF_ERROR(store_.InsertNotification(n));
    stored.push_back(std::move(n));
  }
  if (stored.empty() && emails.empty()) return Status::Ok();
  std::vector<Sender> senders;
  {
    std::lock_guard<std::mutex> lock(mu_);
    senders = senders_;
  }
  for (const Sender& send : senders) {
    if (Status s = send(stored, notice, emails); !s.ok())
      LogWarn("notice not sent: " + s.message());
  }
  return Status::Ok();
}

Result<std::vector<NotificationRecord>> Notifications::List(const access::Principal& who,
                                                            int limit) {
  if (!who.authenticated()) return SignIn();
  return store_.ListNotifications(who.user_id, std::clamp(limit, 1, 200));
}

Result<int64_t> Notifications::Unread(const access::Principal& who) {
  if (!who.authenticated()) return SignIn();
  return store_.CountUnreadNotifications(who.user_id);
}

Status Notifications::MarkRead(const access::Principal& who, const std::string& id) {
  if (!who.authenticated()) return SignIn();
  return store_.MarkNotificationsRead(who.user_id, id.substr(0, 100), NowMicros());
}

}  // namespace odp::sharing
