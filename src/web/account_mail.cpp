// E-mails that carry a link setting a password: invitations and password resets (web.h).
// The texts are the messages catalogue's (web/messages.json, "mail_*"): Vietnamese first, then
// English, in one body.
#include <nlohmann/json.hpp>

#include "api/invitations_api.h"
#include "base/log.h"
#include "jobs/jobs.h"
#include "mail/mailer.h"
#include "web/web.h"

namespace odp::web {
namespace {

using json = nlohmann::json;

// The message for a new link: both languages, each with its own page's address.
mail::MailMessage LinkMessage(WebContext& web, const access::NewLink& nl) {
  const bool invite = nl.link.kind == access::ToString(access::LinkKind::kInvite);
  const catalog::SiteSettings site = web.api.settings.Get();
  const std::string prefix = invite ? "mail_invite_" : "mail_reset_";
  auto text = [&](Lang lang, const std::string& what) {
    const std::string base = lang == Lang::kEn ? "/en" : "";
    std::map<std::string, std::string> values = {
        {"name", nl.user.display_name},
        {"username", nl.user.username},
        {"site", lang == Lang::kEn && !site.title_en.empty() ? site.title_en : site.title_vi},
        {"link", web.api.config.site_url + base + "/dat-mat-khau?token=" + nl.secret},
        {"forgot", web.api.config.site_url + base + "/quen-mat-khau"},
        {"days", std::to_string(access::kInvitationLifetime / (24LL * 3600 * 1000000))},
        {"minutes", std::to_string(access::kResetLifetime / (60LL * 1000000))}};
    return FillMessage(web.assets->Message(lang, prefix + what), values);
  };
  mail::MailMessage m;
  m.to = nl.user.email;
  m.to_name = nl.user.display_name;
  m.subject = text(Lang::kVi, "subject") + " / " + text(Lang::kEn, "subject");
  m.body = text(Lang::kVi, "body") + "\n\n-- English --\n\n" + text(Lang::kEn, "body") + "\n";
  return m;
}

Status SendAccountMail(WebContext& web, const std::string& payload) {
  json p = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!p.is_object()) return Status::InvalidArgument("account mail without a payload");
  if (web.api.mailer == nullptr) return Status::Unavailable("mail is not started");
  access::AccountService& accounts = web.api.accounts;
  const std::string kind = p.value("kind", "");
  Result<access::NewLink> link = Status::InvalidArgument("unknown account mail: " + kind);
  if (kind == "invite") {
    link = accounts.IssueLink(p.value("user_id", ""), access::LinkKind::kInvite, p.value("by", ""));
    // The person set a password meanwhile, or the account was disabled: nothing to send.
    if (link.status().code() == StatusCode::kConflict) return Status::Ok();
  } else if (kind == "reset") {
    auto user = accounts.GetUserByEmail(p.value("email", ""));
    if (!user.ok() || user->disabled) {
      LogInfo("password reset asked for an address without a usable account; nothing sent");
      return Status::Ok();
    }
    // An invited account that never set a password gets its invitation again: setting the
    // first password asks for consent to the privacy notice.
    link = accounts.IssueLink(user->id, user->password_hash.empty() ? access::LinkKind::kInvite
                                                                    : access::LinkKind::kReset);
    if (link.status().code() == StatusCode::kConflict) return Status::Ok();
  }
  if (!link.ok()) return link.status();
  return web.api.mailer->Send(LinkMessage(web, *link));
}

}  // namespace

std::string FillMessage(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string key = "{" + name + "}";
    for (size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

void StartAccountMail(WebContext& web, jobs::Jobs& jobs) {
  jobs::KindOptions options;
  options.max_attempts = mail::Mailer::kSendAttempts;
  options.backoff = 60 * 1000000LL;
  options.concurrency = 2;
  jobs.Register(
      api::kAccountMailJobKind,
      [&web](jobs::JobContext& ctx) { return SendAccountMail(web, ctx.payload()); }, options);
}

}  // namespace odp::web
