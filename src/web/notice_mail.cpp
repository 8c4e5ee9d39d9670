// Notices by e-mail (web.h StartNoticeMail): the sender behind sharing::Notifications::Notify.
// The texts are the messages catalogue's ("mail_notice_*"): Vietnamese first, then English, in one
// body, since users choose no language here. A message is queued (mail::Mailer::Queue, a job of
// the jobs layer), so the request or job that notifies never waits on the SMTP server.
#include <algorithm>
#include <cctype>
#include <set>

#include "base/log.h"
#include "mail/mailer.h"
#include "sharing/notifications.h"
#include "web/web.h"

namespace odp::web {
namespace {

constexpr size_t kSubjectCodePoints = 150;

// `text` on one line (control characters become spaces), cut to `max` code points.
std::string OneLine(const std::string& text, size_t max) {
  std::string out;
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xc0) != 0x80 && ++points > max) {
      out += "…";
      break;
    }
    out += c < 0x20 || c == 0x7f ? ' ' : text[i];
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

mail::MailMessage NoticeMessage(WebContext& web, const sharing::Notice& notice,
                                const std::string& to, const std::string& name) {
  const catalog::SiteSettings site = web.api.settings.Get();
  const std::string& base = web.api.config.site_url;
  auto text = [&](Lang lang, const std::string& what) {
    const bool en = lang == Lang::kEn;
    return FillMessage(web.assets->Message(lang, "mail_notice_" + what),
                       {{"name", name.empty() ? to : name},
                        {"text", en ? notice.text_en : notice.text_vi},
                        {"site", en && !site.title_en.empty() ? site.title_en : site.title_vi},
                        {"link", base + (en ? "/en" : "") + notice.link}});
  };
  mail::MailMessage m;
  m.to = to;
  m.to_name = OneLine(name, 100);
  m.subject = OneLine(notice.text_vi, kSubjectCodePoints) + " / " +
              OneLine(notice.text_en, kSubjectCodePoints);
  m.body = text(Lang::kVi, "body") + "\n\n-- English --\n\n" + text(Lang::kEn, "body") + "\n";
  return m;
}

}  // namespace

void StartNoticeMail(WebContext& web, sharing::Notifications& notifications) {
  notifications.AddSender([&web](const std::vector<NotificationRecord>& stored,
                                 const sharing::Notice& notice,
                                 const std::vector<std::string>& emails) -> Status {
    if (web.api.mailer == nullptr) return Status::Unavailable("mail is not started");
    // Each address once: the users' own first (with their names), then the others.
    std::vector<std::pair<std::string, std::string>> to;  // address, name
    std::set<std::string> seen;
    for (const NotificationRecord& n : stored) {
      auto user = web.api.accounts.GetUser(n.user_id);
      if (!user.ok() || user->disabled || user->email.empty()) continue;
      if (!seen.insert(Lower(user->email)).second) continue;
      to.emplace_back(user->email,
                      user->display_name.empty() ? user->username : user->display_name);
    }
    for (const std::string& address : emails) {
      if (address.empty() || !seen.insert(Lower(address)).second) continue;
      to.emplace_back(address, "");
    }
    Status first = Status::Ok();
    for (const auto& [address, name] : to) {
      auto queued = web.api.mailer->Queue(NoticeMessage(web, notice, address, name));
      if (!queued.ok() && first.ok()) first = queued.status();
    }
    return first;
  });
}

}  // namespace odp::web
