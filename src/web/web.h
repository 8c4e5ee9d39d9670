// The web layer: server-rendered pages in Vietnamese (under /) and English (under /en/), built
// from mustache templates and enhanced with htmx. Pages call the same services as the APIs.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "api/auth.h"
#include "api/context.h"
#include "api/response.h"
#include "api/router.h"
#include "catalog/settings.h"
#include "web/assets.h"
#include "web/render.h"

namespace odp::jobs {
class Jobs;
}
namespace odp::sharing {
class Notifications;
}

namespace odp::web {

// The stylesheet with the site's colours, and its address: /theme.css?v=<hash of the text>, so
// that a cached copy is never stale, across restarts too.
std::string ThemeCss(const catalog::SiteSettings& s);
std::string ThemeUrl(const catalog::SiteSettings& s);

class WebContext {
 public:
  // Loads the templates, assets and messages built into the binary. The site settings are
  // api.settings (catalog::SettingsService).
  static Result<std::unique_ptr<WebContext>> Open(api::ApiContext& api);

  api::ApiContext& api;
  std::unique_ptr<Templates> templates;
  std::unique_ptr<Assets> assets;
  // URLs per sitemap file (web/discovery.h; the protocol's limit, 50,000, unless a test or
  // ODP_SITEMAP_PAGE_SIZE makes it smaller). Set before serving.
  size_t sitemap_page_size = 50000;
  // Follows by e-mail (web/follow.cpp); null: the follow pages answer 503. Set before serving.
  store::FollowStore* follows = nullptr;

  explicit WebContext(api::ApiContext& a) : api(a) {}
};

// Registers every page route (both languages) and /static/….
void RegisterPages(api::Router& router, WebContext& web);

// E-mails with a link that sets a password (web/account_mail.cpp). They are written and sent
// inside a job (api::kAccountMailJobKind, queued by api/invitations_api.h), which makes the link,
// so that its secret is never stored anywhere but in the e-mail: a retried send makes a new link
// and voids the older one. A password reset goes to the account with the address when one exists
// and is not disabled; nothing otherwise, and the request path cannot tell the difference (the
// lookup happens in the job).
// StartAccountMail registers the handler on `jobs` (`web` must outlive the jobs' Stop()).
void StartAccountMail(WebContext& web, jobs::Jobs& jobs);

// Following datasets and agencies by e-mail (web/follow.cpp): registers the confirmation mail
// job ("follow.mail") and the scan that mails followers about changes ("follow.scan"), and
// schedules the scan every `scan_seconds`. `web` (with `follows` set) must outlive the jobs'
// Stop().
Status StartFollowMail(WebContext& web, jobs::Jobs& jobs, int64_t scan_seconds);
// Replaces every "{name}" in `text` with its value (the mail texts of the messages catalogue).
std::string FillMessage(std::string text, const std::map<std::string, std::string>& values);

// Notices by e-mail (web/notice_mail.cpp): adds to `notifications` the sender that queues, through
// api.mailer, one message per address for every notice (the recipient users' own addresses and
// the addresses given with it, each once), Vietnamese first and English second, with the
// catalogue's "mail_notice_*" texts and links to the notice's page in both languages. `web` and
// the mailer must outlive the sender: call notifications.ClearSenders() before they stop.
void StartNoticeMail(WebContext& web, sharing::Notifications& notifications);

}  // namespace odp::web
